using SplitBrain.Models;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Models;

/// <summary>
/// The channels-last layout the sub-networks use on the CPU: same values, NHWC strides, no copy of a tensor already laid
/// out so, and a network whose logits, features and gradients match the plain NCHW computation up to float rounding.
/// </summary>
public class ChannelsLastTests
{
    [Fact]
    public void OnCpu_KeepsShapeAndValues_WithNhwcStrides()
    {
        using var scope = NewDisposeScope();
        var x = TestTensors.Normal(1, 3, 2, 5, 4, 3);

        var y = ChannelsLast.OnCpu(x);

        Assert.Equal(x.shape, y.shape);
        Assert.Equal([60L, 1, 15, 5], y.stride());
        Assert.True(y.equal(x).all().item<bool>());
        var again = ChannelsLast.OnCpu(y);                 // already channels-last: a view of the same memory
        Assert.Equal(y.stride(), again.stride());
        again.fill_(7);
        Assert.True(y.eq(7).all().item<bool>());
    }

    [Fact]
    public void SubNetwork_Forward_MatchesTheNchwLayers_AndIsContiguous()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var net = SubNetwork.Create("F2", 2, 100, ModelConfig.Small);
        net.eval();
        var x = TestTensors.Normal(1, 4, 3, 2, 32, 32);

        var logits = net.call(x);
        var plain = x;
        foreach (var layer in net.Layers)
            plain = layer.call(plain.contiguous());

        Assert.True(logits.is_contiguous());
        Assert.True(logits.allclose(plain, rtol: 1e-4, atol: 1e-5), $"largest difference {(logits - plain).abs().max().item<float>()}");
        using var maps = net.Features(x, FeatureLayer.Fc7);
        Assert.True(maps.Last.is_contiguous());
    }

    [Fact]
    public void SubNetwork_Gradients_MatchTheNchwLayers()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var net = SubNetwork.Create("F1", 1, 313, ModelConfig.Small);
        var x = TestTensors.Normal(1, 6, 4, 1, 32, 32);

        net.call(x).square().mean().backward();
        var channelsLast = net.parameters().Select(p => p.grad!.clone()).ToList();
        net.zero_grad();
        var plain = x;
        foreach (var layer in net.Layers)
            plain = layer.call(plain.contiguous());
        plain.square().mean().backward();

        foreach (var (expected, got) in net.parameters().Select(p => p.grad!).Zip(channelsLast))
            Assert.True(got.allclose(expected, rtol: 1e-3, atol: 1e-6), $"largest gradient difference {(got - expected).abs().max().item<float>()}");
    }
}
