using System.Diagnostics;
using SplitBrain.Data;
using SplitBrain.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SplitBrain.Evaluation;

/// <summary>
/// Runs a frozen <see cref="FeatureNetwork"/> over a labeled dataset and keeps, for each requested layer, every image's
/// features pooled to about the same number of values: the input of the paper's linear probes (Zhang, Isola, Efros 2017,
/// sec. 4.2, following Zhang, Isola, Efros 2016, sec. 3.2.1).
/// </summary>
/// <remarks>
/// <para>Dimension targeting: the papers resize each layer's map spatially so that every layer gives about 9,600 values
/// (<see cref="PaperDimension"/>), so that layers compare on equal terms: a wider representation alone would make a
/// linear classifier stronger. Here a layer's concatenated map [C, h, h] is adaptively average-pooled to [C, s, s],
/// with the side s in 1..h whose C * s * s is closest to the target (ties to the smaller grid), then flattened. The
/// overloads that take a <see cref="TargetDimensions"/> give layers targets of their own; the others one number for
/// every layer. For the default network on 96 x 96 images
/// (<see cref="Plan(FeatureNetwork, int, IEnumerable{FeatureLayer}, int)"/>), whose two halves together have AlexNet's
/// widths, this gives AlexNet's sizes in the papers' tables: conv1 96 x 10 x 10 = 9,600; conv2 256 x 6 x 6 = 9,216;
/// conv3, conv4 384 x 5 x 5 = 9,600; conv5 256 x 6 x 6 = 9,216; and fc6, fc7 (1 x 1 convolutions here, on a 12 x 12
/// grid) 1,024 x 3 x 3 = 9,216.</para>
/// <para>One pass over the data serves every layer: each batch runs both halves up to the deepest requested layer once
/// (<see cref="SubNetwork.Features"/>). The network is put in eval mode (BatchNorm uses its running statistics) and run
/// under <c>no_grad</c>, then its mode is restored. Images are read on the calling thread, one batch at a time, in index
/// order; the features are copied to the CPU as float32.</para>
/// </remarks>
public static class FeatureExtractor
{
    /// <summary>The papers' target of about 9,600 values per layer.</summary>
    public const int PaperDimension = 9600;

    /// <summary>Images per forward pass by default: 64.</summary>
    public const int DefaultBatchSize = 64;

    /// <summary>The pooled grid side for a layer: the s in 1..<paramref name="mapSide"/> whose
    /// <c>channels * s * s</c> is closest to <paramref name="targetDimension"/> (the smaller s on a tie).</summary>
    /// <param name="channels">Channels C of the layer, at least 1.</param>
    /// <param name="mapSide">Side h of its activation map, at least 1.</param>
    /// <param name="targetDimension">The wanted number of values, at least 1.</param>
    /// <returns>The side s.</returns>
    public static int GridSide(int channels, int mapSide, int targetDimension)
    {
        RequirePositive(channels, nameof(channels));
        RequirePositive(mapSide, nameof(mapSide));
        RequirePositive(targetDimension, nameof(targetDimension));
        var best = 1;
        for (var s = 2; s <= mapSide; s++)
            if (Math.Abs((long)channels * s * s - targetDimension) < Math.Abs((long)channels * best * best - targetDimension))
                best = s;
        return best;
    }

    /// <summary>How each layer will be pooled for images of <paramref name="imageSize"/> pixels (a table for a notebook),
    /// one target for every layer.</summary>
    /// <param name="net">The network (only its architecture is read).</param>
    /// <param name="imageSize">Side of the (square) images.</param>
    /// <param name="layers">The layers; duplicates are dropped and the rest put in network order.</param>
    /// <param name="targetDimension">Values wanted per layer; <see cref="PaperDimension"/> by default.</param>
    /// <returns>One grid per layer, in network order.</returns>
    /// <exception cref="ArgumentException">No layers, or an argument is out of range.</exception>
    public static IReadOnlyList<FeatureGrid> Plan(FeatureNetwork net, int imageSize, IEnumerable<FeatureLayer> layers,
        int targetDimension = PaperDimension)
    {
        RequirePositive(targetDimension, nameof(targetDimension));
        return Plan(net, imageSize, layers, new TargetDimensions(targetDimension));
    }

