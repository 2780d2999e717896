using static TorchSharp.torch;

namespace SplitBrain.Data;

/// <summary>
/// What one training step of the split-brain network needs from a batch of images, built by
/// <see cref="TargetBuilder"/>: each sub-network's input and the quantized target it predicts.
/// </summary>
/// <remarks>
/// <para>With the paper's Lab split, sub-network F1 sees L and predicts ab (<see cref="LInput"/> -&gt;
/// <see cref="AbTarget"/>), and F2 sees ab and predicts L (<see cref="AbInput"/> -&gt; <see cref="LTarget"/>).
/// Inputs are at full resolution and normalised (<see cref="Color.LabNormalization"/>); targets are at the block
/// resolution h = H / factor (12 for 96-pixel images).</para>
/// <para>The names are Lab's, the paper's split; with another split (<see cref="Color.ColorSplit"/>) "L" is the first
/// half's channel (Y in YCbCr) and "ab" the second half's two (CbCr), normalised by <see cref="Color.SplitSpace"/>.</para>
/// <para>All tensors are on the images' device, computed without autograd, and owned by this object: dispose it.</para>
/// </remarks>
public sealed class SplitBrainTargets : IDisposable
{
    private bool _disposed;

    internal SplitBrainTargets(Tensor lInput, Tensor abInput, Tensor abTarget, Tensor lTarget, Tensor? abWeights, Tensor? lWeights, bool soft)
    {
        LInput = lInput;
        AbInput = abInput;
        AbTarget = abTarget;
        LTarget = lTarget;
        AbWeights = abWeights;
        LWeights = lWeights;
        IsSoft = soft;
    }

    /// <summary>F1's input, the first half's channel (L in Lab, Y in YCbCr) normalised: <c>(L − 50) / 100</c> in Lab,
    /// float32 <c>[B, 1, H, W]</c>.</summary>
    public Tensor LInput { get; }

    /// <summary>F2's input, the second half's channels (ab in Lab, CbCr in YCbCr) normalised: <c>ab / 110</c> in Lab,
    /// float32 <c>[B, 2, H, W]</c>.</summary>
    public Tensor AbInput { get; }

    /// <summary>F1's target, the quantized second half (ab in Lab, CbCr in YCbCr) of each block: int64 bin indices
    /// <c>[B, h, w]</c> (0..312 in Lab), or with soft targets float32 distributions <c>[B, Q, h, w]</c> (Q = 313 in Lab).</summary>
    public Tensor AbTarget { get; }

    /// <summary>F2's target, the quantized first channel (L in Lab, Y in YCbCr) of each block: int64 bin indices
    /// <c>[B, h, w]</c> (0..99), or with soft targets float32 distributions <c>[B, 100, h, w]</c>.</summary>
    public Tensor LTarget { get; }

    /// <summary>Class-rebalancing weight of each ab target position, float32 <c>[B, h, w]</c>; null when no ab weights
    /// were given.</summary>
    public Tensor? AbWeights { get; }

    /// <summary>Class-rebalancing weight of each L target position, float32 <c>[B, h, w]</c>; null when no L weights
    /// were given.</summary>
    public Tensor? LWeights { get; }

    /// <summary>Whether the targets are distributions (soft) rather than indices (hard).</summary>
    public bool IsSoft { get; }

    /// <summary>The batch size B.</summary>
    public long Count => LInput.size(0);

    /// <summary>Frees every tensor.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        LInput.Dispose();
        AbInput.Dispose();
        AbTarget.Dispose();
        LTarget.Dispose();
        AbWeights?.Dispose();
        LWeights?.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        _disposed
            ? "SplitBrainTargets (disposed)"
            : $"SplitBrainTargets: L {DataTensors.Describe(LInput)}, ab {DataTensors.Describe(AbInput)}, "
              + $"ab target {DataTensors.Describe(AbTarget)}, L target {DataTensors.Describe(LTarget)}"
              + (AbWeights is null ? "" : ", ab weights") + (LWeights is null ? "" : ", L weights");
}
