namespace SplitBrain.Data;

/// <summary>
/// Sizes and seed of a <see cref="SyntheticShapes"/> dataset. The images of each split are fixed by
/// (<see cref="Seed"/>, split, index), so a config names a dataset exactly; counts only say how many there are.
/// </summary>
/// <param name="UnlabeledCount">Images of the unlabeled split, for pretraining. Default 20 000.</param>
/// <param name="TrainCount">Images of the labeled training split. Default 1 000 (100 per class): few labels, the
/// setting in which self-supervised pretraining pays off.</param>
/// <param name="TestCount">Images of the labeled test split. Default 2 000.</param>
/// <param name="Seed">Selects the dataset: any non-negative number; the same seed always gives the same images.
/// Default 0.</param>
/// <param name="ImageSize">Side of the square images in pixels, at least 16. Default 96 (as STL-10; the 8 x 8 target
/// blocks then give 12 x 12 targets).</param>
public sealed record SyntheticShapesConfig(
    int UnlabeledCount = 20_000,
    int TrainCount = 1_000,
    int TestCount = 2_000,
    int Seed = 0,
    int ImageSize = 96)
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
    /// <exception cref="ArgumentOutOfRangeException">A count or the seed is negative, or the image size is below 16.</exception>
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
    }

    private static void CheckCount(int count, string name)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(name, count, $"{name} must be >= 0; got {count}.");
        }
    }
}
