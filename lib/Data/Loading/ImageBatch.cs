using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Data;

/// <summary>
/// A batch read from an <see cref="IImageDataset"/>: uint8 images, their labels, and which dataset items they are.
/// </summary>
/// <remarks>
/// <para>The batch owns its two tensors: dispose it (or let <see cref="BatchLoader"/> dispose it) when done.
/// <see cref="Dispose"/> may be called more than once.</para>
/// <para><see cref="Indices"/> says which dataset items the rows are. It is the list that was asked for, except
/// where a dataset skips unreadable items (<see cref="ImageFolderDataset"/>): then the batch is shorter and
/// <see cref="Indices"/> lists the items actually read.</para>
/// </remarks>
public sealed class ImageBatch : IDisposable
{
    private readonly int[] _indices;
    private bool _disposed;

    /// <summary>A batch that takes ownership of <paramref name="images"/> and <paramref name="labels"/>.</summary>
    /// <param name="images">uint8 sRGB images <c>[B, 3, H, W]</c>, any device.</param>
    /// <param name="labels">int64 labels <c>[B]</c> on the same device, -1 for unlabeled images.</param>
    /// <param name="indices">The dataset index of each row, <c>B</c> of them (copied).</param>
    /// <exception cref="ArgumentException">Shapes, dtypes or devices do not fit together.</exception>
    public ImageBatch(Tensor images, Tensor labels, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(indices);
        if (images.dim() != 4 || images.size(1) != 3 || images.dtype != ScalarType.Byte)
        {
            throw new ArgumentException(
                $"Expected uint8 images [B, 3, H, W]; got {DataTensors.Describe(images)}.", nameof(images));
        }

        if (labels.dim() != 1 || labels.dtype != ScalarType.Int64 || labels.size(0) != images.size(0))
        {
            throw new ArgumentException(
                $"Expected int64 labels [{images.size(0)}] (one per image); got {DataTensors.Describe(labels)}.",
                nameof(labels));
        }

        if (indices.Count != images.size(0))
        {
            throw new ArgumentException(
                $"Expected {images.size(0)} indices (one per image); got {indices.Count}.", nameof(indices));
        }

        if (labels.device_type != images.device_type || labels.device_index != images.device_index)
        {
            throw new ArgumentException(
                $"Expected labels on the images' device {images.device}; got {labels.device}.", nameof(labels));
        }

        Images = images;
        Labels = labels;
        _indices = [.. indices];
    }

    /// <summary>uint8 sRGB images <c>[B, 3, H, W]</c>, 0..255. Owned by the batch.</summary>
    public Tensor Images { get; }

    /// <summary>int64 class indices <c>[B]</c>, 0..classes-1, or -1 where the dataset has no labels. Owned by the batch.</summary>
    public Tensor Labels { get; }

    /// <summary>The dataset index of each row.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <summary>The number of images B.</summary>
    public int Count => _indices.Length;

    /// <summary>The device the tensors are on.</summary>
    public Device Device => Images.device;

    /// <summary>
    /// A copy of this batch on <paramref name="device"/> (e.g. the training GPU: uint8 is a quarter of the bytes of
    /// float32 to copy). This batch is left as it is; both must be disposed.
    /// </summary>
    /// <param name="device">Where the copy goes.</param>
    /// <returns>A new batch.</returns>
    public ImageBatch To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = NewDisposeScope();
        var images = Images.to(device, copy: true);
        var labels = Labels.to(device, copy: true);
        return new ImageBatch(images.DetachFromDisposeScope(), labels.DetachFromDisposeScope(), _indices);
    }

    /// <summary>The labels as an array (a copy read from the device).</summary>
    /// <returns>One label per row, -1 for unlabeled images.</returns>
    public long[] LabelArray()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var cpu = Labels.cpu();
        return cpu.data<long>().ToArray();
    }

    /// <summary>Frees both tensors.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Images.Dispose();
        Labels.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        _disposed ? "ImageBatch (disposed)" : $"ImageBatch: {Count} images {DataTensors.Describe(Images)} on {Device}";
}
