using SplitBrain.Data;
using SplitBrain.Models;
using static TorchSharp.torch;

namespace SplitBrain.Evaluation;

/// <summary>
/// A labeled dataset seen through a frozen network: for each requested layer, every image's pooled, flattened features
/// (<see cref="FeatureExtractor.Extract(FeatureNetwork, IImageDataset, IEnumerable{FeatureLayer}, TargetDimensions, int, IProgress{PassProgress}, Precision, CancellationToken)"/>),
/// with the labels. Owns its tensors, all on the CPU: dispose it.
/// </summary>
/// <remarks>Memory: <c>Count * sum(Dimension) * 4</c> bytes, e.g. 1,000 images x 7 layers x about 9,600 values is about
/// 270 MB. <see cref="Release"/> frees one layer early once its probe is trained.</remarks>
public sealed class ExtractedFeatures : IDisposable
{
    private readonly Dictionary<FeatureLayer, Tensor> _features;

    internal ExtractedFeatures(IReadOnlyList<FeatureGrid> grids, Dictionary<FeatureLayer, Tensor> features, Tensor labels,
        IReadOnlyList<string> classNames, double seconds)
    {
        Grids = grids;
        _features = features;
        Labels = labels;
        ClassNames = classNames;
        Seconds = seconds;
    }

    /// <summary>The layers, in network order, with their pooling.</summary>
    public IReadOnlyList<FeatureGrid> Grids { get; }

    /// <summary>The layers held, in network order.</summary>
    public IReadOnlyList<FeatureLayer> Layers => Grids.Select(g => g.Layer).ToArray();

    /// <summary>int64 [N] labels on the CPU (-1 where the dataset has none).</summary>
    public Tensor Labels { get; }

    /// <summary>The dataset's class names.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of images N.</summary>
    public int Count => (int)Labels.shape[0];

    /// <summary>Time the extraction took.</summary>
    public double Seconds { get; }

    /// <summary>The features of <paramref name="layer"/>: float32 [N, Dimension] on the CPU, F1's channels first, each
    /// channel's grid in row-major order.</summary>
    /// <param name="layer">A layer that was extracted and not released.</param>
    /// <exception cref="ArgumentException">The layer was not extracted, or was released.</exception>
    public Tensor this[FeatureLayer layer] => _features.TryGetValue(layer, out var features)
        ? features
        : throw new ArgumentException(
            $"{nameof(layer)} {layer} is not held: these features hold {string.Join(", ", _features.Keys)}.", nameof(layer));

    /// <summary>Frees one layer's features (e.g. after its probe is trained); the others stay.</summary>
    /// <param name="layer">The layer; nothing happens when it is not held.</param>
    public void Release(FeatureLayer layer)
    {
        if (_features.Remove(layer, out var features))
            features.Dispose();
    }

    /// <summary>Frees every tensor.</summary>
    public void Dispose()
    {
        foreach (var features in _features.Values)
            features.Dispose();
        _features.Clear();
        Labels.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"ExtractedFeatures: {Count} images, " + string.Join(", ", Grids.Select(g => $"{EvaluationPlots.LayerName(g.Layer)} {g.Dimension}"));
}
