using static TorchSharp.torch;

namespace SplitBrain.Tests.Support;

/// <summary>
/// Float comparisons of tensors that hold on any CPU and thread count. The tolerance is a fraction of the expected
/// tensor's scale (its largest magnitude), chosen at each call from what the comparison must catch: two computations of the
/// same values may round differently (another oneDNN kernel, another summation order, another vector width), by far less
/// than a bug changes them (a layout mix-up or a wrong layer moves values by the order of the values themselves).
/// </summary>
internal static class TensorAssert
{
    /// <summary>
    /// Asserts equal shapes and <c>max |actual - expected| &lt;= relative * max |expected|</c>; the message gives both
    /// numbers.
    /// </summary>
    /// <param name="actual">The tensor under test (any floating dtype).</param>
    /// <param name="expected">The reference, same shape.</param>
    /// <param name="relative">The tolerated difference as a fraction of the reference's largest magnitude.</param>
    /// <param name="what">What is compared, for the message.</param>
    public static void Close(Tensor actual, Tensor expected, double relative, string what = "values")
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        var reference = expected.detach().to_type(ScalarType.Float64).cpu();
        var scale = reference.abs().max().item<double>();
        var difference = (actual.detach().to_type(ScalarType.Float64).cpu() - reference).abs().max().item<double>();
        var bound = relative * scale;
        Assert.True(difference <= bound,
            $"{what}: largest difference {difference:G3} is more than {relative:G2} of the scale {scale:G3} (bound {bound:G3})");
    }
}
