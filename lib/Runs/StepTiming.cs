namespace SplitBrain.Runs;

/// <summary>
/// What a run knows of its speed, for a <see cref="TrainingBudget.Minutes"/> budget: the seconds of its first
/// <see cref="TrainingBudget.UntimedSteps"/> steps (warm-up), of the <see cref="TrainingBudget.TimedSteps"/> after them
/// (recorded in every run, so that a run may switch to minutes when it resumes) and, once fixed, the rate and the step count
/// the minutes bought. A resumed run keeps the count rather than timing again.
/// </summary>
/// <param name="TimedSteps">Steps timed so far, up to <see cref="TrainingBudget.TimedSteps"/>.</param>
/// <param name="TimedSeconds">Their seconds.</param>
/// <param name="UntimedSeconds">Seconds of the steps before them (the warm-up).</param>
/// <param name="SecondsPerStep">The rate the step count was fixed at, or null before.</param>
/// <param name="Minutes">The minutes the count was fixed for, or null before.</param>
/// <param name="Steps">The step count fixed for <paramref name="Minutes"/>, or null before.</param>
public sealed record StepTiming(
    int TimedSteps,
    double TimedSeconds,
    double UntimedSeconds,
    double? SecondsPerStep = null,
    double? Minutes = null,
    long? Steps = null)
{
    /// <summary>Nothing timed yet.</summary>
    internal static StepTiming None { get; } = new(0, 0, 0);

    /// <summary>Whether every step of the window is timed.</summary>
    internal bool Complete => TimedSteps >= TrainingBudget.TimedSteps;

    /// <summary>The mean seconds of the timed steps, or null before one.</summary>
    internal double? Rate => TimedSteps > 0 ? TimedSeconds / TimedSteps : null;
}
