using SplitBrain.Quantization;
using SplitBrain.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Quantization;

public class PriorAccumulatorTests
{
    [Fact]
    public void Add_HardIndices_CountsEachBin()
    {
        using var q = Quantizer.Uniform(4, 0, 4);
        using var acc = new PriorAccumulator(q);
        using var indices = tensor(new long[] { 0, 1, 1, 2, 1, 0 }).view(1, 2, 3);
        acc.Add(indices);
        Assert.Equal(new[] { 2.0, 3.0, 1.0, 0.0 }, acc.Counts.data<double>().ToArray());
        Assert.Equal(6, acc.Positions);
        using var prior = acc.Prior();
        Assert.Equal(new[] { 2f / 6, 3f / 6, 1f / 6, 0f }, TestTensors.Read(prior));
    }

    [Fact]
    public void Add_SeveralBatches_Accumulates()
    {
        using var q = Quantizer.Uniform(3, 0, 3);
        using var acc = new PriorAccumulator(q);
        using var first = tensor(new long[] { 0, 0, 1, 1 }).view(1, 2, 2);
        using var second = tensor(new long[] { 2, 2, 2, 2, 2, 2, 2, 2 }).view(2, 2, 2);
        acc.Add(first);
        acc.Add(second);
        Assert.Equal(new[] { 2.0, 2.0, 8.0 }, acc.Counts.data<double>().ToArray());
        Assert.Equal(12, acc.Positions);
    }

    [Fact]
    public void Add_SoftDistributions_AddOneUnitOfMassPerPosition()
    {
        using var q = Quantizer.AbGamut();
        using var ab = TestTensors.Uniform(-20, 20, 1, 4, 2, 6, 6);
        using var soft = q.SoftEncode(ab);
        using var acc = new PriorAccumulator(q);
        acc.Add(soft);
        Assert.Equal(4 * 6 * 6, acc.Positions);
        using var total = acc.Counts.sum();
        Assert.Equal(144.0, total.item<double>(), 1e-3);
        using var hard = q.HardEncode(ab);
        using var hardAcc = new PriorAccumulator(q);
        hardAcc.Add(hard);
        Assert.True(acc.Counts.data<double>().Count(c => c > 0) > hardAcc.Counts.data<double>().Count(c => c > 0),
            "soft targets should reach more bins than hard ones (their K - 1 neighbours)");
        using var prior = acc.Prior();
        using var sum = prior.sum();
        Assert.Equal(1.0, sum.item<float>(), 1e-5);
    }

    [Fact]
    public void Add_OneHotDistributions_EqualsHardCounts()
    {
        using var q = Quantizer.AbGamut();
        using var ab = TestTensors.Uniform(-60, 60, 2, 2, 2, 4, 4);
        using var hard = q.HardEncode(ab);
        using var oneHot = q.SoftEncode(ab, new SoftEncoding(K: 1));
        using var a = new PriorAccumulator(q);
        using var b = new PriorAccumulator(q);
        a.Add(hard);
        b.Add(oneHot);
        Assert.Equal(a.Counts.data<double>().ToArray(), b.Counts.data<double>().ToArray());
    }

    [Fact]
    public void SmoothedPrior_AllMassOnOneAbBin_IsAGaussianOverItsNeighbours()
    {
        // Bin 120 is (0, 0); bins 139 and 121 are (10, 0) and (0, 10); 140 is (10, 10). sigma = 5:
        // ratios exp(-100 / 50) = e^-2 and exp(-200 / 50) = e^-4 to the centre.
        using var q = Quantizer.AbGamut();
        using var acc = new PriorAccumulator(q);
        using var indices = full(1, 1, 1, 120L);
        acc.Add(indices);
        using var smoothed = acc.SmoothedPrior();
        var p = TestTensors.Read(smoothed);
        Assert.Equal(1.0, p.Sum(), 1e-5);
        Assert.Equal(Math.Exp(-2), p[139] / p[120], 1e-5);
        Assert.Equal(Math.Exp(-2), p[121] / p[120], 1e-5);
        Assert.Equal(Math.Exp(-4), p[140] / p[120], 1e-5);
        Assert.Equal(120, Array.IndexOf(p, p.Max()));
    }

