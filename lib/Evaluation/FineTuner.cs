using System.Diagnostics;
using SplitBrain.Data;
using SplitBrain.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Evaluation;

/// <summary>
/// Trains a <see cref="SplitBrainClassifier"/> on labeled images and scores it: the fine-tuning loop. What trains
/// follows the classifier's mode: the head only (<see cref="ClassifierMode.Frozen"/>), everything with the pretrained
/// layers at a lower learning rate (<see cref="ClassifierMode.FineTune"/>), or everything at the full rate
/// (<see cref="ClassifierMode.Scratch"/>).
/// </summary>
/// <remarks>
/// <para>The loop: per epoch, a seeded shuffle (<see cref="BatchLoader.Order"/>), batches read on the calling thread, the
/// optional augmentation of the uint8 images on the classifier's device, the classifier's cross-entropy, one AdamW step;
/// one dispose scope and one <see cref="NoGcRegion"/> per batch (the guard against TorchSharp's finalizer hazard, see
/// there), with the loss and the hits read out as numbers inside it. Scoring puts the classifier in
/// eval mode under <c>no_grad</c> and fills a <see cref="ClassificationMetrics"/>.</para>
/// <para>Optimiser: AdamW with one parameter group per part, so that the backbone's learning rate is the head's times
/// <see cref="FineTuneConfig.BackboneLearningRateMultiplier"/> (<see cref="BackboneLearningRate"/>); a frozen backbone's
/// parameters are not given to the optimiser at all.</para>
/// <para>Seams for the course's run machinery: <see cref="TrainEpoch"/> and <see cref="Evaluate"/> are the two steps,
/// <see cref="EpochsDone"/> the position, results are plain records (<see cref="FineTuneEpoch"/>,
/// <see cref="FineTuneResult"/>, <see cref="ClassificationReport"/>) and progress goes to an
/// <see cref="IProgress{T}"/>. Each epoch's randomness (shuffle, augmentation, dropout) depends only on
/// (<see cref="FineTuneConfig.Seed"/>, epoch), so a run restored at an epoch boundary (classifier and
/// <see cref="Optimizer"/> state) continues as it would have.</para>
/// <example><code>
/// using var classifier = SplitBrainClassifier.Create(pretrained, train.Classes.Count, ClassifierConfig.Frozen);
/// using var tuner = new FineTuner(classifier, FineTuneConfig.Default with { Epochs = 5 });
/// var result = tuner.Fit(train, test, progress); // result.Test.Top1, result.Epochs
/// </code></example>
/// </remarks>
public sealed class FineTuner : IDisposable
{
    // Keeps the per-epoch seeds apart from the other seeded choices.
    private const long EpochStream = 0x46494E45; // "FINE"

    private readonly OptimizerHelper _optimizer;
    private readonly Device _device;
    private int _epochsDone;

    /// <summary>A trainer for <paramref name="classifier"/> (not owned: dispose it yourself).</summary>
    /// <param name="classifier">The classifier; its mode decides what trains.</param>
    /// <param name="config">Epochs, batch size, learning rates, augmentation, seed; <see cref="FineTuneConfig.Default"/>
    /// when null.</param>
    /// <exception cref="ArgumentException">A field of <paramref name="config"/> is out of range.</exception>
    public FineTuner(SplitBrainClassifier classifier, FineTuneConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        Classifier = classifier;
        Config = (config ?? FineTuneConfig.Default).Validate();
        _device = FeatureExtractor.DeviceOf(classifier);
        var groups = new List<AdamW.ParamGroup>
        {
            new(classifier.HeadParameters(), lr: HeadLearningRate, weight_decay: Config.WeightDecay),
        };
        if (BackboneLearningRate is { } backboneRate)
            groups.Add(new AdamW.ParamGroup(classifier.BackboneParameters(), lr: backboneRate, weight_decay: Config.WeightDecay));
        _optimizer = optim.AdamW(groups, lr: HeadLearningRate, weight_decay: Config.WeightDecay);
    }

    /// <summary>The classifier trained.</summary>
    public SplitBrainClassifier Classifier { get; }

    /// <summary>The settings.</summary>
    public FineTuneConfig Config { get; }

    /// <summary>
    /// Epochs trained so far (the next epoch is <c>EpochsDone + 1</c>). Set it when restoring a checkpoint taken at an
    /// epoch boundary (with the classifier's and <see cref="Optimizer"/>'s state), so the run goes on with the next
    /// epoch's shuffle and randomness.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public int EpochsDone
    {
        get => _epochsDone;
        set => _epochsDone = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{nameof(EpochsDone)} must be >= 0; got {value}.");
    }

    /// <summary>The optimiser (AdamW), e.g. for a checkpoint of its state.</summary>
    public OptimizerHelper Optimizer => _optimizer;

    /// <summary>The head's learning rate: <see cref="FineTuneConfig.LearningRate"/>.</summary>
    public double HeadLearningRate => Config.LearningRate;

