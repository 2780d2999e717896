using System.Globalization;
using SplitBrain.Runs;

namespace SplitBrain.Display;

/// <summary>How a run's <see cref="TrainingProgress"/> looks: a progress bar, live in a notebook or a console.</summary>
public static class TrainingProgressView
{
    /// <summary>A progress bar with the numbers: the epoch's means of the metrics, the learning rate, speed and time (and,
    /// with a budget, the budget and the epochs it has bought so far).</summary>
    /// <param name="p">Where the run stands.</param>
    /// <returns>The view (HTML in notebooks, one line in a console).</returns>
    public static ProgressView ToView(this TrainingProgress p) => new(
        p.Title,
        p.Fraction,
        $"step {p.Step} / {(p.TotalIsEstimate ? "~" : "")}{p.TotalSteps}",
        [
            .. p.Budget is null
                ? new (string, string)[] { ("epoch", $"{p.Epoch}/{p.Epochs}") }
                : [("budget", p.Budget.ToString()), ("epochs", p.EpochsTrained.ToString("0.00", CultureInfo.InvariantCulture))],
            .. p.Names.Select((name, i) => (TrainingProgress.Label(name), TrainingProgress.Format(name, p.EpochMeans[i]))),
            ("lr", p.LearningRate.ToString("0.##e0", CultureInfo.InvariantCulture)),
            ("images/s", p.ImagesPerSecond.ToString("0", CultureInfo.InvariantCulture)),
            ("elapsed", TrainingProgress.Clock(p.Elapsed)),
            ("left", p.Remaining is { } left ? TrainingProgress.Clock(left) : "?"),
        ],
        p.Status);

    /// <summary>A live progress bar for a run (redrawn in place in a notebook, a line every few seconds in a console); call
    /// <see cref="LiveProgress{T}.Complete"/> when the run ends.</summary>
    public static LiveProgress<TrainingProgress> Live() => new(p => p.ToView());

    /// <summary>Runs <paramref name="fit"/> with <paramref name="progress"/>, or, when it is null, with a <see cref="Live"/>
    /// progress bar completed at the end: how a kind of run shows its progress by default.</summary>
    /// <param name="progress">The caller's progress, or null for a live bar.</param>
    /// <param name="fit">Trains, reporting to the progress it is given.</param>
    /// <returns>What <paramref name="fit"/> returns.</returns>
    public static T ShowWhile<T>(IProgress<TrainingProgress>? progress, Func<IProgress<TrainingProgress>, T> fit)
    {
        if (progress is not null)
            return fit(progress);
        var live = Live();
        try
        {
            return fit(live);
        }
        finally
        {
            live.Complete();
        }
    }
}
