using SplitBrain.Models;
using SplitBrain.Tests.Support;

namespace SplitBrain.Tests.Models;

public class ModelSummaryTests
{
    [Fact]
    public void Of_DefaultF1At96_ReceptiveFieldsAndStridesMatchHandCalculation()
    {
        // r: receptive field, j: effective stride; r += (k - 1) * j, then j *= s, from r = j = 1.
        // conv1 k11 s4: r = 1 + 10 * 1 = 11,  j = 4
        // pool1 k3  s2: r = 11 + 2 * 4 = 19,  j = 8
        // conv2 k5  s1: r = 19 + 4 * 8 = 51
        // conv3 k3:     r = 51 + 2 * 8 = 67
        // conv4 k3:     r = 83;  conv5 k3: r = 99
        // fc6, fc7, pred (1 x 1): r stays 99
        // Every padding is (k - 1) / 2, so each window is centred on an input pixel: the first at pixel 0.
        using var net = SubNetwork.Create("F1", 1, 313, ModelConfig.Default);
        var s = ModelSummary.Of(net, 96, 96);
        Assert.Equal(["conv1", "pool1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "pred"], s.Layers.Select(l => l.Name));
        Assert.Equal([11, 19, 51, 67, 83, 99, 99, 99, 99], s.Layers.Select(l => l.ReceptiveField));
        Assert.Equal([4, 8, 8, 8, 8, 8, 8, 8, 8], s.Layers.Select(l => l.EffectiveStride));
        Assert.Equal([24, 12, 12, 12, 12, 12, 12, 12, 12], s.Layers.Select(l => l.Height));
        Assert.Equal([24, 12, 12, 12, 12, 12, 12, 12, 12], s.Layers.Select(l => l.Width));
        Assert.Equal([48, 48, 128, 192, 192, 128, 512, 512, 313], s.Layers.Select(l => l.OutChannels));
        Assert.All(s.Layers, l => Assert.Equal(0.0, l.FirstCenter));
        Assert.Equal(["conv+bn+relu", "max-pool", "conv+bn+relu"], s.Layers.Take(3).Select(l => l.Kind));
        Assert.Equal("conv", s.Layers[^1].Kind);
        Assert.Equal([FeatureLayer.Conv1, null, FeatureLayer.Conv2], s.Layers.Take(3).Select(l => l.Feature));
    }

    [Fact]
    public void Of_DefaultF1_ParametersPerLayerAndTotal()
    {
        using var net = SubNetwork.Create("F1", 1, 313, ModelConfig.Default);
        var s = ModelSummary.Of(net, 96, 96);
        // cin * cout * k^2 (no bias before BatchNorm) + 2 * cout (BatchNorm); pred: 512 * 313 + 313.
        Assert.Equal([5_904L, 0, 153_856, 221_568, 332_160, 221_440, 66_560, 263_168, 160_569], s.Layers.Select(l => l.Parameters));
        Assert.Equal(1_425_225, s.Parameters);
        Assert.Equal(s.Parameters, s.Layers.Sum(l => l.Parameters));
        Assert.Equal(("F1", 1, 96, 96), (s.Name, s.InChannels, s.InputHeight, s.InputWidth));
    }

    [Fact]
    public void Of_OddInputSize_LastShapeIsTheForwardOutputShape()
    {
        using var net = SubNetwork.Create("F2", 2, 100, ModelConfig.Small);
        var s = ModelSummary.Of(net, 50, 70);
        using var x = TestTensors.Normal(1, 1, 2, 2, 50, 70);
        using var logits = net.call(x);
        Assert.Equal([2L, s.Layers[^1].OutChannels, s.Layers[^1].Height, s.Layers[^1].Width], logits.shape);
    }

    [Fact]
    public void Of_Conv1Kernel7Stride2_ShowsTheFinerGrid()
    {
        // conv1 k7 s2 p3: r = 7, j = 2; pool1: r = 7 + 2 * 2 = 11, j = 4; conv2 k5: r = 11 + 4 * 4 = 27.
        using var net = SubNetwork.Create("F1", 1, 313, ModelConfig.Small with { Conv1Kernel = 7, Conv1Stride = 2 });
        var s = ModelSummary.Of(net, 96, 96);
        Assert.Equal([7, 11, 27], s.Layers.Take(3).Select(l => l.ReceptiveField));
        Assert.Equal(4, s.Layers[^1].EffectiveStride);
        Assert.Equal((24, 24), (s.Layers[^1].Height, s.Layers[^1].Width));
        Assert.Equal(3, s.Layers[0].Padding);
    }

    [Theory]
    [InlineData(0, 96, "height")]
    [InlineData(96, 0, "width")]
    public void Of_InvalidSize_ThrowsNamingIt(int height, int width, string name)
    {
        using var net = SubNetwork.Create("F1", 1, 313, ModelConfig.Small);
        var e = Assert.ThrowsAny<ArgumentException>(() => ModelSummary.Of(net, height, width));
        Assert.Equal(name, e.ParamName);
    }
}
