using SplitBrain.Models;
using SplitBrain.Quantization;
using SplitBrain.Tests.Support;
using SplitBrain.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Models;

public class SplitBrainNetTests
{
    private static SplitBrainNet Small(bool batchNorm = true) =>
        SplitBrainNet.Create(ModelConfig.Small with { BatchNorm = batchNorm }, 1, 2, 100, 313);

    /// <summary>An L, ab input pair and hard targets for a side x side image (targets side / 8).</summary>
    private static (Tensor L, Tensor Ab, Tensor AbTarget, Tensor LTarget) Batch(int n, int side, ulong seed)
    {
        using var generator = new Generator(seed + 100);
        return (TestTensors.Normal(1, seed, n, 1, side, side), TestTensors.Normal(1, seed + 1, n, 2, side, side),
            randint(0, 313, [n, side / 8, side / 8], generator: generator),
            randint(0, 100, [n, side / 8, side / 8], generator: generator));
    }

    [Theory]
    [InlineData(false, 2)] // the one forward pass at the default widths
    [InlineData(true, 3)]
    public void Forward_96x96_AbLogits313AndLLogits100At12x12(bool small, int n)
    {
        using var net = SplitBrainNet.Create(small ? ModelConfig.Small : ModelConfig.Default, 1, 2, 100, 313);
        using var l = TestTensors.Normal(1, 1, n, 1, 96, 96);
        using var ab = TestTensors.Normal(1, 2, n, 2, 96, 96);
        var (f1, f2) = net.call(l, ab);
        using (f1)
        using (f2)
        {
            Assert.Equal([n, 313, 12, 12], f1.shape);
            Assert.Equal([n, 100, 12, 12], f2.shape);
        }
    }

    [Fact]
    public void Create_FromQuantizers_TakesChannelsAndBinsFromThem()
    {
        using var lightness = Quantizer.Lightness();
        using var gamut = Quantizer.AbGamut();
        using var net = SplitBrainNet.Create(ModelConfig.Small, lightness, gamut);
        Assert.Equal((1, 313), (net.F1.InChannels, net.F1.Bins));
        Assert.Equal((2, 100), (net.F2.InChannels, net.F2.Bins));
    }

    [Fact]
    public void ParameterCount_DefaultConfig_MatchesHandComputedFormula()
    {
        // A block with BatchNorm: a convolution without bias (cin * cout * k^2) plus BatchNorm's scale and shift (2 cout);
        // the prediction: a 1x1 convolution with bias (512 * Q + Q).
        static long Block(long cin, long cout, long k) => cin * cout * k * k + 2 * cout;
        static long Half(long cin, long bins) =>
            Block(cin, 48, 11) + Block(48, 128, 5) + Block(128, 192, 3) + Block(192, 192, 3) + Block(192, 128, 3) +
            Block(128, 512, 1) + Block(512, 512, 1) + 512 * bins + bins;
        // F1 (L -> ab):  5,904 + 153,856 + 221,568 + 332,160 + 221,440 + 66,560 + 263,168 + 160,569 = 1,425,225
        // F2 (ab -> L): 11,712 + 153,856 + 221,568 + 332,160 + 221,440 + 66,560 + 263,168 +  51,300 = 1,321,764
        Assert.Equal(1_425_225, Half(1, 313));
        Assert.Equal(1_321_764, Half(2, 100));

        using var net = SplitBrainNet.Create(ModelConfig.Default, 1, 2, 100, 313);
        Assert.Equal(Half(1, 313), ModelSummary.CountParameters(net.F1));
        Assert.Equal(Half(2, 100), ModelSummary.CountParameters(net.F2));
        Assert.Equal(2_746_989, ModelSummary.CountParameters(net));
    }

    [Fact]
    public void Children_AreF1ThenF2()
    {
        using var net = Small();
        Assert.Equal(["f1", "f2"], net.named_children().Select(c => c.name));
        Assert.Equal(("F1", "F2"), (net.F1.Name, net.F2.Name));
    }

    [Theory]
    [InlineData(true, 2 * (7 * 6 + 2))]   // per half: 7 blocks x (conv.weight + 5 BatchNorm entries) + pred weight, bias
    [InlineData(false, 2 * (7 * 2 + 2))]  // per half: 7 blocks x conv weight, bias + pred weight, bias
    public void StateDict_KeysArePrefixedByHalf(bool batchNorm, int count)
    {
        using var net = Small(batchNorm);
        var keys = net.state_dict().Keys.ToList();
        Assert.Equal(count, keys.Count);
        Assert.Equal(count / 2, keys.Count(k => k.StartsWith("f1.", StringComparison.Ordinal)));
        Assert.Equal(count / 2, keys.Count(k => k.StartsWith("f2.", StringComparison.Ordinal)));
        Assert.Contains("f1.conv1.conv.weight", keys);
        Assert.Contains("f2.pred.bias", keys);
        Assert.Equal(batchNorm, keys.Contains("f2.fc7.bn.running_var"));
    }

