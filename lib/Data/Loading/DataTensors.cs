using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Data;

/// <summary>Shared argument checks and small helpers of the data code, so errors are worded the same way everywhere.</summary>
internal static class DataTensors
{
    /// <summary>"[4, 3, 96, 96] Byte": how a received tensor is shown in messages.</summary>
    internal static string Describe(Tensor t) => $"[{string.Join(", ", t.shape)}] {t.dtype}";

    /// <summary>Throws unless every index is in 0..count-1.</summary>
    internal static void CheckIndices(IReadOnlyList<int> indices, int count, string datasetName)
    {
        ArgumentNullException.ThrowIfNull(indices);
        for (var i = 0; i < indices.Count; i++)
        {
            if ((uint)indices[i] >= (uint)count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indices), indices[i],
                    $"indices[{i}] = {indices[i]} is outside 0..{count - 1} ({datasetName} has {count} images).");
            }
        }
    }

    /// <summary>An int64 label tensor <c>[B]</c> from the labels of the given items (-1 where there are none).</summary>
    internal static Tensor Labels(IReadOnlyList<int> indices, Func<int, long> labelOf)
    {
        var labels = new long[indices.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = labelOf(indices[i]);
        }

        return tensor(labels, ScalarType.Int64);
    }

    /// <summary>Bytes of one <c>[3, size, size]</c> uint8 image.</summary>
    internal static int ImageBytes(int size) => 3 * size * size;

    /// <summary>Throws unless <paramref name="pixels"/> and <paramref name="labels"/> hold <paramref name="count"/> images of <paramref name="size"/>.</summary>
    internal static void CheckDestinations(int count, int size, int pixels, int labels)
    {
        if (pixels < (long)count * ImageBytes(size))
        {
            throw new ArgumentException(
                $"pixels has {pixels} bytes; {count} images of 3 x {size} x {size} need {(long)count * ImageBytes(size)}.", nameof(pixels));
        }

        if (labels < count)
        {
            throw new ArgumentException($"labels has room for {labels} labels; {count} images need {count}.", nameof(labels));
        }
    }

    /// <summary>
    /// <see cref="IImageDataset.ReadBatch"/> of a byte-readable dataset: the images are read straight into the batch's
    /// tensor (<see cref="IByteImageDataset.ReadBytes"/> into <c>Tensor.bytes</c>), with no intermediate copy.
    /// </summary>
    internal static ImageBatch ReadBatch(IByteImageDataset dataset, IReadOnlyList<int> indices)
    {
        CheckIndices(indices, dataset.Count, dataset.Name);
        var size = dataset.ImageSize;
        var images = EmptyImages(indices.Count, 3, size, size);
        var labels = empty([indices.Count], ScalarType.Int64);
        try
        {
            if (indices.Count > 0)
            {
                dataset.ReadBytes(indices, images.bytes, MemoryMarshal.Cast<byte, long>(labels.bytes));
            }

            return new ImageBatch(images, labels, indices);
        }
        catch
        {
            images.Dispose();
            labels.Dispose();
            throw;
        }
    }

    /// <summary>A batch made from bytes read earlier (one copy into new CPU tensors); the caller keeps the buffers.</summary>
    internal static ImageBatch FromBytes(ReadOnlySpan<byte> pixels, ReadOnlySpan<long> labels, int[] indices, int size)
    {
        var count = indices.Length;
        var images = EmptyImages(count, 3, size, size);
        var labelTensor = empty([count], ScalarType.Int64);
        if (count > 0)
        {
            pixels[..(count * ImageBytes(size))].CopyTo(images.bytes);
            MemoryMarshal.AsBytes(labels[..count]).CopyTo(labelTensor.bytes);
        }

        return new ImageBatch(images, labelTensor, indices);
    }

    /// <summary>
    /// Draws <paramref name="count"/> images of <paramref name="size"/> pixels <paramref name="chunk"/> at a time into one
    /// uint8 [count, 3, size, size] CPU tensor: <paramref name="renderChunk"/>(start, n) returns images start..start+n-1
    /// and may leave temporaries, which each chunk's dispose scope frees (small chunks keep them in the caches).
    /// </summary>
    internal static Tensor RenderInChunks(int count, int size, int chunk, Func<int, int, Tensor> renderChunk)
    {
        var result = EmptyImages(count, 3, size, size);
        using var _ = no_grad();
        for (var start = 0; start < count; start += chunk)
        {
            var n = Math.Min(chunk, count - start);
            using var scope = NewDisposeScope();
            result.narrow(0, start, n).copy_(renderChunk(start, n));
        }

        return result;
    }

    /// <summary>An uninitialised uint8 CPU tensor to read image bytes into (through <c>Tensor.bytes</c>).</summary>
    internal static Tensor EmptyImages(long count, long channels, long height, long width) =>
        empty([count, channels, height, width], ScalarType.Byte);
}
