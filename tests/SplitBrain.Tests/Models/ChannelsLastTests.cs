using SplitBrain.Models;
using SplitBrain.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Models;

/// <summary>
/// The layouts the sub-networks use on the CPU: channels-last for the layers with a spatial kernel, NCHW for the 1 x 1
/// layers in float32 (in bfloat16 matrix products over channels-last rows, <c>PointwiseConvolution</c>); and a network whose logits and gradients are right, checked against a float64 copy of itself (computed by
/// libtorch's plain kernels, not oneDNN's), so that a wrong oneDNN kernel on some CPU fails here rather than in training.
/// </summary>
public class ChannelsLastTests
{
    private static double RelativeNorm(Tensor got, Tensor want)
    {
        using var scope = NewDisposeScope();
        var reference = want.to_type(ScalarType.Float64);
        return (got.to_type(ScalarType.Float64) - reference).norm().item<double>() / Math.Max(reference.norm().item<double>(), 1e-30);
    }

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
    public void ForLayer_SpatialKernelGetsChannelsLast_OneByOneGetsNchwInFloat32AndChannelsLastInBFloat16()
    {
        using var scope = NewDisposeScope();
        var x = ChannelsLast.OnCpu(TestTensors.Normal(1, 4, 2, 5, 4, 3));

        Assert.Equal([60L, 1, 15, 5], ChannelsLast.ForLayer(x, kernel: 3).stride());
        var nchw = ChannelsLast.ForLayer(x, kernel: 1);
        Assert.True(nchw.is_contiguous());
        Assert.True(nchw.equal(x).all().item<bool>());
        var rows = ChannelsLast.ForLayer(x.to_type(ScalarType.BFloat16), kernel: 1); // a matrix product's rows, no copy
        Assert.Equal([60L, 1, 15, 5], rows.stride());
    }

    [Theory]
    [InlineData("F1", 1, 313, false, 32, false)] // Small, the batch of PretrainConfig.Small, 96 x 96 as in training
    [InlineData("F2", 2, 100, false, 32, false)] // 100 output channels: oneDNN's channels-last 1 x 1 kernel was wrong here (Zen 5, 2 threads)
    [InlineData("F1", 1, 313, true, 8, false)]   // Default widths (fc 512)
    [InlineData("F2", 2, 100, true, 8, false)]
    [InlineData("F1", 1, 313, false, 32, true)]  // the same in bfloat16 (Autocast): 64 -> 313 channels-last was off by 10^18
    [InlineData("F2", 2, 100, false, 32, true)]
    [InlineData("F1", 1, 313, true, 8, true)]
    [InlineData("F2", 2, 100, true, 8, true)]
    public void SubNetwork_LogitsAndGradients_MatchAFloat64Copy(string name, int inChannels, int bins, bool defaultWidths, int batch, bool bfloat16)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var config = defaultWidths ? ModelConfig.Default : ModelConfig.Small;
        using var net = SubNetwork.Create(name, inChannels, bins, config);
        using var reference = SubNetwork.Create(name, inChannels, bins, config);
        reference.load_state_dict(net.state_dict());
        reference.to(ScalarType.Float64);
        var x = TestTensors.Normal(1, 4, batch, inChannels, 96, 96);

        Tensor logits;
        using (Autocast.Enter(bfloat16 ? ScalarType.BFloat16 : ScalarType.Float32))
            logits = net.call(x);                                       // training mode: BatchNorm on the batch
        var expected = reference.call(x.to_type(ScalarType.Float64));
        logits.square().mean().backward();
        expected.square().mean().backward();

        // float32 through eight layers rounds the logits to about 1e-5 of their scale; the wrong kernel was off by half of it.
        // A gradient through training-mode BatchNorm is a difference of nearly equal terms: its float32 rounding reached 2%
        // of its scale (conv5 of the default widths), still far below what a wrong kernel does. bfloat16 keeps 8 significant
        // bits: its roundings through eight layers move the logits by about 2% of their scale (measured 2.2%); its gradients,
        // amplified by the BatchNorm layers on their way back (AutocastTests), are compared as a whole (relative norm, up to
        // 0.35 measured at the first layers), where a wrong kernel errs by the order of 1.
        TensorAssert.Close(logits, expected, bfloat16 ? 5e-2 : 1e-3, $"{name} logits against float64");
        foreach (var (got, want) in net.named_parameters().Zip(reference.named_parameters()))
        {
            Assert.Equal(ScalarType.Float32, got.parameter.grad!.dtype); // the masters' gradients, whatever the compute type
            if (bfloat16)
                Assert.True(RelativeNorm(got.parameter.grad, want.parameter.grad!) < 0.5, $"{name} bfloat16 gradient of {got.name} against float64");
            else
                TensorAssert.Close(got.parameter.grad, want.parameter.grad!, 0.1, $"{name} gradient of {got.name} against float64");
        }
    }
}
