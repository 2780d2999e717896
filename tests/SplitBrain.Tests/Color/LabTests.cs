using SplitBrain.Color;
using SplitBrain.Tests.Support;
using TorchSharp;
using static SplitBrain.Tests.Color.ColorTestTensors;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Color;

public class LabTests(ITestOutputHelper output)
{
    // The brief's bar: agree with scikit-image to 1e-3 in L, a, b and in RGB. Measured errors are printed.
    private const double SkimageTolerance = 1e-3;

    // A float round trip rgb -> Lab -> rgb of an in-gamut color.
    private const double RoundTripTolerance = 1e-4;

    [Fact]
    public void FromRgb_BytesCornersGreysNearBlack_MatchesSkimage()
    {
        using var rgb = Pixels(LabReferenceValues.Bytes, 0, ScalarType.Byte);
        using var lab = Lab.FromRgb(rgb);

        var error = MaxAbsDiffPerChannel(lab, LabReferenceValues.Bytes, 3);
        output.WriteLine($"max |error| vs skimage, uint8 input: L {error[0]:E2}, a {error[1]:E2}, b {error[2]:E2}");
        Assert.All(error, e => Assert.True(e < SkimageTolerance, $"error {e}"));
    }

    [Fact]
    public void FromRgb_RandomAndLinearSegmentFloats_MatchesSkimage()
    {
        using var rgb = Pixels(LabReferenceValues.Floats, 0);
        using var lab = Lab.FromRgb(rgb);

        var error = MaxAbsDiffPerChannel(lab, LabReferenceValues.Floats, 3);
        output.WriteLine($"max |error| vs skimage, float input: L {error[0]:E2}, a {error[1]:E2}, b {error[2]:E2}");
        Assert.All(error, e => Assert.True(e < SkimageTolerance, $"error {e}"));
    }

    [Fact]
    public void FromRgb_Float64Input_ReturnsFloat32MatchingSkimage()
    {
        using var rgb = Pixels(LabReferenceValues.Floats, 0, ScalarType.Float64);
        using var lab = Lab.FromRgb(rgb);

        Assert.Equal(ScalarType.Float32, lab.dtype);
        Assert.All(MaxAbsDiffPerChannel(lab, LabReferenceValues.Floats, 3), e => Assert.True(e < SkimageTolerance));
    }

    [Fact]
    public void ToRgb_OutOfGamutAndRandomLab_MatchesSkimageClipping()
    {
        using var lab = Pixels(LabReferenceValues.LabToRgb, 0);
        using var rgb = Lab.ToRgb(lab);

        var error = MaxAbsDiffPerChannel(rgb, LabReferenceValues.LabToRgb, 3);
        output.WriteLine($"max |error| vs skimage lab2rgb: R {error[0]:E2}, G {error[1]:E2}, B {error[2]:E2}");
        Assert.All(error, e => Assert.True(e < SkimageTolerance, $"error {e}"));
    }

    [Fact]
    public void ToRgb_SkimageLabOfKnownColors_ReturnsTheColors()
    {
        using var lab = Pixels(LabReferenceValues.Floats, 3);
        using var rgb = Lab.ToRgb(lab);

        Assert.All(MaxAbsDiffPerChannel(rgb, LabReferenceValues.Floats, 0), e => Assert.True(e < SkimageTolerance));
    }

    [Fact]
    public void ToRgb_OfFromRgb_InGamutFloats_RoundTripsWithin1e4()
    {
        using var scope = NewDisposeScope();
        var rgb = rand([2, 3, 16, 16], generator: new Generator(7));
        var back = Lab.ToRgb(Lab.FromRgb(rgb));

        var error = (back - rgb).abs().max().item<float>();
        output.WriteLine($"max |rgb - ToRgb(FromRgb(rgb))| = {error:E2}");
        Assert.True(error < RoundTripTolerance, $"error {error}");
    }

    [Fact]
    public void ToRgbBytes_OfFromRgb_ByteGrid_RoundTripsExactly()
    {
        using var scope = NewDisposeScope();
        // Every 5th level per channel (0, 5, ..., 255): 52^3 = 140,608 colors, corners included.
        var levels = arange(0, 256, 5, ScalarType.Int32);
        var grid = meshgrid([levels, levels, levels], indexing: "ij");
        var rgb = stack(grid.Select(g => g.flatten()).ToArray()).to_type(ScalarType.Byte).reshape(1, 3, 1, -1);

        var back = Lab.ToRgbBytes(Lab.FromRgb(rgb));

        Assert.Equal(ScalarType.Byte, back.dtype);
        Assert.True(Same(back, rgb), "some uint8 color did not survive rgb -> Lab -> rgb");
    }

    [Fact]
    public void ToRgbBytes_OutOfGamutLab_RoundsTheClippedRgb()
    {
        using var scope = NewDisposeScope();
        var lab = Pixels(LabReferenceValues.LabToRgb, 0);

        var bytes = Lab.ToRgbBytes(lab);

        var expected = (Lab.ToRgb(lab) * 255).round().to_type(ScalarType.Byte);
        Assert.True(Same(bytes, expected));
    }

