using SplitBrain.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Interop;

/// <summary>Small networks and inputs for the weight-file tests: the Small architecture with BatchNorm statistics and
/// affine parameters drawn at random, so that an evaluation-mode forward pass depends on every tensor of the file.</summary>
internal static class InteropNetworks
{
    /// <summary>A Small L | ab network of <paramref name="seed"/>, its BatchNorm tensors randomised, in eval mode.</summary>
    public static SplitBrainNet Small(long seed, ModelConfig? config = null, int lightnessBins = 100)
    {
        torch.manual_seed(seed);
        var net = SplitBrainNet.Create(config ?? ModelConfig.Small, 1, 2, lightnessBins, 313);
        using (no_grad())
        {
            foreach (var (name, tensor) in net.state_dict())
            {
                if (name.EndsWith(".bn.weight", StringComparison.Ordinal)) tensor.uniform_(0.5, 1.5);
                else if (name.EndsWith(".bn.bias", StringComparison.Ordinal)) tensor.uniform_(-0.2, 0.2);
                else if (name.EndsWith(".running_mean", StringComparison.Ordinal)) tensor.uniform_(-0.3, 0.3);
                else if (name.EndsWith(".running_var", StringComparison.Ordinal)) tensor.uniform_(0.5, 2.0);
                else if (name.EndsWith(".num_batches_tracked", StringComparison.Ordinal)) tensor.fill_(seed + 3);
            }
        }
        net.eval();
        return net;
    }

    /// <summary>A batch of normalised L and ab inputs, [4, 1, 32, 32] and [4, 2, 32, 32].</summary>
    public static (Tensor L, Tensor Ab) Inputs(long seed)
    {
        using var generator = new Generator().manual_seed(seed);
        return (randn([4, 1, 32, 32], generator: generator) * 0.5, randn([4, 2, 32, 32], generator: generator) * 0.3);
    }

    /// <summary>Both halves' logits in eval mode, float32, without gradients.</summary>
    public static (Tensor F1, Tensor F2) Outputs(SplitBrainNet net, Tensor l, Tensor ab)
    {
        using var noGrad = no_grad();
        return net.call(l, ab);
    }

    /// <summary>Whether two networks hold the same tensors, exactly.</summary>
    public static bool SameState(SplitBrainNet a, SplitBrainNet b)
    {
        var left = a.state_dict();
        var right = b.state_dict();
        return left.Count == right.Count && left.All(kv => right.TryGetValue(kv.Key, out var t)
            && kv.Value.dtype == t.dtype && kv.Value.shape.SequenceEqual(t.shape) && kv.Value.eq(t).all().item<bool>());
    }
}
