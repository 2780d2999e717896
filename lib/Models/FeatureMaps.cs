using System.Collections;
using static TorchSharp.torch;

namespace SplitBrain.Models;

/// <summary>
/// The activations (after ReLU) of a sub-network's feature layers, in network order, from
/// <see cref="SubNetwork.Features"/>. Owns its tensors: dispose it (or let an enclosing dispose scope free them).
/// </summary>
public sealed class FeatureMaps : IReadOnlyList<(FeatureLayer Layer, Tensor Activation)>, IDisposable
{
    private readonly List<(FeatureLayer Layer, Tensor Activation)> _maps;

    internal FeatureMaps(List<(FeatureLayer Layer, Tensor Activation)> maps) => _maps = maps;

    /// <summary>Number of layers held.</summary>
    public int Count => _maps.Count;

    /// <summary>The i-th layer and its activation, [N, C, h, w], in network order.</summary>
    /// <param name="index">0 for conv1, up to <see cref="Count"/> - 1.</param>
    public (FeatureLayer Layer, Tensor Activation) this[int index] => _maps[index];

    /// <summary>The activation of <paramref name="layer"/>, [N, C, h, w].</summary>
    /// <param name="layer">A layer up to the one the maps were computed to.</param>
    /// <exception cref="ArgumentException">The maps stop before <paramref name="layer"/>.</exception>
    public Tensor this[FeatureLayer layer]
    {
        get
        {
            foreach (var (l, activation) in _maps)
                if (l == layer)
                    return activation;
            throw new ArgumentException(
                $"{nameof(layer)} {layer} was not computed: these maps hold {string.Join(", ", _maps.Select(m => m.Layer))}.",
                nameof(layer));
        }
    }

    /// <summary>The deepest layer's activation (the one <see cref="SubNetwork.Features"/> was asked for).</summary>
    public Tensor Last => _maps[^1].Activation;

    /// <inheritdoc/>
    public IEnumerator<(FeatureLayer Layer, Tensor Activation)> GetEnumerator() => _maps.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes every activation.</summary>
    public void Dispose()
    {
        foreach (var (_, activation) in _maps)
            activation.Dispose();
        _maps.Clear();
    }
}
