using System.Text.Json.Nodes;

namespace SplitBrain.Runs;

/// <summary>
/// The <c>state.json</c> of a checkpoint, for every kind of run: the <see cref="RunPosition"/> (written flat, so that the
/// fields <see cref="CheckpointHeader"/> reads stay at the top and older checkpoints still read), what the registered
/// observers keep, and the list of the checkpoint's files (model, optimizer, random states, config) with their
/// sizes and hashes.
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
/// <param name="Window">Unused since observers keep their own state (<paramref name="Observers"/>); read from older checkpoints.</param>
/// <param name="LastEpoch">The last whole epoch's metrics (for the summary), or null before the first.</param>
/// <param name="Task">Unused since state that survives a resume is an observer's (<paramref name="Observers"/>); read from
/// older checkpoints.</param>
/// <param name="Timing">The timing of the run's first steps and, once a <see cref="TrainingBudget.Minutes"/> budget is fixed,
/// its step count; null in checkpoints written before budgets existed.</param>
/// <param name="Observers">The state of each observer registered with the engine (<see cref="ICheckpointed"/>), by name.</param>
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
    StepTotals? Window,
    Dictionary<string, double>? LastEpoch,
    JsonObject? Task,
    StepTiming? Timing = null,
    JsonObject? Observers = null)
{
    /// <summary>The state of a checkpoint at <paramref name="position"/>.</summary>
    internal static CheckpointState Of(RunPosition position, JsonObject? observers) =>
        new(position.Step, position.CompletedEpochs, position.BatchesIntoEpoch, [], DateTime.UtcNow, position.ElapsedSeconds,
            position.TrainSeconds, position.Images, position.Epoch, null, position.LastEpoch?.ToDictionary(), null, position.Timing, observers);

    /// <summary>Where the run was, whole.</summary>
    internal RunPosition Position =>
        new(Step, CompletedEpochs, BatchesIntoEpoch, ElapsedSeconds, TrainSeconds, Images, Epoch, LastEpoch, Timing ?? StepTiming.None);
}
