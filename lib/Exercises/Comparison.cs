using System.Globalization;
using static TorchSharp.torch;

namespace SplitBrain.Exercises;

/// <summary>
/// The verdict on one input of a check: whether the student's result agrees with the library's, and a line that says
/// how far apart they are (the relative error, where it is worst, both values).
/// </summary>
/// <param name="Agrees">True when the results agree within the tolerance.</param>
/// <param name="Detail">What was compared and how far apart it is, e.g. <c>relative error 3.1e-07</c>.</param>
/// <param name="RelativeError">The relative error, where the comparison has one.</param>
public sealed record Comparison(bool Agrees, string Detail, double? RelativeError = null)
{
    /// <summary>
    /// The relative error of <paramref name="yours"/> against <paramref name="expected"/>: the largest absolute difference
    /// divided by the expected values' largest magnitude (their scale), so that float32 rounding of values near zero does
    /// not count as an error. Zero when both are all zeros.
    /// </summary>
    /// <param name="yours">The student's values.</param>
    /// <param name="expected">The library's values, same shape.</param>
    public static double RelativeErrorOf(Tensor yours, Tensor expected)
    {
        ArgumentNullException.ThrowIfNull(yours);
        ArgumentNullException.ThrowIfNull(expected);
        using var scope = NewDisposeScope();
        var reference = expected.detach().cpu().to_type(ScalarType.Float64);
        var difference = (yours.detach().cpu().to_type(ScalarType.Float64) - reference).abs().max().item<double>();
        var scale = reference.abs().max().item<double>();
        return difference == 0 ? 0 : difference / Math.Max(scale, 1e-300);
    }

    /// <summary>
    /// Compares two tensors: same shape, finite values, and a relative error (<see cref="RelativeErrorOf"/>) of at most
    /// <paramref name="tolerance"/>; the detail names the position of the largest difference and both values there.
    /// </summary>
    /// <param name="what">What the values are, e.g. <c>Lab</c>.</param>
    /// <param name="yours">The student's result (any dtype; compared in float64).</param>
    /// <param name="expected">The library's result.</param>
    /// <param name="tolerance">The largest relative error that agrees, e.g. 1e-4 for float32 arithmetic.</param>
    public static Comparison Tensors(string what, Tensor? yours, Tensor expected, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (yours is null)
            return new Comparison(false, $"your {what} is null");
        if (!yours.shape.SequenceEqual(expected.shape))
            return new Comparison(false, $"your {what} has shape {Shape(yours)}; expected {Shape(expected)}");
        using var scope = NewDisposeScope();
        var mine = yours.detach().cpu().to_type(ScalarType.Float64);
        var reference = expected.detach().cpu().to_type(ScalarType.Float64);
        if (mine.numel() == 0)
            return new Comparison(true, $"{what}: both empty", 0);
        if (!mine.isfinite().all().item<bool>())
            return new Comparison(false, $"your {what} holds NaN or infinite values (the first at [{Position(Flat(mine.isfinite().logical_not().to_type(ScalarType.Float64)), mine.shape)}])");
        var error = RelativeErrorOf(mine, reference);
        var differences = (mine - reference).abs();
        var worst = Flat(differences);
        var detail = error == 0
            ? $"{what}: identical (relative error 0)"
            : $"{what}: relative error {Number(error)} (tolerance {Number(tolerance)}); largest difference at [{Position(worst, mine.shape)}]: "
              + $"yours {Number(mine.flatten()[worst].item<double>())}, expected {Number(reference.flatten()[worst].item<double>())}";
        return new Comparison(error <= tolerance, detail, error);
    }

    /// <summary>Compares two numbers by their relative error <c>|yours - expected| / |expected|</c>.</summary>
    /// <param name="what">What the number is.</param>
    /// <param name="yours">The student's value.</param>
    /// <param name="expected">The library's value.</param>
    /// <param name="tolerance">The largest relative error that agrees.</param>
    public static Comparison Numbers(string what, double yours, double expected, double tolerance)
    {
        if (!double.IsFinite(yours))
            return new Comparison(false, $"your {what} is {Number(yours)}; expected {Number(expected)}");
        var error = yours == expected ? 0 : Math.Abs(yours - expected) / Math.Max(Math.Abs(expected), 1e-300);
        return new Comparison(error <= tolerance, $"{what}: yours {Number(yours)}, expected {Number(expected)} (relative error {Number(error)})", error);
    }

    /// <summary>Compares two values that must be equal (counts, sizes, yes/no answers).</summary>
    /// <param name="what">What the value is.</param>
    /// <param name="yours">The student's value.</param>
    /// <param name="expected">The library's value.</param>
    public static Comparison Equal<T>(string what, T yours, T expected) =>
        EqualityComparer<T>.Default.Equals(yours, expected)
            ? new Comparison(true, $"{what}: {expected}", 0)
            : new Comparison(false, $"{what}: yours {yours}, expected {expected}");

    /// <summary>The first comparison that disagrees, else one that sums them all up (the largest relative error).</summary>
    /// <param name="comparisons">The comparisons of one input.</param>
    public static Comparison All(params Comparison[] comparisons)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        if (comparisons.FirstOrDefault(c => !c.Agrees) is { } failed)
            return failed;
        var errors = comparisons.Where(c => c.RelativeError is not null).Select(c => c.RelativeError!.Value).ToList();
        return new Comparison(true, string.Join("; ", comparisons.Select(c => c.Detail)), errors.Count > 0 ? errors.Max() : null);
    }

    /// <summary>A shape as <c>[2, 3, 8, 8]</c>.</summary>
    /// <param name="t">The tensor.</param>
    public static string Shape(Tensor t) => Shape(t.shape);

    /// <summary>A shape as <c>[2, 3, 8, 8]</c>.</summary>
    /// <param name="shape">The sizes.</param>
    public static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>A number in a short, culture-independent form (3 significant digits).</summary>
    /// <param name="value">The number.</param>
    public static string Number(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    // The flat index of the largest element.
    private static long Flat(Tensor values) => values.flatten().argmax().item<long>();

    // The multi-index of a flat index, e.g. "0, 2, 5, 1".
    private static string Position(long flat, long[] shape)
    {
        var index = new long[shape.Length];
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return string.Join(", ", index);
    }
}
