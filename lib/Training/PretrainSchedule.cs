using SplitBrain.Runs;

namespace SplitBrain.Training;

/// <summary>
/// Pretraining's learning rate (<see cref="PretrainConfig.Schedule"/>): a linear warm-up over
/// <see cref="PretrainConfig.WarmupSteps"/> steps, then a cosine decaying to 0 at the run's last step, a step decay, or a
/// constant. The engine passes the run's total steps (its epochs' or its budget's; see <see cref="TrainingBudget"/>).
/// </summary>
/// <param name="config">The settings (rate, warm-up, schedule, and whether the budget is in minutes).</param>
/// <param name="stepsPerEpoch">Steps in one epoch (for <see cref="LearningRateSchedule.Step"/>), at least 1.</param>
public sealed class PretrainSchedule(PretrainConfig config, int stepsPerEpoch) : RateSchedule
{
    private readonly PretrainConfig _config = config ?? throw new ArgumentNullException(nameof(config));
    private readonly int _stepsPerEpoch = stepsPerEpoch >= 1 ? stepsPerEpoch : throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch));

    /// <summary>
    /// The rate of step <paramref name="step"/> (0-based) in a run of <paramref name="totalSteps"/> steps. With
    /// <see cref="PretrainConfig.Minutes"/> the decay starts no earlier than step <see cref="TrainingBudget.CalibratedBy"/>,
    /// by which the count is fixed: the rates before it are the same whatever <paramref name="totalSteps"/> is.
    /// </summary>
    /// <param name="step">The step, from 0.</param>
    /// <param name="totalSteps">Steps of the whole run (the engine's <see cref="Trainer.TotalSteps"/>).</param>
    /// <returns>The learning rate, &gt; 0 except at the very end of a cosine schedule.</returns>
    public override double RateAt(long step, long totalSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfNegative(totalSteps);
        var c = _config;
        if (step < c.WarmupSteps)
            return c.LearningRate * (step + 1) / c.WarmupSteps;

        var decayStart = c.Minutes is null ? c.WarmupSteps : Math.Max(c.WarmupSteps, TrainingBudget.CalibratedBy);
        return c.Schedule switch
        {
            LearningRateSchedule.Cosine => totalSteps <= decayStart || step < decayStart
                ? c.LearningRate
                : c.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, (double)(step - decayStart) / (totalSteps - decayStart)))),
            LearningRateSchedule.Step => c.LearningRate * Math.Pow(c.StepFactor, step / _stepsPerEpoch / c.StepEpochs),
            _ => c.LearningRate,
        };
    }
}
