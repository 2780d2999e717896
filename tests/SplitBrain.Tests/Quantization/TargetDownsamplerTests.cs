using SplitBrain.Quantization;
using SplitBrain.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Quantization;

public class TargetDownsamplerTests
{
    [Fact]
    public void Downsample_ConstantEightByEightBlocks_GivesTheConstants()
    {
        // [1, 2, 16, 8]: two 8 x 8 blocks per channel, constant 1, 2 (channel a) and -3, 4 (channel b).
        using var x = zeros(1, 2, 16, 8);
        x[0, 0, TensorIndex.Slice(0, 8)] = tensor(1f);
        x[0, 0, TensorIndex.Slice(8, 16)] = tensor(2f);
        x[0, 1, TensorIndex.Slice(0, 8)] = tensor(-3f);
        x[0, 1, TensorIndex.Slice(8, 16)] = tensor(4f);
        using var y = TargetDownsampler.Downsample(x);
        Assert.Equal(new long[] { 1, 2, 2, 1 }, y.shape);
        Assert.Equal(new[] { 1f, 2f, -3f, 4f }, TestTensors.Read(y));
    }

    [Fact]
    public void Downsample_DefaultFactor_Turns96Into12()
    {
        using var x = TestTensors.Uniform(-100, 100, 1, 2, 2, 96, 96);
        using var y = TargetDownsampler.Downsample(x);
        Assert.Equal(new long[] { 2, 2, 12, 12 }, y.shape);
        using var expected = x.mean(new long[] { 2, 3 });
        using var got = y.mean(new long[] { 2, 3 });
        TensorAssert.Close(got, expected, 1e-5, "the mean of block means against the mean"); // summation order only
    }

    [Fact]
    public void Downsample_BlockMean_IsTheAverageOfTheBlock()
    {
        using var x = arange(16f).view(1, 1, 4, 4);                 // 0..15 row-major
        using var y = TargetDownsampler.Downsample(x, factor: 2);
        Assert.Equal(new[] { 2.5f, 4.5f, 10.5f, 12.5f }, TestTensors.Read(y));
    }

    [Fact]
    public void Downsample_Distribution_StillSumsToOne()
    {
        using var q = Quantizer.AbGamut();
        using var ab = TestTensors.Uniform(-60, 60, 2, 1, 2, 16, 16);
        using var soft = q.SoftEncode(ab);
        using var small = TargetDownsampler.Downsample(soft);
        using var sums = small.sum(1);
        Assert.All(TestTensors.Read(sums), s => Assert.Equal(1.0, s, 1e-5));
    }

    [Fact]
    public void Downsample_HeightNotDivisible_ThrowsNamingArgumentAndShape()
    {
        using var x = zeros(1, 2, 100, 96);
        var e = Assert.Throws<ArgumentException>(() => TargetDownsampler.Downsample(x));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("[1, 2, 100, 96]", e.Message);
        Assert.Contains("factor = 8", e.Message);
    }

    [Fact]
    public void Downsample_BadRankOrFactor_Throws()
    {
        using var x = zeros(2, 96, 96);
        var e = Assert.Throws<ArgumentException>(() => TargetDownsampler.Downsample(x));
        Assert.Contains("[2, 96, 96]", e.Message);
        using var y = zeros(1, 1, 8, 8);
        Assert.Equal("factor", Assert.Throws<ArgumentOutOfRangeException>(() => TargetDownsampler.Downsample(y, 0)).ParamName);
    }

    [Fact]
    public void Downsample_LeaksNoTensors()
    {
        TensorLeaks.AssertNone(() =>
        {
            using var x = zeros(2, 2, 16, 16);
            using var y = TargetDownsampler.Downsample(x);
            using var z = TargetDownsampler.Downsample(x, 1);
        });
    }
}