    [Fact]
    public void SmoothedPrior_Lightness_DefaultsToHalfABinWidth()
    {
        using var q = Quantizer.Lightness();
        using var acc = new PriorAccumulator(q);
        using var indices = full(1, 1, 1, 50L);
        acc.Add(indices);
        using var smoothed = acc.SmoothedPrior();
        var p = TestTensors.Read(smoothed);
        Assert.Equal(Math.Exp(-2), p[51] / p[50], 1e-5);             // d = 1, sigma = 0.5
        Assert.Equal(Math.Exp(-2), p[49] / p[50], 1e-5);
        using var wider = acc.SmoothedPrior(sigma: 2);
        var pw = TestTensors.Read(wider);
        Assert.Equal(Math.Exp(-1.0 / 8), pw[51] / pw[50], 1e-5);    // d = 1, sigma = 2
    }

    [Fact]
    public void Prior_BeforeAnyAdd_Throws()
    {
        using var q = Quantizer.Lightness();
        using var acc = new PriorAccumulator(q);
        Assert.Throws<InvalidOperationException>(() => acc.Prior());
        Assert.Throws<InvalidOperationException>(() => acc.SmoothedPrior());
    }

    [Fact]
    public void Reset_AfterAdd_StartsOver()
    {
        using var q = Quantizer.Uniform(2, 0, 1);
        using var acc = new PriorAccumulator(q);
        using var indices = zeros(1, 2, 2, ScalarType.Int64);
        acc.Add(indices);
        acc.Reset();
        Assert.Equal(0, acc.Positions);
        Assert.Equal(new[] { 0.0, 0.0 }, acc.Counts.data<double>().ToArray());
        Assert.Throws<InvalidOperationException>(() => acc.Prior());
    }

    [Fact]
    public void Add_BadTargets_ThrowNamingArgumentAndShape()
    {
        using var q = Quantizer.AbGamut();
        using var acc = new PriorAccumulator(q);
        using var lab = zeros(2, 3, 12, 12);
        var e = Assert.Throws<ArgumentException>(() => acc.Add(lab));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("[2, 3, 12, 12] Float32", e.Message);
        Assert.Contains("[N, 313, H, W]", e.Message);
        using var floatIndices = zeros(2, 12, 12);
        Assert.Contains("[2, 12, 12] Float32", Assert.Throws<ArgumentException>(() => acc.Add(floatIndices)).Message);
        using var tooLarge = full(1, 2, 2, 313L);
        Assert.Contains("0..312", Assert.Throws<ArgumentException>(() => acc.Add(tooLarge)).Message);
        using var negative = full(1, 2, 2, -1L);
        Assert.Contains("-1..-1", Assert.Throws<ArgumentException>(() => acc.Add(negative)).Message);
        Assert.Equal(0, acc.Positions);
    }

    [Fact]
    public void AccumulateAndSmooth_LeakNoTensors()
    {
        TensorLeaks.AssertNone(() =>
        {
            using var q = Quantizer.AbGamut();
            using var acc = new PriorAccumulator(q);
            using var ab = TestTensors.Uniform(-50, 50, 3, 2, 2, 4, 4);
            using var hard = q.HardEncode(ab);
            using var soft = q.SoftEncode(ab);
            acc.Add(hard);
            acc.Add(soft);
            using var prior = acc.Prior();
            using var smoothed = acc.SmoothedPrior();
            using var w = RebalancingWeights.FromPrior(smoothed);
        });
    }

    [Fact]
    public void Accumulator_OutlivesItsQuantizer()
    {
        PriorAccumulator acc;
        using (var q = Quantizer.AbGamut())
            acc = new PriorAccumulator(q);
        using (acc)
        {
            using var indices = full(1, 1, 1, 120L);
            acc.Add(indices);
            using var smoothed = acc.SmoothedPrior();
            Assert.Equal(313, smoothed.shape[0]);
        }
    }
}
