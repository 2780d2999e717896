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
/// every layer with a spatial kernel (<see cref="ForLayer"/>), and returns contiguous NCHW tensors to its callers. On a GPU
/// nothing changes (not measured there).
/// <para>The 1 x 1 layers (fc6, fc7, pred) get contiguous NCHW input instead. For them oneDNN (libtorch 2.10) picks its
/// brgemm 1 x 1 convolution on channels-last input, and on AMD Zen 5 that kernel computes wrong values, in float32 and in
/// bfloat16, forward and backward: measured 14% to 70% of the result's size off for 64 to 512 input and 99 to 2048
/// output channels (float32, one or two threads). On NCHW input every such float32 shape is right, and so are the
/// spatial layers on channels-last input (checked against float64 for the
/// small and default widths at batches of 8, 32 and 64). In bfloat16 the spatial layers must get channels-last input:
/// oneDNN's bfloat16 direct kernel on plain NCHW input is wrong for some small shapes (3 input channels, 3 x 3, 6 x 6:
/// 67% off). The bfloat16 backward kernel of the small network's 64 -> 313 prediction layer is wrong in either layout (off
/// by 10^18 to 10^33 in a process that has run other work; its F1 then learned to a loss of 2.85 where float32 reached
/// 1.67), so that layer computes in float32 (<see cref="LayerSpec.ComputeType"/>). <c>ChannelsLastTests</c> compares both halves, in both precisions, with a float64 copy at the training
/// shapes, so that the next such kernel on another CPU fails a test.</para>
/// </remarks>
internal static class ChannelsLast
{
    /// <summary>The input layout for a layer of <paramref name="kernel"/> x <paramref name="kernel"/>: channels-last on the
    /// CPU for a spatial kernel, contiguous NCHW for a 1 x 1 one (see the class remarks).</summary>
    internal static Tensor ForLayer(Tensor x, int kernel) => kernel > 1 || PointwiseConvolution.Enabled ? OnCpu(x) : x.contiguous();

    /// <summary><paramref name="x"/> (<c>[N, C, H, W]</c>) laid out channels-last on the CPU; as it is elsewhere.</summary>
    internal static Tensor OnCpu(Tensor x) =>
        x.device_type == TorchSharp.DeviceType.CPU ? x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : x;
}
