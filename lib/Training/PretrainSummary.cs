namespace SplitBrain.Training;

/// <summary>What a finished (or stopped) pretraining run achieved: <c>summary.json</c> in its folder.</summary>
/// <param name="Run">The run's name (its folder's name).</param>
/// <param name="Steps">Steps done.</param>
/// <param name="Epochs">Epochs done.</param>
/// <param name="LossF1">F1's (L -&gt; ab) mean loss over the last epoch.</param>
/// <param name="LossF2">F2's (ab -&gt; L) mean loss over the last epoch.</param>
/// <param name="AccuracyF1">F1's mean pixel accuracy over the last epoch.</param>
/// <param name="AccuracyF2">F2's mean pixel accuracy over the last epoch.</param>
/// <param name="ImagesPerSecond">Images trained per second over all steps (previews and checkpoints not counted).</param>
/// <param name="TrainSeconds">Seconds spent in training steps.</param>
/// <param name="ElapsedSeconds">Wall-clock seconds of the run, summed over resumed sessions.</param>
/// <param name="Device">The device it ran on (of the last session).</param>
/// <param name="Threads">TorchSharp's CPU threads (of the last session).</param>
/// <param name="GcGuardMilliseconds">Mean cost per step of entering and leaving the no-GC region around it
/// (<see cref="NoGcRegion"/>), in milliseconds (last session).</param>
/// <param name="GcRegionsLost">Steps whose no-GC region ended early because the process allocated more than its budget
/// (last session); 0 is expected.</param>
/// <param name="LastCheckpoint">The last checkpoint's folder, or null.</param>
/// <param name="Finished">When the summary was written (UTC).</param>
public sealed record PretrainSummary(
    string Run,
    long Steps,
    int Epochs,
    double LossF1,
    double LossF2,
    double AccuracyF1,
    double AccuracyF2,
    double ImagesPerSecond,
    double TrainSeconds,
    double ElapsedSeconds,
    string Device,
    int Threads,
    double GcGuardMilliseconds,
    int GcRegionsLost,
    string? LastCheckpoint,
    DateTime Finished);
