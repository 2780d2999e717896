using SplitBrain.Models;

namespace SplitBrain.Evaluation;

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
