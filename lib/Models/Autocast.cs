using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Models;

/// <summary>
/// Mixed precision as PyTorch's <c>torch.autocast</c> does it, which TorchSharp 0.107 lacks: inside
/// <c>using (Autocast.Enter(ScalarType.BFloat16))</c> the library's layers run their convolutions and matrix products in
/// bfloat16, while the weights stay float32 (the masters the optimizer updates), BatchNorm keeps float32 parameters and
/// running statistics (it normalises bfloat16 activations, accumulating in float32), and logits come back float32, so
/// that losses, softmax and metrics are float32.
/// </summary>
/// <remarks>
/// <para>How: each convolution or linear layer casts its input and its float32 weight to the compute type at the call
/// (<see cref="Conv2d"/>, <see cref="Linear"/>). The cast is part of the autograd graph, so the backward pass through it
/// turns the bfloat16 gradient into a float32 gradient of the master weight: nothing is copied between a master and a
/// working copy, and a checkpoint holds float32 weights, so a run can resume in the other precision. bfloat16 has
/// float32's exponent range, so no loss scaling is needed (unlike float16).</para>
/// <para>The setting is per thread and nests; the run engine enters it around every step of a run whose precision is
/// bfloat16, and the evaluation code around its passes. Outside any, layers compute in float32 as always.</para>
/// </remarks>
public static class Autocast
{
    [ThreadStatic]
    private static ScalarType? t_computeType;

    /// <summary>The element type convolutions and matrix products compute in on this thread (float32 outside any
    /// <see cref="Enter"/>).</summary>
    public static ScalarType ComputeType => t_computeType ?? ScalarType.Float32;

    /// <summary>Whether this thread computes in bfloat16 now.</summary>
    public static bool IsReduced => t_computeType == ScalarType.BFloat16;

    /// <summary>Computes in <paramref name="computeType"/> on this thread until the result is disposed (which restores
    /// what was before).</summary>
    /// <param name="computeType"><see cref="ScalarType.Float32"/> or <see cref="ScalarType.BFloat16"/>.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException">Another element type.</exception>
    public static IDisposable Enter(ScalarType computeType)
    {
        if (computeType is not (ScalarType.Float32 or ScalarType.BFloat16))
            throw new ArgumentException($"Autocast computes in Float32 or BFloat16; got {computeType}.", nameof(computeType));
        var scope = new Scope(t_computeType);
        t_computeType = computeType;
        return scope;
    }

    /// <summary><paramref name="conv"/> applied to <paramref name="input"/>: in bfloat16 inside a bfloat16
    /// <see cref="Enter"/>, as always (in its weights' type) elsewhere.</summary>
    /// <param name="conv">A convolution.</param>
    /// <param name="input">[N, C, H, W] floating input.</param>
    /// <returns>The output.</returns>
    public static Tensor Conv2d(Conv2d conv, Tensor input) => Conv2dIn(conv, input, ComputeType);

    /// <summary><paramref name="conv"/> applied to <paramref name="input"/>: in bfloat16 when <paramref name="type"/> is (a
    /// 1 x 1 convolution on the CPU then as a matrix product, <see cref="PointwiseConvolution"/>), else in its weights' type.</summary>
    internal static Tensor Conv2dIn(Conv2d conv, Tensor input, ScalarType type)
    {
        var weight = conv.weight!;
        var (stride, padding, dilation) = (conv.stride, conv.padding ?? [0, 0], conv.dilation);
        if (type != ScalarType.BFloat16)
            return conv.call(input.to_type(weight.dtype));
        return PointwiseConvolution.Convolve(input.to_type(type), weight.to_type(type), conv.bias?.to_type(type), stride, padding, dilation, conv.groups);
    }

    /// <summary><paramref name="linear"/> applied to <paramref name="input"/>: in bfloat16 inside a bfloat16
    /// <see cref="Enter"/>, as always elsewhere.</summary>
    /// <param name="linear">A linear layer.</param>
    /// <param name="input">[..., in] floating input.</param>
    /// <returns>The output.</returns>
    public static Tensor Linear(Linear linear, Tensor input)
    {
        if (!IsReduced)
            return linear.call(input);
        var type = ScalarType.BFloat16;
        return nn.functional.linear(input.to_type(type), linear.weight!.to_type(type), linear.bias?.to_type(type));
    }

    /// <summary>A layer's output for a loss or a metric: float32 when it was computed in bfloat16, as it is otherwise.</summary>
    /// <param name="output">Logits or features.</param>
    /// <returns><paramref name="output"/>, or its float32 copy.</returns>
    public static Tensor Full(Tensor output) => output.dtype == ScalarType.BFloat16 ? output.to_type(ScalarType.Float32) : output;

    private sealed class Scope(ScalarType? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            t_computeType = previous;
        }
    }
}
