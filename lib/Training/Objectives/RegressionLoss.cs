using SplitBrain.Quantization;
using static TorchSharp.torch;

namespace SplitBrain.Training.Objectives;

/// <summary>
/// The regression ("reg") loss of the paper's ablation (Zhang, Isola, Efros 2017, table 2): an L2 loss between predicted
/// and true normalised channel values at the target resolution.
/// </summary>
/// <remarks>
/// <para>The target is the batch's normalised input channels (<c>SplitBrainTargets.LInput</c> / <c>AbInput</c>) averaged over
/// the same blocks as the bin targets (<see cref="TargetDownsampler"/>, 8 x 8 by default: 96 x 96 to 12 x 12). Since the
/// normalisation is affine, that is the normalised mean of each block, the value the bin targets quantize.</para>
/// <para>Reduction: the squared error summed over the channels, averaged over the N x h x w positions (the colorization
/// paper's Euclidean loss, Zhang 2016 eq. 1, without its factor 1/2), so that a position weighs the same as in the
/// cross-entropy, whatever the number of channels. No rebalancing: the paper's regression rows have none.</para>
/// </remarks>
public static class RegressionLoss
{
    /// <summary>The regression target of <paramref name="values"/> on the grid of <paramref name="binTarget"/>.</summary>
    /// <param name="values">[N, C, H, W] normalised channel values at full resolution.</param>
    /// <param name="binTarget">The batch's bin target of any subset: hard [N, h, w] or soft [N, Q, h, w]; only its grid is read.</param>
    /// <returns>[N, C, h, w] float32 block means.</returns>
    /// <exception cref="ArgumentException">The grid does not divide the values' H and W by the same whole factor.</exception>
    public static Tensor Target(Tensor values, Tensor binTarget)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(binTarget);
        var (height, width) = (binTarget.shape[^2], binTarget.shape[^1]);
        if (values.dim() != 4 || height < 1 || values.shape[2] % height != 0 || values.shape[2] / height != values.shape[3] / width)
            throw new ArgumentException(
                $"{nameof(values)} {TensorArguments.Describe(values)} must be [N, C, H, W] with H and W a whole multiple f of the "
                + $"bin target's grid {height} x {width} (the same f for both).", nameof(values));
        return TargetDownsampler.Downsample(values.to_type(ScalarType.Float32), (int)(values.shape[2] / height));
    }

    /// <summary>The L2 loss: squared error summed over channels, mean over positions (see the class remarks).</summary>
    /// <param name="prediction">[N, C, h, w] predicted normalised values.</param>
    /// <param name="target">[N, C, h, w] (<see cref="Target"/>).</param>
    /// <returns>A float32 scalar with autograd history.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor Compute(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.dim() != 4 || !prediction.shape.SequenceEqual(target.shape))
            throw new ArgumentException(
                $"{nameof(prediction)} {TensorArguments.Describe(prediction)} must be [N, C, h, w] like {nameof(target)} "
                + $"{TensorArguments.Describe(target)}.", nameof(prediction));
        using var scope = NewDisposeScope();
        var error = prediction.to_type(ScalarType.Float32) - target;
        return error.square().sum(1).mean().MoveToOuterDisposeScope();
    }
}
