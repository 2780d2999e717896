using System.Globalization;
using SplitBrain.Display;
using SplitBrain.Models;

namespace SplitBrain.Evaluation;

/// <summary>
/// Linear-probe accuracy of one network at each of its layers (<see cref="LinearProbes.Run"/>): one line of the
/// paper's fig. 4. Plain values, so curves of several networks (pretrained, random, supervised) go on one chart
/// (<see cref="EvaluationPlots.LayerCurves"/>) and save as JSON with a run.
/// </summary>
/// <param name="Network">The network's name in legends and tables, e.g. "split-brain", "random init".</param>
/// <param name="Layers">One result per layer, in network order.</param>
/// <param name="ExtractionSeconds">Time to extract the training features (all layers, one pass).</param>
/// <param name="FitSeconds">Time to train every layer's probe.</param>
/// <param name="TestSeconds">Time of the test pass (all layers' probes scored in one pass over the test images).</param>
public sealed record ProbeCurve(
    string Network,
    IReadOnlyList<ProbeResult> Layers,
    double ExtractionSeconds,
    double FitSeconds,
    double TestSeconds)
{
    /// <summary>The test accuracy at <paramref name="layer"/>.</summary>
    /// <param name="layer">A probed layer.</param>
    /// <exception cref="ArgumentException">The layer was not probed.</exception>
    public double TestAccuracy(FeatureLayer layer) =>
        Layers.FirstOrDefault(r => r.Layer == layer)?.TestAccuracy
        ?? throw new ArgumentException($"{layer} was not probed; this curve has {string.Join(", ", Layers.Select(r => r.Layer))}.", nameof(layer));

    /// <summary>The layer with the best test accuracy (the first on a tie).</summary>
    public ProbeResult Best => Layers.MaxBy(r => r.TestAccuracy)!;

    /// <summary>Total time: extraction, fitting and the test pass.</summary>
    public double TotalSeconds => ExtractionSeconds + FitSeconds + TestSeconds;

    /// <summary>One row per layer: dimension, grid, train and test accuracy, epochs, seconds.</summary>
    public Table ToTable() => new(
        ["layer", "dimension", "grid", "train", "validation", "test", "epochs", "fit s"],
        Layers.Select(r => (IReadOnlyList<object?>)
        [
            EvaluationPlots.LayerName(r.Layer), r.Grid.Dimension, $"{r.Grid.Channels} x {r.Grid.GridSide} x {r.Grid.GridSide}",
            r.TrainAccuracy, r.ValidationAccuracy, r.TestAccuracy, r.Epochs, r.FitSeconds,
        ]),
        string.Create(CultureInfo.InvariantCulture,
            $"{Network}: linear probes (extraction {ExtractionSeconds:0.0} s, fits {FitSeconds:0.0} s, test {TestSeconds:0.0} s)"));

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Network}: " + string.Join(", ", Layers.Select(r => $"{EvaluationPlots.LayerName(r.Layer)} {ClassificationReport.Percent(r.TestAccuracy)}"));
}

/// <summary>A linear probe's results on one layer (one point of a <see cref="ProbeCurve"/>).</summary>
/// <param name="Grid">The layer and how its features were pooled (dimension D).</param>
/// <param name="TrainAccuracy">Top-1 accuracy on the training features the probe was fitted on.</param>
/// <param name="ValidationAccuracy">Top-1 accuracy on the held-out part of the training set; null without one.</param>
/// <param name="Test">The test metrics (confusion matrix, per-class accuracy).</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="FitSeconds">Time to train the probe.</param>
public sealed record ProbeResult(
    FeatureGrid Grid,
    double TrainAccuracy,
    double? ValidationAccuracy,
    ClassificationReport Test,
    int Epochs,
    double FitSeconds)
{
    /// <summary>The layer probed.</summary>
    public FeatureLayer Layer => Grid.Layer;

    /// <summary>Top-1 accuracy on the test set.</summary>
    public double TestAccuracy => Test.Top1;
}
