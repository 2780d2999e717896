using SplitBrain.Color;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Color;

public sealed class SplitSpaceTests
{
    [Fact]
    public void For_EachSplit_GivesItsChannels()
    {
        Assert.Equal(ChannelSplit.Lab, SplitSpace.For(ColorSplit.Lab).Channels);
        Assert.Equal(ChannelSplit.YCbCr, SplitSpace.For(ColorSplit.YCbCr).Channels);
        Assert.Equal("RGB: R | GB", SplitSpace.For(ColorSplit.Rgb).ToString());
        Assert.All(Enum.GetValues<ColorSplit>(), s => Assert.Equal(s, SplitSpace.For(s).Kind));
    }

    [Fact]
    public void For_UnknownSplit_NamesTheAllowedValues()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SplitSpace.For((ColorSplit)7));

        Assert.Contains("ColorSplit must be one of Lab, YCbCr, Rgb; got 7.", e.Message);
    }

    [Fact]
    public void Of_AKnownChannelSplit_IsThatSplit()
    {
        Assert.Same(SplitSpace.YCbCr, SplitSpace.Of(new ChannelSplit(ColorSpaces.YCbCr, [0], [1, 2])));
    }

    [Fact]
    public void Of_ASplitNoQuantizerBins_SaysSoInOneLineNamingTheSplitsThereAre()
    {
        var e = Assert.Throws<ArgumentException>(() => SplitSpace.Of(ChannelSplit.Lab.Swap()));

        Assert.Equal("channels", e.ParamName);
        Assert.StartsWith("The split Lab: ab | L cannot be binned", e.Message);
        Assert.Contains("Lab (Lab: L | ab), YCbCr (YCbCr: Y | CbCr), Rgb (RGB: R | GB)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Normalize_Lab_IsLabNormalization()
    {
        using var scope = NewDisposeScope();
        var lab = Lab.FromRgb(TestTensors.Uniform(0, 1, 1, 2, 3, 8, 8));
        var (l, ab) = ChannelSplit.Lab.Split(lab);

        TensorAssert.Close(SplitSpace.Lab.NormalizeFirst(l), LabNormalization.NormalizeL(l), 0, "L input");
        TensorAssert.Close(SplitSpace.Lab.NormalizeSecond(ab), LabNormalization.NormalizeAb(ab), 0, "ab input");
    }

    [Fact]
    public void Normalize_YCbCr_CentresYAndScalesCbCrToAboutOne()
    {
        using var scope = NewDisposeScope();
        var y = tensor(new[] { 0f, 0.25f, 1f });
        var cbcr = tensor(new[] { -0.5f, 0.1f, 0.5f });

        TensorAssert.Close(SplitSpace.YCbCr.NormalizeFirst(y), tensor(new[] { -0.5f, -0.25f, 0.5f }), 1e-6, "Y input");
        TensorAssert.Close(SplitSpace.YCbCr.NormalizeSecond(cbcr), tensor(new[] { -1f, 0.2f, 1f }), 1e-6, "CbCr input");
    }

    [Fact]
    public void ToRgb_YCbCrHalves_RoundTripTheImages()
    {
        using var scope = NewDisposeScope();
        var rgb = TestTensors.Uniform(0, 1, 2, 2, 3, 8, 8);
        var (y, cbcr) = ChannelSplit.YCbCr.Split(SplitSpace.YCbCr.FromRgb(rgb));

        TensorAssert.Close(SplitSpace.YCbCr.ToRgb(y, cbcr), rgb, 1e-5, "sRGB after the round trip");
    }
}
