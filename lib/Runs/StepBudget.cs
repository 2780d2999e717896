namespace SplitBrain.Runs;

/// <summary>
/// How many steps a run trains (see <see cref="TrainingBudget"/> for budgets): its epochs' steps, a budget's steps, or the
/// steps a minutes budget buys, fixed once from the speed of the run's first steps and kept in the
/// <see cref="RunPosition.Timing"/> that every checkpoint saves.
/// </summary>
internal sealed class StepBudget(TrainerConfig settings, Func<string> name, Action<string> log)
{
    private long? _fixedSteps; // a minutes budget's step count, once fixed

    /// <summary>False only while a minutes budget is timing the run's first steps.</summary>
    internal bool TotalIsFixed => settings.Budget?.Minutes is null || _fixedSteps is not null;

    /// <summary>Steps of the whole run (an estimate while <see cref="TotalIsFixed"/> is false).</summary>
    internal long TotalSteps(RunPosition position, int stepsPerEpoch) => settings.Budget switch
    {
        { Steps: { } steps } => steps,
        { Minutes: not null } => _fixedSteps ?? EstimatedSteps(position, stepsPerEpoch),
        _ => (long)stepsPerEpoch * settings.Epochs,
    };

    /// <summary>Whether a budget's steps are done (never while a minutes budget is still timing its first steps).</summary>
    internal bool Spent(RunPosition position, int stepsPerEpoch) =>
        settings.Budget is not null && TotalIsFixed && position.Step >= TotalSteps(position, stepsPerEpoch);

    /// <summary>
    /// At the start (fresh or resumed) with a minutes budget: the count a checkpoint fixed for these minutes is kept; other
    /// minutes buy steps at the rate measured then (or, for a run that had no minutes budget, at the rate of its timed
    /// steps), without timing again; a budget below the steps done ends the run where it is.
    /// </summary>
    internal RunPosition Plan(RunPosition position)
    {
        _fixedSteps = null;
        if (settings.Budget is not { Minutes: { } minutes } budget)
            return position;
        var timing = position.Timing;
        if (timing is { Steps: { } steps, Minutes: { } fixedFor } && fixedFor == minutes)
        {
            _fixedSteps = steps;
            return position;
        }
        if ((timing.SecondsPerStep ?? (timing.Complete ? timing.Rate : null)) is { } rate)
            return Fix(position, budget, rate, atLeast: position.Step);
        if (position.Step >= TrainingBudget.CalibratedBy && position.TrainSeconds > 0)
        {
            // A checkpoint written before budgets existed: the mean of all its steps, warm-up included.
            var mean = position.TrainSeconds / position.Step;
            position = position with { Timing = timing with { UntimedSeconds = TrainingBudget.UntimedSteps * mean } };
            return Fix(position, budget, mean, atLeast: position.Step);
        }
        return position;
    }

    /// <summary>
    /// After a step (the position counts it already): times the run's first steps (every run, so that a run may take a
    /// minutes budget when it resumes), and fixes a minutes budget's step count once they are timed; when the minutes are
    /// spent first (a budget shorter than the warm-up), the run ends after one more step.
    /// </summary>
    internal RunPosition Time(RunPosition position, double seconds)
    {
        var timing = position.Timing;
        if (position.Step <= TrainingBudget.UntimedSteps)
            timing = timing with { UntimedSeconds = timing.UntimedSeconds + seconds };
        else if (!timing.Complete)
            timing = timing with { TimedSteps = timing.TimedSteps + 1, TimedSeconds = timing.TimedSeconds + seconds };
        position = position with { Timing = timing };
        if (settings.Budget is not { Minutes: { } minutes } budget || _fixedSteps is not null)
            return position;
        if (timing.Complete)
            return Fix(position, budget, timing.Rate!.Value, atLeast: position.Step + 1);
        if (position.TrainSeconds >= minutes * 60)
            return Fix(position, budget, timing.Rate ?? position.TrainSeconds / position.Step, atLeast: position.Step + 1, steps: position.Step + 1);
        return position;
    }

    private RunPosition Fix(RunPosition position, TrainingBudget budget, double secondsPerStep, long atLeast, long? steps = null)
    {
        var timing = position.Timing;
        _fixedSteps = steps ?? budget.StepsAt(secondsPerStep, timing.UntimedSeconds, atLeast);
        var measured = timing.Complete
            ? FormattableString.Invariant($"steps {TrainingBudget.UntimedSteps + 1}-{TrainingBudget.CalibratedBy} took {secondsPerStep * 1000:0.#} ms each, ")
              + FormattableString.Invariant($"the {TrainingBudget.UntimedSteps} before them {timing.UntimedSeconds:0.##} s")
            : FormattableString.Invariant($"spent after {position.Step} steps, {secondsPerStep * 1000:0.#} ms each");
        log($"{name()}: {budget} of training ({measured}) make {_fixedSteps} steps");
        return position with { Timing = timing with { SecondsPerStep = secondsPerStep, Minutes = budget.Minutes, Steps = _fixedSteps } };
    }

    // Before any step is timed, the epochs' steps stand in for a minutes budget's count (the schedule does not use it yet).
    private long EstimatedSteps(RunPosition position, int stepsPerEpoch)
    {
        var rate = position.Timing.Rate ?? (position.Step > 0 ? position.TrainSeconds / position.Step : 0);
        return rate > 0
            ? settings.Budget!.StepsAt(rate, position.Timing.UntimedSeconds, position.Step + 1)
            : Math.Max(position.Step + 1, (long)stepsPerEpoch * settings.Epochs);
    }
}
