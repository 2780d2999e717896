using SplitBrain.Display;

namespace SplitBrain.Evaluation;

/// <summary>
/// The label-efficiency experiment's classifiers: test accuracy against labels per class, for each way of training.
/// Shows as its summary table; <see cref="Chart"/> draws the curves.
/// </summary>
public sealed class LabelEfficiencyResult : View
{
    /// <summary>The result of the classifiers trained.</summary>
    /// <param name="points">One per way and budget.</param>
    /// <param name="testImages">How many images every classifier was scored on.</param>
    public LabelEfficiencyResult(IReadOnlyList<LabelEfficiencyPoint> points, int testImages)
    {
        ArgumentNullException.ThrowIfNull(points);
        Points = points;
        TestImages = testImages;
    }

    /// <summary>Every classifier, in the order trained.</summary>
    public IReadOnlyList<LabelEfficiencyPoint> Points { get; }

    /// <summary>Images of the test split every classifier was scored on.</summary>
    public int TestImages { get; }

    /// <summary>The label budgets, ascending.</summary>
    public IReadOnlyList<int> Budgets => [.. Points.Select(p => p.PerClass).Distinct().Order()];

    /// <summary>The ways, in the order first trained.</summary>
    public IReadOnlyList<LabelEfficiencyWay> Ways => [.. Points.Select(p => p.Way).Distinct()];

    /// <summary>Test top-1 of one way at one budget.</summary>
    /// <param name="way">The way.</param>
    /// <param name="perClass">The budget.</param>
    /// <returns>Accuracy, 0..1.</returns>
    /// <exception cref="KeyNotFoundException">That classifier was not trained.</exception>
    public double Accuracy(LabelEfficiencyWay way, int perClass) =>
        Points.FirstOrDefault(p => p.Way == way && p.PerClass == perClass)?.Accuracy
        ?? throw new KeyNotFoundException($"No classifier '{way.Name}' with {perClass} labels per class was trained.");

    /// <summary>
    /// What <paramref name="better"/> gained over <paramref name="baseline"/> at <paramref name="perClass"/>, in
    /// percentage points of test top-1.
    /// </summary>
    /// <param name="perClass">The budget.</param>
    /// <param name="better">E.g. <see cref="LabelEfficiencyWay.FrozenPretrained"/>.</param>
    /// <param name="baseline">E.g. <see cref="LabelEfficiencyWay.FrozenRandomBatchNorm"/>.</param>
    /// <returns>The difference, rounded to 0.1; NaN when either was not trained.</returns>
    public double Gain(int perClass, LabelEfficiencyWay better, LabelEfficiencyWay baseline) =>
        Ways.Contains(better) && Ways.Contains(baseline)
            ? Math.Round(100 * (Accuracy(better, perClass) - Accuracy(baseline, perClass)), 1)
            : double.NaN;

    /// <summary>The gains the summary table shows: (column, better, baseline).</summary>
    public static IReadOnlyList<(string Column, LabelEfficiencyWay Better, LabelEfficiencyWay Baseline)> Gains { get; } =
    [
        ("frozen vs random+BN (pts)", LabelEfficiencyWay.FrozenPretrained, LabelEfficiencyWay.FrozenRandomBatchNorm),
        ("frozen vs random init (pts)", LabelEfficiencyWay.FrozenPretrained, LabelEfficiencyWay.FrozenRandom),
        ("fine-tuned vs scratch (pts)", LabelEfficiencyWay.FineTuned, LabelEfficiencyWay.Scratch),
    ];

    /// <summary>Test accuracy (%) against labels per class, one line per way.</summary>
    /// <param name="title">The chart's title.</param>
    /// <returns>The chart.</returns>
    public Chart Chart(string title = "Label efficiency: test accuracy vs labels per class") =>
        Plots.Lines(title, "labeled images per class", "test top-1 (%)",
            Ways.Select(way => new Series(way.Name,
                [.. Budgets.Select(k => (double)k)],
                [.. Budgets.Select(k => Math.Round(100 * Accuracy(way, k), 1))])),
            markers: true);

    /// <summary>
    /// One row per budget: each way's test top-1 (%), then the gains of pretraining in points (<see cref="Gains"/>:
    /// frozen against random+BN and against random init, fine-tuned against from scratch; those whose ways were not
    /// trained are left out). The course's main job prints this table.
    /// </summary>
    /// <returns>The table.</returns>
    public Table Summary()
    {
        var ways = Ways;
        var gains = Gains.Where(g => ways.Contains(g.Better) && ways.Contains(g.Baseline)).ToList();
        return new Table(
            ["labels per class", .. ways.Select(w => w.Name + " (%)"), .. gains.Select(g => g.Column)],
            Budgets.Select(k => (IReadOnlyList<object?>)
            [
                k,
                .. ways.Select(w => (object?)Math.Round(100 * Accuracy(w, k), 1)),
                .. gains.Select(g => (object?)Gain(k, g.Better, g.Baseline)),
            ]),
            $"Pretrained vs random+BN, random init and from scratch: test top-1 on {TestImages:N0} images");
    }

    /// <inheritdoc/>
    public override string ToHtml() => Summary().ToHtml();

    /// <inheritdoc/>
    public override string ToText() => Summary().ToText();
}

/// <summary>One classifier of the label-efficiency experiment: a way, a label budget, and how it scored.</summary>
/// <param name="Way">How it trained.</param>
/// <param name="PerClass">Labeled training images per class.</param>
/// <param name="Result">Its epochs and test metrics.</param>
public sealed record LabelEfficiencyPoint(LabelEfficiencyWay Way, int PerClass, FineTuneResult Result)
{
    /// <summary>Test top-1 accuracy, 0..1.</summary>
    public double Accuracy => Result.Test?.Top1 ?? double.NaN;
}
