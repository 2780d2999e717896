namespace SplitBrain.Data;

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
