namespace SplitBrain.Data;

/// <summary>
/// Sizes, seed and style of a <see cref="SyntheticShapes"/> dataset. The images of each split are fixed by
/// (<see cref="Seed"/>, <see cref="Style"/>, split, index), so a config names a dataset exactly; counts only say how
/// many there are.
/// </summary>
/// <param name="UnlabeledCount">Images of the unlabeled split, for pretraining. Default 20 000.</param>
/// <param name="TrainCount">Images of the labeled training split. Default 1 000 (100 per class): few labels, the
/// setting in which self-supervised pretraining pays off.</param>
/// <param name="TestCount">Images of the labeled test split. Default 2 000.</param>
/// <param name="Seed">Selects the dataset: any non-negative number; the same seed always gives the same images.
/// Default 0.</param>
/// <param name="ImageSize">Side of the square images in pixels, at least 16. Default 96 (as STL-10; the 8 x 8 target
/// blocks then give 12 x 12 targets).</param>
/// <param name="Style">What the images look like: <see cref="SyntheticStyle.Shapes"/> (the default: one object whose
/// hue follows its class, on a plain textured background) or <see cref="SyntheticStyle.Scenes"/> (harder, more like
/// photographs: clutter, distractor objects, class cues in shape and texture, hue mostly random). The default style's
/// images, fingerprints and caches are those of the library before this setting existed.</param>
public sealed record SyntheticShapesConfig(
    int UnlabeledCount = 20_000,
    int TrainCount = 1_000,
    int TestCount = 2_000,
    int Seed = 0,
    int ImageSize = 96,
    SyntheticStyle Style = SyntheticStyle.Shapes)
{
    /// <summary>The course's default sizes (the parameter defaults).</summary>
    public static SyntheticShapesConfig Default { get; } = new();

    /// <summary>A small set for tests and quick notebook runs on a CPU: 2 000 unlabeled, 200 train, 500 test.</summary>
    public static SyntheticShapesConfig Small { get; } = new(UnlabeledCount: 2_000, TrainCount: 200, TestCount: 500);

    /// <summary>The number of images of <paramref name="split"/>.</summary>
    /// <param name="split">Which split.</param>
    /// <returns>Its count from this config.</returns>
    public int CountOf(DatasetSplit split) => split switch
    {
        DatasetSplit.Unlabeled => UnlabeledCount,
        DatasetSplit.Train => TrainCount,
        DatasetSplit.Test => TestCount,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, $"{split} is not a {nameof(DatasetSplit)}."),
    };

    /// <summary>Checks every field, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count or the seed is negative, the image size is below 16, or the
    /// style is not a <see cref="SyntheticStyle"/>.</exception>
    public void Validate()
    {
        CheckCount(UnlabeledCount, nameof(UnlabeledCount));
        CheckCount(TrainCount, nameof(TrainCount));
        CheckCount(TestCount, nameof(TestCount));
        if (Seed < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Seed), Seed, $"{nameof(Seed)} must be >= 0; got {Seed}.");
        }

        // Below 16 pixels the shapes are a few pixels wide and the classes can no longer be told apart.
        if (ImageSize < 16)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ImageSize), ImageSize, $"{nameof(ImageSize)} must be at least 16 pixels; got {ImageSize}.");
        }

        // A number cast to the enum (or read from JSON as one) would otherwise fall through to some drawing code.
        if (!Enum.IsDefined(Style))
        {
            throw new ArgumentOutOfRangeException(
                nameof(Style), Style, $"{nameof(Style)} {Style} is not a {nameof(SyntheticStyle)} ({string.Join(", ", Enum.GetNames<SyntheticStyle>())}).");
        }
    }

    private static void CheckCount(int count, string name)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(name, count, $"{name} must be >= 0; got {count}.");
        }
    }
}

/// <summary>What the images of a <see cref="SyntheticShapes"/> dataset look like (<see cref="SyntheticShapesConfig.Style"/>).</summary>
public enum SyntheticStyle
{
    /// <summary>The course's default: one object on a textured, low-saturation background; its shape is the class and
    /// its hue follows the class (two classes per hue family), so color almost gives the class away. Easy: pretraining
    /// shows its effect within minutes on a CPU.</summary>
    Shapes,

    /// <summary>Harder, in the ways photographs are: a cluttered background (color gradients, smooth color noise,
    /// low-contrast blobs and stripes), the class object (its shape, as in <see cref="Shapes"/>) at a random position,
    /// scale and rotation with a class-typical surface texture, one to three smaller distractor objects (other classes'
    /// shapes or shapes of no class) behind it or partly in front of it, and a hue that follows the class only in about
    /// a third of the objects. Color is still predictable from lightness and structure (objects are colored
    /// consistently, backgrounds are smooth, light hues are light), but the class is read from shape and texture, not
    /// from hue.</summary>
    Scenes,
}
