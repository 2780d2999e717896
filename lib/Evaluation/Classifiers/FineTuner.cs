using System.Diagnostics;
using SplitBrain.Data;
using SplitBrain.Display;
using SplitBrain.Models;
using SplitBrain.Runs;
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
/// <para>The loop is the run engine's (<see cref="Trainer"/>) with the classifier's part (<see cref="ClassifierTask"/>):
/// per epoch a seeded shuffle, the optional augmentation of the uint8 images on the classifier's device, the classifier's
/// cross-entropy, one AdamW step per batch; the engine's dispose scope, no-GC region and NaN stop around each. Scoring puts
/// the classifier in eval mode under <c>no_grad</c> and fills a <see cref="ClassificationMetrics"/>. In memory (this
/// class) nothing is written; a <see cref="FineTuneRun"/> trains the same way in a run folder, with checkpoints and
/// resume.</para>
/// <para>Optimiser: AdamW with one parameter group per part, so that the backbone's learning rate is the head's times
/// <see cref="ClassifierTrainingConfig.BackboneLearningRateMultiplier"/> (<see cref="BackboneLearningRate"/>); a frozen backbone's
/// parameters are not given to the optimiser at all.</para>
/// <example><code>
/// using var classifier = SplitBrainClassifier.Create(pretrained, train.Classes.Count, ClassifierConfig.Frozen);
/// using var tuner = new FineTuner(classifier, ClassifierTrainingConfig.Default with { Epochs = 5 });
/// var result = tuner.Fit(train, test); // result.Test.Top1, result.Epochs
/// </code></example>
/// </remarks>
public sealed class FineTuner : IDisposable
{
    private readonly OptimizerHelper _optimizer;
    private readonly Device _device;

    /// <summary>A trainer for <paramref name="classifier"/> (not owned: dispose it yourself).</summary>
    /// <param name="classifier">The classifier; its mode decides what trains.</param>
    /// <param name="config">Epochs, batch size, learning rates, augmentation, seed; <see cref="ClassifierTrainingConfig.Default"/>
    /// when null.</param>
    /// <exception cref="ArgumentException">A field of <paramref name="config"/> is out of range.</exception>
    public FineTuner(SplitBrainClassifier classifier, ClassifierTrainingConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        Classifier = classifier;
        Config = (config ?? ClassifierTrainingConfig.Default).Validate();
        _device = FeatureExtractor.DeviceOf(classifier);
        ComputeType = Precisions.Resolve(Config.Precision, _device);
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
    public ClassifierTrainingConfig Config { get; }

    /// <summary>The element type training and scoring compute in (<see cref="ClassifierTrainingConfig.Precision"/> resolved for the
    /// classifier's device).</summary>
    public ScalarType ComputeType { get; }

    /// <summary>The optimiser (AdamW), e.g. for a checkpoint of its state.</summary>
    public OptimizerHelper Optimizer => _optimizer;

    /// <summary>The head's learning rate: <see cref="ClassifierTrainingConfig.LearningRate"/>.</summary>
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
    /// Trains for <see cref="ClassifierTrainingConfig.Epochs"/> epochs, or the <see cref="ClassifierTrainingConfig.Steps"/> /
    /// <see cref="ClassifierTrainingConfig.Minutes"/> budget, then scores <paramref name="test"/> (also after every epoch with
    /// <see cref="ClassifierTrainingConfig.EvaluateEveryEpoch"/>), writing nothing.
    /// </summary>
    /// <param name="train">Labeled training images, with the classifier's number of classes.</param>
    /// <param name="test">Labeled test images, or null to skip scoring.</param>
    /// <param name="progress">Told after every training batch (<see cref="Trainer.Fit"/>); a live progress bar when null,
    /// <see cref="TrainingProgress.None"/> for nothing.</param>
    /// <param name="name">The result's label; the mode's name when null.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The epochs and the test metrics.</returns>
    /// <exception cref="ArgumentException">A dataset has no labels or another number of classes.</exception>
    public FineTuneResult Fit(IImageDataset train, IImageDataset? test = null, IProgress<TrainingProgress>? progress = null,
        string? name = null, CancellationToken cancellationToken = default)
    {
        name ??= Classifier.Config.Mode.ToString();
        var clock = Stopwatch.StartNew();
        using var task = CreateTask(train, test);
        var scoring = new TestScoring(this, task, train, test);
        var trainer = new Trainer(name, new TrainerConfig(Config.Epochs, Budget: Config.Budget)).Observe(scoring);
        trainer.Start(task);
        TrainingProgressView.ShowWhile(progress, p => trainer.Fit(p, cancellationToken));
        return new FineTuneResult(name, Classifier.Config.Mode, scoring.Epochs, scoring.LastReport, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The engine's task for training this classifier on <paramref name="train"/>, after checking both datasets
    /// (<paramref name="test"/>, scored by a <see cref="TestScoring"/> observer, before anything trains).</summary>
    internal ClassifierTask CreateTask(IImageDataset train, IImageDataset? test)
    {
        CheckLabeled(train, nameof(train));
        if (test is not null)
            CheckLabeled(test, nameof(test));
        return new ClassifierTask(this, train);
    }

    /// <summary>
    /// Scores the classifier on <paramref name="test"/> as <see cref="Fit"/> does after training: first, when
    /// <see cref="ClassifierTrainingConfig.RecalibrateBatchNorm"/> is set and the backbone trains, <see cref="RecalibrateBatchNorm"/>
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
        using var precision = Autocast.Enter(ComputeType);
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
    /// gradients and without augmentation; the weights do not change (<see cref="BatchNormStatistics"/>). See
    /// <see cref="ClassifierTrainingConfig.RecalibrateBatchNorm"/>.
    /// </summary>
    /// <param name="data">Images from the training distribution (labels are not used).</param>
    /// <param name="cancellationToken">Stops between batches (the statistics are then partial averages).</param>
    public void RecalibrateBatchNorm(IImageDataset data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var frozen = Classifier.Config.Mode == ClassifierMode.Frozen;
        var backbone = Classifier.Backbone.modules().ToHashSet();
        var norms = Classifier.modules().OfType<NormBase>().Where(n => !(frozen && backbone.Contains(n))).ToList();
        var batchSize = Config.EvaluationBatchSize;
        BatchNormStatistics.Reestimate(Classifier, norms, (data.Count + batchSize - 1) / batchSize, b =>
        {
            var start = b * batchSize;
            using var batch = data.ReadBatch(Enumerable.Range(start, Math.Min(batchSize, data.Count - start)).ToArray());
            Classifier.call(batch.Images.to(_device));
        }, ComputeType, cancellationToken);
    }

    /// <summary>Frees the optimiser's state (not the classifier).</summary>
    public void Dispose() => _optimizer.Dispose();

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
