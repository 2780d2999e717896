using SplitBrain.Color;
using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Native;
using SplitBrain.Quantization;
using SplitBrain.Runs;
using SplitBrain.Training.Objectives;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Training;

/// <summary>
/// What split-brain pretraining supplies to the run engine (<see cref="Trainer"/>): the data and its loader, the targets,
/// the augmentation, the network and its optimizer, the rebalancing priors, and the step (the objective's forward pass).
/// <see cref="Pretrainer"/> is its public face; the previews are an observer's (<see cref="PreviewObserver"/>).
/// </summary>
/// <remarks>
/// <para>A step: the batch (uint8 images read as bytes in the background by <see cref="BatchLoader"/>, made a tensor and
/// moved to the device on the training thread), <see cref="Augmentation"/>, <see cref="TargetBuilder"/> (L and ab
/// inputs, quantized targets, rebalancing weights), the objective's forward pass and loss (<see cref="PretrainConfig.Objective"/>,
/// <see cref="SplitBrainLoss"/> by default), then the engine's backward,
/// the optimizer's step, and one read of the two losses and the two pixel accuracies as doubles.</para>
/// <para>With <see cref="PretrainConfig.Rebalance"/> the color and lightness priors are counted over the first
/// <see cref="PretrainConfig.PriorImages"/> images when the task is built (they depend only on the data, so a resumed run
/// counts the same). The preview images (held out, <see cref="PretrainConfig.PreviewImages"/>) are read here, with the
/// data; <see cref="PreviewObserver"/> draws them.</para>
/// </remarks>
internal sealed class PretrainingTask : TrainingTask
{
    // Adam's second-moment decay: PyTorch's default (TorchSharp's default is 0.99).
    private const double AdamBeta2 = 0.999;

    private readonly Action<string> _log;
    private readonly IByteImageDataset _data = null!;
    private readonly BatchLoader _loader = null!;
    private readonly TargetBuilder _targets = null!;
    private readonly Augmentation _augmentation = null!;
    private readonly OptimizerHelper _optimizer = null!;
    private readonly Tensor? _previewImages; // uint8 [P, 3, S, S] on the device
    private IEnumerator<ImageBatch>? _batches;
    private long _step; // the next step's number in the run (ObjectiveStep), set by BeginEpoch
    private PretrainSchedule? _schedule;

