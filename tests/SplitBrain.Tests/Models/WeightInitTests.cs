using SplitBrain.Models;
using SplitBrain.Tests.Support;
using SplitBrain.Training;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Models;

[Collection(GlobalGeneratorCollection.Name)]
public class WeightInitTests
{
    private static SplitBrainNet Build(long seed, ModelConfig? config = null)
    {
        manual_seed(seed);
        return SplitBrainNet.Create(config ?? ModelConfig.Small, 1, 2, 100, 313);
    }

    private static bool Same(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
    }

    private static (double Mean, double Std) Moments(Tensor t)
    {
        using var f = t.detach().to_type(ScalarType.Float64);
        using var mean = f.mean();
        using var std = f.std();
        return (mean.item<double>(), std.item<double>());
    }

    [Fact]
    public void Create_SameSeed_IdenticalWeights()
    {
        using var a = Build(7);
        using var b = Build(7);
        var sa = a.state_dict();
        var sb = b.state_dict();
        Assert.Equal(sa.Keys, sb.Keys);
        Assert.All(sa.Keys, k => Assert.True(Same(sa[k], sb[k]), k));
    }

    [Fact]
    public void Create_OtherSeed_DifferentWeights()
    {
        using var a = Build(7);
        using var b = Build(8);
        Assert.False(Same(a.F1.Blocks[0].Conv.weight!, b.F1.Blocks[0].Conv.weight!));
        Assert.False(Same(a.F2.Prediction.weight!, b.F2.Prediction.weight!));
    }

    [Fact]
    public void Apply_ConvolutionWeights_KaimingNormalFanOut()
    {
        using var net = Build(1);
        var conv3 = net.F1.Blocks[2].Conv.weight!;   // [48, 32, 3, 3]: fan_out = 48 * 9
        var (mean, std) = Moments(conv3);
        var expected = Math.Sqrt(2.0 / (48 * 9));  // ReLU gain sqrt(2) over sqrt(fan_out)
        Assert.Equal(expected, std, expected * 0.03); // 13,824 draws: the sample std is within 0.6% (1 sigma)
        Assert.True(Math.Abs(mean) < 3 * expected / Math.Sqrt(conv3.numel()), $"mean {mean}");
    }

    [Fact]
    public void Apply_Prediction_SmallNormalAndZeroBias()
    {
        using var net = Build(2);
        var (_, std) = Moments(net.F1.Prediction.weight!);   // [313, 64, 1, 1]
        Assert.Equal(WeightInit.PredictionStd, std, WeightInit.PredictionStd * 0.03);
        Assert.All(TestTensors.Read(net.F1.Prediction.bias!), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Apply_BatchNorm_StartsAsIdentity()
    {
        using var net = Build(3);
        Assert.All(net.F2.Blocks, block =>
        {
            Assert.All(TestTensors.Read(block.Norm!.weight!), v => Assert.Equal(1f, v));
            Assert.All(TestTensors.Read(block.Norm!.bias!), v => Assert.Equal(0f, v));
        });
    }

    [Fact]
    public void Apply_WithoutBatchNorm_ConvolutionBiasesAreZero()
    {
        using var net = Build(4, ModelConfig.Small with { BatchNorm = false });
        Assert.All(net.F1.Blocks, block => Assert.All(TestTensors.Read(block.Conv.bias!), v => Assert.Equal(0f, v)));
    }

    [Fact]
    public void Apply_FreshNetwork_FirstLossIsAboutLogQ()
    {
        using var net = Build(5);
        using var scope = NewDisposeScope();
        var l = TestTensors.Normal(1, 11, 2, 1, 32, 32);
        var ab = TestTensors.Normal(1, 12, 2, 2, 32, 32);
        var abTarget = randint(0, 313, [2, 4, 4], generator: new Generator(13));
        var lTarget = randint(0, 100, [2, 4, 4], generator: new Generator(14));
        var losses = SplitBrainLoss.Compute(net.call(l, ab), abTarget, lTarget);
        var (f1, f2, _) = losses.ReadValues();
        // Logits of std about 0.01 * sqrt(64 * 0.5) = 0.06 add about var / 2 = 0.002 to log Q.
        Assert.Equal(Math.Log(313), f1, 0.05);
        Assert.Equal(Math.Log(100), f2, 0.05);
    }
}
