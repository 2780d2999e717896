namespace SplitBrain.Data;

/// <summary>Which random augmentations <see cref="Augmentation"/> applies, with their ranges.</summary>
/// <param name="Crop">The crop. Default <see cref="CropMode.PadAndCrop"/>.</param>
/// <param name="Padding">For <see cref="CropMode.PadAndCrop"/>: the largest shift in pixels, 1..size-1. Default 8
/// (1/12 of a 96-pixel image, the proportion of the usual 4 pixels for 32-pixel CIFAR images, doubled for the larger
/// objects here; one 8 x 8 target block).</param>
/// <param name="MinScale">For <see cref="CropMode.ResizedCrop"/>: the smallest fraction of the image area kept, in
/// (0, 1]. Default 0.5.</param>
/// <param name="MaxAspectRatio">For <see cref="CropMode.ResizedCrop"/>: the crop's aspect ratio is drawn in
/// [1/MaxAspectRatio, MaxAspectRatio] (log-uniform), at least 1. Default 4/3, as torchvision's RandomResizedCrop.</param>
/// <param name="HorizontalFlip">Mirror each image left-right with probability 1/2. Default true. (Never vertical:
/// sky above ground is part of what colorization learns.)</param>
public sealed record AugmentationConfig(
    CropMode Crop = CropMode.PadAndCrop,
    int Padding = 8,
    double MinScale = 0.5,
    double MaxAspectRatio = 4.0 / 3.0,
    bool HorizontalFlip = true)
{
    /// <summary>The defaults: pad-and-crop by up to 8 pixels and horizontal flips.</summary>
    public static AugmentationConfig Default { get; } = new();

    /// <summary>No augmentation: <see cref="Augmentation.Apply"/> returns a copy.</summary>
    public static AugmentationConfig None { get; } = new(Crop: CropMode.None, HorizontalFlip: false);

    /// <summary>Light random resized crops (half to all of the area) and horizontal flips.</summary>
    public static AugmentationConfig ResizedCrops { get; } = new(Crop: CropMode.ResizedCrop);

    /// <summary>Whether this config changes images at all.</summary>
    public bool IsIdentity => Crop == CropMode.None && !HorizontalFlip;

    /// <summary>Checks every field, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Crop))
        {
            throw new ArgumentOutOfRangeException(nameof(Crop), Crop, $"{nameof(Crop)} {Crop} is not a {nameof(CropMode)}.");
        }

        if (Crop == CropMode.PadAndCrop && Padding < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Padding), Padding, $"{nameof(Padding)} must be at least 1 for {CropMode.PadAndCrop}; got {Padding}.");
        }

        if (!(MinScale > 0 && MinScale <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinScale), MinScale, $"{nameof(MinScale)} must be in (0, 1]; got {MinScale}.");
        }

        if (!(MaxAspectRatio >= 1) || double.IsInfinity(MaxAspectRatio))
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxAspectRatio), MaxAspectRatio, $"{nameof(MaxAspectRatio)} must be a finite number >= 1; got {MaxAspectRatio}.");
        }
    }
}

/// <summary>The random crop an <see cref="Augmentation"/> applies.</summary>
public enum CropMode
{
    /// <summary>No crop: images keep their framing.</summary>
    None,

    /// <summary>
    /// Pad every side by <see cref="AugmentationConfig.Padding"/> pixels (mirroring the border) and cut a window of
    /// the original size at a random offset: a shift of up to that many pixels, exact pixel copies, any dtype.
    /// </summary>
    PadAndCrop,

    /// <summary>
    /// A random region covering <see cref="AugmentationConfig.MinScale"/>..1 of the area, of aspect ratio within
    /// <see cref="AugmentationConfig.MaxAspectRatio"/>, resized back to the full size (bilinear): a light version of the
    /// usual "random resized crop" (whose default minimum scale, 0.08, would often cut the object away at 96 pixels).
    /// </summary>
    ResizedCrop,
}
