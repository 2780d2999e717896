namespace SplitBrain.Training;

/// <summary>
/// Thrown by <see cref="Pretrainer.Fit"/> when a step's loss is not a finite number (NaN or infinity): the weights are
/// no longer usable, so the run stops, naming the step and the last good checkpoint.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>An exception for a loss that went bad at <paramref name="step"/>.</summary>
    /// <param name="run">The run's name.</param>
    /// <param name="step">The step whose loss is not finite (the first step is 1).</param>
    /// <param name="lossF1">F1's loss at that step.</param>
    /// <param name="lossF2">F2's loss at that step.</param>
    /// <param name="lastCheckpoint">The last checkpoint written before it, or null.</param>
    public TrainingDivergedException(string run, long step, double lossF1, double lossF2, CheckpointInfo? lastCheckpoint)
        : base(Describe(run, step, lossF1, lossF2, lastCheckpoint))
    {
        Step = step;
        LossF1 = lossF1;
        LossF2 = lossF2;
        LastCheckpoint = lastCheckpoint;
    }

    /// <summary>The step whose loss is not finite.</summary>
    public long Step { get; }

    /// <summary>F1's loss at that step.</summary>
    public double LossF1 { get; }

    /// <summary>F2's loss at that step.</summary>
    public double LossF2 { get; }

    /// <summary>The last good checkpoint, or null when none was written.</summary>
    public CheckpointInfo? LastCheckpoint { get; }

    private static string Describe(string run, long step, double lossF1, double lossF2, CheckpointInfo? checkpoint) =>
        $"Pretraining run '{run}' diverged: the loss is not finite at step {step} (F1 {lossF1}, F2 {lossF2}). "
        + (checkpoint is null
            ? "No checkpoint had been written yet. "
            : $"The last good checkpoint is step {checkpoint.Step}: {checkpoint.Path}. ")
        + "Lower the LearningRate (or add WarmupSteps) and start a new run; creating a Pretrainer with the same config and "
        + "run resumes from that checkpoint as it is.";
}
