using SplitBrain.Quantization;
using SplitBrain.Tests.Support;
using SplitBrain.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Training;

public class SplitBrainLossTests
{
    private static Tensor Logits(ulong seed, long n = 2, long q = 7, long h = 3, long w = 4) => TestTensors.Normal(2, seed, n, q, h, w);

    private static Tensor HardTarget(ulong seed, long q = 7, long n = 2, long h = 3, long w = 4)
    {
        using var generator = new Generator(seed);
        return randint(0, q, [n, h, w], generator: generator);
    }

    private static double Value(Tensor scalar) => scalar.to_type(ScalarType.Float64).item<double>();

    [Fact]
    public void CrossEntropy_OnePosition_MatchesHandComputedValue()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 1, 2, 3 }).view(1, 3, 1, 1);
        var target = tensor(new long[] { 2 }).view(1, 1, 1);
        // -log(e^3 / (e^1 + e^2 + e^3)) = log(1 + e^-1 + e^-2) = 0.4076059644
        Assert.Equal(0.4076059644, Value(SplitBrainLoss.CrossEntropy(logits, target)), 1e-6);
    }

    [Fact]
    public void CrossEntropy_SoftOneHot_EqualsHardTarget()
    {
        using var scope = NewDisposeScope();
        var logits = Logits(1);
        var target = HardTarget(2);
        var oneHot = nn.functional.one_hot(target, 7).permute(0, 3, 1, 2).to_type(ScalarType.Float32); // [N, Q, h, w]
        Assert.Equal(Value(SplitBrainLoss.CrossEntropy(logits, target)), Value(SplitBrainLoss.CrossEntropy(logits, oneHot)), 1e-5);
        TensorAssert.Close(SplitBrainLoss.CrossEntropyMap(logits, oneHot), SplitBrainLoss.CrossEntropyMap(logits, target), 1e-5, "cross-entropy map");
    }

    [Theory]
    [InlineData(313)]
    [InlineData(100)]
    public void CrossEntropy_UniformLogits_IsLogQForAnyTarget(int q)
    {
        using var scope = NewDisposeScope();
        var logits = full(new long[] { 2, q, 3, 4 }, 0.25f);
        Assert.Equal(Math.Log(q), Value(SplitBrainLoss.CrossEntropy(logits, HardTarget(3, q))), 1e-5);
        var soft = TestTensors.Uniform(0, 1, 4, 2, q, 3, 4).softmax(1); // any distribution: sum_q t_q log(1 / Q) = -log Q
        Assert.Equal(Math.Log(q), Value(SplitBrainLoss.CrossEntropy(logits, soft)), 1e-5);
    }

    [Fact]
    public void CrossEntropy_WeightsOfOne_EqualUnweighted()
    {
        using var scope = NewDisposeScope();
        var logits = Logits(5);
        var target = HardTarget(6);
        Assert.Equal(Value(SplitBrainLoss.CrossEntropy(logits, target)),
            Value(SplitBrainLoss.CrossEntropy(logits, target, ones(2, 3, 4))), 1e-6);
    }

    [Fact]
    public void CrossEntropy_Weighted_IsSumOfWeightedLossesOverPositionCount()
    {
        using var scope = NewDisposeScope();
        var logits = Logits(7);
        var target = HardTarget(8);
        var weights = TestTensors.Uniform(0, 3, 9, 2, 3, 4);
        var map = TestTensors.Read(SplitBrainLoss.CrossEntropyMap(logits, target));
        var w = TestTensors.Read(weights);
        var expected = map.Zip(w, (c, k) => (double)c * k).Sum() / (2 * 3 * 4); // not divided by sum(w)
        Assert.Equal(expected, Value(SplitBrainLoss.CrossEntropy(logits, target, weights)), 1e-5);
    }

    [Fact]
    public void CrossEntropy_RebalancingWeightsForIndices_Accepted()
    {
        using var scope = NewDisposeScope();
        using var rebalancing = RebalancingWeights.FromPrior(tensor(new float[] { 0.4f, 0.2f, 0.1f, 0.1f, 0.1f, 0.05f, 0.05f }));
        var logits = Logits(10);
        var target = HardTarget(11);
        var loss = SplitBrainLoss.CrossEntropy(logits, target, rebalancing.ForIndices(target));
        Assert.True(double.IsFinite(Value(loss)) && Value(loss) > 0);
    }

    [Fact]
    public void Compute_ReturnsBothHalvesAndTheirSum()
    {
        using var scope = NewDisposeScope();
        var f1 = Logits(12, q: 313);
        var f2 = Logits(13, q: 100);
        var abTarget = HardTarget(14, 313);
        var lTarget = HardTarget(15, 100);
        using var losses = SplitBrainLoss.Compute((f1, f2), abTarget, lTarget);
        var (a, b, total) = losses.ReadValues();
        Assert.Equal(Value(SplitBrainLoss.CrossEntropy(f1, abTarget)), a, 1e-6);
        Assert.Equal(Value(SplitBrainLoss.CrossEntropy(f2, lTarget)), b, 1e-6);
        Assert.Equal(a + b, total, 1e-5);
    }

    [Fact]
    public void Compute_Backward_GivesSoftmaxMinusOneHotOverPositions()
    {
        using var scope = NewDisposeScope();
        var f1 = tensor(new float[] { 1, 2, 3 }).view(1, 3, 1, 1).requires_grad_();
        var f2 = zeros(1, 2, 1, 1).requires_grad_();
        using var losses = SplitBrainLoss.Compute((f1, f2), tensor(new long[] { 0 }).view(1, 1, 1), tensor(new long[] { 1 }).view(1, 1, 1));
        losses.Total.backward();
        var p = TestTensors.Read(f1.softmax(1));
        AssertClose.Elementwise([p[0] - 1.0, p[1], p[2]], TestTensors.Read(f1.grad!), 1e-6);
        AssertClose.Elementwise([0.5, -0.5], TestTensors.Read(f2.grad!), 1e-6);
    }

    [Fact]
    public void PixelAccuracy_KnownArgmax_FractionOfMatches()
    {
        using var scope = NewDisposeScope();
        // Four positions (N = 1, 2 x 2) over Q = 3 bins; argmax per position: 0, 1, 2, 2.
        var logits = tensor(new float[]
        {
            5, 0, 0, 0,   // bin 0
            0, 5, 0, 1,   // bin 1
            0, 0, 5, 2,   // bin 2
        }).view(1, 3, 2, 2);
        var target = tensor(new long[] { 0, 1, 1, 1 }).view(1, 2, 2); // right, right, wrong, wrong
        Assert.Equal(0.5, Value(SplitBrainLoss.PixelAccuracy(logits, target)), 1e-7);
        var soft = nn.functional.one_hot(target, 3).permute(0, 3, 1, 2).to_type(ScalarType.Float32) * 0.8 + 0.2 / 3;
        Assert.Equal(0.5, Value(SplitBrainLoss.PixelAccuracy(logits, soft)), 1e-7);
    }

    [Fact]
    public void CrossEntropy_BinCountMismatch_ThrowsNamingBothShapes()
    {
        using var scope = NewDisposeScope();
        var logits = Logits(16, q: 313);
        var soft = zeros(2, 100, 3, 4);
        var e = Assert.Throws<ArgumentException>(() => SplitBrainLoss.CrossEntropy(logits, soft));
        Assert.Equal("target", e.ParamName);
        Assert.Contains("[2, 100, 3, 4]", e.Message);
        Assert.Contains("[2, 313, 3, 4]", e.Message);
    }

    [Fact]
    public void CrossEntropy_HardTargetOfOtherSize_ThrowsNamingBothShapes()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => SplitBrainLoss.CrossEntropy(Logits(17), HardTarget(18, h: 6, w: 8)));
        Assert.Equal("target", e.ParamName);
        Assert.Contains("[2, 6, 8] Int64", e.Message);
        Assert.Contains("[2, 7, 3, 4] Float32", e.Message);
    }

    [Fact]
    public void CrossEntropy_FloatIndices_ThrowsNamingTarget()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => SplitBrainLoss.CrossEntropy(Logits(19), zeros(2, 3, 4)));
        Assert.Equal("target", e.ParamName);
        Assert.Contains("int64", e.Message);
    }

    [Fact]
    public void CrossEntropy_WeightsOfOtherShape_ThrowsNamingWeights()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => SplitBrainLoss.CrossEntropy(Logits(20), HardTarget(21), ones(2, 4, 3)));
        Assert.Equal("weights", e.ParamName);
        Assert.Contains("[2, 4, 3]", e.Message);
    }

    [Fact]
    public void CrossEntropy_LogitsOfRank3_ThrowsNamingLogits()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => SplitBrainLoss.CrossEntropy(zeros(7, 3, 4), HardTarget(22)));
        Assert.Equal("logits", e.ParamName);
    }

    [Fact]
    public void Compute_InsideDisposeScope_LeavesNoLiveTensors()
    {
        using var f1 = Logits(23, q: 313);
        using var f2 = Logits(24, q: 100);
        using var abTarget = HardTarget(25, 313);
        using var lTarget = HardTarget(26, 100);
        TensorLeaks.AssertNone(() =>
        {
            using var losses = SplitBrainLoss.Compute((f1, f2), abTarget, lTarget);
            _ = losses.ReadValues();
            using var accuracy = SplitBrainLoss.PixelAccuracy(f1, abTarget);
        });
    }
}
