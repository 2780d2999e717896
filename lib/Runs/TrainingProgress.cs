using System.Globalization;

namespace SplitBrain.Runs;

/// <summary>
/// Where a run stands: what <see cref="Trainer.Fit"/> reports to its <see cref="IProgress{T}"/> after every step and at
/// every epoch's end, for every kind of run. <c>SplitBrain.Display.TrainingProgressView.ToView</c> draws it as a progress bar.
/// </summary>
/// <param name="Title">What trains, e.g. <c>pretraining small-1</c>.</param>
/// <param name="Step">Steps done (the step just taken; the first is 1).</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="Epoch">The epoch the step belongs to, from 1.</param>
/// <param name="Epochs">Epochs of the run.</param>
/// <param name="Batch">Batches of this epoch done, from 1.</param>
/// <param name="BatchesPerEpoch">Batches in an epoch.</param>
/// <param name="Names">The names of the run's metrics (e.g. <c>lossF1</c>, <c>lossF2</c>, <c>accF1</c>, <c>accF2</c>).</param>
/// <param name="Values">This step's values of the metrics, in <paramref name="Names"/>' order.</param>
/// <param name="EpochMeans">The means of the metrics over the epoch so far (over the whole epoch at its end).</param>
/// <param name="LearningRate">This step's learning rate.</param>
/// <param name="ImagesPerSecond">Recent training speed (smoothed over the last steps).</param>
/// <param name="Elapsed">Time since the run started (summed over resumed sessions).</param>
/// <param name="Remaining">Estimated time to the end of the run at the recent speed; null before the speed is known.</param>
/// <param name="Status">What is happening besides training steps (e.g. "epoch 2 done"), or null for a step.</param>
/// <param name="Budget">The run's budget (steps or minutes), or null for whole epochs.</param>
/// <param name="TotalIsEstimate">True while a <see cref="TrainingBudget.Minutes"/> budget is timing its first steps:
/// <paramref name="TotalSteps"/> is then an estimate, fixed within <see cref="TrainingBudget.CalibratedBy"/> steps.</param>
/// <param name="Images">Images trained on so far (summed over resumed sessions).</param>
/// <param name="EpochsTrained">Epochs trained so far, with the fraction of the current one.</param>
/// <param name="TrainSeconds">Seconds spent in training steps so far (summed over resumed sessions): what a minutes budget
/// counts.</param>
public sealed record TrainingProgress(
    string Title,
    long Step,
    long TotalSteps,
    int Epoch,
    int Epochs,
    int Batch,
    int BatchesPerEpoch,
    IReadOnlyList<string> Names,
    IReadOnlyList<double> Values,
    IReadOnlyList<double> EpochMeans,
    double LearningRate,
    double ImagesPerSecond,
    TimeSpan Elapsed,
    TimeSpan? Remaining,
    string? Status = null,
    TrainingBudget? Budget = null,
    bool TotalIsEstimate = false,
    long Images = 0,
    double EpochsTrained = 0,
    double TrainSeconds = 0)
{
    /// <summary>A progress that ignores every report: <c>trainer.Fit(TrainingProgress.None)</c> trains silently.</summary>
    public static IProgress<TrainingProgress> None { get; } = new ProgressRelay<TrainingProgress>(_ => { });

    /// <summary>The fraction of the run done, 0..1.</summary>
    public double Fraction => TotalSteps <= 0 ? 1 : Math.Min(1, (double)Step / TotalSteps);

    /// <summary>This step's value of metric <paramref name="name"/>.</summary>
    /// <param name="name">A metric name, e.g. <c>lossF1</c>.</param>
    /// <exception cref="KeyNotFoundException">The run has no such metric.</exception>
    public double this[string name] => Values[IndexOf(name)];

    /// <summary>The epoch's mean so far of metric <paramref name="name"/>.</summary>
    /// <param name="name">A metric name, e.g. <c>trainAccuracy</c>.</param>
    /// <exception cref="KeyNotFoundException">The run has no such metric.</exception>
    public double EpochMean(string name) => EpochMeans[IndexOf(name)];

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Title}: step {Step} / {(TotalIsEstimate ? "~" : "")}{TotalSteps}, "
        + string.Join(", ", Names.Select((name, i) => $"{Label(name)} {Format(name, EpochMeans[i])}"))
        + (Status is null ? "" : $" ({Status})");

    /// <summary>A metric's name for people: <c>lossF1</c> reads <c>loss F1</c>, <c>trainAccuracy</c> <c>train accuracy</c>.</summary>
    internal static string Label(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) && !char.IsUpper(name[i - 1]) ? " " + char.ToLowerInvariant(c) : c.ToString()))
            .Replace(" f1", " F1").Replace(" f2", " F2");

    /// <summary>A metric's value for people: accuracies in percent, the rest with three decimals.</summary>
    internal static string Format(string name, double value) =>
        name.StartsWith("acc", StringComparison.Ordinal) || name.EndsWith("Accuracy", StringComparison.Ordinal)
            ? (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%"
            : value.ToString("0.000", CultureInfo.InvariantCulture);

    private int IndexOf(string name)
    {
        for (var i = 0; i < Names.Count; i++)
            if (Names[i] == name)
                return i;
        throw new KeyNotFoundException($"This run has no metric '{name}'; it has {string.Join(", ", Names)}.");
    }

    internal static string Clock(TimeSpan t) =>
        t.TotalHours >= 1
            ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}"
            : $"{t.Minutes}:{t.Seconds:00}";
}
