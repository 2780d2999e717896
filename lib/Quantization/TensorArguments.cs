using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Quantization;

/// <summary>
/// Argument checks shared by the quantization types. Each throws an <see cref="ArgumentException"/> that names the
/// argument, shows the shape and dtype received, and says what was expected (lib/README.md conventions).
/// </summary>
internal static class TensorArguments
{
    /// <summary>"[4, 2, 12, 12] Float32": how a received tensor is shown in messages.</summary>
    internal static string Describe(Tensor t) => $"[{string.Join(", ", t.shape)}] {t.dtype}";

    /// <summary>Throws unless <paramref name="t"/> has <paramref name="rank"/> dimensions.</summary>
    internal static void RequireRank(Tensor t, int rank, string expected, string paramName)
    {
        ArgumentNullException.ThrowIfNull(t, paramName);
        if (t.dim() != rank)
            throw new ArgumentException($"{paramName} must be {expected}; got {Describe(t)}.", paramName);
    }

    /// <summary>Throws unless <paramref name="t"/> holds floating-point values.</summary>
    internal static void RequireFloating(Tensor t, string expected, string paramName)
    {
        if (!t.is_floating_point())
            throw new ArgumentException($"{paramName} must be {expected} of floating-point values; got {Describe(t)}.", paramName);
    }

    /// <summary>Throws unless <paramref name="t"/> is a rank-4 floating tensor whose dim 1 is <paramref name="channels"/>.</summary>
    internal static void RequireNchw(Tensor t, long channels, string what, string paramName)
    {
        var expected = $"a [N, {channels}, H, W] tensor ({what})";
        RequireRank(t, 4, expected, paramName);
        RequireFloating(t, expected, paramName);
        if (t.shape[1] != channels)
            throw new ArgumentException($"{paramName} must be {expected}; got {Describe(t)}.", paramName);
    }

    /// <summary>Throws unless <paramref name="t"/> is on the same device as <paramref name="owned"/> (no silent copies).</summary>
    internal static void RequireSameDevice(Tensor t, Tensor owned, string owner, string paramName)
    {
        if (t.device_type != owned.device_type || t.device_index != owned.device_index)
            throw new ArgumentException(
                $"{paramName} is on {t.device} but the {owner} is on {owned.device}; move one of them once " +
                $"(the {owner}'s To(device), or the tensor's to(device)) instead of copying every batch.", paramName);
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and strictly positive.</summary>
    internal static void RequirePositive(double value, string paramName)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be a finite number > 0; got {value}.");
    }
}