    [Theory]
    [InlineData(FeatureLayer.Conv1, 32, 12)]  // 16 + 16 channels, 96 / 4 = 24 -> 12 for a 48 x 48 input
    [InlineData(FeatureLayer.Conv3, 96, 6)]
    [InlineData(FeatureLayer.Fc7, 128, 6)]
    public void Features_ConcatenatesBothHalvesAlongChannels(FeatureLayer layer, int channels, int side)
    {
        using var net = Small();
        net.eval();
        using var scope = NewDisposeScope();
        var (l, ab, _, _) = Batch(2, 48, 3);
        var features = net.Features(l, ab, layer);
        Assert.Equal(channels, net.FeatureChannels(layer));
        Assert.Equal([2L, channels, side, side], features.shape);
        var expected = cat([net.F1.Features(l, layer).Last, net.F2.Features(ab, layer).Last], 1);
        Assert.True(features.equal(expected).all().item<bool>());
    }

    [Fact]
    public void Features_InputsOfOtherSizes_ThrowsNamingSecondAndBothShapes()
    {
        using var net = Small();
        using var l = zeros(2, 1, 32, 32);
        using var ab = zeros(2, 2, 48, 48);
        var e = Assert.Throws<ArgumentException>(() => net.Features(l, ab, FeatureLayer.Conv1));
        Assert.Equal("second", e.ParamName);
        Assert.Contains("[2, 1, 32, 32]", e.Message);
        Assert.Contains("[2, 2, 48, 48]", e.Message);
    }

    [Fact]
    public void FeatureChannels_DefaultConfig_TwiceTheHalfWidth()
    {
        using var net = SplitBrainNet.Create(ModelConfig.Default, 1, 2, 100, 313);
        Assert.Equal([96, 256, 384, 384, 256, 1024, 1024], Enum.GetValues<FeatureLayer>().Select(net.FeatureChannels));
    }

    [Fact]
    public void Backward_SummedLoss_ReachesEveryParameter()
    {
        using var net = Small();
        using var scope = NewDisposeScope();
        var (l, ab, abTarget, lTarget) = Batch(2, 32, 5);
        var losses = SplitBrainLoss.Compute(net.call(l, ab), abTarget, lTarget);
        losses.Total.backward();
        var parameters = net.named_parameters().ToList();
        Assert.Equal(2 * (7 * 3 + 2), parameters.Count);
        Assert.All(parameters, p =>
        {
            var grad = p.parameter.grad;
            Assert.True(grad is not null, $"{p.name} has no gradient");
            Assert.True(grad.abs().max().item<float>() > 0, $"{p.name}'s gradient is all zeros");
        });
    }

    [Fact]
    public void TrainingStep_InsideDisposeScope_LeavesNoLiveTensors()
    {
        using var net = Small();
        using var optimizer = optim.Adam(net.parameters(), 1e-3);
        var (l, ab, abTarget, lTarget) = Batch(2, 32, 7);
        using (l) using (ab) using (abTarget) using (lTarget)
        {
            void Step()
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var losses = SplitBrainLoss.Compute(net.call(l, ab), abTarget, lTarget);
                losses.Total.backward();
                optimizer.step();
                _ = losses.ReadValues();
            }

            Step(); // the first step creates the gradients and Adam's moments, which live as long as the model
            TensorLeaks.AssertNone(Step);
        }
    }

    [Theory]
    [InlineData(0, 2, 100, 313, "firstChannels")]
    [InlineData(1, 0, 100, 313, "secondChannels")]
    [InlineData(1, 2, 0, 313, "firstBins")]
    [InlineData(1, 2, 100, 0, "secondBins")]
    public void Create_InvalidCount_ThrowsNamingIt(int c1, int c2, int q1, int q2, string name)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => SplitBrainNet.Create(ModelConfig.Small, c1, c2, q1, q2));
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void Create_InvalidConfig_ThrowsNamingTheField()
    {
        var e = Assert.ThrowsAny<ArgumentException>(
            () => SplitBrainNet.Create(ModelConfig.Small with { Fc = 0 }, 1, 2, 100, 313));
        Assert.Equal(nameof(ModelConfig.Fc), e.ParamName);
    }

    [Fact]
    public void Forward_InputsSwapped_ThrowsNamingTheInput()
    {
        using var net = Small();
        using var l = zeros(2, 1, 32, 32);
        using var ab = zeros(2, 2, 32, 32);
        var e = Assert.Throws<ArgumentException>(() => net.call(ab, l));
        Assert.Equal("input", e.ParamName);
        Assert.Contains("F1", e.Message);
    }
}
