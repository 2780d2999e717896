using SplitBrain.Data;
using SplitBrain.Display;

namespace SplitBrain.Evaluation;

/// <summary>Test images captioned with a classifier's guesses: where a reader sees what the numbers mean.</summary>
public static class PredictionGrid
{
    /// <summary>
    /// The first <paramref name="count"/> images of <paramref name="data"/>, each captioned with the predicted class;
    /// a wrong guess is marked "✗" and followed by the true class in parentheses.
    /// </summary>
    /// <param name="classifier">The classifier.</param>
    /// <param name="data">Labeled images.</param>
    /// <param name="count">How many images, at least 1 (fewer when the dataset is smaller).</param>
    /// <param name="columns">Images per row.</param>
    /// <param name="displaySize">Pixels per image on screen.</param>
    /// <returns>The grid, titled with the number of correct guesses.</returns>
    /// <exception cref="ArgumentException">The dataset has no labels, or <paramref name="count"/> is below 1.</exception>
    public static ImageGrid Show(SplitBrainClassifier classifier, IImageDataset data, int count = 16, int columns = 8, int displaySize = 110)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!data.HasLabels)
            throw new ArgumentException("The images have no labels, so a guess cannot be marked right or wrong: pass a labeled split.", nameof(data));
        using var batch = data.ReadBatch([.. Enumerable.Range(0, Math.Min(count, data.Count))]);
        var guesses = classifier.Predict(batch.Images);
        var truth = batch.LabelArray();
        var captions = guesses.Select((g, i) => g == truth[i] ? data.Classes[(int)g] : $"✗ {data.Classes[(int)g]} ({data.Classes[(int)truth[i]]})").ToList();
        var right = guesses.Where((g, i) => g == truth[i]).Count();
        return ImageGrid.FromRgb(batch.Images, captions, columns, displaySize, $"{right} of {guesses.Length} right");
    }
}
