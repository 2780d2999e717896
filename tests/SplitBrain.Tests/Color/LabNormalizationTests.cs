using SplitBrain.Color;
using SplitBrain.Tests.Support;
using TorchSharp;
using static SplitBrain.Tests.Color.ColorTestTensors;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Color;

public class LabNormalizationTests
{
    private const float Tolerance = 1e-6f;

    [Fact]
    public void Constants_AreTheColorizationCodeValues()
    {
        Assert.Equal(50.0, LabNormalization.LCenter);
        Assert.Equal(100.0, LabNormalization.LNorm);
        Assert.Equal(110.0, LabNormalization.AbNorm);
    }

    [Fact]
    public void NormalizeL_MapsZeroFiftyHundred_ToMinusHalfZeroHalf()
    {
        using var l = tensor(new float[] { 0f, 50f, 100f }, [1, 1, 1, 3]);
        using var normalized = LabNormalization.NormalizeL(l);

        Assert.Equal([-0.5f, 0f, 0.5f], normalized.data<float>().ToArray());
    }

    [Fact]
    public void NormalizeAb_Maps110_ToOne()
    {
        using var ab = tensor(new float[] { -110f, 0f, 55f, 110f }, [1, 2, 1, 2]);
        using var normalized = LabNormalization.NormalizeAb(ab);

        Assert.Equal([-1f, 0f, 0.5f, 1f], normalized.data<float>().ToArray());
    }

    [Fact]
    public void DenormalizeL_OfNormalizeL_ReturnsTheInput()
    {
        using var scope = NewDisposeScope();
        var l = rand([2, 1, 4, 4], generator: new Generator(1)) * 100;

        var back = LabNormalization.DenormalizeL(LabNormalization.NormalizeL(l));

        Assert.True((back - l).abs().max().item<float>() < Tolerance * 100);
    }

    [Fact]
    public void DenormalizeAb_OfNormalizeAb_ReturnsTheInputInAnyShape()
    {
        using var scope = NewDisposeScope();
        var centres = (rand([313, 2], generator: new Generator(2)) - 0.5) * 220; // like ab bin centres [Q, 2]

        var back = LabNormalization.DenormalizeAb(LabNormalization.NormalizeAb(centres));

        Assert.Equal(centres.shape, back.shape);
        Assert.True((back - centres).abs().max().item<float>() < Tolerance * 110);
    }

    [Fact]
    public void NormalizeL_Float64_KeepsDtypeAndLeavesInputUnchanged()
    {
        using var scope = NewDisposeScope();
        var l = tensor(new double[] { 25.0, 75.0 });
        var copy = l.clone();

        var normalized = LabNormalization.NormalizeL(l);

        Assert.Equal(ScalarType.Float64, normalized.dtype);
        Assert.Equal([-0.25, 0.25], normalized.data<double>().ToArray());
        Assert.True(Same(l, copy));
    }

    [Fact]
    public void NormalizeAndDenormalize_LeaveNoLiveTensors()
    {
        using var lab = rand([1, 3, 4, 4]);
        TensorLeaks.WarmUpConstants(); // cached on first use: not this call's tensors
        var before = LiveTensors;

        using (var l = LabNormalization.NormalizeL(lab))
        using (var ab = LabNormalization.NormalizeAb(lab))
        using (var l2 = LabNormalization.DenormalizeL(l))
        using (var ab2 = LabNormalization.DenormalizeAb(ab))
        {
            Assert.Equal(before + 4, LiveTensors);
        }

        Assert.Equal(before, LiveTensors);
    }

    [Fact]
    public void NormalizeL_ByteInput_ThrowsNamingDtype()
    {
        using var l = zeros([1, 1, 2, 2], ScalarType.Byte);

        var e = Assert.Throws<ArgumentException>(() => LabNormalization.NormalizeL(l));

        Assert.Equal("l", e.ParamName);
        Assert.Contains("Byte", e.Message);
    }

    [Fact]
    public void DenormalizeAb_IntegerInput_ThrowsNamingArgument()
    {
        using var ab = zeros([1, 2, 2, 2], ScalarType.Int64);

        var e = Assert.Throws<ArgumentException>(() => LabNormalization.DenormalizeAb(ab));

        Assert.Equal("normalizedAb", e.ParamName);
        Assert.Contains("floating", e.Message);
    }
}