    /// <summary>Opens the data (building its cache if needed), builds the network (seeded by <see cref="PretrainConfig.Seed"/>)
    /// and its optimizer, and counts the rebalancing priors.</summary>
    /// <exception cref="ArgumentException">The data holds fewer images than one batch.</exception>
    internal PretrainingTask(PretrainConfig config, RunFolder run, Device device, Action<string> log)
    {
        Config = config;
        Run = run;
        Device = device;
        _log = log;
        Objective = PretrainObjectives.Create(config.Objective);
        try
        {
            if (config.Threads > 0)
                set_num_threads(config.Threads);
            HeapRetention.Apply(); // the steps' memory stays in the process instead of being faulted in again every step
            _data = PretrainData.Open(config.Data, run.Workspace, _log);
            if (_data.Count < config.BatchSize)
                throw new ArgumentException(
                    $"{_data.Name} holds {_data.Count} images, fewer than one batch of {nameof(PretrainConfig.BatchSize)} = {config.BatchSize}.",
                    nameof(config));

            _loader = new BatchLoader(_data, new BatchLoaderConfig(config.BatchSize, Shuffle: true, Seed: config.Seed, DropLast: true, Device: device));
            Precision = PretrainingPrecision.Choose(config, device, run.Workspace, _log); // Auto: timed once per machine and key, before the seed
            using (NoGcRegion.Enter()) // every block of TorchSharp calls runs in one (see NoGcRegion)
            {
                _targets = new TargetBuilder(config.Targets, device, config.Split);
                manual_seed(config.Seed); // the weights; the shuffle and the augmentation have seeds of their own
                Network = Objective.CreateNetwork(config.Model, _targets.LightnessQuantizer, _targets.AbQuantizer, device);
                Network.Split = config.Split;
                _optimizer = config.Optimizer switch
                {
                    OptimizerKind.Sgd => optim.SGD(Network.parameters(), config.LearningRate, momentum: config.Momentum, weight_decay: config.WeightDecay),
                    _ => optim.Adam(Network.parameters(), config.LearningRate, beta1: config.Momentum, beta2: AdamBeta2, weight_decay: config.WeightDecay),
                };
                _augmentation = new Augmentation(config.Augmentation, config.Seed);
                if (config.PreviewImages > 0)
                {
                    using var previews = PretrainData.PreviewImages(config.Data, _data, config.PreviewImages);
                    _previewImages = previews.Images.to(device, copy: true);
                }
            }

            if (config.Rebalance)
                (AbWeights, LightnessWeights) = EstimateWeights();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The settings.</summary>
    internal PretrainConfig Config { get; }

    /// <summary>The run's folder (for the previews).</summary>
    internal RunFolder Run { get; }

    /// <summary>The network being trained (the <see cref="Objective"/>'s kind).</summary>
    internal FeatureNetwork Network { get; } = null!;

    /// <summary>The training images.</summary>
    internal IByteImageDataset Data => _data;

    /// <summary>Rebalancing weights of the ab bins, or null without rebalancing.</summary>
    internal RebalancingWeights? AbWeights { get; }

    /// <summary>Rebalancing weights of the L bins, or null without rebalancing.</summary>
    internal RebalancingWeights? LightnessWeights { get; }

    /// <summary>Image files left out of the data because they could not be read (0 for STL-10 and the synthetic shapes).</summary>
    internal int SkippedImages => _data is TensorCache cache ? cache.SkippedCount : 0;

    /// <summary>The preview images, uint8 [P, 3, S, S] on the device, or null without <see cref="PretrainConfig.PreviewImages"/>.</summary>
    internal Tensor? PreviewImages => _previewImages;

    /// <summary>The ab quantizer of the targets (F1's bins).</summary>
    internal Quantizer AbQuantizer => _targets.AbQuantizer;

    /// <summary>The run's split (<see cref="PretrainConfig.Split"/>): how previews turn images into inputs and back.</summary>
    internal SplitSpace Split => _targets.Split;

    /// <inheritdoc/>
    public override nn.Module Model => Network;

    /// <inheritdoc/>
    public override OptimizerHelper Optimizer => _optimizer;

    /// <inheritdoc/>
    public override Device Device { get; }

    /// <inheritdoc/>
    public override ScalarType ComputeType => Precision.ComputeType;

    /// <inheritdoc/>
    public override string ComputeTypeDescription => Precision.Describe();

    /// <summary>What the run computes in and why (<see cref="PretrainingPrecision"/>).</summary>
    internal PrecisionChoice Precision { get; } = null!;

    /// <inheritdoc/>
    public override int StepsPerEpoch => _loader.BatchesPerEpoch;

    /// <inheritdoc/>
    public override IReadOnlyList<string> MetricNames => Objective.MetricNames;

    /// <inheritdoc/>
    public override int LossCount => Objective.LossCount;

    /// <summary>What the run minimises (<see cref="PretrainConfig.Objective"/>).</summary>
    internal PretrainObjective Objective { get; } = null!;

    /// <inheritdoc/>
    public override byte[]? RandomState
    {
        get => _augmentation.GetRandomState();
        set => _augmentation.SetRandomState(value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <inheritdoc/>
    public override RateSchedule Schedule => _schedule ??= new PretrainSchedule(Config, StepsPerEpoch);

    /// <summary>
    /// The forward pass on inputs and targets built already: what each step computes after <see cref="TargetBuilder"/>
    /// (the <see cref="Objective"/>'s loss and metrics). Inside the caller's dispose scope.
    /// </summary>
    internal StepOutput Forward(SplitBrainTargets targets, int images)
    {
        var (loss, metrics) = Objective.Compute(Network, targets, new ObjectiveStep(_step, Config.Seed));
        return new StepOutput(loss, images, metrics);
    }

    /// <summary>Whether the run draws previews: it has preview images and its network colorizes L (<see cref="PreviewColorizer"/>).</summary>
    internal bool HasPreviews => _previewImages is not null && PreviewColorizer.Of(Network, _targets.AbQuantizer.Bins) is not null;

    /// <inheritdoc/>
    protected internal override void BeginEpoch(int epoch, int firstBatch, CancellationToken cancellationToken)
    {
        _step = (long)epoch * StepsPerEpoch + firstBatch;
        Network.train();
        _batches?.Dispose();
        _batches = _loader.Epoch(epoch, firstBatch, cancellationToken).GetEnumerator();
    }

    /// <inheritdoc/>
    protected internal override StepOutput Forward()
    {
        if (_batches is null || !_batches.MoveNext())
            throw new InvalidOperationException("The epoch has no batches left: the loader and StepsPerEpoch disagree.");
        var batch = _batches.Current;
        var images = Config.Augmentation.IsIdentity ? batch.Images : _augmentation.Apply(batch.Images); // [B, 3, H, W] uint8
        var targets = _targets.Build(images, AbWeights, LightnessWeights);
        var output = Forward(targets, batch.Count) with { Owned = targets };
        _step++;
        return output;
    }

    /// <inheritdoc/>
    protected internal override EpochOutcome EndEpoch(int epoch, IReadOnlyDictionary<string, double> means, CancellationToken cancellationToken)
    {
        _batches?.Dispose();
        _batches = null;
        if (SkippedImages == 0)
            return EpochOutcome.Continue;
        // Unreadable files were left out when the cache was built, long before: said again here, where a reader looks.
        _log($"epoch {epoch}: {SkippedImages} unreadable image files of {_data.Name} were skipped (named when its cache was built)");
        return EpochOutcome.Continue with { Note = $"{SkippedImages} unreadable image files skipped" };
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _batches?.Dispose();
        _optimizer?.Dispose();
        Network?.Dispose();
        _augmentation?.Dispose();
        _targets?.Dispose();
        AbWeights?.Dispose();
        LightnessWeights?.Dispose();
        _previewImages?.Dispose();
        _data?.Dispose();
    }

    private (RebalancingWeights Ab, RebalancingWeights Lightness) EstimateWeights()
    {
        using var abPrior = new PriorAccumulator(_targets.AbQuantizer);
        using var lightnessPrior = new PriorAccumulator(_targets.LightnessQuantizer);
        var count = Math.Min(Config.PriorImages, _data.Count);
        for (var start = 0; start < count; start += Config.BatchSize)
        {
            using var region = NoGcRegion.Enter();
            using var scope = NewDisposeScope();
            using var batch = _data.ReadBatch([.. Enumerable.Range(start, Math.Min(Config.BatchSize, count - start))]);
            using var targets = _targets.Build(batch.Images.to(Device));
            abPrior.Add(targets.AbTarget);
            lightnessPrior.Add(targets.LTarget);
        }

        using var weightRegion = NoGcRegion.Enter();
        using var weightScope = NewDisposeScope();
        var ab = RebalancingWeights.FromPrior(abPrior.SmoothedPrior(), Config.RebalanceLambda);
        var lightness = RebalancingWeights.FromPrior(lightnessPrior.SmoothedPrior(), Config.RebalanceLambda);
        _log($"class rebalancing: priors counted over {count} images ({abPrior.Positions} target positions)");
        return (ab, lightness);
    }
}
