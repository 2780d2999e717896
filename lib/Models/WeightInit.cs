using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Models;

/// <summary>
/// The initial weights of the sub-networks, as TorchVision initialises its convolutional networks (VGG, ResNet):
/// Kaiming-normal convolutions, BatchNorm as the identity, zero biases, and a small normal prediction layer.
/// </summary>
/// <remarks>
/// <para>Why: Kaiming-normal with <c>fan_out</c> and the ReLU gain (std = sqrt(2 / (out_channels * k * k))) keeps the
/// variance of the back-propagated gradients about constant from layer to layer through ReLUs (He et al. 2015,
/// "Delving deep into rectifiers"), so a deep stack trains from the first step, with or without BatchNorm. BatchNorm
/// starting as the identity (weight 1, bias 0) and zero biases add nothing on top of that.</para>
/// <para>The prediction convolution is a classifier, not followed by a ReLU, so it gets what TorchVision gives its final
/// classifier layers: normal with standard deviation <see cref="PredictionStd"/> and zero bias. Its logits start near
/// zero, the predicted distributions near uniform, and the first loss near log Q (5.75 for 313 bins), a value a notebook
/// can check.</para>
/// <para>Every draw comes from torch's global generator, so <c>torch.manual_seed(s)</c> before building a network makes
/// its weights reproducible. The factories initialise on the CPU before moving to a device.</para>
/// </remarks>
public static class WeightInit
{
    /// <summary>Standard deviation of the prediction layer's weights: 0.01, as TorchVision's classifier layers.</summary>
    public const double PredictionStd = 0.01;

    /// <summary>Initialises every layer of <paramref name="network"/> as described in the class remarks.</summary>
    /// <param name="network">The sub-network; its weights are overwritten in place.</param>
    public static void Apply(SubNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        foreach (var block in network.Blocks)
        {
            ReluConvolution(block.Conv);
            if (block.Norm is { } bn)
                Identity(bn);
        }
        Prediction(network.Prediction);
    }

    /// <summary>Initialises both halves of <paramref name="network"/> (F1 first, then F2).</summary>
    /// <param name="network">The split-brain network; its weights are overwritten in place.</param>
    public static void Apply(SplitBrainNet network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Apply(network.F1);
        Apply(network.F2);
    }

    /// <summary>Kaiming-normal weights (fan_out, ReLU gain) and a zero bias, for a convolution followed by a ReLU.</summary>
    /// <param name="conv">The convolution.</param>
    public static void ReluConvolution(Conv2d conv)
    {
        ArgumentNullException.ThrowIfNull(conv);
        using var _ = no_grad();
        nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        if (conv.bias is { } bias)
            nn.init.zeros_(bias);
    }

    /// <summary>BatchNorm as the identity: weight 1, bias 0 (running statistics are left as they are).</summary>
    /// <param name="bn">The BatchNorm.</param>
    public static void Identity(BatchNorm2d bn)
    {
        ArgumentNullException.ThrowIfNull(bn);
        using var _ = no_grad();
        if (bn.weight is { } weight)
            nn.init.ones_(weight);
        if (bn.bias is { } bias)
            nn.init.zeros_(bias);
    }

    /// <summary>Normal weights with standard deviation <see cref="PredictionStd"/> and a zero bias, for the prediction layer.</summary>
    /// <param name="conv">The prediction convolution.</param>
    public static void Prediction(Conv2d conv)
    {
        ArgumentNullException.ThrowIfNull(conv);
        using var _ = no_grad();
        nn.init.normal_(conv.weight, 0, PredictionStd);
        if (conv.bias is { } bias)
            nn.init.zeros_(bias);
    }
}
