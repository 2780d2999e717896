using static TorchSharp.torch;

namespace SplitBrain.Models;

/// <summary>What a layer of a sub-network is: a convolution block, the max-pool, or the prediction convolution.</summary>
internal enum LayerKind
{
    ConvBlock,
    MaxPool,
    Prediction,
}

/// <summary>
/// One row of the table that defines a sub-network (as TorchVision's VGG builds its layers from a table of widths):
/// <see cref="SubNetwork"/> builds its modules from these rows and <see cref="ModelSummary"/> computes shapes and
/// receptive fields from them, so the two cannot disagree.
/// </summary>
/// <param name="Name">The layer's name and state_dict prefix (<c>conv1</c>, <c>pool1</c>, ...).</param>
/// <param name="Kind">What the layer is.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="Kernel">Square kernel size.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Padding">Zero padding on each side (implicit -infinity padding for the max-pool).</param>
/// <param name="Feature">The feature layer this row produces, if any.</param>
internal sealed record LayerSpec(
    string Name, LayerKind Kind, int InChannels, int OutChannels, int Kernel, int Stride, int Padding, FeatureLayer? Feature)
{
    /// <summary>Kernel, stride and padding of pool1 (the peer's <c>MaxPool2d(3, 2, 1)</c>: 24 -&gt; 12).</summary>
    internal const int PoolKernel = 3, PoolStride = 2, PoolPadding = 1;

    /// <summary>The layers of a half-AlexNet with <paramref name="inChannels"/> inputs and <paramref name="bins"/> outputs, in order.</summary>
    internal static IReadOnlyList<LayerSpec> HalfAlexNet(ModelConfig config, int inChannels, int bins)
    {
        var c = config;
        return
        [
            new("conv1", LayerKind.ConvBlock, inChannels, c.Conv1, c.Conv1Kernel, c.Conv1Stride, c.Conv1Padding(), FeatureLayer.Conv1),
            new("pool1", LayerKind.MaxPool, c.Conv1, c.Conv1, PoolKernel, PoolStride, PoolPadding, null),
            new("conv2", LayerKind.ConvBlock, c.Conv1, c.Conv2, 5, 1, 2, FeatureLayer.Conv2),
            new("conv3", LayerKind.ConvBlock, c.Conv2, c.Conv3, 3, 1, 1, FeatureLayer.Conv3),
            new("conv4", LayerKind.ConvBlock, c.Conv3, c.Conv4, 3, 1, 1, FeatureLayer.Conv4),
            new("conv5", LayerKind.ConvBlock, c.Conv4, c.Conv5, 3, 1, 1, FeatureLayer.Conv5),
            new("fc6", LayerKind.ConvBlock, c.Conv5, c.Fc, 1, 1, 0, FeatureLayer.Fc6),
            new("fc7", LayerKind.ConvBlock, c.Fc, c.Fc, 1, 1, 0, FeatureLayer.Fc7),
            new("pred", LayerKind.Prediction, c.Fc, bins, 1, 1, 0, null),
        ];
    }

    /// <summary>
    /// The element type the layer computes in when the network runs in <paramref name="autocast"/>: that type, for the
    /// prediction layer too, as PyTorch's autocast does (its logits come back float32 for the softmax and the loss;
    /// bfloat16 leaves about 0.02 on a logit of 5). It computed in float32 while oneDNN's bfloat16 1 x 1 backward kernel,
    /// wrong on AMD Zen 5, ran it; a matrix product runs it now (<see cref="PointwiseConvolution"/>), and with
    /// <see cref="PointwiseConvolution.ReducedPrediction"/> off (A/B timings) it computes in float32 again.
    /// </summary>
    internal ScalarType ComputeType(ScalarType autocast) =>
        Kind == LayerKind.Prediction && !(PointwiseConvolution.Enabled && PointwiseConvolution.ReducedPrediction) ? ScalarType.Float32 : autocast;

    /// <summary>Output side for an input side (floor division, as convolution and pooling without ceil mode compute it).</summary>
    internal int OutputSize(int inputSize) => (inputSize + 2 * Padding - Kernel) / Stride + 1;
}
