using System.Diagnostics;
using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Runs;
using static TorchSharp.torch;

namespace SplitBrain.Evaluation;

/// <summary>
/// The paper's layer-by-layer evaluation of a representation (Zhang, Isola, Efros 2017, sec. 4.2, fig. 4): freeze the
/// network, train a linear classifier on each layer's pooled features, and report test accuracy per layer.
/// </summary>
/// <remarks>
/// <para><see cref="Run"/> makes one pass over the training images for all layers
/// (<see cref="FeatureExtractor.Extract(FeatureNetwork, IImageDataset, IEnumerable{FeatureLayer}, TargetDimensions, int, IProgress{PassProgress}, Precision, CancellationToken)"/>,
/// each layer pooled to its target, <see cref="LinearProbeConfig.Targets"/>), trains each layer's
/// <see cref="LinearProbe"/> and frees that layer's features, then scores every probe in one pass over the test images without storing their features. Memory peaks at
/// the training features: <c>N_train * sum(D) * 4</c> bytes (1,000 images, 7 layers of about 9,600: 270 MB).</para>
/// <example><code>
/// var curves = new[] { (pretrained, "split-brain"), (random, "random init") }
///     .Select(n => LinearProbes.Run(n.Item1, train, test, LinearProbes.AllLayers, name: n.Item2)).ToList();
/// EvaluationPlots.LayerCurves(curves, chance: 0.1)
/// </code></example>
/// </remarks>
public static class LinearProbes
{
    /// <summary>conv1 to fc7, in order.</summary>
    public static IReadOnlyList<FeatureLayer> AllLayers { get; } = Enum.GetValues<FeatureLayer>();

    /// <summary>Linear-probe accuracy of <paramref name="net"/> at each of <paramref name="layers"/>.</summary>
    /// <param name="net">The network (frozen here: eval mode, no gradients; its mode is restored afterwards).</param>
    /// <param name="train">Labeled images to fit the probes on (e.g. a <see cref="LabeledSubset"/>).</param>
    /// <param name="test">Labeled images to test them on, with the same classes.</param>
    /// <param name="layers">The layers; duplicates are dropped, the rest probed in network order.</param>
    /// <param name="options">Pooling targets (one for every layer, or per layer: <see cref="LinearProbeConfig.Targets"/>),
    /// probe training; <see cref="LinearProbeConfig.Default"/> when null.</param>
    /// <param name="progress">Told after every batch of images and after every probe.</param>
    /// <param name="name">The network's name on charts; "network" when null.</param>
    /// <param name="cancellationToken">Stops between batches and steps.</param>
    /// <returns>The curve: one result per layer, in network order.</returns>
    /// <exception cref="ArgumentException">A dataset has no labels, the two disagree on the classes, or an option is out
    /// of range.</exception>
    public static ProbeCurve Run(FeatureNetwork net, IImageDataset train, IImageDataset test, IEnumerable<FeatureLayer> layers,
        LinearProbeConfig? options = null, IProgress<ProbeProgress>? progress = null, string? name = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(net);
        options = (options ?? LinearProbeConfig.Default).Validate();
        var classNames = CheckDatasets(train, test);
        var device = FeatureExtractor.DeviceOf(net);

        using var features = FeatureExtractor.Extract(net, train, layers, options.Targets(), options.ExtractionBatchSize,
            ProgressRelay<PassProgress>.To(progress, p => new ProbeProgress(ProbeStage.Extract, p.Images, p.Total, p.Seconds)),
            options.Precision, cancellationToken);

        var probes = new List<LinearProbe>();
        try
        {
            var fitClock = Stopwatch.StartNew();
            foreach (var grid in features.Grids)
            {
                using (var scope = NewDisposeScope())
                {
                    var probe = LinearProbe.Fit(features[grid.Layer].to(device), features.Labels.to(device), classNames.Count,
                        options, cancellationToken);
                    probes.Add(probe);
                }
                features.Release(grid.Layer); // the largest tensors of the run: free each as soon as its probe is done
                progress?.Report(new ProbeProgress(ProbeStage.Fit, probes.Count, features.Grids.Count,
                    fitClock.Elapsed.TotalSeconds, grid.Layer, probes[^1].TrainAccuracy));
            }
            var fitSeconds = fitClock.Elapsed.TotalSeconds;

            var testClock = Stopwatch.StartNew();
            var metrics = probes.Select(_ => new ClassificationMetrics(classNames.Count, classNames: classNames)).ToArray();
            FeatureExtractor.Pass(net, test, features.Grids, options.ExtractionBatchSize, (batchFeatures, labels) =>
            {
                using var onDevice = labels.to(device);
                for (var i = 0; i < probes.Count; i++)
                    probes[i].Score(batchFeatures[i], onDevice, metrics[i]);
            }, ProgressRelay<PassProgress>.To(progress, p => new ProbeProgress(ProbeStage.Test, p.Images, p.Total, p.Seconds)),
            options.Precision, cancellationToken);

            var results = features.Grids.Select((grid, i) => new ProbeResult(grid, probes[i].TrainAccuracy,
                probes[i].ValidationAccuracy, metrics[i].Report(), probes[i].EpochsRun, probes[i].Seconds)).ToArray();
            return new ProbeCurve(name ?? "network", results, features.Seconds, fitSeconds, testClock.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var probe in probes)
                probe.Dispose();
        }
    }

    /// <summary>The classes of two labeled datasets that agree on them (at least 2); else an ArgumentException naming the
    /// dataset that is wrong.</summary>
    internal static IReadOnlyList<string> CheckDatasets(IImageDataset train, IImageDataset test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (!train.HasLabels)
            throw new ArgumentException($"{nameof(train)} ({train.Name}) has no labels: probes need labeled images.", nameof(train));
        if (!test.HasLabels)
            throw new ArgumentException($"{nameof(test)} ({test.Name}) has no labels: probes need labeled images.", nameof(test));
        if (!train.Classes.SequenceEqual(test.Classes))
            throw new ArgumentException(
                $"{nameof(test)} has classes [{string.Join(", ", test.Classes)}] but {nameof(train)} has [{string.Join(", ", train.Classes)}].",
                nameof(test));
        if (train.Classes.Count < 2)
            throw new ArgumentException($"{nameof(train)} has {train.Classes.Count} class(es); a classifier needs at least 2.", nameof(train));
        return train.Classes;
    }
}
