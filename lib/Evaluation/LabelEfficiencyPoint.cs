namespace SplitBrain.Evaluation;

/// <summary>One classifier of the label-efficiency experiment: a way, a label budget, and how it scored.</summary>
/// <param name="Way">How it trained.</param>
/// <param name="PerClass">Labeled training images per class.</param>
/// <param name="Result">Its epochs and test metrics.</param>
public sealed record LabelEfficiencyPoint(LabelEfficiencyWay Way, int PerClass, FineTuneResult Result)
{
    /// <summary>Test top-1 accuracy, 0..1.</summary>
    public double Accuracy => Result.Test?.Top1 ?? double.NaN;
}
