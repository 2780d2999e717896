using SplitBrain.Display;
using SplitBrain.Runs;

namespace SplitBrain.Training;

/// <summary>The lines of a run's <c>metrics.jsonl</c>, read back (<see cref="PretrainingRuns.ReadMetrics"/>), with the charts a
/// notebook draws from them: whatever metrics the run's objective recorded, by name.</summary>
/// <param name="Steps">The step lines, in order.</param>
/// <param name="Epochs">The epoch lines, in order.</param>
/// <param name="Losses">Which of the metrics are losses (the objective's first <see cref="Objectives.PretrainObjective.LossCount"/>
/// names); null to tell them by name (<see cref="IsLoss"/>).</param>
public sealed record RunMetrics(IReadOnlyList<StepMetrics> Steps, IReadOnlyList<EpochMetrics> Epochs, IReadOnlyList<string>? Losses = null)
{
    /// <summary>Every metric name the run recorded, in the order the lines hold them (step lines first).</summary>
    public IReadOnlyList<string> Names =>
        [.. Steps.SelectMany(s => s.Metrics.Keys).Concat(Epochs.SelectMany(e => e.Metrics.Keys)).Distinct(StringComparer.Ordinal)];

    /// <summary>The recorded metrics that are losses (split-brain: <c>lossF1</c>, <c>lossF2</c>).</summary>
    public IReadOnlyList<string> LossNames => [.. Names.Where(IsLossHere)];

    /// <summary>The recorded metrics that are not losses (split-brain: <c>accF1</c>, <c>accF2</c>).</summary>
    public IReadOnlyList<string> OtherNames => [.. Names.Where(n => !IsLossHere(n))];

    /// <summary>Every loss the run recorded against the step (split-brain: F1, L -&gt; ab, and F2, ab -&gt; L).</summary>
    /// <param name="title">The chart's title.</param>
    /// <returns>A line chart.</returns>
    /// <exception cref="InvalidOperationException">There are no step lines yet.</exception>
    public Chart LossChart(string title = "Pretraining loss") => Plots.Lines(title, "step", "loss", Lines(LossNames));

    /// <summary>Every other metric the run recorded against the step (split-brain: both halves' pixel accuracies).</summary>
    /// <param name="title">The chart's title; "Pixel accuracy" when every metric is an accuracy, else "Metrics".</param>
    /// <returns>A line chart.</returns>
    /// <exception cref="InvalidOperationException">There are no step lines yet, or the run recorded only losses.</exception>
    public Chart AccuracyChart(string? title = null)
    {
        var names = OtherNames;
        var accuracies = names.Count > 0 && names.All(IsAccuracy);
        if (names.Count == 0 && Steps.Count > 0)
            throw new InvalidOperationException($"The run recorded only losses ({string.Join(", ", Names)}): draw them with {nameof(LossChart)}.");
        return Plots.Lines(title ?? (accuracies ? "Pixel accuracy" : "Metrics"), "step",
            accuracies ? "fraction of positions in the right bin" : "value", Lines(names));
    }

    /// <summary>The epoch lines as a table: a column per recorded metric.</summary>
    /// <returns>One row per epoch.</returns>
    public Table EpochTable()
    {
        var names = Epochs.SelectMany(e => e.Metrics.Keys).Distinct(StringComparer.Ordinal).ToList();
        return new(["epoch", "step", .. names.Select(TrainingProgress.Label), "images/s", "seconds"],
            Epochs.Select(e => (IReadOnlyList<object?>)[e.Epoch, e.Step, .. names.Select(n => (object?)e[n]), e.ImagesPerSecond, e.Seconds]),
            "Epochs");
    }

    /// <summary>Whether a metric is a loss by its name, for a run whose objective is not known here: it starts with
    /// <c>loss</c> or ends with <c>Loss</c> (<c>lossF1</c>, <c>colourLoss</c>).</summary>
    /// <param name="name">A metric name.</param>
    public static bool IsLoss(string name) =>
        name.StartsWith("loss", StringComparison.Ordinal) || name.EndsWith("Loss", StringComparison.Ordinal);

    /// <summary>A metric's name in a chart's legend: <see cref="TrainingProgress.Label"/>, the halves said in full
    /// (<c>lossF1</c> reads <c>loss F1: L → ab</c>, <c>accF2</c> <c>acc F2: ab → L</c>).</summary>
    internal static string Label(string name) =>
        TrainingProgress.Label(name).Replace("F1", "F1: L \u2192 ab", StringComparison.Ordinal).Replace("F2", "F2: ab \u2192 L", StringComparison.Ordinal);

    private static bool IsAccuracy(string name) =>
        name.StartsWith("acc", StringComparison.Ordinal) || name.EndsWith("Accuracy", StringComparison.Ordinal);

    private bool IsLossHere(string name) => Losses?.Contains(name) ?? IsLoss(name);

    private IEnumerable<Series> Lines(IReadOnlyList<string> names)
    {
        if (Steps.Count == 0)
            throw new InvalidOperationException("The run has no metrics yet: train it first (Fit), then draw its curves.");
        return names.Select(name => new Series(Label(name), [.. Steps.Select(s => (double)s.Step)], [.. Steps.Select(s => s[name])]));
    }
}
