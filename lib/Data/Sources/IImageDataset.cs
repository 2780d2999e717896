namespace SplitBrain.Data;

/// <summary>
/// A fixed, indexable collection of square RGB images of one size, with or without class labels, read in batches.
/// </summary>
/// <remarks>
/// <para>Implementations: <see cref="SyntheticShapes"/> (generated, the offline default), <see cref="Stl10Dataset"/>,
/// <see cref="ImageFolderDataset"/> and <see cref="TensorCache"/> (any of them decoded once into one file).
/// <see cref="BatchLoader"/> turns a dataset into shuffled batches for an epoch.</para>
/// <para><see cref="ReadBatch"/> may be called from any one thread at a time per caller; the implementations in this
/// library are safe to read from several threads at once (a background loader and a notebook cell, say).</para>
/// <para>A dataset may hold open files: dispose it when done.</para>
/// </remarks>
public interface IImageDataset : IDisposable
{
    /// <summary>A short name for displays and logs, e.g. <c>"STL-10 train"</c>.</summary>
    string Name { get; }

    /// <summary>Number of images.</summary>
    int Count { get; }

    /// <summary>Side of the square images in pixels (96 for STL-10 and the synthetic set).</summary>
    int ImageSize { get; }

    /// <summary>The class names, label i being <c>Classes[i]</c>; empty when the dataset has no labels.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>Whether images carry labels (otherwise every label reads as -1).</summary>
    bool HasLabels { get; }

    /// <summary>
    /// Identifies the content: two datasets with the same fingerprint give the same images and labels.
    /// <see cref="TensorCache"/> stores it to notice when its source has changed.
    /// </summary>
    string Fingerprint { get; }

    /// <summary>Reads the images at <paramref name="indices"/>, in that order.</summary>
    /// <param name="indices">Dataset indices in 0..Count-1; repeats allowed; may be empty.</param>
    /// <returns>
    /// A batch the caller owns: uint8 <c>[B, 3, S, S]</c> images and int64 <c>[B]</c> labels (-1 when unlabeled),
    /// on the CPU.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside 0..Count-1.</exception>
    ImageBatch ReadBatch(IReadOnlyList<int> indices);
}
