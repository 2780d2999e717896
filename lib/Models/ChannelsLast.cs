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
/// every layer, and returns contiguous NCHW tensors to its callers. On a GPU nothing changes (not measured there).
/// </remarks>
internal static class ChannelsLast
{
    /// <summary><paramref name="x"/> (<c>[N, C, H, W]</c>) laid out channels-last on the CPU; as it is elsewhere.</summary>
    internal static Tensor OnCpu(Tensor x) =>
        x.device_type == TorchSharp.DeviceType.CPU ? x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : x;
}
