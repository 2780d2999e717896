using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Quantization;

/// <summary>
/// The empirical distribution of the targets over a quantizer's bins, accumulated batch by batch over a dataset: the
/// prior that class rebalancing (<see cref="RebalancingWeights"/>) inverts (Zhang 2016, sec. 2.2).
/// </summary>
/// <remarks>
/// <para>Counts are kept in float64 on the quantizer's device, so a pass over a dataset on the GPU does not copy each
/// batch back and does not lose counts to float32 rounding past 2^24 pixels. The accumulator owns them (and a copy of
/// the bin centres, for smoothing): dispose it when done.</para>
/// <para>Zhang et al. smooth the empirical distribution with a Gaussian of sigma 5 (ab units) before using it, which
/// spreads counts onto neighbouring bins that were seen rarely or not at all; <see cref="SmoothedPrior"/> does that
/// over the bin centres, <see cref="Prior"/> gives the raw one.</para>
/// </remarks>
public sealed class PriorAccumulator : IDisposable
{
    private readonly Tensor _counts;  // [Q] float64
    private readonly Tensor _centers; // [Q, C] float32, a copy of the quantizer's
    private readonly double _spacing;
    private readonly string _quantizerName;
    private bool _disposed;

    /// <summary>An empty accumulator for the bins of <paramref name="quantizer"/>, on its device.</summary>
    /// <param name="quantizer">The quantizer whose bins are counted; it may be disposed independently afterwards.</param>
    public PriorAccumulator(Quantizer quantizer)
    {
        ArgumentNullException.ThrowIfNull(quantizer);
        Bins = quantizer.Bins;
        _spacing = quantizer.Spacing;
        _quantizerName = quantizer.Name;
        _centers = OwnedTensors.Create(() => quantizer.Centers.clone());
        _counts = OwnedTensors.Create(() => zeros(Bins, ScalarType.Float64, quantizer.Device));
    }

    /// <summary>Number of bins Q.</summary>
    public int Bins { get; }

    /// <summary>Number of target positions (pixels of all maps added so far).</summary>
    public long Positions { get; private set; }

    /// <summary>Accumulated count per bin, [Q] float64 (soft targets add fractional counts). Owned: do not dispose it.</summary>
    public Tensor Counts
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _counts;
        }
    }

    /// <summary>
    /// Adds one batch of targets: hard bin indices (each position counts 1 for its bin) or soft distributions (each
    /// position adds its probabilities).
    /// </summary>
    /// <param name="targets">[N, H, W] int64 indices in 0..Q-1 (<see cref="Quantizer.HardEncode"/>), or [N, Q, H, W]
    /// floating distributions (<see cref="Quantizer.SoftEncode"/>), on the accumulator's device.</param>
    public void Add(Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var expected = $"[N, H, W] int64 bin indices or a [N, {Bins}, H, W] distribution over the bins of {_quantizerName}";
        TensorArguments.RequireSameDevice(targets, Counts, "prior accumulator", nameof(targets));
        using var scope = NewDisposeScope();
        if (targets.dim() == 3 && targets.dtype == ScalarType.Int64)
        {
            var flat = targets.reshape(-1);
            if (flat.numel() > 0)
            {
                // One host sync per batch, for an error that names the bad index instead of a native one.
                var (low, high) = (flat.min().item<long>(), flat.max().item<long>());
                if (low < 0 || high >= Bins)
                    throw new ArgumentException(
                        $"{nameof(targets)} must hold bin indices in 0..{Bins - 1}; got values in {low}..{high} " +
                        $"({TensorArguments.Describe(targets)}).", nameof(targets));
                _counts.add_(flat.bincount(null, Bins));
            }
        }
        else if (targets.dim() == 4 && targets.is_floating_point() && targets.shape[1] == Bins)
        {
            _counts.add_(targets.sum(0, 2, 3, type: ScalarType.Float64)); // [Q]
        }
        else
        {
            throw new ArgumentException($"{nameof(targets)} must be {expected}; got {TensorArguments.Describe(targets)}.",
                nameof(targets));
        }
        Positions += targets.shape[0] * targets.shape[^2] * targets.shape[^1];
    }

    /// <summary>The empirical prior: counts normalised to sum to 1.</summary>
    /// <returns>[Q] float32 probabilities on the accumulator's device; the caller owns it.</returns>
    public Tensor Prior()
    {
        ThrowIfEmpty();
        using var scope = NewDisposeScope();
        return (_counts / _counts.sum()).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The prior smoothed over the bins (Zhang 2016, sec. 2.2): each bin's probability spread onto the others with
    /// Gaussian weights <c>exp(-d^2 / (2 sigma^2))</c> of the distance d between bin centres, then normalised to sum to
    /// 1. On the ab grid this is the paper's Gaussian filter of the ab histogram, restricted to the in-gamut bins.
    /// </summary>
    /// <param name="sigma">Kernel width in the quantizer's units; by default half the bin spacing: 5 on the 10-unit ab
    /// grid (the paper's value), 0.5 for 1-unit L bins.</param>
    /// <returns>[Q] float32 probabilities on the accumulator's device; the caller owns it.</returns>
    public Tensor SmoothedPrior(double? sigma = null)
    {
        var s = sigma ?? QuantizationDefaults.PriorSmoothingSigma / QuantizationDefaults.AbGridSpacing * _spacing;
        TensorArguments.RequirePositive(s, nameof(sigma));
        ThrowIfEmpty();
        using var scope = NewDisposeScope();
        var centers = _centers.to_type(ScalarType.Float64);              // [Q, C]
        var d2 = cdist(centers, centers).square();                        // [Q, Q]
        var kernel = (d2 * (-0.5 / (s * s))).exp();                       // [Q, Q], symmetric
        var smoothed = kernel.matmul(_counts);                            // [Q]
        return (smoothed / smoothed.sum()).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Forgets everything added so far.</summary>
    public void Reset()
    {
        Counts.zero_();
        Positions = 0;
    }

    /// <summary>Frees the counts and the copy of the centres.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _counts.Dispose();
        _centers.Dispose();
    }

    private void ThrowIfEmpty()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Positions == 0)
            throw new InvalidOperationException("No targets were added: call Add with at least one non-empty batch first.");
        using var total = _counts.sum();
        if (!(total.item<double>() > 0))
            throw new InvalidOperationException(
                $"The {Positions} target positions added carry no mass (all-zero distributions?): there is no prior to normalise.");
    }
}
