using System.Text.Json.Nodes;

namespace SplitBrain.Runs;

/// <summary>
/// The <c>state.json</c> of a checkpoint, for every kind of run: where the run was, the engine's running sums, and the
/// list of the checkpoint's files (model, optimizer, random states, config) with their sizes and hashes.
/// </summary>
/// <param name="Step">Steps done.</param>
/// <param name="CompletedEpochs">Whole epochs done.</param>
/// <param name="BatchesIntoEpoch">Batches of the next epoch done.</param>
/// <param name="Files">The checkpoint's other files, with sizes and SHA-256.</param>
/// <param name="Written">When it was written (UTC).</param>
/// <param name="ElapsedSeconds">Wall-clock seconds of the run so far.</param>
/// <param name="TrainSeconds">Seconds spent in steps so far.</param>
/// <param name="Images">Images trained on so far.</param>
/// <param name="Epoch">Running sums of the epoch in progress, so that its epoch line covers all of it after a resume.</param>
/// <param name="Window">Running sums since the last step line, so that the next line covers the same steps after a resume.</param>
/// <param name="LastEpoch">The last whole epoch's metrics (for the summary), or null before the first.</param>
/// <param name="Task">What the task keeps between epochs (<see cref="TrainingTask.SavedState"/>), or null.</param>
/// <param name="Timing">The timing of the run's first steps and, once a <see cref="TrainingBudget.Minutes"/> budget is fixed,
/// its step count; null in checkpoints written before budgets existed.</param>
internal sealed record CheckpointState(
    long Step,
    int CompletedEpochs,
    int BatchesIntoEpoch,
    CheckpointFile[] Files,
    DateTime Written,
    double ElapsedSeconds,
    double TrainSeconds,
    long Images,
    StepTotals Epoch,
    StepTotals Window,
    Dictionary<string, double>? LastEpoch,
    JsonObject? Task,
    StepTiming? Timing = null);

/// <summary>
/// What a run knows of its speed, for a <see cref="TrainingBudget.Minutes"/> budget: the seconds of its first
/// <see cref="TrainingBudget.UntimedSteps"/> steps (warm-up), of the <see cref="TrainingBudget.TimedSteps"/> after them
/// (recorded in every run, so that a run may switch to minutes when it resumes) and, once fixed, the rate and the step count
/// the minutes bought. A resumed run keeps the count rather than timing again.
/// </summary>
/// <param name="TimedSteps">Steps timed so far, up to <see cref="TrainingBudget.TimedSteps"/>.</param>
/// <param name="TimedSeconds">Their seconds.</param>
/// <param name="UntimedSeconds">Seconds of the steps before them (the warm-up).</param>
/// <param name="SecondsPerStep">The rate the step count was fixed at, or null before.</param>
/// <param name="Minutes">The minutes the count was fixed for, or null before.</param>
/// <param name="Steps">The step count fixed for <paramref name="Minutes"/>, or null before.</param>
internal sealed record StepTiming(
    int TimedSteps,
    double TimedSeconds,
    double UntimedSeconds,
    double? SecondsPerStep = null,
    double? Minutes = null,
    long? Steps = null)
{
    /// <summary>Nothing timed yet.</summary>
    internal static StepTiming None { get; } = new(0, 0, 0);

    /// <summary>Whether every step of the window is timed.</summary>
    internal bool Complete => TimedSteps >= TrainingBudget.TimedSteps;

    /// <summary>The mean seconds of the timed steps, or null before one.</summary>
    internal double? Rate => TimedSteps > 0 ? TimedSeconds / TimedSteps : null;
}

/// <summary>Sums over some steps (of an epoch so far, or since the last step line): each metric weighted by its batch's
/// images, so that the means are means over images.</summary>
/// <param name="Steps">Steps summed.</param>
/// <param name="Images">Images summed.</param>
/// <param name="Seconds">Seconds of those steps.</param>
/// <param name="Sums">For each metric, the sum of value times images.</param>
internal sealed record StepTotals(int Steps, long Images, double Seconds, double[] Sums)
{
    /// <summary>Nothing summed yet, for <paramref name="metrics"/> metrics.</summary>
    internal static StepTotals Empty(int metrics) => new(0, 0, 0, new double[metrics]);

    /// <summary>These sums and one more step.</summary>
    internal StepTotals Add(StepOutcome step, double seconds) =>
        new(Steps + 1, Images + step.Images, Seconds + seconds, [.. Sums.Zip(step.Values, (sum, value) => sum + value * step.Images)]);

    /// <summary>The means over the images summed (NaN before any).</summary>
    internal double[] Means() => [.. Sums.Select(sum => Images > 0 ? sum / Images : double.NaN)];

    /// <summary>Images per second of the steps summed.</summary>
    internal double ImagesPerSecond => Images / Math.Max(Seconds, 1e-9);
}
