namespace SplitBrain.Runs;

/// <summary>
/// Thrown by <see cref="Trainer.Fit"/> when a step's loss is not a finite number (NaN or infinity): the weights are no
/// longer usable, so the run stops, naming the step and the last good checkpoint.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>An exception for a loss that went bad at <paramref name="step"/>.</summary>
    /// <param name="run">The run's name.</param>
    /// <param name="step">The step whose loss is not finite (the first step is 1).</param>
    /// <param name="losses">The step's losses by name.</param>
    /// <param name="lastCheckpoint">The last checkpoint written before it, or null.</param>
    public TrainingDivergedException(string run, long step, IReadOnlyDictionary<string, double> losses, CheckpointInfo? lastCheckpoint)
        : base(Describe(run, step, losses, lastCheckpoint))
    {
        Step = step;
        Losses = losses;
        LastCheckpoint = lastCheckpoint;
    }

    /// <summary>The step whose loss is not finite.</summary>
    public long Step { get; }

    /// <summary>The losses of that step, by name (e.g. <c>lossF1</c>, <c>lossF2</c>).</summary>
    public IReadOnlyDictionary<string, double> Losses { get; }

    /// <summary>The last checkpoint written before it, from which the run can be resumed (with a smaller learning rate in a
    /// new run, or as it is), or null.</summary>
    public CheckpointInfo? LastCheckpoint { get; }

    private static string Describe(string run, long step, IReadOnlyDictionary<string, double> losses, CheckpointInfo? checkpoint) =>
        $"The run '{run}' diverged: the loss is not finite at step {step} ({string.Join(", ", losses.Select(l => $"{l.Key} {l.Value}"))}). "
        + (checkpoint is null
            ? "No checkpoint had been written yet. "
            : $"The last good checkpoint is step {checkpoint.Step}: {checkpoint.Path}. ")
        + "Lower the learning rate (or add warm-up steps) and start a new run; creating the run again with the same config "
        + "resumes from that checkpoint as it is.";
}
