using SplitBrain.Color;
using SplitBrain.Quantization;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Quantization;

public sealed class SplitQuantizersTests
{
    [Fact]
    public void First_YCbCr_HundredUniformBinsOverZeroToOne()
    {
        using var scope = NewDisposeScope();
        using var quantizer = SplitQuantizers.First(SplitSpace.YCbCr, 100);

        Assert.Equal(("Y100", 100, 1), (quantizer.Name, quantizer.Bins, quantizer.Channels));
        Assert.Equal(0.01, quantizer.Spacing, 1e-12);
        var expected = (arange(100, ScalarType.Float32) + 0.5f) / 100;
        TensorAssert.Close(quantizer.Centers.flatten(), expected, 1e-6, "Y bin centres");
        var y = tensor(new[] { 0f, 0.004f, 0.0101f, 0.503f, 0.999f, 1f }).reshape(1, 1, 1, 6);
        Assert.Equal([0L, 0, 1, 50, 99, 99], quantizer.HardEncode(y).flatten().data<long>().ToArray());
    }

    [Fact]
    public void First_Lab_IsTheLightnessQuantizer()
    {
        using var quantizer = SplitQuantizers.First(SplitSpace.Lab, 100);
        using var lightness = Quantizer.Lightness();

        Assert.Equal(lightness.Name, quantizer.Name);
        TensorAssert.Close(quantizer.Centers, lightness.Centers, 0, "L bin centres");
    }

    [Fact]
    public void Second_Lab_IsThe313AbBins()
    {
        using var quantizer = SplitQuantizers.Second(SplitSpace.Lab);
        using var gamut = Quantizer.AbGamut();

        Assert.Equal(gamut.Name, quantizer.Name);
        TensorAssert.Close(quantizer.Centers, gamut.Centers, 0, "ab bin centres");
    }

    [Fact]
    public void Second_YCbCr_TheGamutGridWithItsSpacing_SearchedOnTheGrid()
    {
        using var quantizer = SplitQuantizers.Second(SplitSpace.YCbCr);

        Assert.Equal($"CbCr{GamutGrid.Bins(SplitSpace.YCbCr)}", quantizer.Name);
        Assert.Equal((GamutGrid.Bins(SplitSpace.YCbCr), 2, 0.05), (quantizer.Bins, quantizer.Channels, quantizer.Spacing));
        Assert.True(quantizer.HasGrid);
        Assert.Equal(0.025, quantizer.DefaultSoftEncoding.Sigma, 1e-12); // half a bin, as ab's sigma 5 of 10
    }
}
