namespace SplitBrain.Runs;

/// <summary>Sums over some steps (of an epoch so far, or since the last step line): each metric weighted by its batch's
/// images, so that the means are means over images.</summary>
/// <param name="Steps">Steps summed.</param>
/// <param name="Images">Images summed.</param>
/// <param name="Seconds">Seconds of those steps.</param>
/// <param name="Sums">For each metric, the sum of value times images.</param>
public sealed record StepTotals(int Steps, long Images, double Seconds, double[] Sums)
{
    /// <summary>Nothing summed yet, for <paramref name="metrics"/> metrics.</summary>
    public static StepTotals Empty(int metrics) => new(0, 0, 0, new double[metrics]);

    /// <summary>These sums and one more step.</summary>
    internal StepTotals Add(StepOutcome step, double seconds) =>
        new(Steps + 1, Images + step.Images, Seconds + seconds, [.. Sums.Zip(step.Values, (sum, value) => sum + value * step.Images)]);

    /// <summary>The means over the images summed (NaN before any).</summary>
    public double[] Means() => [.. Sums.Select(sum => Images > 0 ? sum / Images : double.NaN)];

    /// <summary>Images per second of the steps summed.</summary>
    public double ImagesPerSecond => Images / Math.Max(Seconds, 1e-9);
}
