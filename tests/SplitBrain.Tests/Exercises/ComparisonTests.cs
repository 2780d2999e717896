using SplitBrain.Exercises;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Exercises;

public class ComparisonTests
{
    [Fact]
    public void RelativeErrorOf_ScalesByTheExpectedValuesLargestMagnitude()
    {
        using var expected = tensor(new[] { 100f, 0f, -50f });
        using var yours = tensor(new[] { 100f, 1f, -50f });

        // 1 off where the expected value is 0: an error of 1 on a scale of 100, not an infinite one.
        Assert.Equal(0.01, Comparison.RelativeErrorOf(yours, expected), 1e-12);
        Assert.Equal(0.0, Comparison.RelativeErrorOf(expected, expected));
    }

    [Fact]
    public void Tensors_WithinTolerance_AgreesAndSaysIdenticalOrTheError()
    {
        using var expected = tensor(new[] { 1f, 2f, 4f });
        using var close = tensor(new[] { 1f, 2f, 4.0002f });

        Assert.True(Comparison.Tensors("x", expected.clone(), expected, 1e-6).Agrees);
        Assert.Contains("identical", Comparison.Tensors("x", expected.clone(), expected, 1e-6).Detail);
        var comparison = Comparison.Tensors("x", close, expected, 1e-4);
        Assert.True(comparison.Agrees);
        Assert.Equal(5e-5, comparison.RelativeError!.Value, 1e-6);
    }

    [Fact]
    public void Tensors_TooFar_NamesThePositionAndBothValues()
    {
        using var expected = zeros(2, 3).add_(1);
        using var yours = expected.clone();
        yours[1, 2] = tensor(3f);

        var comparison = Comparison.Tensors("Lab", yours, expected, 1e-4);

        Assert.False(comparison.Agrees);
        Assert.Contains("relative error 2", comparison.Detail);
        Assert.Contains("[1, 2]", comparison.Detail);
        Assert.Contains("yours 3", comparison.Detail);
        Assert.Contains("expected 1", comparison.Detail);
    }

    [Fact]
    public void Tensors_WrongShapeNullOrNaN_DisagreesSayingWhy()
    {
        using var expected = zeros(2, 3);

        Assert.Contains("shape [3, 2]; expected [2, 3]", Comparison.Tensors("x", zeros(3, 2), expected, 1).Detail);
        Assert.Contains("is null", Comparison.Tensors("x", null, expected, 1).Detail);
        using var nan = full(2, 3, float.NaN);
        var comparison = Comparison.Tensors("x", nan, expected, 1);
        Assert.False(comparison.Agrees);
        Assert.Contains("NaN", comparison.Detail);
    }

    [Fact]
    public void NumbersAndEqual_CompareAndSayBothValues()
    {
        Assert.True(Comparison.Numbers("loss", 5.7461, 5.7462, 1e-4).Agrees);
        Assert.False(Comparison.Numbers("loss", 5.0, 5.7462, 1e-4).Agrees);
        Assert.False(Comparison.Numbers("loss", double.NaN, 1, 1).Agrees);
        Assert.True(Comparison.Equal("size", 12, 12).Agrees);
        Assert.Equal("size: yours 11, expected 12", Comparison.Equal("size", 11, 12).Detail);
    }

    [Fact]
    public void All_ReturnsTheFirstDisagreementElseTheLargestError()
    {
        var good = new Comparison(true, "a", 1e-6);
        var better = new Comparison(true, "b", 1e-8);
        var bad = new Comparison(false, "c");

        Assert.Same(bad, Comparison.All(good, bad, better));
        var all = Comparison.All(good, better);
        Assert.True(all.Agrees);
        Assert.Equal(1e-6, all.RelativeError);
    }
}
