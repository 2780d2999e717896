using static TorchSharp.torch;

namespace SplitBrain.Models;

/// <summary>
/// Channels-last (NHWC) activations for the sub-networks on the CPU. With NCHW activations libtorch's oneDNN convolutions
/// reorder every input (and, in the backward pass, every gradient) into their own layout and back, on every call; with
/// channels-last tensors they read and write them as they are. Measured on 2 cores (README "Benchmarks"): a training step
/// of the default network, batch 64, 11-18% faster, the same values up to float rounding.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 has no <c>memory_format</c> argument, so a tensor is laid out channels-last by the equivalent
/// permutation: <c>x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)</c>, shape unchanged, strides NHWC. A tensor
/// that is channels-last already passes through as a view, without a copy. A convolution whose input is channels-last
/// gives a channels-last output, except the first (its weights are not), so <see cref="SubNetwork"/> applies this before
/// every layer (<see cref="ForLayer"/>), and returns contiguous NCHW tensors to its callers. On a GPU nothing changes (not
/// measured there).
/// <para>The 1 x 1 layers (fc6, fc7, pred) get contiguous NCHW input in float32, and in bfloat16 are not oneDNN
/// convolutions at all but matrix products over the channels-last rows (<see cref="PointwiseConvolution"/>; in float32
/// the NCHW convolution was the faster). For them oneDNN (libtorch 2.10) picks its brgemm 1 x 1
/// convolution on channels-last input, and on AMD Zen 5 that kernel computes wrong values, in float32 and in bfloat16,
/// forward and backward: measured 14% to 70% of the result's size off for 64 to 512 input and 99 to 2048 output channels
/// (float32, one or two threads); and its bfloat16 backward for the small network's 64 -> 313 prediction layer was off by
/// 10^18 to 10^33 in either layout, in a process that had run other work. They used to run on NCHW input, with the
/// prediction layer in float32, at the cost of a layout copy each way and of bfloat16's speed (timed interleaved in one
/// process, <c>tools/benchmark.cs --ab-pointwise</c>: the matrix products, with the prediction layer in bfloat16, made a
/// bfloat16 step of the default network 1.46x as fast on Zen 5, one thread, a busy machine). In bfloat16 the spatial
/// layers must get channels-last input: oneDNN's bfloat16 direct kernel on plain NCHW input is wrong for some small shapes
/// (3 input channels, 3 x 3, 6 x 6: 67% off). <c>ConvolutionKernelsTests</c> checks every layer's kernel, and
/// <c>ChannelsLastTests</c> both halves, in both precisions, against float64 at the training shapes, so that the next
/// wrong kernel on another CPU fails a test.</para>
/// </remarks>
internal static class ChannelsLast
{
    /// <summary>The input layout for a layer of <paramref name="kernel"/> x <paramref name="kernel"/>: channels-last on the
    /// CPU, but contiguous NCHW for a 1 x 1 one in float32 (and in bfloat16 when <see cref="PointwiseConvolution.Enabled"/>
    /// is off, for A/B timings); see the class remarks.</summary>
    internal static Tensor ForLayer(Tensor x, int kernel) =>
        kernel > 1 || (x.dtype == ScalarType.BFloat16 && PointwiseConvolution.Enabled) ? OnCpu(x) : x.contiguous();

    /// <summary><paramref name="x"/> (<c>[N, C, H, W]</c>) laid out channels-last on the CPU; as it is elsewhere.</summary>
    internal static Tensor OnCpu(Tensor x) =>
        x.device_type == TorchSharp.DeviceType.CPU ? x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : x;
}
