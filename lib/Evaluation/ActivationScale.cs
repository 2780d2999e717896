using SplitBrain.Data;
using SplitBrain.Display;
using SplitBrain.Models;
using static TorchSharp.torch;

namespace SplitBrain.Evaluation;

/// <summary>
/// How large each layer's activations are when a network runs in eval mode, as probes and frozen classifiers run it:
/// the standard deviation of every layer's features (all towers, after ReLU) over a batch of images. The picture that
/// shows why a network at initialisation is a weak baseline: with BatchNorm statistics 0 and 1 nothing is normalised,
/// and the scale drifts layer by layer; re-estimated statistics (<see cref="BatchNormStatistics"/>) bring every layer
/// back to about 1.
/// </summary>
public static class ActivationScale
{
    /// <summary>The standard deviation of each layer's features over <paramref name="images"/>, conv1 to fc7.</summary>
    /// <param name="net">The network; run in eval mode under <c>no_grad</c>, its mode restored.</param>
    /// <param name="images">[N, 3, H, W] sRGB images, uint8 or floating; on any device (moved to the network's).</param>
    /// <returns>One value per layer, in network order.</returns>
    public static IReadOnlyList<(FeatureLayer Layer, double Std)> Of(FeatureNetwork net, Tensor images)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var wasTraining = net.training;
        net.eval();
        try
        {
            var (l, ab) = NetworkInputs.FromImages(images.to(FeatureExtractor.DeviceOf(net)), net);
            var towers = net.TowerFeatures(l, ab, FeatureLayer.Fc7);
            return [.. towers[0].Select((map, i) =>
                (map.Layer, cat([.. towers.Select(t => t[i].Activation)], 1).to_type(ScalarType.Float64).std().item<double>()))];
        }
        finally
        {
            net.train(wasTraining);
        }
    }

    /// <summary>A chart of <see cref="Of"/> for several networks on the same images, one line each, log scale.</summary>
    /// <param name="networks">(legend name, network) pairs.</param>
    /// <param name="data">The images: the first <paramref name="images"/> of it (labels are not read).</param>
    /// <param name="images">How many images, at least 2.</param>
    /// <returns>The chart.</returns>
    public static Chart Chart(IEnumerable<(string Name, FeatureNetwork Network)> networks, IImageDataset data, int images = 64)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(data);
        if (images < 2 || data.Count < 2)
            throw new ArgumentException($"A scale needs at least 2 images; asked for {images} of {data.Count}.", nameof(images));
        using var batch = data.ReadBatch([.. Enumerable.Range(0, Math.Min(images, data.Count))]);
        var series = networks.Select(n =>
        {
            var scales = Of(n.Network, batch.Images);
            return (n.Name, (IReadOnlyList<string>)[.. scales.Select(s => EvaluationPlots.LayerName(s.Layer))],
                (IReadOnlyList<double>)[.. scales.Select(s => s.Std)], false);
        }).ToList();
        return EvaluationPlots.CategoryLines("Activation scale per layer in eval mode (log scale)", "layer",
            "standard deviation of the features", series, logY: true);
    }
}
