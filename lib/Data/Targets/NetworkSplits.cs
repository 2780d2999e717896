using System.Runtime.CompilerServices;
using SplitBrain.Color;
using static TorchSharp.torch;

namespace SplitBrain.Data;

/// <summary>
/// Which split each trained network was trained on, kept beside the network rather than in it, so that the code that
/// feeds it images later (features, probes, classifiers) converts them the same way: <see cref="ColorSplit.Lab"/> for a
/// network nothing was said about.
/// </summary>
/// <remarks>Set by whoever builds a network for a split (a pretraining run, loading a run's checkpoint) and carried to
/// its copies (random baselines, classifiers). Entries go with their networks (weak keys).</remarks>
internal static class NetworkSplits
{
    private static readonly ConditionalWeakTable<nn.Module, object> Splits = new();

    /// <summary>Records that <paramref name="network"/> takes inputs of <paramref name="split"/>; returns the network.</summary>
    internal static T Remember<T>(T network, ColorSplit split) where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(network);
        Splits.AddOrUpdate(network, split);
        return network;
    }

    /// <summary>The split <paramref name="network"/> was trained on; Lab when none was recorded.</summary>
    internal static ColorSplit Of(nn.Module network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Splits.TryGetValue(network, out var split) ? (ColorSplit)split : ColorSplit.Lab;
    }

    /// <summary>Gives <paramref name="copy"/> the split of <paramref name="original"/>; returns the copy.</summary>
    internal static T Copy<T>(nn.Module original, T copy) where T : nn.Module => Remember(copy, Of(original));
}
