using SplitBrain.Color;
using SplitBrain.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Evaluation;

/// <summary>
/// The two normalised inputs of a <see cref="Models.SplitBrainNet"/> from sRGB images: the inputs half of
/// <see cref="TargetBuilder.Build"/>, without the targets (which evaluation does not need, and whose block quantization
/// costs more than the conversion).
/// </summary>
internal static class NetworkInputs
{
    // Images converted per pass on the CPU, for the reason TargetBuilder gives (its CpuChunk): the Lab temporaries of 16
    // images stay in the caches, which measured 3 to 5 times faster than converting a batch of 64 at once.
    private const int CpuChunk = 16;

    /// <summary>F1's and F2's inputs: (L - 50) / 100 and ab / 110, float32, on the images' device.</summary>
    /// <param name="images">[B, 3, H, W] sRGB, uint8 (0..255) or floating (0..1).</param>
    /// <returns>[B, 1, H, W] and [B, 2, H, W], owned by the caller; no autograd history.</returns>
    internal static (Tensor L, Tensor Ab) FromImages(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[1] != 3 || (images.dtype != ScalarType.Byte && !images.is_floating_point()))
            throw new ArgumentException(
                $"{nameof(images)} must be sRGB images [B, 3, H, W], uint8 or floating; got {DataTensors.Describe(images)}.", nameof(images));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (count, height, width) = (images.shape[0], images.shape[2], images.shape[3]);
        var l = empty([count, 1, height, width], ScalarType.Float32, images.device);
        var ab = empty([count, 2, height, width], ScalarType.Float32, images.device);
        var chunk = images.device_type == DeviceType.CPU ? CpuChunk : Math.Max(count, 1);
        for (long start = 0; start < count; start += chunk)
        {
            var n = Math.Min(chunk, count - start);
            using var chunkScope = NewDisposeScope();
            var (lab0, lab12) = ChannelSplit.Lab.Split(Lab.FromRgb(images.narrow(0, start, n))); // [n, 1, H, W], [n, 2, H, W]
            l.narrow(0, start, n).copy_(LabNormalization.NormalizeL(lab0));
            ab.narrow(0, start, n).copy_(LabNormalization.NormalizeAb(lab12));
        }
        return (l.MoveToOuterDisposeScope(), ab.MoveToOuterDisposeScope());
    }
}
