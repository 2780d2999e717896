using SplitBrain.Models;
using SplitBrain.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Models;

/// <summary>A 1 x 1 convolution as a matrix product: the convolution's values and gradients (in float64, libtorch's plain
/// kernels), channels-last output, conv-shaped weights; other convolutions left to conv2d.</summary>
public class PointwiseConvolutionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Apply_EqualsTheConvolution_ValuesAndGradients(bool channelsLastInput)
    {
        using var scope = NewDisposeScope();
        var x = TestTensors.Normal(1, 1, 3, 5, 4, 6).to_type(ScalarType.Float64);
        x = (channelsLastInput ? ChannelsLast.OnCpu(x) : x).detach().requires_grad_(true);
        var w = TestTensors.Normal(0.5, 2, 7, 5, 1, 1).to_type(ScalarType.Float64).requires_grad_(true);
        var b = TestTensors.Normal(0.5, 3, 7).to_type(ScalarType.Float64).requires_grad_(true);
        var gradient = TestTensors.Normal(1, 4, 3, 7, 4, 6).to_type(ScalarType.Float64);
        var (x2, w2, b2) = (x.detach().clone().requires_grad_(true), w.detach().clone().requires_grad_(true), b.detach().clone().requires_grad_(true));

        var y = PointwiseConvolution.Apply(x, w, b);
        y.backward([gradient]);
        var want = nn.functional.conv2d(x2, w2, b2);
        want.backward([gradient]);

        Assert.Equal([3L, 7, 4, 6], y.shape);
        Assert.Equal([168L, 1, 42, 7], y.stride()); // channels-last: the next layer reads it without a copy
        TensorAssert.Close(y, want, 1e-12, "output");
        TensorAssert.Close(x.grad!, x2.grad!, 1e-12, "input gradient");
        TensorAssert.Close(w.grad!, w2.grad!, 1e-12, "weight gradient");
        Assert.Equal([7L, 5, 1, 1], w.grad!.shape); // the parameter stays conv-shaped: state_dict keys and shapes unchanged
        TensorAssert.Close(b.grad!, b2.grad!, 1e-12, "bias gradient");
    }

    [Fact]
    public void Applies_OnlyToOneByOneStrideOneUnpaddedSingleGroupInBFloat16OnTheCpu()
    {
        using var scope = NewDisposeScope();
        var x = zeros(1, 4, 3, 3, ScalarType.BFloat16);

        Assert.False(PointwiseConvolution.Applies(x.to_type(ScalarType.Float32), zeros(2, 4, 1, 1), [1, 1], [0, 0], 1));
        Assert.True(PointwiseConvolution.Applies(x, zeros(2, 4, 1, 1), [1, 1], [0, 0], 1));
        Assert.False(PointwiseConvolution.Applies(x, zeros(2, 4, 3, 3), [1, 1], [1, 1], 1));
        Assert.False(PointwiseConvolution.Applies(x, zeros(2, 4, 1, 1), [2, 2], [0, 0], 1));
        Assert.False(PointwiseConvolution.Applies(x, zeros(2, 4, 1, 1), [1, 1], [1, 1], 1));
        Assert.False(PointwiseConvolution.Applies(x, zeros(4, 1, 1, 1), [1, 1], [0, 0], 4));
    }
}
