using System.Globalization;
using SplitBrain.Display;

namespace SplitBrain.Training;

/// <summary>
/// Where a training run stands after a step: what <see cref="Pretrainer.Fit"/> reports to its
/// <see cref="IProgress{T}"/> after every step and at every epoch's end. <see cref="ToView"/> draws it as a progress bar.
/// </summary>
/// <param name="Run">The run's name.</param>
/// <param name="Step">Steps done (the step just taken; the first is 1).</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="Epoch">The epoch the step belongs to, from 1.</param>
/// <param name="Epochs">Epochs of the run.</param>
/// <param name="Batch">Batches of this epoch done, from 1.</param>
/// <param name="BatchesPerEpoch">Batches in an epoch.</param>
/// <param name="LossF1">This step's loss of F1 (L -&gt; ab).</param>
/// <param name="LossF2">This step's loss of F2 (ab -&gt; L).</param>
/// <param name="AccuracyF1">This step's pixel accuracy of F1.</param>
/// <param name="AccuracyF2">This step's pixel accuracy of F2.</param>
/// <param name="LearningRate">This step's learning rate.</param>
/// <param name="ImagesPerSecond">Recent training speed (smoothed over the last steps).</param>
/// <param name="Elapsed">Time since the run started (summed over resumed sessions).</param>
/// <param name="Remaining">Estimated time to the end of the run at the recent speed; null before the speed is known.</param>
/// <param name="Status">What is happening besides training steps (e.g. "epoch 2 done"), or null.</param>
public sealed record TrainingProgress(
    string Run,
    long Step,
    long TotalSteps,
    int Epoch,
    int Epochs,
    int Batch,
    int BatchesPerEpoch,
    double LossF1,
    double LossF2,
    double AccuracyF1,
    double AccuracyF2,
    double LearningRate,
    double ImagesPerSecond,
    TimeSpan Elapsed,
    TimeSpan? Remaining,
    string? Status = null)
{
    /// <summary>A progress that ignores every report: <c>trainer.Fit(TrainingProgress.None)</c> trains silently.</summary>
    public static IProgress<TrainingProgress> None { get; } = new Ignore();

    /// <summary>The fraction of the run done, 0..1.</summary>
    public double Fraction => TotalSteps <= 0 ? 1 : Math.Min(1, (double)Step / TotalSteps);

    /// <summary>A progress bar with the numbers: losses, accuracies, learning rate, speed, time.</summary>
    /// <returns>The view (HTML in notebooks, one line in a console).</returns>
    public ProgressView ToView() => new(
        $"pretraining {Run}",
        Fraction,
        $"step {Step} / {TotalSteps}",
        [
            ("epoch", $"{Epoch}/{Epochs}"),
            ("loss F1", Number(LossF1, "0.000")),
            ("loss F2", Number(LossF2, "0.000")),
            ("acc F1", Number(AccuracyF1 * 100, "0.0") + "%"),
            ("acc F2", Number(AccuracyF2 * 100, "0.0") + "%"),
            ("lr", LearningRate.ToString("0.##e0", CultureInfo.InvariantCulture)),
            ("images/s", Number(ImagesPerSecond, "0")),
            ("elapsed", Clock(Elapsed)),
            ("left", Remaining is { } left ? Clock(left) : "?"),
        ],
        Status);

    /// <inheritdoc/>
    public override string ToString() => ToView().ToText();

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Clock(TimeSpan t) =>
        t.TotalHours >= 1
            ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}"
            : $"{t.Minutes}:{t.Seconds:00}";

    private sealed class Ignore : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
        }
    }
}
