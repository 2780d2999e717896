using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Runs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Evaluation;

/// <summary>
/// Re-estimates the BatchNorm running statistics of a network on unlabeled images: forward passes in training mode
/// under <c>no_grad</c>, each BatchNorm's mean and variance accumulated as a plain (cumulative) average over the batches,
/// no augmentation; no weight changes and no label is read.
/// </summary>
/// <remarks>
/// <para>Why it matters for evaluation: a network at initialisation has running statistics 0 and 1, which normalise
/// nothing, so its eval-mode features are badly scaled and a linear probe or frozen classifier on them measures mostly
/// that. The same random weights with statistics estimated on the data ("random+BN") are a much stronger floor, with
/// no labels and no gradient (cf. Krähenbühl et al. 2016, data-dependent initialisation): the baseline that shows how
/// much of pretraining's gain is only normalisation. The same pass also repairs statistics that lag behind weights
/// that trained (<see cref="FineTuner.RecalibrateBatchNorm"/>).</para>
/// <para>Cumulative average: each norm's <c>momentum</c> is set to null for the pass (batch k counts 1/k, as PyTorch's
/// <c>momentum=None</c>), so the result does not depend on an exponential average's warm-up; momentum and mode are
/// restored afterwards.</para>
/// </remarks>
public static class BatchNormStatistics
{
    /// <summary>Images a re-estimation reads by default: 2,048 (the statistics of a few hundred thousand positions per
    /// channel; more changes a probe's accuracy by less than its seed noise).</summary>
    public const int DefaultImages = 2_048;

    /// <summary>
    /// Re-estimates every BatchNorm of both halves of <paramref name="net"/> on up to <paramref name="images"/> images of
    /// <paramref name="data"/>, spread evenly over its index order (so that a folder sorted by class is sampled across
    /// classes).
    /// </summary>
    /// <param name="net">The network, on any device (the images are moved there); its mode is restored.</param>
    /// <param name="data">Images from the distribution the features will be computed on; labels are not read.</param>
    /// <param name="images">How many images to read, at least 1; all of <paramref name="data"/> when it has fewer.</param>
    /// <param name="batchSize">Images per forward pass, at least 1.</param>
    /// <param name="precision">The precision of the passes (<see cref="Autocast"/>); float32 by default.</param>
    /// <param name="cancellationToken">Stops between batches (the statistics are then partial averages).</param>
    /// <returns>How many images the statistics were averaged over.</returns>
    /// <exception cref="ArgumentException"><paramref name="data"/> is empty, or an argument is out of range.</exception>
    public static int Reestimate(FeatureNetwork net, IImageDataset data, int images = DefaultImages, int batchSize = FeatureExtractor.DefaultBatchSize,
        Precision precision = Precision.Float32, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0)
            throw new ArgumentException($"{nameof(data)} ({data.Name}) is empty: BatchNorm statistics need images.", nameof(data));
        if (images < 1)
            throw new ArgumentException($"{nameof(images)} must be at least 1; got {images}.", nameof(images));
        if (batchSize < 1)
            throw new ArgumentException($"{nameof(batchSize)} must be at least 1; got {batchSize}.", nameof(batchSize));
        var device = FeatureExtractor.DeviceOf(net);
        var indices = Spread(data.Count, Math.Min(images, data.Count));
        var batches = indices.Chunk(batchSize).ToArray();
        Reestimate(net, net.modules().OfType<NormBase>().ToList(), batches.Length, b =>
        {
            using var batch = data.ReadBatch(batches[b]);
            var (l, ab) = NetworkInputs.FromImages(batch.Images.to(device), net);
            foreach (var maps in net.TowerFeatures(l, ab, FeatureLayer.Fc7)) // every BatchNorm is at or below fc7
                maps.Dispose();
        }, Precisions.Resolve(precision, device), cancellationToken);
        return indices.Length;
    }

    /// <summary>
    /// The general form: re-estimates <paramref name="norms"/> (BatchNorm layers of <paramref name="model"/>) over
    /// <paramref name="batches"/> forward passes that <paramref name="forward"/> makes, <paramref name="model"/> in
    /// training mode, under <c>no_grad</c>, each pass in its own dispose scope.
    /// </summary>
    /// <param name="model">The module the passes run (put in training mode for them, then restored).</param>
    /// <param name="norms">The norms to re-estimate; the others keep their statistics even though they see
    /// training-mode passes (their momentum is set to 0 meanwhile).</param>
    /// <param name="batches">How many passes.</param>
    /// <param name="forward">Runs pass k (0-based) through <paramref name="model"/>; its output is not used.</param>
    /// <param name="computeType">The precision of the passes: float32 or bfloat16.</param>
    /// <param name="cancellationToken">Stops between passes.</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public static void Reestimate(nn.Module model, IReadOnlyCollection<NormBase> norms, int batches, Action<int> forward,
        ScalarType computeType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(norms);
        ArgumentNullException.ThrowIfNull(forward);
        if (batches < 1)
            throw new ArgumentException($"{nameof(batches)} must be at least 1; got {batches}.", nameof(batches));
        var all = model.modules().OfType<NormBase>().ToList();
        var momenta = all.Select(n => n.momentum).ToList();
        var chosen = norms.ToHashSet();
        var wasTraining = model.training;
        using var precision = Autocast.Enter(computeType);
        try
        {
            foreach (var norm in all)
            {
                if (chosen.Contains(norm))
                {
                    norm.reset_running_stats();
                    norm.momentum = null; // cumulative average: pass k counts 1/k
                }
                else
                {
                    norm.momentum = 0; // a training-mode pass must not move the statistics of a norm left out
                }
            }
            model.train();
            using var _ = no_grad();
            for (var b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var region = NoGcRegion.Enter();
                using var scope = NewDisposeScope();
                forward(b);
            }
        }
        finally
        {
            for (var i = 0; i < all.Count; i++)
                all[i].momentum = momenta[i];
            model.train(wasTraining);
        }
    }

    // count indices spread evenly over 0..total-1, in increasing order.
    private static int[] Spread(int total, int count) =>
        [.. Enumerable.Range(0, count).Select(i => (int)((long)i * total / count))];
}
