using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Quantization;

/// <summary>
/// Class rebalancing (Zhang 2016, sec. 2.2, eq. 4): a weight per bin that boosts rare bins, so that the loss is not
/// dominated by the desaturated colours (or mid-grey lightness) that fill most pixels.
/// </summary>
/// <remarks>
/// <para><c>w_q</c> is proportional to <c>((1 - lambda) p_q + lambda / Q)^-alpha</c>, normalised so that its expectation
/// under the prior is 1: <c>sum_q p_q w_q = 1</c>. The loss therefore keeps its overall scale while rare bins count
/// more. Used as a per-pixel multiplier on the cross-entropy (<see cref="ForIndices"/>,
/// <see cref="ForDistributions"/>), which has the same gradient as the released code's <c>ClassRebalanceMultLayer</c>
/// without a custom backward pass.</para>
/// <para>The uniform part is <c>lambda / Q</c> over all Q bins, as in eq. 4 of the paper; the released
/// <c>PriorFactor</c> spreads it over the bins with a non-zero prior only. The two agree when every bin has been seen
/// (always the case for a smoothed prior).</para>
/// <para>Owns <see cref="Weights"/>: dispose it when done; move it to the training device once with <see cref="To"/>.</para>
/// </remarks>
public sealed class RebalancingWeights : IDisposable
{
    private Tensor _weights; // [Q] float32
    private bool _disposed;

    private RebalancingWeights(Tensor weights, double lambda, double alpha)
    {
        _weights = weights;
        Bins = (int)weights.shape[0];
        Lambda = lambda;
        Alpha = alpha;
    }

    /// <summary>Number of bins Q.</summary>
    public int Bins { get; }

    /// <summary>Weight of the uniform distribution in the mix (0: pure prior, 1: no rebalancing).</summary>
    public double Lambda { get; }

    /// <summary>Exponent of the inverted mix (0: no rebalancing, 1: the paper).</summary>
    public double Alpha { get; }

    /// <summary>The weight of each bin, [Q] float32. Owned: do not dispose it.</summary>
    public Tensor Weights
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _weights;
        }
    }

    /// <summary>The device the weights live on; targets must be on it too.</summary>
    public Device Device => Weights.device;

    /// <summary>Rebalancing weights from a prior over the bins.</summary>
    /// <param name="prior">[Q] non-negative probabilities or counts (normalised here), e.g.
    /// <see cref="PriorAccumulator.SmoothedPrior"/>. The weights are put on its device.</param>
    /// <param name="lambda">Weight of the uniform distribution in the mix, in [0, 1]; default 0.5 (the paper).</param>
    /// <param name="alpha">Exponent, &gt;= 0; default 1 (the paper).</param>
    public static RebalancingWeights FromPrior(Tensor prior,
        double lambda = QuantizationDefaults.PriorMixLambda, double alpha = QuantizationDefaults.RebalancingAlpha)
    {
        const string expected = "a [Q] tensor of bin probabilities";
        TensorArguments.RequireRank(prior, 1, expected, nameof(prior));
        TensorArguments.RequireFloating(prior, expected, nameof(prior));
        if (prior.shape[0] < 1)
            throw new ArgumentException($"{nameof(prior)} must be {expected}; got {TensorArguments.Describe(prior)}.", nameof(prior));
        if (!(lambda >= 0 && lambda <= 1))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, $"{nameof(lambda)} must be in [0, 1]; got {lambda}.");
        if (!(alpha >= 0) || double.IsInfinity(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"{nameof(alpha)} must be a finite number >= 0; got {alpha}.");

        using var scope = NewDisposeScope();
        var q = prior.shape[0];
        var counts = prior.to_type(ScalarType.Float64);                   // [Q], in float64: p^-alpha of rare bins is large
        // One-off host syncs, for errors that say what is wrong with the prior.
        var (low, total) = (counts.min().item<double>(), counts.sum().item<double>());
        if (!(low >= 0) || !(total > 0) || double.IsInfinity(total))
            throw new ArgumentException(
                $"{nameof(prior)} must be non-negative and finite with a positive sum; got min {low}, sum {total} " +
                $"({TensorArguments.Describe(prior)}).", nameof(prior));
        var p = counts / total;                                           // [Q], sums to 1
        var mix = p * (1 - lambda) + lambda / q;                          // [Q]
        var boost = mix.pow(-alpha);                                      // [Q]
        var weights = boost / (p * boost).nan_to_num(0).sum();             // sum_q p_q w_q = 1 (0 * inf counts as 0)
        if (!weights.isfinite().all().item<bool>())
            throw new ArgumentException(
                $"{nameof(prior)} has bins of probability 0 and {nameof(lambda)} = 0, so their weights would be infinite: " +
                $"use {nameof(lambda)} > 0 or a smoothed prior.", nameof(prior));
        return new RebalancingWeights(weights.to_type(ScalarType.Float32).DetachFromDisposeScope(), lambda, alpha);
    }

    /// <summary>Moves the weights to <paramref name="device"/> (in place) and returns this object.</summary>
    /// <param name="device">The device the targets will be on.</param>
    public RebalancingWeights To(Device device)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        OwnedTensors.MoveTo(ref _weights, device);
        return this;
    }

    /// <summary>The weight of each position's bin: a per-pixel multiplier for the cross-entropy against hard targets.</summary>
    /// <param name="indices">[N, H, W] int64 bin indices in 0..Q-1 (<see cref="Quantizer.HardEncode"/>), on <see cref="Device"/>.</param>
    /// <returns>[N, H, W] float32 weights.</returns>
    public Tensor ForIndices(Tensor indices)
    {
        const string expected = "a [N, H, W] int64 tensor of bin indices";
        TensorArguments.RequireRank(indices, 3, expected, nameof(indices));
        if (indices.dtype != ScalarType.Int64)
            throw new ArgumentException($"{nameof(indices)} must be {expected}; got {TensorArguments.Describe(indices)}.", nameof(indices));
        TensorArguments.RequireSameDevice(indices, Weights, "rebalancing weights", nameof(indices));
        return _weights.take(indices);                                     // [N, H, W]
    }

    /// <summary>
    /// The weight of each position's most probable bin, as the released <c>PriorBoostLayer</c> does for soft targets:
    /// a per-pixel multiplier for the cross-entropy against soft-encoded targets.
    /// </summary>
    /// <param name="distributions">[N, Q, H, W] target distributions (<see cref="Quantizer.SoftEncode"/>), on <see cref="Device"/>.</param>
    /// <returns>[N, H, W] float32 weights.</returns>
    public Tensor ForDistributions(Tensor distributions)
    {
        TensorArguments.RequireNchw(distributions, Bins, $"distributions over {Bins} bins", nameof(distributions));
        TensorArguments.RequireSameDevice(distributions, Weights, "rebalancing weights", nameof(distributions));
        using var scope = NewDisposeScope();
        return _weights.take(distributions.argmax(1)).MoveToOuterDisposeScope(); // [N, H, W]
    }

    /// <summary>Frees the weights.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _weights.Dispose();
    }
}
