using SplitBrain.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Training;

/// <summary>
/// The loss of the split-brain autoencoder: for each half, the cross-entropy between its logits over the bins and the
/// quantized target of the other channel subset, optionally weighted per position by class rebalancing
/// (Zhang, Isola, Efros 2017, eq. 5; the colorization loss of Zhang 2016, eq. 2).
/// </summary>
/// <remarks>
/// <para>Targets are hard (<c>[N, h, w]</c> int64 bin indices, <see cref="Quantizer.HardEncode"/>) or soft
/// (<c>[N, Q, h, w]</c> distributions, <see cref="Quantizer.SoftEncode"/>), with the cross-entropy
/// <c>-sum_q target_q log softmax(z)_q</c> at each position; a one-hot soft target gives the hard loss.</para>
/// <para>Reduction: the mean over all N * h * w positions. With weights w (<see cref="RebalancingWeights.ForIndices"/>
/// or <see cref="RebalancingWeights.ForDistributions"/>) it is <c>sum(w * ce) / (N * h * w)</c>, not
/// <c>sum(w * ce) / sum(w)</c>: the released colorization code multiplies the per-pixel gradient by the weight and
/// normalises by the number of pixels. Since the weights average 1 under the prior, the loss keeps its scale, while a
/// batch rich in rare colours counts more, which is the point of rebalancing. Weights of all ones give the plain mean.</para>
/// <para>Inputs are never disposed; results belong to the caller. Functions validate shapes and say which argument is
/// wrong, with both shapes.</para>
/// </remarks>
public static class SplitBrainLoss
{
    /// <summary>Both halves' losses and their sum.</summary>
    /// <param name="logits">The network's output: F1's logits [N, Q2, h, w] over the second subset's bins and F2's
    /// [N, Q1, h, w] over the first's (<c>SplitBrainNet.call(first, second)</c>).</param>
    /// <param name="f1Target">F1's target: the second subset (ab) quantized, hard [N, h, w] or soft [N, Q2, h, w].</param>
    /// <param name="f2Target">F2's target: the first subset (L) quantized, hard [N, h, w] or soft [N, Q1, h, w].</param>
    /// <param name="f1Weights">Optional [N, h, w] per-position weights for F1's loss.</param>
    /// <param name="f2Weights">Optional [N, h, w] per-position weights for F2's loss.</param>
    /// <returns>Scalars F1, F2 and Total = F1 + F2, with autograd history.</returns>
    public static SplitBrainLosses Compute((Tensor F1, Tensor F2) logits, Tensor f1Target, Tensor f2Target,
        Tensor? f1Weights = null, Tensor? f2Weights = null)
    {
        var f1 = CrossEntropy(logits.F1, f1Target, f1Weights);
        var f2 = CrossEntropy(logits.F2, f2Target, f2Weights);
        return new SplitBrainLosses(f1, f2, f1 + f2);
    }

