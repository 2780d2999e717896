using System.Globalization;
using SplitBrain.Models;
using static TorchSharp.torch;

namespace SplitBrain.Runs;

/// <summary>
/// What <see cref="Precision.Auto"/> computes in for one machine, network, batch, thread count and device, and why: the
/// element type, and the seconds per step each precision took when <see cref="PrecisionProbe"/> timed them (none when it
/// did not time: the hardware has no bfloat16, or the precision was forced).
/// </summary>
/// <param name="ComputeType"><see cref="ScalarType.Float32"/> or <see cref="ScalarType.BFloat16"/>.</param>
/// <param name="Float32Seconds">Seconds per step in float32 (the best of the timed rounds), or null when not timed.</param>
/// <param name="BFloat16Seconds">Seconds per step in bfloat16 (the best of the timed rounds), or null when not timed.</param>
/// <param name="ProbeSeconds">What the measurement cost, warm-up included (0 when not timed or read from the cache).</param>
/// <param name="FromCache">Whether the decision was read from the cache rather than measured now.</param>
/// <param name="Reason">Why, when nothing was timed: e.g. "this CPU has no bfloat16 instructions"; null otherwise.</param>
public sealed record PrecisionChoice(
    ScalarType ComputeType,
    double? Float32Seconds = null,
    double? BFloat16Seconds = null,
    double ProbeSeconds = 0,
    bool FromCache = false,
    string? Reason = null)
{
    /// <summary>Whether both precisions were timed.</summary>
    public bool Measured => Float32Seconds is > 0 && BFloat16Seconds is > 0;

    /// <summary>How many times faster the chosen precision stepped than the other (1 or more), or null when not timed.</summary>
    public double? Speedup => Measured
        ? ComputeType == ScalarType.BFloat16 ? Float32Seconds!.Value / BFloat16Seconds!.Value : BFloat16Seconds!.Value / Float32Seconds!.Value
        : null;

    /// <summary>The line a summary and the registry show, e.g. <c>bfloat16: 1.9x float32 on this machine</c>, or just
    /// <c>float32</c> when nothing was timed.</summary>
    public string Describe()
    {
        var name = Precisions.Name(ComputeType);
        if (Speedup is not { } speedup)
            return name;
        var other = Precisions.Name(ComputeType == ScalarType.BFloat16 ? ScalarType.Float32 : ScalarType.BFloat16);
        return string.Create(CultureInfo.InvariantCulture, $"{name}: {speedup:0.0#}x {other} on this machine");
    }

    /// <inheritdoc/>
    public override string ToString() => Describe();
}
