using SplitBrain.Color;
using SplitBrain.Quantization;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Quantization;

public sealed class GamutGridTests
{
    // Measured once with these tests: the CbCr cells of 0.05 that the 256^3 8-bit colors reach.
    private const int YCbCrBins = 327;

    [Fact]
    public void Bins_Lab_IsThePapers313()
    {
        Assert.Equal(QuantizationDefaults.AbBins, GamutGrid.Bins(SplitSpace.Lab));
        Assert.Same(AbGamutTable.Interleaved, GamutGrid.Centers(SplitSpace.Lab));
    }

    [Fact]
    public void Bins_YCbCr_IsTheMeasuredCount()
    {
        Assert.Equal(YCbCrBins, GamutGrid.Bins(SplitSpace.YCbCr));
    }

    [Fact]
    public void Bins_Rgb_IsTheWholeGrid()
    {
        Assert.Equal(21 * 21, GamutGrid.Bins(SplitSpace.Rgb)); // GB over 0..1 in steps of 0.05: every cell is reached
    }

    [Fact]
    public void Centers_YCbCr_AreMultiplesOfTheSpacingWithinTheRange_InRowMajorOrder()
    {
        var centers = GamutGrid.Centers(SplitSpace.YCbCr);
        var cells = centers.Select(c => c / SplitSpace.YCbCr.SecondSpacing).ToArray();

        Assert.All(cells, k => Assert.True(Math.Abs(k - Math.Round(k)) < 1e-4, $"{k} is not on the grid"));
        Assert.All(centers, c => Assert.InRange(c, -0.5f, 0.5f));
        var pairs = Enumerable.Range(0, centers.Length / 2).Select(q => (Math.Round(cells[2 * q]), Math.Round(cells[2 * q + 1]))).ToList();
        Assert.Equal(pairs.Order().ToList(), pairs);
        Assert.Equal(pairs.Count, pairs.Distinct().Count());
    }

    [Fact]
    public void Centers_YCbCr_EveryBinIsTheNearestOfSomeEightBitColor()
    {
        using var scope = NewDisposeScope();
        using var quantizer = SplitQuantizers.Second(SplitSpace.YCbCr);
        using var faces = GamutGrid.FacesThroughBlack();                                   // [3, 3, 256, 256]: every 8-bit CbCr
        var cbcr = ColorSpaces.YCbCr.FromRgb(faces).narrow(1, 1, 2);                         // [3, 2, 256, 256]
        var hits = quantizer.HardEncode(cbcr).flatten().bincount(null, quantizer.Bins);
        var unreached = hits.eq(0).nonzero().flatten().data<long>().ToArray();
        Assert.True(unreached.Length == 0, $"bins no 8-bit color falls into: {string.Join(", ", unreached)}");
    }

    [Fact]
    public void FacesThroughBlack_HoldTheCbCrOfEveryEightBitColor()
    {
        using var scope = NewDisposeScope();
        using var faces = GamutGrid.FacesThroughBlack();
        var rgb = TestTensors.Uniform(0, 255, 4, 1, 3, 16, 16).round().to_type(ScalarType.Byte); // any 8-bit colors
        var onFace = rgb - rgb.amin([1], keepdim: true);                                          // the smallest channel to 0

        Assert.Equal([3L, 3, 256, 256], faces.shape);
        Assert.Equal(3 * 65_536, faces.eq(0).sum([1]).gt(0).sum().item<long>());                  // a channel at 0 everywhere
        TensorAssert.Close(ColorSpaces.YCbCr.FromRgb(onFace).narrow(1, 1, 2), ColorSpaces.YCbCr.FromRgb(rgb).narrow(1, 1, 2),
            1e-5, "CbCr of the color moved onto a face");
    }

    [Fact]
    public void Centers_YCbCr_RoundTripThroughTheQuantizer()
    {
        using var scope = NewDisposeScope();
        using var quantizer = SplitQuantizers.Second(SplitSpace.YCbCr);
        var centers = quantizer.Centers.t().reshape(1, 2, quantizer.Bins, 1);                 // [1, 2, Q, 1]

        var indices = quantizer.HardEncode(centers);                                         // [1, Q, 1]
        var decoded = quantizer.DecodeIndices(indices);

        Assert.Equal(Enumerable.Range(0, quantizer.Bins).Select(q => (long)q), indices.flatten().data<long>().ToArray());
        TensorAssert.Close(decoded, centers, 1e-6, "decoded bin centres");
    }
}
