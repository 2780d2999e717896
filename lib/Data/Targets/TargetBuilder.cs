using SplitBrain.Color;
using SplitBrain.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Data;

/// <summary>
/// Turns a batch of sRGB images into the split-brain network's inputs and targets, on the batch's device: the split's
/// space (Lab by default, <see cref="SplitSpace"/>), its two halves (L | ab), normalised inputs, and block-averaged,
/// quantized targets (with rebalancing weights if given).
/// </summary>
/// <remarks>
/// <para>The steps, all batched tensor operations (on a GPU the whole conversion runs there):
/// <see cref="Lab.FromRgb"/>; <see cref="ChannelSplit.Lab"/>'s <c>Split</c> into L and ab;
/// <see cref="LabNormalization"/> of each for the inputs; <see cref="TargetDownsampler"/> (mean over
/// factor x factor blocks of the Lab image); then <see cref="Quantizer.HardEncode"/> or
/// <see cref="Quantizer.SoftEncode"/> of the block ab with <see cref="Quantizer.AbGamut"/> (313 bins) and of the
/// block L with <see cref="TargetConfig.LightnessBins"/> uniform L bins over 0..100 (100 by default, as
/// <see cref="Quantizer.Lightness"/>); and, when given,
/// <see cref="RebalancingWeights.ForIndices"/> or <see cref="RebalancingWeights.ForDistributions"/>.</para>
/// <para>Another split (<see cref="ColorSplit.YCbCr"/>: Y | CbCr) takes the same steps in its space, with
/// <see cref="SplitSpace"/>'s normalisation and <see cref="SplitQuantizers"/>' bins (Y uniform over 0..1, CbCr on its
/// gamut grid); the names of the members stay those of Lab (<see cref="AbQuantizer"/> is the second half's).</para>
/// <para>Lives in <c>SplitBrain.Data</c> because it is the last step of the input pipeline and needs only the color
/// and quantization code: the training loop depends on it, not the other way round.</para>
/// <para>Owns its two quantizers (created on <see cref="Device"/>); dispose it when done. It does not own rebalancing
/// weights passed to <see cref="Build"/>.</para>
/// </remarks>
public sealed class TargetBuilder : IDisposable
{
    // Images converted per pass on the CPU (see Build): 16 x 3 x 96 x 96 floats is 1.8 MB per temporary.
    private const int CpuChunk = 16;

    /// <summary>A builder with its quantizers on <paramref name="device"/>.</summary>
    /// <param name="config">Hard or soft targets, block size; <see cref="TargetConfig.Hard"/> when null.</param>
    /// <param name="device">The training device, where the images will be; the CPU when null.</param>
    /// <param name="split">The space and its split; <see cref="ColorSplit.Lab"/> (L | ab, the paper's) by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">A field of <paramref name="config"/> is out of range, or
    /// <paramref name="split"/> is not a named <see cref="ColorSplit"/>.</exception>
    public TargetBuilder(TargetConfig? config = null, Device? device = null, ColorSplit split = ColorSplit.Lab)
    {
        config ??= TargetConfig.Hard;
        config.Validate();
        Config = config;
        Split = SplitSpace.For(split);
        AbQuantizer = SplitQuantizers.Second(Split, device);
        // For Lab with the default 100 bins these are Quantizer.Lightness's centres; a network built for these targets takes
        // its bin count from here (SplitBrainNet.Create(model, builder.LightnessQuantizer, builder.AbQuantizer)).
        LightnessQuantizer = SplitQuantizers.First(Split, config.LightnessBins, device);
    }

    /// <summary>The settings.</summary>
    public TargetConfig Config { get; }

    /// <summary>The space and split the inputs and targets are taken in.</summary>
    public SplitSpace Split { get; }

    /// <summary>The second half's bins, F1's classes: the 313 ab bins in Lab, the CbCr grid in YCbCr. Owned by the builder.</summary>
    public Quantizer AbQuantizer { get; }

    /// <summary>The first channel's <see cref="TargetConfig.LightnessBins"/> bins, F2's classes (100 by default): L in Lab, Y in
    /// YCbCr. Owned by the builder.</summary>
    public Quantizer LightnessQuantizer { get; }

    /// <summary>The device the builder works on; images must be on it.</summary>
    public Device Device => AbQuantizer.Device;

    /// <summary>Moves the quantizers to <paramref name="device"/> and returns this builder.</summary>
    /// <param name="device">The training device.</param>
    /// <returns>This builder.</returns>
    public TargetBuilder To(Device device)
    {
        AbQuantizer.To(device);
        LightnessQuantizer.To(device);
        return this;
    }

