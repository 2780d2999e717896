using System.Diagnostics;
using SplitBrain.Data;
using SplitBrain.Runs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Evaluation;

/// <summary>
/// What training a <see cref="SplitBrainClassifier"/> supplies to the run engine (<see cref="Trainer"/>): per epoch a
/// seeded shuffle of the labeled images, the optional augmentation, and cross-entropy per batch (the engine takes the AdamW
/// step). Scoring the test images is an observer's (<see cref="TestScoring"/>). Used by <see cref="FineTuner.Fit"/> (in
/// memory) and <see cref="FineTuneRun"/> (in a run folder).
/// </summary>
/// <remarks>
/// Each epoch's randomness (shuffle, augmentation, dropout) follows from (<see cref="ClassifierTrainingConfig.Seed"/>, epoch): at the
/// start of epoch e torch's global generator is seeded and the augmentation made from that seed, so the engine's
/// checkpoint (torch's generator and the augmentation's, saved at the step) resumes an epoch exactly, mid-epoch too.
/// </remarks>
internal sealed class ClassifierTask : TrainingTask
{
    // Keeps the per-epoch seeds apart from the other seeded choices.
    private const long EpochStream = 0x46494E45; // "FINE"

    private static readonly string[] Names = ["loss", "trainAccuracy"];

    private readonly FineTuner _tuner;
    private readonly IImageDataset _train;
    private readonly BatchLoader _loader;
    private Augmentation? _augmentation;
    private int[] _order = [];
    private int _nextBatch;
    private Stopwatch _epochClock = new();
    private RateSchedule? _schedule;

    /// <summary>A task that trains <paramref name="tuner"/>'s classifier on <paramref name="train"/>.</summary>
    internal ClassifierTask(FineTuner tuner, IImageDataset train)
    {
        _tuner = tuner;
        _train = train;
        _loader = new BatchLoader(train, new BatchLoaderConfig(BatchSize: tuner.Config.BatchSize, Seed: tuner.Config.Seed));
    }

    /// <summary>Wall-clock seconds of the last epoch that ended, from its start to its end (before scoring).</summary>
    internal double EpochSeconds { get; private set; }

    /// <inheritdoc/>
    public override nn.Module Model => _tuner.Classifier;

    /// <inheritdoc/>
    public override OptimizerHelper Optimizer => _tuner.Optimizer;

    /// <inheritdoc/>
    public override Device Device => FeatureExtractor.DeviceOf(_tuner.Classifier);

    /// <inheritdoc/>
    public override ScalarType ComputeType => _tuner.ComputeType;

    /// <inheritdoc/>
    public override int StepsPerEpoch => _loader.BatchesPerEpoch;

    /// <inheritdoc/>
    public override IReadOnlyList<string> MetricNames => Names;

    /// <inheritdoc/>
    public override byte[]? RandomState
    {
        get => _augmentation?.GetRandomState();
        set
        {
            if (value is not null)
                _augmentation?.SetRandomState(value);
        }
    }

    /// <summary>The head's rate throughout; the engine keeps the backbone's group at its ratio to it
    /// (<see cref="FineTuner.BackboneLearningRate"/>).</summary>
    public override RateSchedule Schedule => _schedule ??= RateSchedule.Constant(_tuner.HeadLearningRate);

    /// <inheritdoc/>
    protected internal override void BeginEpoch(int epoch, int firstBatch, CancellationToken cancellationToken)
    {
        // Everything random in this epoch follows from (seed, epoch): dropout draws from torch's global generator.
        var epochSeed = (long)(new DeterministicRandom(EpochStream, _tuner.Config.Seed, epoch + 1).NextUInt64() >> 1);
        manual_seed(epochSeed);
        _augmentation?.Dispose();
        _augmentation = _tuner.Config.Augmentation is { IsIdentity: false } settings ? new Augmentation(settings, epochSeed) : null;
        _order = _loader.Order(epoch);
        _nextBatch = firstBatch;
        _epochClock = Stopwatch.StartNew();
        _tuner.Classifier.train();
    }

    /// <inheritdoc/>
    protected internal override StepOutput Forward()
    {
        var size = _tuner.Config.BatchSize;
        var start = _nextBatch++ * size;
        var batch = _train.ReadBatch(_order[start..Math.Min(start + size, _order.Length)]);
        var images = batch.Images.to(Device);                                    // [B, 3, H, W] uint8
        if (_augmentation is not null)
            images = _augmentation.Apply(images);
        var labels = batch.Labels.to(Device);                                    // [B]
        var logits = _tuner.Classifier.call(images);                             // [B, classes]
        var loss = nn.functional.cross_entropy(logits, labels);
        return new StepOutput(loss, batch.Count, [loss, logits.argmax(1).eq(labels).to_type(ScalarType.Float32).mean()], Owned: batch);
    }

    /// <inheritdoc/>
    protected internal override EpochOutcome EndEpoch(EpochEnd end, IReadOnlyDictionary<string, double> means, CancellationToken cancellationToken)
    {
        EpochSeconds = _epochClock.Elapsed.TotalSeconds;
        return EpochOutcome.Continue;
    }

    /// <summary>The augmentation (the classifier and optimizer belong to the <see cref="FineTuner"/>).</summary>
    protected override void Dispose(bool disposing) => _augmentation?.Dispose();
}
