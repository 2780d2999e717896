namespace SplitBrain.Runs;

/// <summary>
/// A learning-rate schedule: the rate of each step given the run's total steps, which the engine (<see cref="Trainer"/>)
/// gets from its epochs or its <see cref="TrainingBudget"/> and passes in, so that a schedule that decays over the run spans
/// exactly the steps trained. A pure function of the step, so a resumed run needs no scheduler state.
/// </summary>
/// <remarks>The engine applies the rate to every parameter group of the task's optimizer, keeping the groups' ratios as the
/// optimizer was built (e.g. a classifier's backbone at half the head's rate): group i trains at
/// <c>rate * base_i / base_0</c>, so the rate is the first group's.</remarks>
public abstract class RateSchedule
{
    /// <summary>The rate of step <paramref name="step"/> (0-based) in a run of <paramref name="totalSteps"/> steps.</summary>
    /// <param name="step">Steps done before it.</param>
    /// <param name="totalSteps">Steps of the whole run. While a <see cref="TrainingBudget.Minutes"/> budget is being timed
    /// (its first <see cref="TrainingBudget.CalibratedBy"/> steps at most) this is an estimate, which a schedule must not
    /// depend on then.</param>
    public abstract double RateAt(long step, long totalSteps);

    /// <summary>The same rate at every step.</summary>
    /// <param name="rate">The rate, &gt; 0.</param>
    public static RateSchedule Constant(double rate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        return new Function((_, _) => rate);
    }

    /// <summary>A schedule computed by <paramref name="rateAt"/> (step, total steps).</summary>
    /// <param name="rateAt">The rate of (step, total steps).</param>
    public static RateSchedule Of(Func<long, long, double> rateAt)
    {
        ArgumentNullException.ThrowIfNull(rateAt);
        return new Function(rateAt);
    }

    private sealed class Function(Func<long, long, double> rateAt) : RateSchedule
    {
        public override double RateAt(long step, long totalSteps) => rateAt(step, totalSteps);
    }
}