    /// <summary>The mean (optionally weighted) cross-entropy of one half, a scalar: see the class remarks.</summary>
    /// <param name="logits">[N, Q, h, w] logits, floating point.</param>
    /// <param name="target">Hard [N, h, w] int64 bin indices in 0..Q-1, or soft [N, Q, h, w] distributions.</param>
    /// <param name="weights">Optional [N, h, w] floating per-position weights.</param>
    /// <returns>A scalar of the logits' dtype, with autograd history.</returns>
    /// <exception cref="ArgumentException">A shape or dtype does not fit the logits.</exception>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, Tensor? weights = null)
    {
        var soft = CheckTarget(logits, target);
        CheckWeights(logits, weights);
        using var scope = NewDisposeScope();
        var ce = Map(logits, target, soft);         // [N, h, w]
        var loss = weights is null ? ce.mean() : (ce * weights).mean();
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>The unreduced cross-entropy at each position, e.g. to show where a network is wrong.</summary>
    /// <param name="logits">[N, Q, h, w] logits, floating point.</param>
    /// <param name="target">Hard [N, h, w] int64 bin indices in 0..Q-1, or soft [N, Q, h, w] distributions.</param>
    /// <returns>[N, h, w], with autograd history.</returns>
    /// <exception cref="ArgumentException">A shape or dtype does not fit the logits.</exception>
    public static Tensor CrossEntropyMap(Tensor logits, Tensor target)
    {
        var soft = CheckTarget(logits, target);
        using var scope = NewDisposeScope();
        return Map(logits, target, soft).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The fraction of positions where the most likely bin is the target's bin (for a soft target, its most likely bin).
    /// </summary>
    /// <param name="logits">[N, Q, h, w] logits, floating point.</param>
    /// <param name="target">Hard [N, h, w] int64 bin indices, or soft [N, Q, h, w] distributions.</param>
    /// <returns>A float32 scalar in [0, 1], without autograd history.</returns>
    /// <exception cref="ArgumentException">A shape or dtype does not fit the logits.</exception>
    public static Tensor PixelAccuracy(Tensor logits, Tensor target)
    {
        var soft = CheckTarget(logits, target);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var predicted = logits.argmax(1);                  // [N, h, w]
        var expected = soft ? target.argmax(1) : target;   // [N, h, w]
        return predicted.eq(expected).to_type(ScalarType.Float32).mean().MoveToOuterDisposeScope();
    }

    /// <summary>Cross-entropy at each position, [N, Q, h, w] logits to [N, h, w]; arguments already checked.</summary>
    private static Tensor Map(Tensor logits, Tensor target, bool soft) => soft
        ? (target * logits.log_softmax(1)).sum(1).neg_()                                 // -sum_q t_q log p_q
        : nn.functional.cross_entropy(logits, target, reduction: nn.Reduction.None);    // -log p_target

    /// <summary>Checks logits and target; true for a soft target.</summary>
    private static bool CheckTarget(Tensor logits, Tensor target)
    {
        const string expectedLogits = "a [N, Q, h, w] tensor of logits";
        TensorArguments.RequireRank(logits, 4, expectedLogits, nameof(logits));
        TensorArguments.RequireFloating(logits, expectedLogits, nameof(logits));
        ArgumentNullException.ThrowIfNull(target);
        var (n, q, h, w) = (logits.shape[0], logits.shape[1], logits.shape[2], logits.shape[3]);
        switch (target.dim())
        {
            case 3 when target.dtype == ScalarType.Int64:
                if (target.shape[0] != n || target.shape[1] != h || target.shape[2] != w)
                    throw Mismatch(nameof(target), target, logits, $"[{n}, {h}, {w}] int64 bin indices, one per logit position");
                return false;
            case 4 when target.is_floating_point():
                if (!target.shape.SequenceEqual(logits.shape))
                    throw Mismatch(nameof(target), target, logits,
                        $"[{n}, {q}, {h}, {w}] distributions over the logits' Q = {q} bins, one per logit position");
                return true;
            default:
                throw new ArgumentException(
                    $"{nameof(target)} must be hard [N, h, w] int64 bin indices or soft [N, Q, h, w] floating distributions; " +
                    $"got {TensorArguments.Describe(target)} for {nameof(logits)} {TensorArguments.Describe(logits)}.",
                    nameof(target));
        }
    }

    private static void CheckWeights(Tensor logits, Tensor? weights)
    {
        if (weights is null)
            return;
        var expected = $"[{logits.shape[0]}, {logits.shape[2]}, {logits.shape[3]}] floating weights, one per logit position";
        if (weights.dim() != 3 || !weights.is_floating_point() || weights.shape[0] != logits.shape[0] ||
            weights.shape[1] != logits.shape[2] || weights.shape[2] != logits.shape[3])
            throw Mismatch(nameof(weights), weights, logits, expected);
    }

    private static ArgumentException Mismatch(string paramName, Tensor t, Tensor logits, string expected) =>
        new($"{paramName} {TensorArguments.Describe(t)} does not fit {nameof(logits)} {TensorArguments.Describe(logits)}: " +
            $"expected {expected}.", paramName);
}
