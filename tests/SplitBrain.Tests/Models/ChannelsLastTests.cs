using SplitBrain.Models;
using SplitBrain.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Models;

/// <summary>
/// The layouts the sub-networks use on the CPU: channels-last for the layers with a spatial kernel, NCHW for the 1 x 1
/// layers; and a network whose logits and gradients are right, checked against a float64 copy of itself (computed by
/// libtorch's plain kernels, not oneDNN's), so that a wrong oneDNN kernel on some CPU fails here rather than in training.
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
    public void ForLayer_SpatialKernelGetsChannelsLast_OneByOneGetsNchw()
    {
        using var scope = NewDisposeScope();
        var x = ChannelsLast.OnCpu(TestTensors.Normal(1, 4, 2, 5, 4, 3));

        Assert.Equal([60L, 1, 15, 5], ChannelsLast.ForLayer(x, kernel: 3).stride());
        var nchw = ChannelsLast.ForLayer(x, kernel: 1);
        Assert.True(nchw.is_contiguous());
        Assert.True(nchw.equal(x).all().item<bool>());
    }

    [Theory]
    [InlineData("F1", 1, 313, false, 32)] // Small, the batch of PretrainConfig.Small
    [InlineData("F2", 2, 100, false, 32)] // 100 output channels: oneDNN's channels-last 1 x 1 kernel was wrong here (Zen 5, 2 threads)
    [InlineData("F2", 2, 100, true, 6)]   // Default widths (fc 512)
    public void SubNetwork_LogitsAndGradients_MatchAFloat64Copy(string name, int inChannels, int bins, bool defaultWidths, int batch)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var config = defaultWidths ? ModelConfig.Default : ModelConfig.Small;
        using var net = SubNetwork.Create(name, inChannels, bins, config);
        using var reference = SubNetwork.Create(name, inChannels, bins, config);
        reference.load_state_dict(net.state_dict());
        reference.to(ScalarType.Float64);
        var x = TestTensors.Normal(1, 4, batch, inChannels, 64, 64);

        var logits = net.call(x);                                       // training mode: BatchNorm on the batch
        var expected = reference.call(x.to_type(ScalarType.Float64));
        logits.square().mean().backward();
        expected.square().mean().backward();

        // float32 through eight layers rounds the logits to about 1e-5 of their scale; the wrong kernel was off by half of it.
        // A gradient through training-mode BatchNorm is a difference of nearly equal terms: its float32 rounding reached 2%
        // of its scale (conv5 of the default widths), still far below what a wrong kernel does.
        TensorAssert.Close(logits, expected, 1e-3, $"{name} logits against float64");
        foreach (var (got, want) in net.named_parameters().Zip(reference.named_parameters()))
            TensorAssert.Close(got.parameter.grad!, want.parameter.grad!, 0.1, $"{name} gradient of {got.name} against float64");
    }
}
