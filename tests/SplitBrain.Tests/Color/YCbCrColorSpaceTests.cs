using SplitBrain.Color;
using SplitBrain.Tests.Support;
using TorchSharp;
using static SplitBrain.Tests.Color.ColorTestTensors;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Color;

public class YCbCrColorSpaceTests
{
    private const double Tolerance = 1e-6;

    // BT.601 full range (JFIF) values of the primaries, white, black and mid-grey: R, G, B then Y, Cb, Cr,
    // with Cb and Cr centred on 0 (JFIF's offset of 0.5 removed).
    private static readonly double[][] Reference =
    [
        [0, 0, 0, 0, 0, 0],
        [1, 1, 1, 1, 0, 0],
        [0.5, 0.5, 0.5, 0.5, 0, 0],
        [1, 0, 0, 0.299, -0.168736, 0.5],
        [0, 1, 0, 0.587, -0.331264, -0.418688],
        [0, 0, 1, 0.114, 0.5, -0.081312],
    ];

    [Fact]
    public void NameAndChannelNames_AreYCbCr()
    {
        Assert.Equal("YCbCr", ColorSpaces.YCbCr.Name);
        Assert.Equal(["Y", "Cb", "Cr"], ColorSpaces.YCbCr.ChannelNames);
    }

    [Fact]
    public void FromRgb_PrimariesAndGreys_MatchBt601FullRange()
    {
        using var rgb = Pixels(Reference, 0);
        using var ycbcr = ColorSpaces.YCbCr.FromRgb(rgb);

        Assert.All(MaxAbsDiffPerChannel(ycbcr, Reference, 3), e => Assert.True(e < Tolerance, $"error {e}"));
    }

    [Fact]
    public void ToRgb_OfBt601Values_ReturnsThePrimaries()
    {
        using var ycbcr = Pixels(Reference, 3);
        using var rgb = ColorSpaces.YCbCr.ToRgb(ycbcr);

        Assert.All(MaxAbsDiffPerChannel(rgb, Reference, 0), e => Assert.True(e < Tolerance, $"error {e}"));
    }

    [Fact]
    public void ToRgb_OfFromRgb_RandomColors_RoundTripsWithin1e6()
    {
        using var scope = NewDisposeScope();
        var rgb = rand([2, 3, 8, 8], generator: new Generator(9));

        var back = ColorSpaces.YCbCr.ToRgb(ColorSpaces.YCbCr.FromRgb(rgb));

        Assert.True((back - rgb).abs().max().item<float>() < Tolerance);
    }

    [Fact]
    public void FromRgb_Bytes_EqualsFloatInput()
    {
        using var scope = NewDisposeScope();
        var bytes = randint(0, 256, [1, 3, 4, 4], ScalarType.Byte, generator: new Generator(10));

        var fromBytes = ColorSpaces.YCbCr.FromRgb(bytes);
        var fromFloats = ColorSpaces.YCbCr.FromRgb(bytes.to_type(ScalarType.Float32) / 255);

        Assert.True((fromBytes - fromFloats).abs().max().item<float>() < Tolerance);
    }

    [Fact]
    public void ToRgb_OutOfGamut_ClipsToUnitInterval()
    {
        using var scope = NewDisposeScope();
        var ycbcr = tensor(new float[] { 0.5f, 1.2f, -0.1f, 0.5f, 0.5f, -0.5f }, [1, 3, 1, 2]);

        var rgb = ColorSpaces.YCbCr.ToRgb(ycbcr);

        Assert.True(rgb.min().item<float>() >= 0f && rgb.max().item<float>() <= 1f);
    }

    [Fact]
    public void FromRgb_WrongChannelCount_ThrowsNamingShape()
    {
        using var rgb = zeros([2, 4, 3, 3]);

        var e = Assert.Throws<ArgumentException>(() => ColorSpaces.YCbCr.FromRgb(rgb));

        Assert.Equal("rgb", e.ParamName);
        Assert.Contains("[2, 4, 3, 3]", e.Message);
    }

    [Fact]
    public void FromRgbAndToRgb_LeaveNoLiveTensors()
    {
        using var rgb = rand([1, 3, 4, 4]);
        TensorLeaks.WarmUpConstants(); // cached on first use: not this call's tensors
        var before = LiveTensors;

        using (var ycbcr = ColorSpaces.YCbCr.FromRgb(rgb))
        using (var back = ColorSpaces.YCbCr.ToRgb(ycbcr))
        {
            Assert.Equal(before + 2, LiveTensors);
        }

        Assert.Equal(before, LiveTensors);
    }
}