    /// <summary>The backbone's learning rate: the head's times the multiplier when fine-tuning, the head's from scratch,
    /// null when frozen (the backbone is not optimised).</summary>
    public double? BackboneLearningRate => Classifier.Config.Mode switch
    {
        ClassifierMode.FineTune => Config.LearningRate * Config.BackboneLearningRateMultiplier,
        ClassifierMode.Scratch => Config.LearningRate,
        _ => null,
    };

    /// <summary>
    /// Trains for <see cref="FineTuneConfig.Epochs"/> more epochs, then scores <paramref name="test"/> (after every
    /// epoch with <see cref="FineTuneConfig.EvaluateEveryEpoch"/>).
    /// </summary>
    /// <param name="train">Labeled training images, with the classifier's number of classes.</param>
    /// <param name="test">Labeled test images, or null to skip scoring.</param>
    /// <param name="progress">Told after every training batch.</param>
    /// <param name="name">The result's label; the mode's name when null.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The epochs and the test metrics.</returns>
    /// <exception cref="ArgumentException">A dataset has no labels or another number of classes.</exception>
    public FineTuneResult Fit(IImageDataset train, IImageDataset? test = null, IProgress<FineTuneProgress>? progress = null,
        string? name = null, CancellationToken cancellationToken = default)
    {
        CheckLabeled(train, nameof(train));
        if (test is not null)
            CheckLabeled(test, nameof(test));
        var clock = Stopwatch.StartNew();
        var total = EpochsDone + Config.Epochs;
        var epochs = new List<FineTuneEpoch>();
        ClassificationReport? report = null;
        while (EpochsDone < total)
        {
            var epoch = RunEpoch(train, progress, total, cancellationToken);
            report = null;
            if (test is not null && (Config.EvaluateEveryEpoch || EpochsDone == total))
            {
                report = Score(train, test, cancellationToken);
                epoch = epoch with { TestAccuracy = report.Top1 };
            }
            epochs.Add(epoch);
        }
        return new FineTuneResult(name ?? Classifier.Config.Mode.ToString(), Classifier.Config.Mode, epochs, report,
            clock.Elapsed.TotalSeconds);
    }

