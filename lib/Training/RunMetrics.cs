using SplitBrain.Display;

namespace SplitBrain.Training;

/// <summary>The lines of a run's <c>metrics.jsonl</c>, read back (<see cref="PretrainingRuns.ReadMetrics"/>), with the charts a
/// notebook draws from them.</summary>
/// <param name="Steps">The step lines, in order.</param>
/// <param name="Epochs">The epoch lines, in order.</param>
public sealed record RunMetrics(IReadOnlyList<StepMetrics> Steps, IReadOnlyList<EpochMetrics> Epochs)
{
    /// <summary>Both halves' losses against the step: F1 (L -&gt; ab) and F2 (ab -&gt; L).</summary>
    /// <param name="title">The chart's title.</param>
    /// <returns>A line chart.</returns>
    /// <exception cref="InvalidOperationException">There are no step lines yet.</exception>
    public Chart LossChart(string title = "Pretraining loss") =>
        Plots.Lines(title, "step", "cross-entropy",
        [
            Line("F1: L \u2192 ab", m => m.LossF1),
            Line("F2: ab \u2192 L", m => m.LossF2),
        ]);

    /// <summary>Both halves' pixel accuracies against the step.</summary>
    /// <param name="title">The chart's title.</param>
    /// <returns>A line chart.</returns>
    /// <exception cref="InvalidOperationException">There are no step lines yet.</exception>
    public Chart AccuracyChart(string title = "Pixel accuracy") =>
        Plots.Lines(title, "step", "fraction of positions in the right bin",
        [
            Line("F1: L \u2192 ab", m => m.AccuracyF1),
            Line("F2: ab \u2192 L", m => m.AccuracyF2),
        ]);

    /// <summary>The epoch lines as a table.</summary>
    /// <returns>One row per epoch.</returns>
    public Table EpochTable() => new(
        ["epoch", "step", "loss F1", "loss F2", "acc F1", "acc F2", "images/s", "seconds"],
        Epochs.Select(e => (IReadOnlyList<object?>)[e.Epoch, e.Step, e.LossF1, e.LossF2, e.AccuracyF1, e.AccuracyF2, e.ImagesPerSecond, e.Seconds]),
        "Epochs");

    private Series Line(string name, Func<StepMetrics, double> value)
    {
        if (Steps.Count == 0)
        {
            throw new InvalidOperationException("The run has no metrics yet: train it first (Fit), then draw its curves.");
        }

        return new Series(name, [.. Steps.Select(s => (double)s.Step)], [.. Steps.Select(value)]);
    }
}
