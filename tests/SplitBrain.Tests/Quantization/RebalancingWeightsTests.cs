using SplitBrain.Quantization;
using SplitBrain.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Quantization;

public class RebalancingWeightsTests
{
    // Reference weights below were computed with numpy from eq. 4 of Zhang 2016 and the released PriorFactor's
    // normalisation: w = mix^-alpha / sum(p * mix^-alpha), mix = (1 - lambda) p + lambda / Q.

    private static Tensor Prior(params float[] p) => tensor(p);

    [Fact]
    public void FromPrior_HandComputedPrior_MatchesReferenceWeights()
    {
        using var prior = Prior(0.5f, 0.3f, 0.2f);
        using var w = RebalancingWeights.FromPrior(prior);
        var got = TestTensors.Read(w.Weights);
        Assert.Equal(0.828337875, got[0], 1e-6);
        Assert.Equal(1.089918256, got[1], 1e-6);
        Assert.Equal(1.294277929, got[2], 1e-6);
        Assert.Equal((3, 0.5, 1.0), (w.Bins, w.Lambda, w.Alpha));
    }

    [Fact]
    public void FromPrior_AlphaHalf_MatchesReferenceWeights()
    {
        using var prior = Prior(0.5f, 0.3f, 0.2f);
        using var w = RebalancingWeights.FromPrior(prior, alpha: 0.5);
        var got = TestTensors.Read(w.Weights);
        AssertClose.Elementwise([0.913973521, 1.048399530, 1.142466901], got, 1e-6);
    }

    [Fact]
    public void FromPrior_RandomPrior_MeanWeightUnderThePriorIsOne()
    {
        using var counts = TestTensors.Uniform(0, 1, 3, 313);
        using var squared = counts.square();                          // skewed, like real colour statistics
        using var prior = squared / squared.sum();
        using var w = RebalancingWeights.FromPrior(prior);
        using var mean = (prior * w.Weights).sum();
        Assert.Equal(1.0, mean.item<float>(), 1e-5);
    }

    [Fact]
    public void FromPrior_UnnormalisedCounts_SameAsNormalisedPrior()
    {
        using var counts = Prior(50f, 30f, 20f);
        using var prior = Prior(0.5f, 0.3f, 0.2f);
        using var fromCounts = RebalancingWeights.FromPrior(counts);
        using var fromPrior = RebalancingWeights.FromPrior(prior);
        TensorAssert.Close(fromCounts.Weights, fromPrior.Weights, 1e-6, "weights"); // only the normalisation rounds differently
    }

    [Fact]
    public void FromPrior_UniformPrior_AllWeightsAreOne()
    {
        using var prior = full(313, 1f / 313);
        using var w = RebalancingWeights.FromPrior(prior);
        Assert.All(TestTensors.Read(w.Weights), v => Assert.Equal(1.0, v, 1e-5));
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(0.5, 0.0)]
    public void FromPrior_LambdaOneOrAlphaZero_AllWeightsAreOne(double lambda, double alpha)
    {
        using var prior = Prior(0.7f, 0.2f, 0.1f, 0f);
        using var w = RebalancingWeights.FromPrior(prior, lambda, alpha);
        Assert.All(TestTensors.Read(w.Weights), v => Assert.Equal(1.0, v, 1e-6));
    }

    [Fact]
    public void FromPrior_RarerBins_GetLargerWeights()
    {
        using var prior = Prior(0.4f, 0.25f, 0.2f, 0.1f, 0.05f, 0f);
        using var w = RebalancingWeights.FromPrior(prior);
        var got = TestTensors.Read(w.Weights);
        for (var i = 1; i < got.Length; i++)
            Assert.True(got[i] > got[i - 1], $"weights not increasing as the prior decreases: {string.Join(", ", got)}");
    }

    [Fact]
    public void FromPrior_UnseenBins_GetTheLargestFiniteWeight()
    {
        using var prior = Prior(0.6f, 0.4f, 0f, 0f);
        using var w = RebalancingWeights.FromPrior(prior);
        AssertClose.Elementwise([0.890410959, 1.164383562, 3.027397260, 3.027397260], TestTensors.Read(w.Weights), 1e-6);
    }

    [Fact]
    public void FromPrior_UnseenBinsWithLambdaZero_Throws()
    {
        using var prior = Prior(0.6f, 0.4f, 0f);
        var e = Assert.Throws<ArgumentException>(() => RebalancingWeights.FromPrior(prior, lambda: 0));
        Assert.Equal("prior", e.ParamName);
        Assert.Contains("infinite", e.Message);
    }

