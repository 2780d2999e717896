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

    /// <summary>An uninitialised uint8 CPU tensor to read image bytes into (through <c>Tensor.bytes</c>).</summary>
    internal static Tensor EmptyImages(long count, long channels, long height, long width) =>
        empty([count, channels, height, width], ScalarType.Byte);
}
