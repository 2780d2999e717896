using SplitBrain.Color;
using SplitBrain.Data;
using SplitBrain.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Evaluation;

/// <summary>
/// The inference input pipeline of a <see cref="Models.SplitBrainNet"/>: sRGB images in, the two normalised inputs out,
/// F1's lightness <c>(L - 50) / 100</c> and F2's colour <c>ab / 110</c> (CIE Lab, D65). It is the inputs half of
/// <see cref="TargetBuilder.Build"/>, without the targets, which evaluation does not need and whose block quantization
/// costs more than the conversion.
/// </summary>
/// <remarks>
/// <para>Use it wherever a trained network sees images outside pretraining: features, probes, classifiers, BatchNorm
/// statistics (<c>var (l, ab) = NetworkInputs.FromImages(batch.Images.to(device), net); net.Features(l, ab, layer)</c>).
/// Training and inference thus share one conversion (<see cref="Lab.FromRgb"/>, <see cref="ChannelSplit"/>,
/// <see cref="LabNormalization"/>), so a network sees at evaluation the inputs it was trained on.</para>
/// <para>A network trained on another split (<see cref="ColorSplit.YCbCr"/>) takes that split's inputs (Y and CbCr,
/// normalised by <see cref="SplitSpace"/>): pass the split, or the network, which knows the split of the run it was
/// trained or loaded from (<see cref="FeatureNetwork.Split"/>).</para>
/// <para>Batched: the conversion is whole-tensor arithmetic on the images' device, with no per-image or per-pixel work
/// in C#. On the CPU it runs 16 images at a time (the Lab temporaries of 16 images stay in the caches: measured 3 to 5
/// times faster than converting 64 at once); on a GPU the whole batch at once.</para>
/// </remarks>
public static class NetworkInputs
{
    // Images converted per pass on the CPU (see the remarks; TargetBuilder's CpuChunk, for the same reason).
    private const int CpuChunk = 16;

    /// <summary>F1's and F2's inputs of a batch of sRGB images for <paramref name="network"/>: those of the split it was
    /// trained on (<see cref="FeatureNetwork.Split"/>).</summary>
    /// <param name="images">[B, 3, H, W] sRGB, uint8 or floating (see <see cref="FromImages(Tensor, ColorSplit)"/>).</param>
    /// <param name="network">The network the inputs are for.</param>
    /// <returns>The two normalised inputs, owned by the caller.</returns>
    public static (Tensor L, Tensor Ab) FromImages(Tensor images, FeatureNetwork network) => FromImages(images, network.Split);

    /// <summary>F1's and F2's inputs of a batch of sRGB images: in Lab (the default) (L - 50) / 100 and ab / 110, in another
    /// split its two halves normalised by <see cref="SplitSpace"/>; float32, on the images' device, computed under
    /// <c>no_grad</c>.</summary>
    /// <param name="images">[B, 3, H, W] sRGB: uint8 (0..255, as datasets give them) or floating (0..1, gamma-encoded),
    /// on any device; not changed, not disposed. B may be 0.</param>
    /// <param name="split">The split the network was trained on; Lab by default.</param>
    /// <returns>L [B, 1, H, W] and ab [B, 2, H, W] (the first and second halves), owned by the caller (dispose them, or
    /// let a dispose scope do it); no autograd history.</returns>
    /// <exception cref="ArgumentException"><paramref name="images"/> is not a [B, 3, H, W] uint8 or floating batch (the
    /// message gives what it is).</exception>
    public static (Tensor L, Tensor Ab) FromImages(Tensor images, ColorSplit split = ColorSplit.Lab)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[1] != 3 || (images.dtype != ScalarType.Byte && !images.is_floating_point()))
            throw new ArgumentException(
                $"{nameof(images)} must be sRGB images [B, 3, H, W], uint8 or floating; got {DataTensors.Describe(images)}.", nameof(images));
        var space = SplitSpace.For(split);
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
            var (first, second) = space.Channels.Split(space.FromRgb(images.narrow(0, start, n))); // [n, 1, H, W], [n, 2, H, W]
            l.narrow(0, start, n).copy_(space.NormalizeFirst(first));
            ab.narrow(0, start, n).copy_(space.NormalizeSecond(second));
        }
        return (l.MoveToOuterDisposeScope(), ab.MoveToOuterDisposeScope());
    }
}