    /// <summary>One epoch of training (epoch <see cref="EpochsDone"/> + 1).</summary>
    /// <param name="train">Labeled training images, with the classifier's number of classes.</param>
    /// <param name="progress">Told after every batch.</param>
    /// <param name="cancellationToken">Stops between batches; the epoch then does not count.</param>
    /// <returns>The epoch's loss, training accuracy and time.</returns>
    /// <exception cref="ArgumentException">The dataset has no labels or another number of classes.</exception>
    public FineTuneEpoch TrainEpoch(IImageDataset train, IProgress<FineTuneProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunEpoch(train, progress, EpochsDone + 1, cancellationToken);

    /// <summary>
    /// Scores the classifier on <paramref name="test"/> as <see cref="Fit"/> does after training: first, when
    /// <see cref="FineTuneConfig.RecalibrateBatchNorm"/> is set and the backbone trains, <see cref="RecalibrateBatchNorm"/>
    /// over <paramref name="train"/>; then <see cref="Evaluate"/>.
    /// </summary>
    /// <param name="train">The training images (for the BatchNorm statistics).</param>
    /// <param name="test">Labeled test images, with the classifier's number of classes.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The test metrics.</returns>
    /// <exception cref="ArgumentException">A dataset has no labels or another number of classes.</exception>
    public ClassificationReport Score(IImageDataset train, IImageDataset test, CancellationToken cancellationToken = default)
    {
        if (Config.RecalibrateBatchNorm && Classifier.Config.Mode != ClassifierMode.Frozen)
            RecalibrateBatchNorm(train, cancellationToken);
        return Evaluate(test, cancellationToken: cancellationToken);
    }

    /// <summary>Scores the classifier on labeled images (eval mode, no_grad; its mode is restored afterwards).</summary>
    /// <param name="data">Labeled images, with the classifier's number of classes.</param>
    /// <param name="progress">Told after every batch.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">The dataset has no labels or another number of classes.</exception>
    public ClassificationReport Evaluate(IImageDataset data, IProgress<PassProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        CheckLabeled(data, nameof(data));
        var clock = Stopwatch.StartNew();
        var metrics = new ClassificationMetrics(Classifier.Classes, classNames: data.Classes);
        var wasTraining = Classifier.training;
        Classifier.eval();
        try
        {
            using var _ = no_grad();
            for (var start = 0; start < data.Count; start += Config.EvaluationBatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(Config.EvaluationBatchSize, data.Count - start);
                using (NoGcRegion.Enter()) // every block of TorchSharp calls runs in one (see NoGcRegion)
                using (var scope = NewDisposeScope())
                using (var batch = data.ReadBatch(Enumerable.Range(start, count).ToArray()))
                    metrics.Add(Classifier.call(batch.Images.to(_device)), batch.Labels.to(_device));
                progress?.Report(new PassProgress(start + count, data.Count, clock.Elapsed.TotalSeconds));
            }
        }
        finally
        {
            Classifier.train(wasTraining);
        }
        return metrics.Report();
    }

    /// <summary>
    /// Recomputes the running mean and variance of every BatchNorm that trains (the backbone's unless frozen, and the
    /// head's) as plain averages over the batches of one pass of <paramref name="data"/>, in training mode without
    /// gradients and without augmentation; the weights do not change. See <see cref="FineTuneConfig.RecalibrateBatchNorm"/>.
    /// </summary>
    /// <param name="data">Images from the training distribution (labels are not used).</param>
    /// <param name="cancellationToken">Stops between batches (the statistics are then partial averages).</param>
    public void RecalibrateBatchNorm(IImageDataset data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var frozen = Classifier.Config.Mode == ClassifierMode.Frozen;
        var backbone = Classifier.Backbone.modules().ToHashSet();
        var norms = Classifier.modules().OfType<NormBase>().Where(n => !(frozen && backbone.Contains(n))).ToList();
        var momenta = norms.Select(n => n.momentum).ToList();
        var wasTraining = Classifier.training;
        try
        {
            foreach (var norm in norms)
            {
                norm.reset_running_stats();
                norm.momentum = null; // cumulative average: batch k counts 1/k
            }
            Classifier.train();
            using var _ = no_grad();
            for (var start = 0; start < data.Count; start += Config.EvaluationBatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var region = NoGcRegion.Enter();
                using var scope = NewDisposeScope();
                using var batch = data.ReadBatch(Enumerable.Range(start, Math.Min(Config.EvaluationBatchSize, data.Count - start)).ToArray());
                Classifier.call(batch.Images.to(_device));
            }
        }
        finally
        {
            for (var i = 0; i < norms.Count; i++)
                norms[i].momentum = momenta[i];
            Classifier.train(wasTraining);
        }
    }

    /// <summary>Frees the optimiser's state (not the classifier).</summary>
    public void Dispose() => _optimizer.Dispose();

    private FineTuneEpoch RunEpoch(IImageDataset train, IProgress<FineTuneProgress>? progress, int totalEpochs,
        CancellationToken cancellationToken)
    {
        CheckLabeled(train, nameof(train));
        var epoch = EpochsDone + 1;
        var clock = Stopwatch.StartNew();
        // Everything random in this epoch follows from (seed, epoch): dropout draws from torch's global generator.
        var epochSeed = (long)(new DeterministicRandom(EpochStream, Config.Seed, epoch).NextUInt64() >> 1);
        manual_seed(epochSeed);
        using var augmentation = Config.Augmentation is { IsIdentity: false } settings ? new Augmentation(settings, epochSeed) : null;
        var loader = new BatchLoader(train, new BatchLoaderOptions(BatchSize: Config.BatchSize, Seed: Config.Seed));
        var order = loader.Order(epoch - 1);
        var (lossSum, correct, seen, batches) = (0.0, 0L, 0, 0);
        Classifier.train();
        for (var start = 0; start < order.Length; start += Config.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (NoGcRegion.Enter()) // the step's TorchSharp calls; the progress report below stays outside
            using (var scope = NewDisposeScope())
            using (var batch = train.ReadBatch(order[start..Math.Min(start + Config.BatchSize, order.Length)]))
            {
                var images = batch.Images.to(_device);                                   // [B, 3, H, W] uint8
                if (augmentation is not null)
                    images = augmentation.Apply(images);
                var labels = batch.Labels.to(_device);                                   // [B]
                var logits = Classifier.call(images);                                    // [B, classes]
                var loss = nn.functional.cross_entropy(logits, labels);
                _optimizer.zero_grad();
                loss.backward();
                _optimizer.step();
                lossSum += loss.item<float>() * batch.Count;
                correct += logits.argmax(1).eq(labels).sum().item<long>();
                seen += batch.Count;
            }
            batches++;
            progress?.Report(new FineTuneProgress(epoch, totalEpochs, batches, loader.BatchesPerEpoch, lossSum / seen,
                (double)correct / seen, clock.Elapsed.TotalSeconds));
        }
        EpochsDone = epoch;
        return new FineTuneEpoch(epoch, lossSum / seen, (double)correct / seen, clock.Elapsed.TotalSeconds);
    }

    private void CheckLabeled(IImageDataset data, string paramName)
    {
        ArgumentNullException.ThrowIfNull(data, paramName);
        if (!data.HasLabels)
            throw new ArgumentException($"{paramName} ({data.Name}) has no labels: a classifier trains and scores on labeled images.", paramName);
        if (data.Classes.Count != Classifier.Classes)
            throw new ArgumentException(
                $"{paramName} ({data.Name}) has {data.Classes.Count} classes but the classifier has {Classifier.Classes}.", paramName);
        if (data.Count == 0)
            throw new ArgumentException($"{paramName} ({data.Name}) is empty.", paramName);
    }
}
