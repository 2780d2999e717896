using System.Diagnostics;
using System.Text.Json.Nodes;
using SplitBrain.Color;
using SplitBrain.Data;
using SplitBrain.Display;
using SplitBrain.Models;
using SplitBrain.Quantization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Training;

/// <summary>
/// Pretrains a split-brain autoencoder (Zhang, Isola, Efros 2017) as a <see cref="PretrainConfig"/> says, in a run
/// folder: data, network, optimizer and schedule are built from the config; <see cref="Fit"/> trains, logs, previews,
/// checkpoints; an interrupted run continues where it stopped.
/// </summary>
/// <remarks>
/// <para>A notebook's training cell:</para>
/// <code>
/// var cfg = PretrainConfig.Small with { Epochs = 4 };
/// using var trainer = new Pretrainer(cfg, "small-1");   // runs/small-1/
/// var result = trainer.Fit();                           // a live progress bar; returns the summary
/// trainer.LossCurves()                                  // both losses against the step
/// trainer.Previews()                                    // L -> ab colorizations, one row per epoch
/// </code>
/// <para>Each step (<see cref="Fit"/>): the batch (uint8 images read as bytes in the background by
/// <see cref="BatchLoader"/>, made a tensor and moved to the device on this thread), <see cref="Augmentation"/>,
/// <see cref="TargetBuilder"/> (L and ab inputs, 12 x 12 quantized targets, rebalancing weights), both halves'
/// forward pass, <see cref="SplitBrainLoss"/>, backward, optimizer step, and one read of the two losses and the two pixel
/// accuracies as doubles, all inside one dispose scope and one <see cref="NoGcRegion"/> (the guard against TorchSharp's
/// finalizer hazard, see there). The learning rate is <see cref="PretrainConfig.LearningRateAt"/> of the step.</para>
/// <para>Around the steps: with <see cref="PretrainConfig.Rebalance"/>, the color and lightness priors are counted over
/// the first <see cref="PretrainConfig.PriorImages"/> images when the trainer is created; every
/// <see cref="PretrainConfig.LogEverySteps"/> steps a line goes to <c>metrics.jsonl</c>; after each epoch an epoch line,
/// a preview (<c>previews/epoch-NNN.png</c>: F1's colorization of held-out images from their L, annealed mean T = 0.38)
/// and, as configured, a checkpoint.</para>
/// <para>Resuming: creating a trainer on a run folder that holds checkpoints loads the newest complete one that verifies
/// (model, optimizer, epoch and batch position, running sums, torch's and the augmentation's random states) and
/// continues exactly where it was: on the CPU the resumed run computes the same losses as an uninterrupted one. The
/// config must be the one the run was started with, except <see cref="PretrainConfig.Epochs"/>, which may grow; any
/// other difference is refused, with the differences listed. Cancelling <see cref="Fit"/> writes a checkpoint first.</para>
/// <para>One trainer per process at a time: it seeds torch's global generator and may set its thread count.</para>
/// </remarks>
public sealed class Pretrainer : IDisposable
{
    internal const string ModelFile = "model.bin";
    internal const string OptimizerFile = "optimizer.bin";
    internal const string ConfigFile = "config.json";
    private const string TorchRandomFile = "torch-random.bin";
    private const string AugmentationRandomFile = "augmentation-random.bin";

    // Adam's second-moment decay: PyTorch's default (TorchSharp's default is 0.99).
    private const double AdamBeta2 = 0.999;

    private readonly Action<string> _log;
    private readonly CheckpointStore _checkpoints;
    private readonly IByteImageDataset _data = null!;
    private readonly BatchLoader _loader = null!;
    private readonly TargetBuilder _targets = null!;
    private readonly Augmentation _augmentation = null!;
    private readonly OptimizerHelper _optimizer = null!;
    private readonly Tensor? _previewImages; // uint8 [P, 3, S, S] on the device
    private bool _disposed;

