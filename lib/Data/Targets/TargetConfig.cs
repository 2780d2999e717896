using SplitBrain.Quantization;

namespace SplitBrain.Data;

/// <summary>How <see cref="TargetBuilder"/> turns images into the two sub-networks' targets.</summary>
/// <param name="Soft">False (the default): hard targets, the index of the nearest bin at each position, for a plain
/// cross-entropy; as the split-brain paper's classification loss and its released code. True: soft-encoded
/// distributions over the bins (Zhang 2016, sec. 2.1), for a cross-entropy against a distribution; smoother targets
/// for colors between bins, at Q times the memory.</param>
/// <param name="DownsampleFactor">Side of the blocks the Lab image is averaged over before quantizing, at least 1.
/// Default 8 (<see cref="QuantizationDefaults.TargetDownsampleFactor"/>): 96 x 96 images give 12 x 12 targets, the
/// resolution the sub-networks predict at.</param>
/// <param name="AbSoftEncoding">Soft encoding of the ab targets; null (the default) for the ab quantizer's own
/// (K = 5, sigma = 5, the paper's). Used only when <paramref name="Soft"/>.</param>
/// <param name="LightnessSoftEncoding">Soft encoding of the L targets; null (the default) for the L quantizer's own
/// (K = 5, sigma = half a bin: 0.5 L units for the default 1-unit bins, the same fraction of a bin as for ab). Used only
/// when <paramref name="Soft"/>.</param>
/// <param name="LightnessBins">How many equal-width bins the L targets (F2's classes) divide 0..100 into, at least 2;
/// F2 predicts one logit per bin. Default 100 (<see cref="QuantizationDefaults.LightnessBins"/>, 1 L unit each, the
/// paper's). Fewer, wider bins (e.g. 20 of 5 units) make F2's task coarser: easier to get right, less to learn from.</param>
public sealed record TargetConfig(
    bool Soft = false,
    int DownsampleFactor = QuantizationDefaults.TargetDownsampleFactor,
    SoftEncoding? AbSoftEncoding = null,
    SoftEncoding? LightnessSoftEncoding = null,
    int LightnessBins = QuantizationDefaults.LightnessBins)
{
    /// <summary>Hard targets on 8 x 8 blocks (the defaults).</summary>
    public static TargetConfig Hard { get; } = new();

    /// <summary>Soft-encoded targets on 8 x 8 blocks, with the quantizers' default encodings.</summary>
    public static TargetConfig SoftEncoded { get; } = new(Soft: true);

    /// <summary>Checks every field, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="DownsampleFactor"/> is less than 1, or
    /// <see cref="LightnessBins"/> less than 2.</exception>
    public void Validate()
    {
        if (DownsampleFactor < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(DownsampleFactor), DownsampleFactor, $"{nameof(DownsampleFactor)} must be at least 1; got {DownsampleFactor}.");
        }

        // One bin would be a class every target falls into: nothing to predict.
        if (LightnessBins < 2)
        {
            throw new ArgumentOutOfRangeException(
                nameof(LightnessBins), LightnessBins, $"{nameof(LightnessBins)} must be at least 2; got {LightnessBins}.");
        }
    }
}
