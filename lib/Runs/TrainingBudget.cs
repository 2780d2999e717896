using System.Globalization;

namespace SplitBrain.Runs;

/// <summary>
/// How long a run trains when its length is not whole epochs: a number of optimizer steps, or minutes of training steps.
/// The engine (<see cref="Trainer"/>) applies it to every kind of run alike (<c>PretrainConfig.Steps</c> /
/// <c>PretrainConfig.Minutes</c>, <c>ClassifierTrainingConfig.Steps</c> / <c>ClassifierTrainingConfig.Minutes</c>); exactly one of the two is
/// set.
/// </summary>
/// <remarks>
/// <para>With a budget the run trains exactly its steps, whatever the epochs, possibly ending inside an epoch (that last,
/// partial epoch still ends like an epoch: its epoch line, the task's end of epoch, a checkpoint), and the learning-rate
/// schedule spans exactly those steps.</para>
/// <para>Minutes become steps once, so that the run stays deterministic and resumes exactly: the engine times the steps
/// after the first <see cref="UntimedSteps"/> (which pay for warm-up: allocator, JIT, the kernels' first calls) over
/// <see cref="TimedSteps"/> steps, and then fixes the run's steps at what fits into the minutes at that rate (never fewer
/// than the steps done + 1): the untimed steps, which took what they took, and as many more as fit into the rest,
/// <c>5 + floor((Minutes * 60 - untimedSeconds) / secondsPerStep)</c>. It does so at the latest after
/// <see cref="CalibratedBy"/> steps, or, when the minutes are spent before (a budget shorter than the warm-up), at the next
/// step. From then on the run is a step budget: the
/// count (and the rate) are saved in every checkpoint, and a resumed run keeps them rather than timing again. What is
/// timed is the training steps (reading the batch, forward, backward, update), as <see cref="RunSummary.TrainSeconds"/>
/// counts them: the epochs' ends (previews, scoring), checkpoints and setting up come on top.</para>
/// <para>Before the count is fixed a schedule must not depend on it: a schedule that decays over the run (cosine) starts
/// its decay no earlier than <see cref="CalibratedBy"/> in a run with minutes, so its first steps (warm-up, then the peak
/// rate) are the same whatever count is fixed.</para>
/// <para>A resumed run may change its budget when its kind allows it (<see cref="RunIdentity.MayChange"/>): it then trains
/// to the new total (a total below the steps done ends it where it is), its schedule spanning the new total from there;
/// minutes changed on resume buy steps at the rate measured when they were first fixed, without timing again. This is the
/// one place that explains budgets: <see cref="StepBudget"/> does the counting, the settings records link here.</para>
/// </remarks>
/// <param name="Steps">Optimizer steps of the whole run, at least 1; null when the budget is minutes.</param>
/// <param name="Minutes">Minutes of training steps, a finite number &gt; 0; null when the budget is steps.</param>
public sealed record TrainingBudget(long? Steps = null, double? Minutes = null)
{
    /// <summary>The first steps of a run, not timed for a <see cref="Minutes"/> budget: they pay for warm-up.</summary>
    public const int UntimedSteps = 5;

    /// <summary>Steps timed for a <see cref="Minutes"/> budget, after the <see cref="UntimedSteps"/>.</summary>
    public const int TimedSteps = 20;

    /// <summary>The steps after which a <see cref="Minutes"/> budget's step count is fixed at the latest (25).</summary>
    public const int CalibratedBy = UntimedSteps + TimedSteps;

    /// <summary>A budget of <paramref name="steps"/> or <paramref name="minutes"/>, or null when neither is set (the run is
    /// whole epochs). Not checked: see <see cref="Validate"/>.</summary>
    /// <param name="steps">Optimizer steps, or null.</param>
    /// <param name="minutes">Minutes of training steps, or null.</param>
    public static TrainingBudget? Of(long? steps, double? minutes) => steps is null && minutes is null ? null : new(steps, minutes);

    /// <summary>Throws <see cref="ArgumentException"/> unless exactly one of <see cref="Steps"/> and <see cref="Minutes"/> is
    /// set and in range, naming the field as <paramref name="record"/><c>.Steps</c> / <c>.Minutes</c>.</summary>
    /// <param name="record">The config record the fields belong to, for the message (e.g. <c>PretrainConfig</c>).</param>
    /// <returns>This budget.</returns>
    public TrainingBudget Validate(string record = nameof(TrainingBudget))
    {
        if (Problem(Steps, Minutes, record) is { } problem)
            throw new ArgumentException(problem.Message, problem.Field);
        if (Steps is null && Minutes is null)
            throw new ArgumentException($"A {nameof(TrainingBudget)} needs {record}.{nameof(Steps)} or {record}.{nameof(Minutes)}.", nameof(Steps));
        return this;
    }

    /// <summary>What is wrong with a config's <paramref name="steps"/> and <paramref name="minutes"/> (the field and a
    /// message that says what to do), or null when they make a budget or none (both null).</summary>
    /// <param name="steps">The config's <c>Steps</c>.</param>
    /// <param name="minutes">The config's <c>Minutes</c>.</param>
    /// <param name="record">The config record's name, for the message.</param>
    internal static (string Field, string Message)? Problem(long? steps, double? minutes, string record)
    {
        if (steps is { } s && minutes is { } m)
            return (nameof(Minutes),
                $"{record}.{nameof(Steps)} ({s}) and {record}.{nameof(Minutes)} ({Number(m)}) are both set, but a run has one budget: "
                + $"keep {nameof(Steps)} for a number of optimizer steps or {nameof(Minutes)} for minutes of training, and set the other "
                + "to null (with neither, the run trains whole epochs).");
        if (steps is < 1)
            return (nameof(Steps), $"{record}.{nameof(Steps)} must be at least 1 (or null for no step budget); got {steps}.");
        if (minutes is { } minutesValue && !(minutesValue > 0 && double.IsFinite(minutesValue)))
            return (nameof(Minutes), $"{record}.{nameof(Minutes)} must be a finite number > 0 (or null for no time budget); got {Number(minutesValue)}.");
        return null;
    }

    /// <summary>The step count that <see cref="Minutes"/> buys: the <see cref="UntimedSteps"/> that took
    /// <paramref name="untimedSeconds"/>, and as many more as fit into the rest at <paramref name="secondsPerStep"/>; at least
    /// <paramref name="atLeast"/>.</summary>
    /// <param name="secondsPerStep">The measured seconds of one training step, &gt; 0.</param>
    /// <param name="untimedSeconds">The seconds of the run's first, untimed steps (warm-up).</param>
    /// <param name="atLeast">The fewest steps to return.</param>
    internal long StepsAt(double secondsPerStep, double untimedSeconds, long atLeast)
    {
        var minutes = Minutes ?? throw new InvalidOperationException("A step budget has no minutes to turn into steps.");
        var rest = Math.Floor((minutes * 60 - untimedSeconds) / secondsPerStep);
        var fits = !(secondsPerStep > 0) || rest >= long.MaxValue - UntimedSteps ? long.MaxValue : UntimedSteps + (long)Math.Max(rest, -UntimedSteps);
        return Math.Max(atLeast, fits);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        Steps is { } steps ? $"{steps} steps" : Minutes is { } minutes ? $"{Number(minutes)} min" : "none";

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