    // Where the run is: the state a checkpoint saves.
    private long _step;
    private int _completedEpochs;
    private int _batchesIntoEpoch;
    private double _elapsedBefore;   // seconds of earlier sessions and of this one before the current Fit
    private double _trainSeconds;
    private long _images;
    private EpochTotals _epoch = EpochTotals.Empty;
    private EpochTotals _window = EpochTotals.Empty; // the steps since the last metrics line

    /// <summary>A trainer for the run <paramref name="run"/>: a name in the runs folder (<see cref="RunFolder.Named"/>)
    /// or a path; see <see cref="Pretrainer(PretrainConfig, RunFolder, Action{string}?)"/>.</summary>
    /// <param name="config">The settings; validated first.</param>
    /// <param name="run">The run's name (e.g. <c>"small-1"</c>) or folder.</param>
    /// <param name="log">Receives one-line messages (cache used or built, resumed from where); the console when null.</param>
    public Pretrainer(PretrainConfig config, string run, Action<string>? log = null)
        : this(config, RunFolder.Resolve(run), log)
    {
    }

    /// <summary>
    /// A trainer for the run in <paramref name="run"/>. Checks everything that can fail fast first (the config, the
    /// device, a checkpoint's config), then opens the data (building its cache if needed), builds the network (seeded by
    /// <see cref="PretrainConfig.Seed"/>) and optimizer, estimates the rebalancing priors, and either resumes from the
    /// run's newest checkpoint or starts the run afresh (clearing metrics and previews a run without checkpoints left).
    /// </summary>
    /// <param name="config">The settings; validated first.</param>
    /// <param name="run">The run folder.</param>
    /// <param name="log">Receives one-line messages; the console when null.</param>
    /// <exception cref="ArgumentException">The config is invalid (the message names the field), the device is not
    /// available (<see cref="Devices.Resolve"/>'s message), or the data holds fewer images than one batch.</exception>
    /// <exception cref="InvalidOperationException">The run has a checkpoint made with a different config (other than
    /// <see cref="PretrainConfig.Epochs"/>); the message lists the differences.</exception>
    public Pretrainer(PretrainConfig config, RunFolder run, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(run);
        config.Validate();
        Device = ResolveDevice(config.Device);
        Config = config;
        Run = run;
        _log = log ?? Console.WriteLine;
        _checkpoints = new CheckpointStore(run.CheckpointsPath, config.KeepCheckpoints);
        var resume = _checkpoints.LatestValid(_log);
        if (resume is { } found)
        {
            CheckSameConfig(found.Info);
        }

        try
        {
            if (config.Threads > 0)
            {
                set_num_threads(config.Threads);
            }

            _data = PretrainData.Open(config.Data, _log);
            if (_data.Count < config.BatchSize)
            {
                throw new ArgumentException(
                    $"{_data.Name} holds {_data.Count} images, fewer than one batch of {nameof(PretrainConfig.BatchSize)} = {config.BatchSize}.",
                    nameof(config));
            }

            _loader = new BatchLoader(_data, new BatchLoaderOptions(config.BatchSize, Shuffle: true, Seed: config.Seed, DropLast: true, Device: Device));
            using (NoGcRegion.Enter()) // every block of TorchSharp calls runs in one (see NoGcRegion)
            {
                _targets = new TargetBuilder(config.Targets, Device);
                manual_seed(config.Seed); // the weights; the shuffle and the augmentation have seeds of their own
                Model = SplitBrainNet.Create(config.Model, _targets.LightnessQuantizer, _targets.AbQuantizer, Device);
                _optimizer = CreateOptimizer(config, Model);
                _augmentation = new Augmentation(config.Augmentation, config.Seed);
                if (config.PreviewImages > 0)
                {
                    using var previews = PretrainData.PreviewImages(config.Data, _data, config.PreviewImages);
                    _previewImages = previews.Images.to(Device, copy: true);
                }
            }

            if (config.Rebalance)
            {
                (AbWeights, LightnessWeights) = EstimateWeights();
            }

            if (resume is { } checkpoint)
            {
                Restore(checkpoint.Info, checkpoint.State);
            }
            else
            {
                Run.TruncateTo(step: 0, completedEpochs: 0);
                Run.WriteConfig(config);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The settings.</summary>
    public PretrainConfig Config { get; }

    /// <summary>The run's folder.</summary>
    public RunFolder Run { get; }

    /// <summary>The device it trains on.</summary>
    public Device Device { get; }

    /// <summary>The network being trained (owned by the trainer: disposed with it).</summary>
    public SplitBrainNet Model { get; } = null!;

    /// <summary>The training images (a tensor cache or an STL-10 split).</summary>
    public IImageDataset Data => _data;

    /// <summary>Rebalancing weights of the 313 ab bins (F1's targets), or null without <see cref="PretrainConfig.Rebalance"/>.</summary>
    public RebalancingWeights? AbWeights { get; }

    /// <summary>Rebalancing weights of the L bins (F2's targets, <see cref="TargetConfig.LightnessBins"/> of them), or null
    /// without <see cref="PretrainConfig.Rebalance"/>.</summary>
    public RebalancingWeights? LightnessWeights { get; }

    /// <summary>Steps in one epoch (the last partial batch is left out).</summary>
    public int StepsPerEpoch => _loader.BatchesPerEpoch;

    /// <summary>Steps of the whole run.</summary>
    public long TotalSteps => (long)StepsPerEpoch * Config.Epochs;

    /// <summary>Steps done so far (including earlier sessions of a resumed run).</summary>
    public long Step => _step;

    /// <summary>Whole epochs done so far.</summary>
    public int CompletedEpochs => _completedEpochs;

    /// <summary>The checkpoint this trainer resumed from, or null for a fresh run.</summary>
    public CheckpointInfo? ResumedFrom { get; private set; }

    /// <summary>The last checkpoint written or resumed from, or null.</summary>
    public CheckpointInfo? LastCheckpoint { get; private set; }

    /// <summary>The preview of the last epoch this trainer finished, or null.</summary>
    public ImageGrid? LastPreview { get; private set; }

    /// <summary>Image files of the data that could not be read (corrupt, truncated, not images) and so are left out of
    /// training: counted when the data's cache was built, each named in the log then, and reported again at the end of
    /// every epoch. 0 for STL-10 and the synthetic shapes.</summary>
    public int SkippedImages => _data is TensorCache cache ? cache.SkippedCount : 0;

    /// <summary>The checkpoint writer, for the fault-injection test.</summary>
    internal CheckpointStore Checkpoints => _checkpoints;

    /// <summary>
    /// Trains until <see cref="PretrainConfig.Epochs"/> epochs are done (at once if they are), writing metrics, previews,
    /// checkpoints and finally <c>summary.json</c>.
    /// </summary>
    /// <param name="progress">Receives a <see cref="TrainingProgress"/> after every step and at every epoch's end (on
    /// this thread). Null (the default) shows a live progress bar (<see cref="LiveProgress{T}"/>: redrawn in place in a
    /// notebook, a line every few seconds in a console); <see cref="TrainingProgress.None"/> shows nothing.</param>
    /// <param name="cancellationToken">Stops training between two steps: a checkpoint is written, then
    /// <see cref="OperationCanceledException"/> is thrown; a new trainer on the run continues from there.</param>
    /// <returns>The summary, the folder, the last checkpoint and preview.</returns>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite; the message names the step and the last
    /// good checkpoint.</exception>
    public PretrainResult Fit(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var live = progress is null ? new LiveProgress<TrainingProgress>(p => p.ToView()) : null;
        var report = progress ?? live!;
        var session = new Session(Stopwatch.StartNew());
        try
        {
            if (_step == 0 && _completedEpochs == 0 && _previewImages is not null && !File.Exists(Run.PreviewPath(0)))
            {
                RenderPreview(0); // the untrained network: the first row of the all-epochs grid
            }

            Model.train();
            while (_completedEpochs < Config.Epochs)
            {
                var checkpointDue = RunEpoch(session, report, cancellationToken);
                EndEpoch(session, report, checkpointDue);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _log($"stopped at step {_step}: writing a checkpoint so that the run can continue");
            SaveCheckpoint(session);
            Run.WriteSummary(Summarize(session));
            throw;
        }
        finally
        {
            _elapsedBefore += session.Clock.Elapsed.TotalSeconds;
            session.Clock.Reset();
            live?.Complete();
        }

        var summary = Summarize(session);
        Run.WriteSummary(summary);
        return new PretrainResult(summary, Run, LastCheckpoint, LastPreview);
    }

    /// <summary>F1's colorization of the preview images now (annealed mean, T = 0.38), not saved.</summary>
    /// <returns>Rows: the images, their L, the colorization.</returns>
    /// <exception cref="InvalidOperationException"><see cref="PretrainConfig.PreviewImages"/> is 0.</exception>
    public ImageGrid Preview()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return RenderPreview(epoch: null);
    }

    /// <summary>Both losses against the step, from the run's metrics.</summary>
    /// <returns>A line chart.</returns>
    public Chart LossCurves() => Run.LossCurves();

    /// <summary>The colorizations of every epoch so far, one row per epoch (see <see cref="RunFolder.Previews"/>).</summary>
    /// <param name="displaySize">Width of each image in CSS pixels.</param>
    /// <returns>The grid.</returns>
    public ImageGrid Previews(int displaySize = 96) => Run.Previews(displaySize);

    /// <summary>
    /// One optimisation step on a batch whose inputs and targets are built already: exactly what each step of
    /// <see cref="Fit"/> does after <see cref="TargetBuilder"/> (both halves' forward pass, <see cref="SplitBrainLoss"/>,
    /// backward, optimizer step, one read of the losses), inside a dispose scope and a <see cref="NoGcRegion"/>. It
    /// changes the weights but not the run's position (<see cref="Step"/>, metrics, checkpoints): for timing the step alone
    /// (<c>tools/benchmark.cs</c>) and for fitting one batch.
    /// </summary>
    /// <param name="targets">Inputs and targets on <see cref="Device"/> (e.g. from a <see cref="TargetBuilder"/> of the
    /// same <see cref="PretrainConfig.Targets"/>). Not disposed.</param>
    /// <param name="learningRate">The learning rate; the schedule's rate at the current step when null.</param>
    /// <returns>Both halves' losses.</returns>
    public (double LossF1, double LossF2) TrainOn(SplitBrainTargets targets, double? learningRate = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(targets);
        using var region = NoGcRegion.Enter();
        using var scope = NewDisposeScope();
        Model.train();
        var values = Optimize(targets, learningRate ?? Config.LearningRateAt(_step, StepsPerEpoch));
        return (values.LossF1, values.LossF2);
    }

    /// <summary>Writes a checkpoint now, unless one of this step exists.</summary>
    /// <returns>The checkpoint of the current step.</returns>
    public CheckpointInfo SaveCheckpoint()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return SaveCheckpoint(new Session(new Stopwatch()));
    }

    /// <summary>Frees the network, optimizer, data, quantizers, weights and preview images.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _optimizer?.Dispose();
        Model?.Dispose();
        _augmentation?.Dispose();
        _targets?.Dispose();
        AbWeights?.Dispose();
        LightnessWeights?.Dispose();
        _previewImages?.Dispose();
        _data?.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Pretrainer {Run.Name}: step {_step} / {TotalSteps}, {_completedEpochs} of {Config.Epochs} epochs, on {Device}";

    // Runs the rest of the current epoch; true when a step checkpoint fell on its last batch (the epoch's end writes it,
    // after the epoch's preview and metrics, so that each step has one checkpoint).
    private bool RunEpoch(Session session, IProgress<TrainingProgress> report, CancellationToken cancellationToken)
    {
        var checkpointDue = false;
        using var batches = _loader.Epoch(_completedEpochs, _batchesIntoEpoch, cancellationToken).GetEnumerator();
        while (true)
        {
            var learningRate = Config.LearningRateAt(_step, StepsPerEpoch);
            var started = Stopwatch.GetTimestamp();
            if (NextStep(batches, learningRate, session) is not var (values, count))
            {
                return checkpointDue;
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (!values.IsFinite)
            {
                throw new TrainingDivergedException(Run.Name, _step + 1, values.LossF1, values.LossF2, LastCheckpoint);
            }

            _step++;
            _batchesIntoEpoch++;
            _images += count;
            _trainSeconds += seconds;
            _epoch = _epoch.Add(count, seconds, values);
            _window = _window.Add(count, seconds, values);
            session.Speed.Add(count, seconds);
            var lastOfEpoch = _batchesIntoEpoch == StepsPerEpoch;
            if (_step % Config.LogEverySteps == 0 || lastOfEpoch)
            {
                Run.Append(WindowLine(session, learningRate));
                _window = EpochTotals.Empty;
            }

            report.Report(Progress(values, learningRate, session, status: null));
            if (Config.CheckpointEverySteps > 0 && _step % Config.CheckpointEverySteps == 0)
            {
                if (lastOfEpoch)
                {
                    checkpointDue = true;
                }
                else
                {
                    SaveCheckpoint(session);
                }
            }
        }
    }

    // One step inside a no-GC region (the batch is made a tensor by MoveNext, so that is inside too); null at the end.
    private (StepValues Values, int Count)? NextStep(IEnumerator<ImageBatch> batches, double learningRate, Session session)
    {
        var guardStart = Stopwatch.GetTimestamp();
        var region = NoGcRegion.Enter();
        var guardTicks = Stopwatch.GetTimestamp() - guardStart;
        try
        {
            if (!batches.MoveNext())
            {
                return null;
            }

            return (TrainStep(batches.Current, learningRate), batches.Current.Count);
        }
        finally
        {
            var endStart = Stopwatch.GetTimestamp();
            region.Dispose();
            guardTicks += Stopwatch.GetTimestamp() - endStart;
            session.GuardTicks += guardTicks;
            session.GuardedSteps++;
            session.RegionsLost += region.Lost ? 1 : 0;
        }
    }

    private StepValues TrainStep(ImageBatch batch, double learningRate)
    {
        using var scope = NewDisposeScope();
        var images = Config.Augmentation.IsIdentity ? batch.Images : _augmentation.Apply(batch.Images); // [B, 3, H, W] uint8
        using var targets = _targets.Build(images, AbWeights, LightnessWeights);
        return Optimize(targets, learningRate);
    }

    // The step proper, after the targets: Fit's steps and TrainOn share it. Inside the caller's dispose scope.
    private StepValues Optimize(SplitBrainTargets targets, double learningRate)
    {
        foreach (var group in _optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }

        _optimizer.zero_grad();
        var (abLogits, lLogits) = Model.call(targets.LInput, targets.AbInput);                            // [B, 313, h, w], [B, 100, h, w]
        using var losses = SplitBrainLoss.Compute((abLogits, lLogits), targets.AbTarget, targets.LTarget, targets.AbWeights, targets.LWeights);
        losses.Total.backward();
        _optimizer.step();

        // The four numbers in one device-to-host copy (one synchronisation per step on a GPU).
        var numbers = stack([
            losses.F1.detach(), losses.F2.detach(),
            SplitBrainLoss.PixelAccuracy(abLogits, targets.AbTarget), SplitBrainLoss.PixelAccuracy(lLogits, targets.LTarget),
        ]).to_type(ScalarType.Float64).cpu();
        var read = numbers.data<double>();
        return new StepValues(read[0], read[1], read[2], read[3]);
    }

    private void EndEpoch(Session session, IProgress<TrainingProgress> report, bool checkpointDue)
    {
        var epoch = _epoch;
        _completedEpochs++;
        _batchesIntoEpoch = 0;
        _epoch = EpochTotals.Empty;
        if (epoch.Steps > 0)
        {
            Run.Append(new EpochMetrics(_completedEpochs, _step, epoch.LossF1 / epoch.Steps, epoch.LossF2 / epoch.Steps,
                epoch.AccuracyF1 / epoch.Steps, epoch.AccuracyF2 / epoch.Steps, epoch.Images / Math.Max(epoch.Seconds, 1e-9),
                epoch.Seconds, Elapsed(session)));
        }

        if (_previewImages is not null)
        {
            LastPreview = RenderPreview(_completedEpochs);
        }

        if (checkpointDue || _completedEpochs == Config.Epochs
            || (Config.CheckpointEveryEpochs > 0 && _completedEpochs % Config.CheckpointEveryEpochs == 0))
        {
            SaveCheckpoint(session);
        }

        var means = epoch.Steps > 0
            ? new StepValues(epoch.LossF1 / epoch.Steps, epoch.LossF2 / epoch.Steps, epoch.AccuracyF1 / epoch.Steps, epoch.AccuracyF2 / epoch.Steps)
            : default;
        // Unreadable files were left out when the cache was built, long before: said again here, where a reader looks.
        var skipped = SkippedImages > 0 ? $"; {SkippedImages} unreadable image files skipped" : "";
        if (SkippedImages > 0)
        {
            _log($"epoch {_completedEpochs}: {SkippedImages} unreadable image files of {_data.Name} were skipped (named when its cache was built)");
        }

        report.Report(Progress(means, Config.LearningRateAt(Math.Max(0, _step - 1), StepsPerEpoch), session,
            $"epoch {_completedEpochs} done (its means shown){skipped}"));
    }

    private ImageGrid RenderPreview(int? epoch)
    {
        if (_previewImages is null)
        {
            throw new InvalidOperationException($"{nameof(PretrainConfig.PreviewImages)} is 0: this run has no preview images.");
        }

        using var region = NoGcRegion.Enter();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Model.eval();
        try
        {
            var size = _previewImages.shape[2];
            var lab = Lab.FromRgb(_previewImages);                                                  // [P, 3, S, S]
            var (l, ab) = ChannelSplit.Lab.Split(lab);                                              // [P, 1, S, S], [P, 2, S, S]
            var logits = Model.F1.call(LabNormalization.NormalizeL(l));                             // [P, 313, h, w]
            var coarse = _targets.AbQuantizer.DecodeLogits(logits, DecodeMode.AnnealedMean);        // [P, 2, h, w]
            var fine = nn.functional.interpolate(coarse, size: [size, size], mode: InterpolationMode.Bilinear, align_corners: false);
            var colorized = Lab.ToRgb(cat([l, fine], 1));                                           // [P, 3, S, S] 0..1
            var grey = Lab.ToRgb(cat([l, zeros_like(ab)], 1));
            var title = epoch is { } e ? $"{Run.Name}: epoch {e}" : $"{Run.Name}: step {_step}";
            var grid = PreviewSheet.Grid(_previewImages, grey, colorized, title);
            if (epoch is { } number)
            {
                Directory.CreateDirectory(Run.PreviewsPath);
                grid.Save(Run.PreviewPath(number));
            }

            return grid;
        }
        finally
        {
            Model.train();
        }
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

    private CheckpointInfo SaveCheckpoint(Session session)
    {
        if (LastCheckpoint?.Step == _step && Directory.Exists(LastCheckpoint.Path))
        {
            return LastCheckpoint;
        }

        using var region = NoGcRegion.Enter(); // saving reads tensors, and tensors are written by TorchSharp calls
        using var torchState = random.get_rng_state();
        var torchRandom = torchState.bytes.ToArray();
        var augmentationRandom = _augmentation.GetRandomState();
        var state = new CheckpointState(
            _step, _completedEpochs, _batchesIntoEpoch, Elapsed(session), _trainSeconds, _images, _epoch, _window, [], DateTime.UtcNow);
        try
        {
            LastCheckpoint = _checkpoints.Write(state,
            [
                (ModelFile, stream => Save(stream, writer => Model.save(writer))),
                (OptimizerFile, stream => Save(stream, writer => _optimizer.save_state_dict(writer))),
                (TorchRandomFile, stream => stream.Write(torchRandom)),
                (AugmentationRandomFile, stream => stream.Write(augmentationRandom)),
                (ConfigFile, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(Config.ToJson()))),
            ]);
        }
        catch (IOException e)
        {
            // A full disk or a lost drive: the store has removed the half-written folder; say what is left to resume from.
            var previous = LastCheckpoint is { } last && Directory.Exists(last.Path)
                ? $"the last complete checkpoint, step {last.Step} ({last.Path}), is intact"
                : "there is no earlier checkpoint";
            throw new IOException(
                $"Writing the checkpoint of step {_step} into {Run.CheckpointsPath} failed: {e.Message} Nothing of it was kept, and "
                + $"{previous}. Free some disk space (or point the run elsewhere) and create the trainer again: it resumes from there.", e);
        }

        return LastCheckpoint;

        static void Save(Stream stream, Action<BinaryWriter> write)
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            write(writer);
            writer.Flush();
        }
    }

    private void Restore(CheckpointInfo info, CheckpointState state)
    {
        using var region = NoGcRegion.Enter();
        using (var reader = new BinaryReader(File.OpenRead(Path.Combine(info.Path, ModelFile))))
        {
            Model.load(reader);
        }

        using (var reader = new BinaryReader(File.OpenRead(Path.Combine(info.Path, OptimizerFile))))
        {
            _optimizer.load_state_dict(reader);
        }

        using (var torchState = tensor(File.ReadAllBytes(Path.Combine(info.Path, TorchRandomFile)), ScalarType.Byte))
        {
            random.set_rng_state(torchState);
        }

        _augmentation.SetRandomState(File.ReadAllBytes(Path.Combine(info.Path, AugmentationRandomFile)));
        (_step, _completedEpochs, _batchesIntoEpoch) = (state.Step, state.CompletedEpochs, state.BatchesIntoEpoch);
        (_elapsedBefore, _trainSeconds, _images, _epoch, _window) = (state.ElapsedSeconds, state.TrainSeconds, state.Images, state.Epoch, state.Window);
        ResumedFrom = LastCheckpoint = info;
        Run.TruncateTo(state.Step, state.CompletedEpochs); // what the resumed run will write again
        Run.WriteConfig(Config);                           // Epochs may have changed
        _log($"resuming {Run.Name} from its {info}");
    }

    // Refuses to resume with another config: the checkpoint's weights, optimizer state and position mean nothing for it.
    private void CheckSameConfig(CheckpointInfo checkpoint)
    {
        var saved = PretrainConfig.FromJson(File.ReadAllText(Path.Combine(checkpoint.Path, ConfigFile)));
        var differences = new List<string>();
        Compare(JsonNode.Parse((saved with { Epochs = 0 }).ToJson()), JsonNode.Parse((Config with { Epochs = 0 }).ToJson()), "", differences);
        if (differences.Count > 0)
        {
            throw new InvalidOperationException(
                $"The run '{Run.Name}' ({Run.Path}) has a checkpoint at step {checkpoint.Step} made with another config: "
                + string.Join("; ", differences) + ". A run resumes only with the config it was started with (Epochs may change). "
                + $"Use another run name, or start this one afresh with new {nameof(RunFolder)}(\"{Run.Path}\").{nameof(RunFolder.Clear)}().");
        }

        static void Compare(JsonNode? saved, JsonNode? now, string path, List<string> differences)
        {
            if (saved is JsonObject a && now is JsonObject b)
            {
                foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key)))
                {
                    Compare(a[key], b[key], path.Length == 0 ? key : $"{path}.{key}", differences);
                }
            }
            else if (!JsonNode.DeepEquals(saved, now))
            {
                differences.Add($"{path} is {saved?.ToJsonString() ?? "null"} in the checkpoint but {now?.ToJsonString() ?? "null"} now");
            }
        }
    }

    private static OptimizerHelper CreateOptimizer(PretrainConfig config, SplitBrainNet model) => config.Optimizer switch
    {
        OptimizerKind.Sgd => optim.SGD(model.parameters(), config.LearningRate, momentum: config.Momentum, weight_decay: config.WeightDecay),
        _ => optim.Adam(model.parameters(), config.LearningRate, beta1: config.Momentum, beta2: AdamBeta2, weight_decay: config.WeightDecay),
    };

    // "auto" lets SPLITBRAIN_DEVICE pin the device, as in the chapters; an explicit request is taken as it is.
    private static Device ResolveDevice(string request) =>
        string.Equals(request.Trim(), "auto", StringComparison.OrdinalIgnoreCase) ? Devices.Default(request) : Devices.Resolve(request);

    private double Elapsed(Session session) => _elapsedBefore + session.Clock.Elapsed.TotalSeconds;

    private StepMetrics WindowLine(Session session, double learningRate)
    {
        var w = _window;
        return new StepMetrics(_step, _completedEpochs + 1, w.LossF1 / w.Steps, w.LossF2 / w.Steps, w.AccuracyF1 / w.Steps,
            w.AccuracyF2 / w.Steps, learningRate, w.Images / Math.Max(w.Seconds, 1e-9), Elapsed(session));
    }

    private TrainingProgress Progress(StepValues values, double learningRate, Session session, string? status)
    {
        var perStep = session.Speed.SecondsPerStep;
        TimeSpan? remaining = perStep is { } s ? TimeSpan.FromSeconds(s * (TotalSteps - _step)) : null;
        return new TrainingProgress(Run.Name, _step, TotalSteps, Math.Min(_completedEpochs + (_batchesIntoEpoch > 0 ? 1 : 0), Config.Epochs),
            Config.Epochs, _batchesIntoEpoch, StepsPerEpoch, values.LossF1, values.LossF2, values.AccuracyF1, values.AccuracyF2,
            learningRate, session.Speed.ImagesPerSecond, TimeSpan.FromSeconds(Elapsed(session)), remaining, status);
    }

    private PretrainSummary Summarize(Session session)
    {
        var last = Run.ReadMetrics().Epochs.LastOrDefault();
        return new PretrainSummary(
            Run.Name, _step, _completedEpochs,
            last?.LossF1 ?? double.NaN, last?.LossF2 ?? double.NaN, last?.AccuracyF1 ?? double.NaN, last?.AccuracyF2 ?? double.NaN,
            _images / Math.Max(_trainSeconds, 1e-9), _trainSeconds, Elapsed(session), Device.ToString(), get_num_threads(),
            session.GuardedSteps == 0 ? 0 : session.GuardTicks * 1000.0 / Stopwatch.Frequency / session.GuardedSteps,
            session.RegionsLost, LastCheckpoint?.Path, DateTime.UtcNow);
    }

    /// <summary>What one call of <see cref="Fit"/> tracks: its clock, the speed, the GC guard's cost.</summary>
    private sealed class Session(Stopwatch clock)
    {
        public Stopwatch Clock { get; } = clock;

        public Speed Speed { get; } = new();

        public long GuardTicks { get; set; }

        public int GuardedSteps { get; set; }

        public int RegionsLost { get; set; }
    }

    /// <summary>Recent speed: exponential moving averages of the seconds and images per step.</summary>
    private sealed class Speed
    {
        private const double Keep = 0.9; // about the last ten steps
        private double _seconds;
        private double _images;
        private int _steps;

        public double? SecondsPerStep => _steps < 2 ? null : _seconds;

        public double ImagesPerSecond => _seconds > 0 ? _images / _seconds : 0;

        public void Add(int images, double seconds)
        {
            // The first step pays for warm-up (allocator, JIT): it would spoil the estimate, so it starts from the second.
            if (++_steps == 1)
            {
                return;
            }

            (_seconds, _images) = _steps == 2 ? (seconds, images) : (Keep * _seconds + (1 - Keep) * seconds, Keep * _images + (1 - Keep) * images);
        }
    }
}
