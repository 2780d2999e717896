using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SplitBrain.Models;

/// <summary>
/// A convolution followed by an optional BatchNorm and a ReLU: one layer (conv1..conv5, fc6, fc7) of a
/// <see cref="SubNetwork"/>. Its state_dict keys are <c>conv.weight</c> (and <c>conv.bias</c> without BatchNorm) and
/// <c>bn.weight</c>, <c>bn.bias</c>, <c>bn.running_mean</c>, <c>bn.running_var</c>, <c>bn.num_batches_tracked</c>.
/// </summary>
/// <remarks>The convolution has a bias only without BatchNorm: BatchNorm subtracts the per-channel mean, which cancels
/// a bias exactly (its gradient is zero), and BatchNorm's own <c>bias</c> plays its role. The ReLU is in place: its input
/// is a temporary the block owns.</remarks>
public sealed class ConvBlock : Module<Tensor, Tensor>
{
    // Field names are the state_dict keys; RegisterComponents skips bn when it is null.
    private readonly Conv2d conv;
    private readonly BatchNorm2d? bn;
    private readonly ReLU relu;

    /// <summary>Creates a block (PyTorch's default initialisation; <see cref="WeightInit"/> replaces it in the factories).</summary>
    /// <param name="inChannels">Input channels, at least 1.</param>
    /// <param name="outChannels">Output channels, at least 1.</param>
    /// <param name="kernel">Square kernel size, at least 1.</param>
    /// <param name="stride">Stride, at least 1.</param>
    /// <param name="padding">Zero padding on each side, at least 0.</param>
    /// <param name="batchNorm">Whether a BatchNorm follows the convolution (then the convolution has no bias).</param>
    public ConvBlock(int inChannels, int outChannels, int kernel, int stride, int padding, bool batchNorm)
        : base(nameof(ConvBlock))
    {
        RequireAtLeast(inChannels, 1, nameof(inChannels));
        RequireAtLeast(outChannels, 1, nameof(outChannels));
        RequireAtLeast(kernel, 1, nameof(kernel));
        RequireAtLeast(stride, 1, nameof(stride));
        RequireAtLeast(padding, 0, nameof(padding));
        conv = Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding, bias: !batchNorm);
        bn = batchNorm ? BatchNorm2d(outChannels) : null;
        relu = ReLU(inplace: true);
        RegisterComponents();
    }

    /// <summary>The convolution.</summary>
    public Conv2d Conv => conv;

    /// <summary>The BatchNorm, or null when the block has none.</summary>
    public BatchNorm2d? Norm => bn;

    /// <summary>Convolution, BatchNorm, ReLU, the convolution in <see cref="Autocast.ComputeType"/> (BatchNorm keeps its
    /// float32 parameters and statistics whatever the activations' type).</summary>
    /// <param name="input">[N, in, H, W].</param>
    /// <returns>[N, out, H', W'] non-negative activations, in the compute type.</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var y = Autocast.Conv2d(conv, input); // [N, out, H', W']
        if (bn is not null)
            y = bn.call(y);
        return relu.call(y).MoveToOuterDisposeScope();
    }

    private static void RequireAtLeast(int value, int min, string paramName)
    {
        if (value < min)
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be at least {min}; got {value}.");
    }
}
