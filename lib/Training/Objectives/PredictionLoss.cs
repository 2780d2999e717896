using SplitBrain.Quantization;
using static TorchSharp.torch;

namespace SplitBrain.Training.Objectives;

/// <summary>
/// One prediction of a channel subset scored either way of <see cref="LossKind"/>: what the objectives of the paper's
/// ablation share, so that "cl" and "reg" mean the same thing in every one of them.
/// </summary>
public static class PredictionLoss
{
    /// <summary>Output channels a prediction of <paramref name="subset"/> needs: its bins to classify, its channels to regress.</summary>
    /// <param name="kind">How the prediction is scored.</param>
    /// <param name="subset">The quantizer of the predicted subset.</param>
    public static int Outputs(LossKind kind, Quantizer subset)
    {
        ArgumentNullException.ThrowIfNull(subset);
        return kind == LossKind.Regression ? subset.Channels : subset.Bins;
    }

    /// <summary>The loss of one prediction.</summary>
    /// <param name="kind">How it is scored.</param>
    /// <param name="output">[N, Q or C, h, w]: logits over the bins (classification) or normalised values (regression).</param>
    /// <param name="binTarget">The subset's bin target, hard [N, h, w] or soft [N, Q, h, w] (regression reads only its grid).</param>
    /// <param name="weights">Rebalancing weights [N, h, w] of the bin target, or null (classification only).</param>
    /// <param name="values">[N, C, H, W] the subset's normalised values at full resolution (regression only).</param>
    /// <returns>A scalar with autograd history.</returns>
    public static Tensor Compute(LossKind kind, Tensor output, Tensor binTarget, Tensor? weights, Tensor values)
    {
        if (kind == LossKind.Classification)
            return SplitBrainLoss.CrossEntropy(output, binTarget, weights);
        using var scope = NewDisposeScope();
        return RegressionLoss.Compute(output, RegressionLoss.Target(values, binTarget)).MoveToOuterDisposeScope();
    }
}
