namespace SplitBrain.Runs;

/// <summary>How long a <see cref="Trainer"/> trains and how often it writes what to its run folder.</summary>
/// <param name="Epochs">Passes over the data, at least 1; what ends the run unless there is a <paramref name="Budget"/>.</param>
/// <param name="LogEverySteps">A step line in <c>metrics.jsonl</c> every this many steps (and at each epoch's last); 0
/// for epoch lines only.</param>
/// <param name="CheckpointEverySteps">A checkpoint every this many steps; 0 for none between epochs.</param>
/// <param name="CheckpointEveryEpochs">A checkpoint after every this many epochs; 0 for none but the last. (The last
/// epoch, a cancellation and a step checkpoint always write one.)</param>
/// <param name="KeepCheckpoints">Checkpoints kept, at least 1.</param>
/// <param name="Budget">Optimizer steps or minutes of training that end the run instead of <paramref name="Epochs"/>
/// (<see cref="TrainingBudget"/>); null (the default) for whole epochs.</param>
public sealed record TrainerConfig(
    int Epochs,
    int LogEverySteps = 0,
    int CheckpointEverySteps = 0,
    int CheckpointEveryEpochs = 1,
    int KeepCheckpoints = 2,
    TrainingBudget? Budget = null)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field out of range.</summary>
    /// <returns>These settings.</returns>
    public TrainerConfig Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfNegative(LogEverySteps, nameof(LogEverySteps));
        ArgumentOutOfRangeException.ThrowIfNegative(CheckpointEverySteps, nameof(CheckpointEverySteps));
        ArgumentOutOfRangeException.ThrowIfNegative(CheckpointEveryEpochs, nameof(CheckpointEveryEpochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(KeepCheckpoints, 1, nameof(KeepCheckpoints));
        Budget?.Validate(nameof(TrainerConfig));
        return this;
    }
}
