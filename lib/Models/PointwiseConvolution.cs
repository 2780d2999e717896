using static TorchSharp.torch;

namespace SplitBrain.Models;

/// <summary>
/// A 1 x 1 convolution (fc6, fc7, pred) in bfloat16 computed as what it is, a matrix product: on channels-last activations the input
/// <c>[N, C, H, W]</c> is the matrix <c>[N*H*W, C]</c> of its positions' channel vectors without a copy, and the output
/// <c>[N*H*W, out]</c> = input x weight<sup>T</sup> + bias is again a channels-last <c>[N, out, H, W]</c> tensor. The weight
/// stays the convolution's <c>[out, C, 1, 1]</c> parameter (state_dict keys unchanged), seen as <c>[out, C]</c>.
/// </summary>
/// <remarks>
/// Why on the CPU: libtorch 2.10's oneDNN has wrong 1 x 1 convolution kernels on AMD Zen 5 (its brgemm kernel on
/// channels-last input, the bfloat16 backward of the 64 -> 313 prediction layer; see <see cref="ChannelsLast"/>), which
/// forced those layers onto NCHW tensors (a layout copy each way) and the prediction layer into float32. The matrix
/// product runs a plain GEMM (forward and both backward products), checked against float64 by the kernel-conformance test
/// (<c>ConvolutionKernelsTests</c>), and needs no layout change. On a GPU the convolution is kept (not measured there).
/// </remarks>
internal static class PointwiseConvolution
{
    /// <summary>Whether the sub-networks compute their 1 x 1 layers this way (true) or as before, convolutions on NCHW input
    /// with the prediction layer in float32 (false): for A/B timings (<c>tools/benchmark.cs --ab-pointwise</c>) only.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>Whether the prediction layer computes in the autocast type (bfloat16) on this path (the default), or in
    /// float32 as before (<see cref="LayerSpec.ComputeType"/>): for A/B timings only.</summary>
    internal static bool ReducedPrediction { get; set; } = true;

    /// <summary>Whether a convolution with this weight, stride, padding and groups of <paramref name="input"/> is computed
    /// as a matrix product here: 1 x 1, stride 1, no padding, one group, in bfloat16, on the CPU. In float32 oneDNN's 1 x 1
    /// convolution on NCHW input is right and was faster (interleaved, one thread: the matrix product 0.81-0.86x).</summary>
    internal static bool Applies(Tensor input, Tensor weight, long[] stride, long[] padding, long groups) =>
        Enabled && input.dtype == ScalarType.BFloat16 && input.device_type == TorchSharp.DeviceType.CPU && groups == 1 && weight.shape[2] == 1 && weight.shape[3] == 1
        && stride.All(s => s == 1) && padding.All(p => p == 0);

    /// <summary>The convolution of <paramref name="input"/> by the 1 x 1 <paramref name="weight"/> as a matrix product,
    /// in <paramref name="input"/>'s and <paramref name="weight"/>'s type (cast them first).</summary>
    /// <param name="input"><c>[N, C, H, W]</c>, best channels-last (then no copy is made).</param>
    /// <param name="weight"><c>[out, C, 1, 1]</c>.</param>
    /// <param name="bias"><c>[out]</c> or null.</param>
    /// <returns><c>[N, out, H, W]</c>, channels-last.</returns>
    internal static Tensor Apply(Tensor input, Tensor weight, Tensor? bias)
    {
        var (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
        var rows = input.permute(0, 2, 3, 1).reshape(n * h * w, c);         // [N*H*W, C]: a view of channels-last input
        var product = nn.functional.linear(rows, weight.view(weight.shape[0], c), bias); // [N*H*W, out]
        return product.view(n, h, w, weight.shape[0]).permute(0, 3, 1, 2);   // [N, out, H, W] channels-last
    }

    /// <summary>A 2-d convolution as the sub-networks compute it: a matrix product where <see cref="Applies"/>, oneDNN's
    /// (or the device's) convolution elsewhere. Inputs already in the compute type.</summary>
    internal static Tensor Convolve(Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups) =>
        Applies(input, weight, stride, padding, groups)
            ? Apply(input, weight, bias)
            : nn.functional.conv2d(input, weight, bias, strides: stride, padding: padding, dilation: dilation, groups: groups);
}