    [Fact]
    public void FromRgb_Batch_KeepsShapeAndReturnsFloat32()
    {
        using var rgb = randint(0, 256, [2, 3, 4, 5], ScalarType.Byte);
        using var lab = Lab.FromRgb(rgb);

        Assert.Equal([2L, 3, 4, 5], lab.shape);
        Assert.Equal(ScalarType.Float32, lab.dtype);
        Assert.Equal(rgb.device_type, lab.device_type);
    }

    [Fact]
    public void FromRgb_SingleImage_EqualsTheBatchOfOne()
    {
        using var scope = NewDisposeScope();
        var image = rand([3, 4, 5], generator: new Generator(3));

        var single = Lab.FromRgb(image);
        var batched = Lab.FromRgb(image.unsqueeze(0));

        Assert.Equal([3L, 4, 5], single.shape);
        // Two computations (different shapes may take different vector paths): equal to float rounding, not bitwise.
        // A wrong channel or axis would move values by the order of the values themselves.
        TensorAssert.Close(single, batched[0], 1e-6, "Lab of the image against Lab of the batch of one");
        var back = Lab.ToRgb(single);
        Assert.Equal([3L, 4, 5], back.shape);
    }

    [Fact]
    public void FromRgb_OutOfRangeFloats_ReturnsFiniteValues()
    {
        using var scope = NewDisposeScope();
        var rgb = tensor(new float[] { -0.5f, 1.5f, 0f, 2f, -1f, 0.5f }, [1, 3, 1, 2]);

        var lab = Lab.FromRgb(rgb);

        Assert.True(lab.isfinite().all().item<bool>());
    }

    [Fact]
    public void ToRgb_ExtremeLab_ReturnsFiniteRgbInUnitRange()
    {
        using var scope = NewDisposeScope();
        var lab = tensor(new float[] { -50f, 500f, 0f, 1000f, -500f, 300f, 400f, -400f, 0f }, [1, 3, 1, 3]);

        var rgb = Lab.ToRgb(lab);

        Assert.True(rgb.isfinite().all().item<bool>());
        Assert.True(rgb.min().item<float>() >= 0f && rgb.max().item<float>() <= 1f);
    }

    [Fact]
    public void FromRgb_DoesNotModifyItsInput()
    {
        using var scope = NewDisposeScope();
        var rgb = rand([1, 3, 4, 4], generator: new Generator(5));
        var copy = rgb.clone();

        Lab.FromRgb(rgb);
        Lab.ToRgb(rgb);

        Assert.True(Same(rgb, copy));
    }

    [Fact]
    public void FromRgbAndToRgb_LeaveNoLiveTensors()
    {
        using var rgb = rand([2, 3, 8, 8]);
        TensorLeaks.WarmUpConstants(); // cached on first use: not this call's tensors
        var before = LiveTensors;

        using (var lab = Lab.FromRgb(rgb))
        using (var back = Lab.ToRgb(lab))
        using (var bytes = Lab.ToRgbBytes(lab))
        {
            Assert.Equal(before + 3, LiveTensors);
        }

        Assert.Equal(before, LiveTensors);
    }

    [Theory]
    [InlineData(new long[] { 3, 4 })]
    [InlineData(new long[] { 1, 1, 3, 4, 4 })]
    [InlineData(new long[] { 2, 1, 4, 4 })]
    [InlineData(new long[] { 2, 4, 4, 4 })]
    public void FromRgb_WrongShape_ThrowsNamingShape(long[] shape)
    {
        using var rgb = zeros(shape);

        var e = Assert.Throws<ArgumentException>(() => Lab.FromRgb(rgb));

        Assert.Equal("rgb", e.ParamName);
        Assert.Contains("[N, 3, H, W]", e.Message);
        Assert.Contains("[" + string.Join(", ", shape) + "]", e.Message);
    }

    [Fact]
    public void FromRgb_IntegerDtypeOtherThanByte_ThrowsNamingDtype()
    {
        using var rgb = zeros([1, 3, 2, 2], ScalarType.Int32);

        var e = Assert.Throws<ArgumentException>(() => Lab.FromRgb(rgb));

        Assert.Equal("rgb", e.ParamName);
        Assert.Contains("Int32", e.Message);
        Assert.Contains("uint8", e.Message);
    }

    [Fact]
    public void ToRgb_ByteDtype_ThrowsNamingDtype()
    {
        using var lab = zeros([1, 3, 2, 2], ScalarType.Byte);

        var e = Assert.Throws<ArgumentException>(() => Lab.ToRgb(lab));

        Assert.Equal("lab", e.ParamName);
        Assert.Contains("Byte", e.Message);
    }

    [Fact]
    public void ToRgb_WrongChannelCount_ThrowsNamingShape()
    {
        using var lab = zeros([1, 2, 2, 2]);

        var e = Assert.Throws<ArgumentException>(() => Lab.ToRgbBytes(lab));

        Assert.Equal("lab", e.ParamName);
        Assert.Contains("[1, 2, 2, 2]", e.Message);
    }
}
