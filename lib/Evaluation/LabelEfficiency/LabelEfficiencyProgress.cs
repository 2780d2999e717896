using System.Globalization;
using SplitBrain.Display;
using SplitBrain.Runs;

namespace SplitBrain.Evaluation;

/// <summary>Where the label-efficiency experiment is: which classifier trains, and how far it is.</summary>
/// <param name="Run">The classifier being trained, from 1.</param>
/// <param name="Runs">How many classifiers the experiment trains.</param>
/// <param name="Name">What trains, e.g. "from scratch, 10/class".</param>
/// <param name="Classifier">The current classifier's progress.</param>
public sealed record LabelEfficiencyProgress(int Run, int Runs, string Name, TrainingProgress Classifier)
{
    /// <summary>The fraction of the whole experiment done, 0..1.</summary>
    public double Fraction => Runs <= 0 ? 1 : Math.Clamp((Run - 1 + Classifier.Fraction) / Runs, 0, 1);

    /// <summary>A progress bar for <see cref="LiveProgress{T}"/>: <c>new LiveProgress&lt;LabelEfficiencyProgress&gt;(p =&gt; p.ToView())</c>.</summary>
    /// <returns>The view.</returns>
    public ProgressView ToView() => new(
        "label efficiency",
        Fraction,
        $"classifier {Run}/{Runs}",
        [
            ("training", Name),
            ("epoch", $"{Classifier.Epoch}/{Classifier.Epochs}"),
            ("loss", Classifier.EpochMean("loss").ToString("0.000", CultureInfo.InvariantCulture)),
            ("train acc", ClassificationReport.Percent(Classifier.EpochMean("trainAccuracy"))),
        ]);

    /// <inheritdoc/>
    public override string ToString() => $"classifier {Run}/{Runs} ({Name}): {Classifier}";
}
