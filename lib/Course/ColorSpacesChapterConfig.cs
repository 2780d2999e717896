namespace SplitBrain.Course;

/// <summary>The knobs of chapter 01 (color spaces).</summary>
/// <param name="ImageSize">Side in pixels the sample photos are loaded at.</param>
/// <param name="SyntheticImages">How many images of the course's synthetic dataset to show next to the photos.</param>
/// <param name="Seed">Seed of the synthetic images and of torch.</param>
public sealed record ColorSpacesChapterConfig(int ImageSize = 192, int SyntheticImages = 8, int Seed = 0)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first knob out of range.</summary>
    public void Validate()
    {
        if (ImageSize is < 16 or > 1024) throw new ArgumentException($"{nameof(ImageSize)} must be in 16..1024; got {ImageSize}.", nameof(ImageSize));
        if (SyntheticImages is < 0 or > 64) throw new ArgumentException($"{nameof(SyntheticImages)} must be in 0..64; got {SyntheticImages}.", nameof(SyntheticImages));
    }
}
