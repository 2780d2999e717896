using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Data;

/// <summary>
/// Random crops and horizontal flips of a whole batch at once, on the batch's device, reproducible from a seed.
/// </summary>
/// <remarks>
/// <para>Each image gets its own random crop and flip. The random numbers come from a CPU
/// <see cref="Generator"/> owned by this object (a few numbers per image), so a given seed gives the same
/// augmentations on the CPU and on a GPU, and a sequence of calls is reproducible; the pixel work runs on the
/// images' device. Dispose the augmentation to free its generator.</para>
/// <para>Works on uint8 images (0..255) and on floating images of any channel count (RGB, Lab); the result has the
/// input's shape, dtype and device, and the input is not changed. <see cref="CropMode.PadAndCrop"/> and flips copy
/// pixels exactly; <see cref="CropMode.ResizedCrop"/> interpolates (bilinear; uint8 results are rounded).</para>
/// </remarks>
public sealed class Augmentation : IDisposable
{
    private readonly Generator _generator;

    /// <summary>An augmentation with the given settings and seed.</summary>
    /// <param name="config">What to apply; <see cref="AugmentationConfig.Default"/> when null.</param>
    /// <param name="seed">Seed of the random choices.</param>
    /// <exception cref="ArgumentOutOfRangeException">A field of <paramref name="config"/> is out of range.</exception>
    public Augmentation(AugmentationConfig? config = null, long seed = 0)
    {
        config ??= AugmentationConfig.Default;
        config.Validate();
        Config = config;
        _generator = new Generator(unchecked((ulong)seed));
    }

    /// <summary>The settings.</summary>
    public AugmentationConfig Config { get; }

    /// <summary>Augments a batch.</summary>
    /// <param name="images"><c>[B, C, H, W]</c>, uint8 or floating, any device. For
    /// <see cref="CropMode.PadAndCrop"/>, H and W must exceed <see cref="AugmentationConfig.Padding"/>.</param>
    /// <returns>A new tensor, same shape, dtype and device.</returns>
    /// <exception cref="ArgumentException">The shape or dtype does not fit.</exception>
    public Tensor Apply(Tensor images)
    {
        Check(images);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var batch = images.size(0);
        var result = Config.Crop switch
        {
            CropMode.PadAndCrop => PadAndCrop(images),
            CropMode.ResizedCrop => ResizedCrop(images, Config.HorizontalFlip ? FlipMask(batch) : null),
            _ => images.clone(),
        };

        if (Config.HorizontalFlip && Config.Crop != CropMode.ResizedCrop) // the resized crop flips within its sampling grid
        {
            var flip = FlipMask(batch).to(images.device).view(batch, 1, 1, 1);
            result = where(flip, result.flip(3), result);
        }

        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The state of the random generator, to save with a checkpoint: <see cref="SetRandomState"/> with it makes the
    /// following calls draw exactly the augmentations they would have drawn without the interruption.
    /// </summary>
    /// <returns>An opaque copy of the generator's state (a few kilobytes).</returns>
    public byte[] GetRandomState()
    {
        using var state = _generator.get_state();
        return state.bytes.ToArray();
    }

    /// <summary>Restores a state from <see cref="GetRandomState"/> (of an augmentation with any seed).</summary>
    /// <param name="state">The saved state.</param>
    /// <exception cref="ArgumentException">The state is not one of a CPU generator.</exception>
    public void SetRandomState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var current = _generator.get_state();
        if (state.Length != current.numel())
        {
            throw new ArgumentException(
                $"Expected a generator state of {current.numel()} bytes (from {nameof(GetRandomState)}); got {state.Length}.", nameof(state));
        }

        using var saved = tensor(state, ScalarType.Byte);
        _generator.set_state(saved);
    }

    /// <summary>Frees the generator.</summary>
    public void Dispose() => _generator.Dispose();

    /// <inheritdoc/>
    public override string ToString() => $"Augmentation: {Config}";

    private Tensor FlipMask(long batch) => rand([batch], generator: _generator).lt(0.5); // [B] bool, CPU

    private Tensor PadAndCrop(Tensor images)
    {
        var (b, c, h, w) = (images.size(0), images.size(1), images.size(2), images.size(3));
        long p = Config.Padding;
        // Mirrored borders rather than black ones: black frames would be colors and edges no real image has.
        var padded = nn.functional.pad(images, [p, p, p, p], PaddingModes.Reflect);     // [B, C, H + 2p, W + 2p]

        // Each image's window: rows oy..oy+h-1 and columns ox..ox+w-1 of the padded image, gathered for all at once.
        var offsets = randint(0, 2 * p + 1, [2, b], generator: _generator).to(images.device); // [2, B]
        var rows = offsets[0].view(b, 1) + arange(h, device: images.device);                    // [B, H]
        var columns = offsets[1].view(b, 1) + arange(w, device: images.device);                 // [B, W]
        var cutRows = padded.gather(2, rows.view(b, 1, h, 1).expand(b, c, h, w + 2 * p));       // [B, C, H, W + 2p]
        return cutRows.gather(3, columns.view(b, 1, 1, w).expand(b, c, h, w));                // [B, C, H, W]
    }

    private Tensor ResizedCrop(Tensor images, Tensor? flip)
    {
        var b = images.size(0);
        // Area fraction and log aspect ratio per image; the crop's width and height in units of the image's.
        var area = rand([b], ScalarType.Float64, generator: _generator).mul_(1 - Config.MinScale).add_(Config.MinScale);
        var logRatio = Math.Log(Config.MaxAspectRatio);
        var ratio = rand([b], ScalarType.Float64, generator: _generator).mul_(2 * logRatio).sub_(logRatio).exp_();
        var width = (area * ratio).sqrt_().clamp_max_(1);
        var height = (area / ratio).sqrt_().clamp_max_(1);
        // Centres anywhere that keeps the crop inside the image (normalised coordinates -1..1).
        var centerX = rand([b], ScalarType.Float64, generator: _generator).mul_(2).sub_(1).mul_(width.neg().add(1));
        var centerY = rand([b], ScalarType.Float64, generator: _generator).mul_(2).sub_(1).mul_(height.neg().add(1));
        var scaleX = flip is null ? width : where(flip, width.neg(), width);

        var zero = zeros_like(width);
        var theta = stack([stack([scaleX, zero, centerX], 1), stack([zero, height, centerY], 1)], 1); // [B, 2, 3]
        var floating = images.is_floating_point() ? images : images.to_type(ScalarType.Float32);
        var grid = nn.functional.affine_grid(
            theta.to(floating.dtype).to(images.device), [b, images.size(1), images.size(2), images.size(3)], align_corners: false);
        var sampled = nn.functional.grid_sample(
            floating, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        return images.is_floating_point()
            ? sampled
            : sampled.round_().clamp_(0, 255).to_type(images.dtype);
    }

    private void Check(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || (images.dtype != ScalarType.Byte && !images.is_floating_point()))
        {
            throw new ArgumentException(
                $"Expected images [B, C, H, W] of dtype uint8 or floating; got {DataTensors.Describe(images)}.", nameof(images));
        }

        if (Config.Crop == CropMode.PadAndCrop && (images.size(2) <= Config.Padding || images.size(3) <= Config.Padding))
        {
            throw new ArgumentException(
                $"Expected images larger than the padding ({Config.Padding} pixels) on both sides for "
                + $"{CropMode.PadAndCrop}; got {DataTensors.Describe(images)}.", nameof(images));
        }
    }
}