    /// <summary>How each layer will be pooled for images of <paramref name="imageSize"/> pixels, each layer to its own
    /// target (<see cref="TargetDimensions.For"/>).</summary>
    /// <param name="net">The network (only its architecture is read).</param>
    /// <param name="imageSize">Side of the (square) images.</param>
    /// <param name="layers">The layers; duplicates are dropped and the rest put in network order.</param>
    /// <param name="targets">Values wanted at each layer, e.g. <c>TargetDimensions.Paper.With(FeatureLayer.Fc7, 2048)</c>.</param>
    /// <returns>One grid per layer, in network order.</returns>
    /// <exception cref="ArgumentException">No layers, or an argument or target is out of range.</exception>
    public static IReadOnlyList<FeatureGrid> Plan(FeatureNetwork net, int imageSize, IEnumerable<FeatureLayer> layers,
        TargetDimensions targets)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(targets);
        RequirePositive(imageSize, nameof(imageSize));
        targets.Validate();
        var ordered = layers.Distinct().Order().ToArray();
        if (ordered.Length == 0)
            throw new ArgumentException($"{nameof(layers)} must name at least one layer.", nameof(layers));
        var summary = ModelSummary.Of(net.Towers[0], imageSize, imageSize); // the towers share the geometry
        return ordered.Select(layer =>
        {
            if (!Enum.IsDefined(layer))
                throw new ArgumentOutOfRangeException(nameof(layers), layer, $"{layer} is not a {nameof(FeatureLayer)}.");
            var mapSide = summary.Layers.Single(l => l.Feature == layer).Height;
            var channels = net.FeatureChannels(layer);
            return new FeatureGrid(layer, channels, mapSide, GridSide(channels, mapSide, targets.For(layer)));
        }).ToArray();
    }

    /// <summary>
    /// Every image's features at each of <paramref name="layers"/>, pooled as
    /// <see cref="Plan(FeatureNetwork, int, IEnumerable{FeatureLayer}, int)"/> says (one target for every layer), on the CPU.
    /// </summary>
    /// <param name="net">The network, on any device (the images are moved there); left in the mode it was in.</param>
    /// <param name="dataset">The images (labels are kept when it has them).</param>
    /// <param name="layers">The layers; duplicates are dropped, the rest put in network order.</param>
    /// <param name="targetDimension">Values wanted per layer; <see cref="PaperDimension"/> by default.</param>
    /// <param name="batchSize">Images per forward pass; <see cref="DefaultBatchSize"/> by default.</param>
    /// <param name="progress">Told after every batch.</param>
    /// <param name="precision">The precision of the network's forward pass (<see cref="Autocast"/>); float32 by default.
    /// The features are stored as float32 either way.</param>
    /// <param name="cancellationToken">Stops between batches (what was extracted is freed).</param>
    /// <returns>The features, owned by the caller.</returns>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public static ExtractedFeatures Extract(FeatureNetwork net, IImageDataset dataset, IEnumerable<FeatureLayer> layers,
        int targetDimension = PaperDimension, int batchSize = DefaultBatchSize, IProgress<PassProgress>? progress = null,
        Precision precision = Precision.Float32, CancellationToken cancellationToken = default)
    {
        RequirePositive(targetDimension, nameof(targetDimension));
        return Extract(net, dataset, layers, new TargetDimensions(targetDimension), batchSize, progress, precision, cancellationToken);
    }

    /// <summary>
    /// Every image's features at each of <paramref name="layers"/>, each layer pooled to its own target
    /// (<see cref="Plan(FeatureNetwork, int, IEnumerable{FeatureLayer}, TargetDimensions)"/>), on the CPU.
    /// </summary>
    /// <param name="net">The network, on any device (the images are moved there); left in the mode it was in.</param>
    /// <param name="dataset">The images (labels are kept when it has them).</param>
    /// <param name="layers">The layers; duplicates are dropped, the rest put in network order.</param>
    /// <param name="targets">Values wanted at each layer.</param>
    /// <param name="batchSize">Images per forward pass; <see cref="DefaultBatchSize"/> by default.</param>
    /// <param name="progress">Told after every batch.</param>
    /// <param name="precision">The precision of the network's forward pass (<see cref="Autocast"/>); float32 by default.
    /// The features are stored as float32 either way.</param>
    /// <param name="cancellationToken">Stops between batches (what was extracted is freed).</param>
    /// <returns>The features, owned by the caller.</returns>
    /// <exception cref="ArgumentException">An argument or target is out of range.</exception>
    public static ExtractedFeatures Extract(FeatureNetwork net, IImageDataset dataset, IEnumerable<FeatureLayer> layers,
        TargetDimensions targets, int batchSize = DefaultBatchSize, IProgress<PassProgress>? progress = null,
        Precision precision = Precision.Float32, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var grids = Plan(net, dataset.ImageSize, layers, targets);
        var clock = Stopwatch.StartNew();
        var features = new Dictionary<FeatureLayer, Tensor>();
        var labels = new long[dataset.Count];
        var rows = 0;
        try
        {
            foreach (var grid in grids)
                features[grid.Layer] = empty([dataset.Count, grid.Dimension], ScalarType.Float32).DetachFromDisposeScope();
            Pass(net, dataset, grids, batchSize, (batchFeatures, batchLabels) =>
            {
                var n = (int)batchLabels.shape[0];
                for (var i = 0; i < grids.Count; i++)
                    features[grids[i].Layer].narrow(0, rows, n).copy_(batchFeatures[i]);
                batchLabels.data<long>().CopyTo(labels.AsSpan(rows, n));
                rows += n;
            }, progress, precision, cancellationToken);
        }
        catch
        {
            foreach (var tensor in features.Values)
                tensor.Dispose();
            throw;
        }

        // A dataset that skips unreadable images (ImageFolderDataset) returns fewer rows than asked for: keep those read.
        if (rows < dataset.Count)
            foreach (var layer in features.Keys.ToList())
            {
                var all = features[layer];
                features[layer] = all.narrow(0, 0, rows).clone().DetachFromDisposeScope();
                all.Dispose();
            }
        var labelTensor = tensor(labels.AsSpan(0, rows).ToArray(), ScalarType.Int64).DetachFromDisposeScope();
        return new ExtractedFeatures(grids, features, labelTensor, dataset.Classes, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One pass of <paramref name="net"/> (eval mode, no_grad) over <paramref name="dataset"/> in index order, handing
    /// each batch's pooled features ([n, Dimension] float32 per grid, on the network's device, in <paramref name="grids"/>'
    /// order) and CPU labels [n] to <paramref name="onBatch"/>. The tensors are freed after the call returns. The forward
    /// pass computes in <paramref name="precision"/>.
    /// </summary>
    internal static void Pass(FeatureNetwork net, IImageDataset dataset, IReadOnlyList<FeatureGrid> grids, int batchSize,
        Action<Tensor[], Tensor> onBatch, IProgress<PassProgress>? progress, Precision precision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(net);
        RequirePositive(batchSize, nameof(batchSize));
        var device = DeviceOf(net);
        using var compute = Autocast.Enter(Precisions.Resolve(precision, device));
        var deepest = grids.Max(g => g.Layer);
        var clock = Stopwatch.StartNew();
        var wasTraining = net.training;
        net.eval();
        try
        {
            using var _ = no_grad();
            for (var start = 0; start < dataset.Count; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(batchSize, dataset.Count - start);
                using var scope = NewDisposeScope();
                using var batch = dataset.ReadBatch(Enumerable.Range(start, count).ToArray());
                var images = batch.Images.to(device);
                var (l, ab) = NetworkInputs.FromImages(images, net);
                var towers = net.TowerFeatures(l, ab, deepest);
                var features = grids.Select(g =>
                {
                    long[] side = [g.GridSide, g.GridSide];
                    // Pooling each tower before the concatenation gives the same values as pooling the concatenation.
                    var pooled = cat([.. towers.Select(t => adaptive_avg_pool2d(t[g.Layer], side))], 1);
                    return pooled.flatten(1).to_type(ScalarType.Float32);            // [n, C * s * s]
                }).ToArray();
                onBatch(features, batch.Labels);
                progress?.Report(new PassProgress(start + count, dataset.Count, clock.Elapsed.TotalSeconds));
            }
        }
        finally
        {
            net.train(wasTraining);
        }
    }

    /// <summary>The device of a module's parameters (the CPU for a module without any).</summary>
    internal static Device DeviceOf(nn.Module module) => module.parameters().FirstOrDefault()?.device ?? CPU;

    private static void RequirePositive(int value, string paramName)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be at least 1; got {value}.");
    }
}
