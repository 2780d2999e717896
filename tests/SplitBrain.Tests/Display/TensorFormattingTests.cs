using SplitBrain.Display;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Display;

public class TensorFormattingTests
{
    [Fact]
    public void Describe_SmallTensor_ShowsHeaderAndValues()
    {
        using var t = arange(6).reshape(2, 3);

        var text = TensorFormatting.Describe(t);

        Assert.StartsWith("tensor [2, 3] Int64 on cpu\n", text);
        Assert.Contains("[[0, 1, 2]", text);
    }

    [Fact]
    public void Describe_LargeTensor_ShowsSummaryNotValues()
    {
        using var t = arange(1000, ScalarType.Float32);

        var text = TensorFormatting.Describe(t);

        Assert.Equal("tensor [1000] Float32 on cpu\nmin 0  mean 499.5  max 999", text);
    }

    [Fact]
    public void Describe_DisposedAndEmpty()
    {
        var t = zeros(2);
        t.Dispose();
        using var empty = zeros(0, 3);

        Assert.Equal("tensor (disposed)", TensorFormatting.Describe(t));
        Assert.Equal("tensor [0, 3] Float32 on cpu (empty)", TensorFormatting.Describe(empty));
    }

    [Fact]
    public void Register_OutsideAKernel_ReturnsFalse() => Assert.False(TensorFormatting.Register());
}
