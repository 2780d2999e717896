using SplitBrain.Models;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Models;

public class ConvBlockTests
{
    [Fact]
    public void StateDict_WithBatchNorm_ConvWithoutBiasAndBatchNormEntries()
    {
        using var block = new ConvBlock(3, 8, 3, 1, 1, batchNorm: true);
        Assert.Equal(
            ["conv.weight", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked"],
            block.state_dict().Keys);
        Assert.Equal(["conv", "bn", "relu"], block.named_children().Select(c => c.name));
        Assert.NotNull(block.Norm);
    }

    [Fact]
    public void StateDict_WithoutBatchNorm_ConvWeightAndBias()
    {
        using var block = new ConvBlock(3, 8, 3, 1, 1, batchNorm: false);
        Assert.Equal(["conv.weight", "conv.bias"], block.state_dict().Keys);
        Assert.Equal(["conv", "relu"], block.named_children().Select(c => c.name));
        Assert.Null(block.Norm);
    }

    [Fact]
    public void Forward_StridedConvolution_ShapeAndNonNegative()
    {
        using var block = new ConvBlock(2, 5, 3, 2, 1, batchNorm: true);
        using var x = TestTensors.Normal(1, 1, 2, 2, 9, 9);
        using var y = block.call(x);
        Assert.Equal([2L, 5, 5, 5], y.shape);
        using var min = y.min();
        Assert.True(min.item<float>() >= 0);
    }

    [Theory]
    [InlineData(0, 1, 1, 1, 0, "inChannels")]
    [InlineData(1, 0, 1, 1, 0, "outChannels")]
    [InlineData(1, 1, 0, 1, 0, "kernel")]
    [InlineData(1, 1, 1, 0, 0, "stride")]
    [InlineData(1, 1, 1, 1, -1, "padding")]
    public void Constructor_InvalidArgument_ThrowsNamingIt(int inC, int outC, int k, int s, int p, string name)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new ConvBlock(inC, outC, k, s, p, true));
        Assert.Equal(name, e.ParamName);
    }
}