    [Fact]
    public void FromPrior_BadArguments_ThrowNamingThem()
    {
        using var matrix = zeros(2, 313);
        var e = Assert.Throws<ArgumentException>(() => RebalancingWeights.FromPrior(matrix));
        Assert.Equal("prior", e.ParamName);
        Assert.Contains("[2, 313]", e.Message);
        using var negative = Prior(0.5f, -0.1f, 0.6f);
        Assert.Contains("min -0.1", Assert.Throws<ArgumentException>(() => RebalancingWeights.FromPrior(negative)).Message);
        using var empty = zeros(313);
        Assert.Equal("prior", Assert.Throws<ArgumentException>(() => RebalancingWeights.FromPrior(empty)).ParamName);
        using var prior = Prior(0.5f, 0.5f);
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => RebalancingWeights.FromPrior(prior, lambda: 1.5)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => RebalancingWeights.FromPrior(prior, alpha: -1)).ParamName);
    }

    [Fact]
    public void ForIndices_EachPosition_GetsItsBinsWeight()
    {
        using var prior = Prior(0.5f, 0.3f, 0.2f);
        using var w = RebalancingWeights.FromPrior(prior);
        using var indices = tensor(new long[] { 0, 1, 2, 2, 1, 0 }).view(1, 2, 3);
        using var perPixel = w.ForIndices(indices);
        Assert.Equal(new long[] { 1, 2, 3 }, perPixel.shape);
        var expected = new[] { 0.828337875, 1.089918256, 1.294277929, 1.294277929, 1.089918256, 0.828337875 };
        AssertClose.Elementwise(expected, TestTensors.Read(perPixel), 1e-6);
    }

    [Fact]
    public void ForDistributions_SoftTargets_UseTheArgmaxBin()
    {
        using var q = Quantizer.AbGamut();
        using var counts = TestTensors.Uniform(0.1, 1, 4, 313);
        using var w = RebalancingWeights.FromPrior(counts);
        using var ab = TestTensors.Uniform(-80, 80, 5, 2, 2, 3, 3);
        using var soft = q.SoftEncode(ab);
        using var hard = q.HardEncode(ab);
        using var fromSoft = w.ForDistributions(soft);
        using var fromHard = w.ForIndices(hard);
        Assert.Equal(new long[] { 2, 3, 3 }, fromSoft.shape);
        Assert.Equal(TestTensors.Read(fromHard), TestTensors.Read(fromSoft));
    }

    [Fact]
    public void ForIndicesAndForDistributions_BadShapes_ThrowNamingArgumentAndShape()
    {
        using var prior = full(313, 1f / 313);
        using var w = RebalancingWeights.FromPrior(prior);
        using var floats = zeros(1, 12, 12);
        var e = Assert.Throws<ArgumentException>(() => w.ForIndices(floats));
        Assert.Equal("indices", e.ParamName);
        Assert.Contains("[1, 12, 12] Float32", e.Message);
        using var lBins = zeros(1, 100, 12, 12);
        e = Assert.Throws<ArgumentException>(() => w.ForDistributions(lBins));
        Assert.Equal("distributions", e.ParamName);
        Assert.Contains("[1, 100, 12, 12]", e.Message);
    }

    [Fact]
    public void FromPriorAndLookups_LeakNoTensors()
    {
        TensorLeaks.AssertNone(() =>
        {
            using var prior = TestTensors.Uniform(0, 1, 6, 313);
            using var w = RebalancingWeights.FromPrior(prior);
            w.To(CPU);
            using var indices = zeros(2, 3, 3, ScalarType.Int64);
            using var soft = zeros(2, 313, 3, 3);
            using var a = w.ForIndices(indices);
            using var b = w.ForDistributions(soft);
        });
    }

    [Fact]
    public void FromPrior_InsideADisposeScope_WeightsOutliveTheScope()
    {
        RebalancingWeights w;
        using (NewDisposeScope())
        {
            var prior = Prior(0.5f, 0.5f);
            w = RebalancingWeights.FromPrior(prior);
        }
        using (w)
            Assert.Equal(new[] { 1f, 1f }, TestTensors.Read(w.Weights));
        Assert.Throws<ObjectDisposedException>(() => w.Weights);
    }
}
