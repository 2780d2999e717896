namespace SplitBrain.Runs;

/// <summary>
/// What a session of <see cref="Trainer.Fit"/> leaves in <c>summary.json</c>: how far the run got, its last epoch's metrics,
/// its speed and time, where it ran, what guarded it, and what its length (epochs or a <see cref="TrainingBudget"/>) bought:
/// steps, images, epochs with their fraction, seconds of training.
/// </summary>
/// <param name="Run">The run's name.</param>
/// <param name="Kind">The kind of run.</param>
/// <param name="Steps">Steps done (over every session).</param>
/// <param name="Epochs">Whole epochs done.</param>
/// <param name="Metrics">The last whole epoch's means by metric name (e.g. <c>lossF1</c>, <c>trainAccuracy</c>), and what
/// its end measured (e.g. <c>testAccuracy</c>); empty before the first epoch ends.</param>
/// <param name="ImagesPerSecond">Images per second of training steps, over every session.</param>
/// <param name="TrainSeconds">Seconds spent in training steps, over every session.</param>
/// <param name="ElapsedSeconds">Wall-clock seconds of the run, over every session.</param>
/// <param name="Device">The device it trained on.</param>
/// <param name="Threads">TorchSharp's CPU threads.</param>
/// <param name="Precision">The floating-point precision of its compute.</param>
/// <param name="GcGuardMilliseconds">Mean cost per step of the no-GC regions around the steps (<see cref="NoGcRegion"/>).</param>
/// <param name="GcRegionsLost">Steps whose no-GC region the runtime ended early (another thread allocated past the budget).</param>
/// <param name="LastCheckpoint">The newest checkpoint's folder, or null.</param>
/// <param name="Finished">When the session ended (UTC).</param>
/// <param name="Images">Images trained on (over every session): what the run bought, with <paramref name="Steps"/>.</param>
/// <param name="EpochsTrained">Epochs trained, with the fraction of a partial last one (e.g. 3.4 when a budget ends the run
/// inside the fourth).</param>
/// <param name="TotalSteps">The run's planned steps: its epochs' steps, or its <paramref name="Budget"/>'s (for minutes, the
/// count fixed from the timed steps; an estimate while they are timed).</param>
/// <param name="Budget">The budget asked for (steps or minutes), or null for a run of whole epochs.</param>
/// <param name="Complete">Whether the run's training is done (its epochs or budget, or the task stopped early); false for
/// a run stopped before (cancelled), which a new trainer on its folder continues.</param>
public sealed record RunSummary(
    string Run,
    RunKind Kind,
    long Steps,
    int Epochs,
    IReadOnlyDictionary<string, double> Metrics,
    double ImagesPerSecond,
    double TrainSeconds,
    double ElapsedSeconds,
    string Device,
    int Threads,
    string Precision,
    double GcGuardMilliseconds,
    int GcRegionsLost,
    string? LastCheckpoint,
    DateTime Finished,
    long Images = 0,
    double EpochsTrained = 0,
    long TotalSteps = 0,
    TrainingBudget? Budget = null,
    bool Complete = false)
{
    /// <summary>The last epoch's mean of metric <paramref name="name"/>, or NaN before the first epoch ends.</summary>
    /// <param name="name">A metric name, e.g. <c>lossF1</c>.</param>
    public double Metric(string name) => Metrics.TryGetValue(name, out var value) ? value : double.NaN;

    /// <summary>The summary of <paramref name="trainer"/>'s run now.</summary>
    internal static RunSummary Of(Trainer trainer)
    {
        var (position, session, task) = (trainer.Position, trainer.Session, trainer.Task);
        return new(trainer.Run?.Name ?? trainer.Title, trainer.Identity?.Kind ?? RunKind.Unknown, position.Step, position.CompletedEpochs,
            trainer.LastEpoch.ToDictionary(), position.Images / Math.Max(position.TrainSeconds, 1e-9), position.TrainSeconds,
            trainer.ElapsedSeconds, task.Device.ToString(), TorchSharp.torch.get_num_threads(), task.ComputeTypeDescription,
            session.GuardMilliseconds, session.RegionsLost, trainer.LastCheckpoint?.Path, DateTime.UtcNow, position.Images,
            trainer.EpochsTrained, trainer.TotalSteps, trainer.Settings.Budget, trainer.IsComplete);
    }
}
