namespace SplitBrain.Runs;

/// <summary>
/// What a session of <see cref="Trainer.Fit"/> leaves in <c>summary.json</c>: how far the run got, its last epoch's metrics,
/// its speed and time, where it ran, and what guarded it.
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
    DateTime Finished)
{
    /// <summary>The last epoch's mean of metric <paramref name="name"/>, or NaN before the first epoch ends.</summary>
    /// <param name="name">A metric name, e.g. <c>lossF1</c>.</param>
    public double Metric(string name) => Metrics.TryGetValue(name, out var value) ? value : double.NaN;
}
