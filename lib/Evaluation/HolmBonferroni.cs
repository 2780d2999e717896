namespace SplitBrain.Evaluation;

/// <summary>
/// Holm's step-down correction for many comparisons (Holm 1979): with m tests at once, a difference counts only when
/// its adjusted p-value is below the level. It holds the chance of any false star at the level, as Bonferroni does, and
/// is never less powerful than it. A study that stars the best of eleven uncorrected tests at 5% stars something by
/// chance in about four studies out of ten (1 - 0.95^11).
/// </summary>
public static class HolmBonferroni
{
    /// <summary>
    /// Holm's adjusted p-values, in the order given: sort the m p-values ascending, p(1) ≤ … ≤ p(m); the k-th becomes
    /// max over j ≤ k of min(1, (m - j + 1) p(j)). NaN entries (a test that could not be made, e.g. one seed) stay NaN
    /// and do not count in m.
    /// </summary>
    /// <param name="pValues">The raw p-values of one family of tests.</param>
    /// <returns>The adjusted p-values, same length and order.</returns>
    /// <exception cref="ArgumentException">A p-value outside 0..1.</exception>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        foreach (var p in pValues)
            if (p is < 0 or > 1)
                throw new ArgumentException($"p-values must lie in 0..1; got {p}.", nameof(pValues));
        var adjusted = pValues.ToArray();
        var order = Enumerable.Range(0, pValues.Count).Where(i => !double.IsNaN(pValues[i])).OrderBy(i => pValues[i]).ToList();
        var m = order.Count;
        var running = 0.0;
        for (var k = 0; k < m; k++)
        {
            running = Math.Max(running, Math.Min(1, (m - k) * pValues[order[k]]));
            adjusted[order[k]] = running;
        }
        return adjusted;
    }

    /// <summary>Whether each test survives the correction at <paramref name="level"/>: adjusted p &lt; level.</summary>
    /// <param name="pValues">The raw p-values of one family.</param>
    /// <param name="level">The family-wise error level, e.g. 0.05.</param>
    public static bool[] Rejects(IReadOnlyList<double> pValues, double level = 0.05) =>
        [.. Adjust(pValues).Select(p => p < level)];
}