    /// <summary>Builds the inputs and targets of a batch.</summary>
    /// <param name="images">sRGB images <c>[B, 3, H, W]</c>, uint8 (0..255) or floating (0..1), on <see cref="Device"/>;
    /// H and W multiples of <see cref="TargetConfig.DownsampleFactor"/>. Not modified.</param>
    /// <param name="abWeights">Rebalancing weights over the second half's bins (313 ab bins in Lab), on <see cref="Device"/>; null for none.</param>
    /// <param name="lightnessWeights">Rebalancing weights over the first channel's bins, on <see cref="Device"/>; null for none.</param>
    /// <returns>The inputs, targets and weights, owned by the caller.</returns>
    /// <exception cref="ArgumentException">The images have the wrong shape, dtype or device, or the weights do not fit
    /// the quantizers.</exception>
    public SplitBrainTargets Build(Tensor images, RebalancingWeights? abWeights = null, RebalancingWeights? lightnessWeights = null)
    {
        Check(images, abWeights, lightnessWeights);
        using var scope = NewDisposeScope();
        using var _ = no_grad();

        var (count, height, width) = (images.size(0), images.size(2), images.size(3));
        var factor = Config.DownsampleFactor;
        var lInput = empty([count, 1, height, width], ScalarType.Float32, images.device);
        var abInput = empty([count, 2, height, width], ScalarType.Float32, images.device);
        var blocks = empty([count, 3, height / factor, width / factor], ScalarType.Float32, images.device);

        // On the CPU the batch is converted a few images at a time: the dozen full-size float temporaries of the Lab
        // conversion then stay in the processor's caches and are reused by the allocator, which measured 3 to 5 times
        // faster (and far steadier) for batches of 64 than converting the whole batch at once. A GPU takes it whole.
        var chunk = images.device_type == DeviceType.CPU ? CpuChunk : count;
        for (long start = 0; start < count; start += chunk)
        {
            var n = Math.Min(chunk, count - start);
            using var chunkScope = NewDisposeScope();
            var lab = Split.FromRgb(images.narrow(0, start, n));                    // [n, 3, H, W] float32 (Lab, or the split's space)
            var (l, ab) = Split.Channels.Split(lab);                                // [n, 1, H, W], [n, 2, H, W] views
            lInput.narrow(0, start, n).copy_(Split.NormalizeFirst(l));
            abInput.narrow(0, start, n).copy_(Split.NormalizeSecond(ab));
            blocks.narrow(0, start, n).copy_(TargetDownsampler.Downsample(lab, factor)); // [n, 3, h, w]
        }

        // The targets are quantized once for the whole batch: on the small block maps the caches do not matter, while each
        // encoding is a few dozen tensor operations whose fixed cost per call would otherwise be paid once per chunk.
        var (blockL, blockAb) = Split.Channels.Split(blocks);
        var abTarget = Config.Soft
            ? AbQuantizer.SoftEncode(blockAb, Config.AbSoftEncoding)                   // [B, 313, h, w] (Q bins)
            : AbQuantizer.HardEncode(blockAb);                                         // [B, h, w]
        var lTarget = Config.Soft
            ? LightnessQuantizer.SoftEncode(blockL, Config.LightnessSoftEncoding)      // [B, Q_L, h, w]
            : LightnessQuantizer.HardEncode(blockL);                                   // [B, h, w]
        var abWeightMap = abWeights is null ? null : Weigh(abWeights, abTarget);    // [B, h, w]
        var lWeightMap = lightnessWeights is null ? null : Weigh(lightnessWeights, lTarget);

        return new SplitBrainTargets(
            lInput.DetachFromDisposeScope(),
            abInput.DetachFromDisposeScope(),
            abTarget.DetachFromDisposeScope(),
            lTarget.DetachFromDisposeScope(),
            abWeightMap?.DetachFromDisposeScope(),
            lWeightMap?.DetachFromDisposeScope(),
            Config.Soft);
    }

    /// <summary>Frees the quantizers.</summary>
    public void Dispose()
    {
        AbQuantizer.Dispose();
        LightnessQuantizer.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"TargetBuilder: {Split}, {(Config.Soft ? "soft" : "hard")} targets on {Config.DownsampleFactor}x{Config.DownsampleFactor} blocks, "
        + $"{AbQuantizer.Name} and {LightnessQuantizer.Name}, on {Device}";

    private Tensor Weigh(RebalancingWeights weights, Tensor target) =>
        Config.Soft ? weights.ForDistributions(target) : weights.ForIndices(target);

    private void Check(Tensor images, RebalancingWeights? abWeights, RebalancingWeights? lightnessWeights)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.size(1) != 3 || (images.dtype != ScalarType.Byte && !images.is_floating_point()))
        {
            throw new ArgumentException(
                $"Expected sRGB images [B, 3, H, W] of dtype uint8 (0..255) or floating (0..1); got {DataTensors.Describe(images)}.",
                nameof(images));
        }

        var factor = Config.DownsampleFactor;
        if (images.size(2) % factor != 0 || images.size(3) % factor != 0)
        {
            throw new ArgumentException(
                $"Expected H and W to be multiples of the downsample factor {factor}; got {DataTensors.Describe(images)} "
                + $"(crop or resize the images to a multiple of {factor}).", nameof(images));
        }

        if (images.device_type != Device.type || images.device_index != AbQuantizer.Centers.device_index)
        {
            throw new ArgumentException(
                $"The images are on {images.device} but the target builder is on {Device}; create the builder on the "
                + "training device (or call its To(device) once) and move the batch there.", nameof(images));
        }

        CheckWeights(abWeights, AbQuantizer, nameof(abWeights));
        CheckWeights(lightnessWeights, LightnessQuantizer, nameof(lightnessWeights));
    }

    private static void CheckWeights(RebalancingWeights? weights, Quantizer quantizer, string paramName)
    {
        if (weights is not null && weights.Bins != quantizer.Bins)
        {
            throw new ArgumentException(
                $"Expected rebalancing weights over the {quantizer.Bins} bins of {quantizer.Name}; got weights over {weights.Bins} bins.",
                paramName);
        }
    }
}
