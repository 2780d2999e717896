namespace SplitBrain.Data;

/// <summary>
/// The built-in synthetic images written out as PNG files: an image folder to run another implementation on the same
/// images (<c>interop/pytorch/train_ddp.py</c>, the PyTorch peer) or to try the folder pipeline offline. What
/// <c>data-scripts/synthetic-folder.cs</c> runs.
/// </summary>
public static class SyntheticFolder
{
    /// <summary>
    /// Writes images 0 to <paramref name="count"/> - 1 of <paramref name="split"/> as <c>NNNNNN.png</c>: into
    /// <paramref name="folder"/> for the unlabeled split, into <c>folder/&lt;class&gt;/</c> for a labeled one.
    /// </summary>
    /// <param name="config">The dataset (its seed, size and style; its counts are raised to <paramref name="count"/>).</param>
    /// <param name="split">The split.</param>
    /// <param name="count">How many images, at least 1.</param>
    /// <param name="folder">The folder to write into (created).</param>
    /// <returns>The dataset's name, for a message.</returns>
    public static string Write(SyntheticShapesConfig config, DatasetSplit split, int count, string folder)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        using var data = new SyntheticShapes(config with { UnlabeledCount = count, TrainCount = count, TestCount = count }, split);
        for (var start = 0; start < count; start += 256)
        {
            using var batch = data.ReadBatch([.. Enumerable.Range(start, Math.Min(256, count - start))]);
            for (var i = 0; i < batch.Count; i++)
            {
                var index = batch.Indices[i];
                var target = data.HasLabels ? Path.Combine(folder, SyntheticShapes.ClassNames[index % 10]) : folder;
                using var image = batch.Images[i];
                ImageFile.Save(image, Path.Combine(target, $"{index:D6}.png"));
            }
        }
        return data.Name;
    }
}
