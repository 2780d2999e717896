namespace SplitBrain.Runs;

/// <summary>
/// Where a run is: everything the engine counts, in one record that a checkpoint saves and a resumed run restores whole
/// (<see cref="CheckpointState"/>), for every kind of run.
/// </summary>
/// <param name="Step">Steps done (including earlier sessions of a resumed run).</param>
/// <param name="CompletedEpochs">Whole epochs done.</param>
/// <param name="BatchesIntoEpoch">Batches of the current epoch done.</param>
/// <param name="ElapsedSeconds">Wall-clock seconds of earlier sessions (and of this one before the current fit).</param>
/// <param name="TrainSeconds">Seconds spent in steps so far: what a minutes budget counts.</param>
/// <param name="Images">Images trained on so far.</param>
/// <param name="Epoch">Running sums of the epoch in progress (its metrics' means over images, its speed).</param>
/// <param name="LastEpoch">The last whole epoch's means and what its end measured, by name; null before the first.</param>
/// <param name="Timing">The first steps' speed and a minutes budget's fixed count (<see cref="TrainingBudget"/>).</param>
public sealed record RunPosition(
    long Step,
    int CompletedEpochs,
    int BatchesIntoEpoch,
    double ElapsedSeconds,
    double TrainSeconds,
    long Images,
    StepTotals Epoch,
    IReadOnlyDictionary<string, double>? LastEpoch,
    StepTiming Timing)
{
    /// <summary>A fresh run's position, for <paramref name="metrics"/> metrics.</summary>
    /// <param name="metrics">How many metrics a step reports.</param>
    public static RunPosition Start(int metrics) => new(0, 0, 0, 0, 0, 0, StepTotals.Empty(metrics), null, StepTiming.None);

    /// <summary>Epochs trained, with the fraction of the current one (e.g. 3.4).</summary>
    /// <param name="stepsPerEpoch">Steps in one epoch.</param>
    public double EpochsTrained(int stepsPerEpoch) => CompletedEpochs + (double)BatchesIntoEpoch / stepsPerEpoch;

    /// <summary>The position after one more step of <paramref name="seconds"/>.</summary>
    internal RunPosition After(StepOutcome step, double seconds) => this with
    {
        Step = Step + 1,
        BatchesIntoEpoch = BatchesIntoEpoch + 1,
        Images = Images + step.Images,
        TrainSeconds = TrainSeconds + seconds,
        Epoch = Epoch.Add(step, seconds),
    };

    /// <summary>The position after the current epoch's last batch: the next epoch, its sums empty.</summary>
    internal RunPosition NextEpoch() =>
        this with { CompletedEpochs = CompletedEpochs + 1, BatchesIntoEpoch = 0, Epoch = StepTotals.Empty(Epoch.Sums.Length) };
}
