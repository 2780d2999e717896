using SplitBrain.Data;
using SplitBrain.Display;
using SplitBrain.Models;
using SplitBrain.Quantization;
using SplitBrain.Runs;
using static TorchSharp.torch;

namespace SplitBrain.Training;

/// <summary>
/// Pretrains a split-brain autoencoder (Zhang, Isola, Efros 2017) as a <see cref="PretrainConfig"/> says, in a run
/// folder: the run engine (<see cref="Trainer"/>) with pretraining's own part (<see cref="PretrainingTask"/>: data,
/// network, targets, the objective's forward pass) and its previews (<see cref="PreviewObserver"/>). An interrupted run
/// continues where it stopped.
/// </summary>
/// <remarks>
/// <para>A notebook's training cell:</para>
/// <code>
/// var cfg = PretrainConfig.Small with { Epochs = 4 };
/// using var trainer = new Pretrainer(cfg, Chapter.Run("small-1"));   // runs/small-1/
/// var result = trainer.Fit();                                       // a live progress bar; returns the summary
/// trainer.LossCurves()                                              // every loss against the step
/// trainer.Previews()                                                // L -> ab colorizations, one row per epoch
/// </code>
/// <para>What the engine does for every run: the loop, <c>config.json</c> (<c>"kind": "pretraining"</c>),
/// <c>metrics.jsonl</c> (a step line every <see cref="PretrainConfig.LogEverySteps"/> steps, an epoch line per epoch),
/// atomic checkpoints (every <see cref="PretrainConfig.CheckpointEverySteps"/> steps, every
/// <see cref="PretrainConfig.CheckpointEveryEpochs"/> epochs, at the end and on cancellation; the last
/// <see cref="PretrainConfig.KeepCheckpoints"/> kept), exact resume, the NaN stop, the no-GC region around each step,
/// progress and speed, and the precision of every step (<see cref="PretrainConfig.Precision"/>, <see cref="Autocast"/>).</para>
/// <para>How long: <see cref="PretrainConfig.Epochs"/> epochs, or a budget a lesson can be planned with,
/// <see cref="PretrainConfig.Steps"/> optimizer steps or <see cref="PretrainConfig.Minutes"/> of training
/// (<c>PretrainConfig.Small with { Minutes = 8 }</c>; <see cref="TrainingBudget"/>): exactly that many steps, the schedule
/// spanning them, the summary saying what they bought (steps, images, epochs with their fraction, seconds).</para>
/// <para>A run resumes only with the config it started with, but <see cref="PretrainConfig.Epochs"/>,
/// <see cref="PretrainConfig.Steps"/> and <see cref="PretrainConfig.Minutes"/> may change (a larger budget continues the
/// run, its schedule then spanning the new total; a resumed minutes budget keeps the step count it fixed) and
/// <see cref="PretrainConfig.Precision"/> too; any other difference is refused, listed.</para>
/// <para>One trainer per process at a time: it seeds torch's global generator and may set its thread count.</para>
/// </remarks>
public sealed class Pretrainer : IDisposable
{
    /// <summary>The config keys a resumed run may change.</summary>
    private static readonly IReadOnlySet<string> MayChange =
        new HashSet<string>(StringComparer.Ordinal)
        {
            nameof(PretrainConfig.Epochs), nameof(PretrainConfig.Steps), nameof(PretrainConfig.Minutes), nameof(PretrainConfig.Precision),
        };

    private readonly Trainer _trainer;
    private readonly PretrainingTask _task = null!;
    private readonly PreviewObserver _previews = null!;
    private bool _disposed;

    /// <summary>
    /// A trainer for the run in <paramref name="run"/>. Checks everything that can fail fast first (the config, the
    /// device, a checkpoint's config), then opens the data (building its cache if needed; relative paths and the cache
    /// folder come from the run's <see cref="RunFolder.Workspace"/>), builds the network (seeded by
    /// <see cref="PretrainConfig.Seed"/>) and optimizer, estimates the rebalancing priors, and either resumes from the
    /// run's newest checkpoint or starts the run afresh.
    /// </summary>
    /// <param name="config">The settings; validated first.</param>
    /// <param name="run">The run folder (e.g. <c>Chapter.Run("small-1")</c>, or <c>new RunFolder(path)</c>).</param>
    /// <param name="log">Receives one-line messages (cache used or built, resumed from where); the console when null.</param>
    /// <exception cref="ArgumentException">The config is invalid (the message names the field), the device is not
    /// available (<see cref="Devices.Resolve"/>'s message), or the data holds fewer images than one batch.</exception>
    /// <exception cref="InvalidOperationException">The folder holds a run of another kind, or has a checkpoint made with a
    /// different config (other than the length and the precision); the message lists the differences.</exception>
    public Pretrainer(PretrainConfig config, RunFolder run, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(run);
        config.Validate();
        var device = Devices.Resolve(config.Device);
        Config = config;
        log ??= Console.WriteLine;
        _trainer = new Trainer($"pretraining {run.Name}",
            new TrainerConfig(config.Epochs, config.LogEverySteps, config.CheckpointEverySteps, config.CheckpointEveryEpochs, config.KeepCheckpoints,
                config.Budget),
            run, new RunIdentity(PretrainingRuns.Kind, config.ToJson(), MayChange), log);
        _task = new PretrainingTask(config, run, device, log);
        try
        {
            _previews = new PreviewObserver(_task);
            _trainer.Observe(_previews).Start(_task);
            _previews.TruncateTo(fresh: _trainer.ResumedFrom is null, _trainer.CompletedEpochs);
        }
        catch
        {
            _task.Dispose();
            throw;
        }
    }

    /// <summary>The settings.</summary>
    public PretrainConfig Config { get; }

    /// <summary>The run's folder.</summary>
    public RunFolder Run => _task.Run;

    /// <summary>The device it trains on.</summary>
    public Device Device => _task.Device;

    /// <summary>The element type its convolutions and matrix products compute in (<see cref="PretrainConfig.Precision"/>
    /// resolved for <see cref="Device"/>).</summary>
    public ScalarType ComputeType => _task.ComputeType;

    /// <summary>Why it computes in <see cref="ComputeType"/>: forced by the config, or for <see cref="Precision.Auto"/> the
    /// faster precision as timed on this machine (both figures and the cost of timing; <see cref="PrecisionProbe"/>).</summary>
    public PrecisionChoice PrecisionChoice => _task.Precision;

    /// <summary>The network being trained, of the kind its objective trains (<see cref="PretrainConfig.Objective"/>; a
    /// <see cref="SplitBrainNet"/> by default). Owned by the trainer: disposed with it.</summary>
    public FeatureNetwork Model => _task.Network;

    /// <summary>The training images (a tensor cache or an STL-10 split).</summary>
    public IImageDataset Data => _task.Data;

    /// <summary>Rebalancing weights of the 313 ab bins (F1's targets), or null without <see cref="PretrainConfig.Rebalance"/>.</summary>
    public RebalancingWeights? AbWeights => _task.AbWeights;

    /// <summary>Rebalancing weights of the L bins (F2's targets, <see cref="TargetConfig.LightnessBins"/> of them), or null
    /// without <see cref="PretrainConfig.Rebalance"/>.</summary>
    public RebalancingWeights? LightnessWeights => _task.LightnessWeights;

    /// <summary>Steps in one epoch (the last partial batch is left out).</summary>
    public int StepsPerEpoch => _trainer.StepsPerEpoch;

    /// <summary>Steps of the whole run: the epochs' steps, or the budget's (with <see cref="PretrainConfig.Minutes"/>, the
    /// count fixed from the run's first steps; an estimate before, see <see cref="TotalIsFixed"/>).</summary>
    public long TotalSteps => _trainer.TotalSteps;

    /// <summary>False only while a <see cref="PretrainConfig.Minutes"/> budget is timing the run's first steps.</summary>
    public bool TotalIsFixed => _trainer.TotalIsFixed;

    /// <summary>Epochs trained so far, with the fraction of the current one.</summary>
    public double EpochsTrained => _trainer.EpochsTrained;

    /// <summary>Steps done so far (including earlier sessions of a resumed run).</summary>
    public long Step => _trainer.Step;

    /// <summary>Whole epochs done so far.</summary>
    public int CompletedEpochs => _trainer.CompletedEpochs;

    /// <summary>The checkpoint this trainer resumed from, or null for a fresh run.</summary>
    public CheckpointInfo? ResumedFrom => _trainer.ResumedFrom;

    /// <summary>The last checkpoint written or resumed from, or null.</summary>
    public CheckpointInfo? LastCheckpoint => _trainer.LastCheckpoint;

    /// <summary>The preview of the last epoch this trainer finished (of the network as it is, when the run was complete
    /// already), or null.</summary>
    public ImageGrid? LastPreview => _previews.LastPreview;

    /// <summary>Image files of the data that could not be read (corrupt, truncated, not images) and so are left out of
    /// training: counted when the data's cache was built, each named in the log then, and reported again at the end of
    /// every epoch. 0 for STL-10 and the synthetic shapes.</summary>
    public int SkippedImages => _task.SkippedImages;

    /// <summary>The checkpoint writer, for the fault-injection tests.</summary>
    internal CheckpointStore Checkpoints => _trainer.Checkpoints!;

    /// <summary>
    /// Trains until <see cref="PretrainConfig.Epochs"/> epochs, or the <see cref="PretrainConfig.Steps"/> /
    /// <see cref="PretrainConfig.Minutes"/> budget, are done (at once if they are), writing metrics, previews, checkpoints and
    /// finally <c>summary.json</c> (<see cref="Trainer.Fit"/>).
    /// </summary>
    /// <param name="progress">Receives a <see cref="TrainingProgress"/> after every step and at every epoch's end. Null (the
    /// default) shows a live progress bar; <see cref="TrainingProgress.None"/> shows nothing.</param>
    /// <param name="cancellationToken">Stops training between two steps: a checkpoint is written, then
    /// <see cref="OperationCanceledException"/> is thrown; a new trainer on the run continues from there.</param>
    /// <returns>The summary, the folder, the last checkpoint and preview.</returns>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite; the message names the step and the last
    /// good checkpoint.</exception>
    public PretrainResult Fit(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var summary = TrainingProgressView.ShowWhile(progress, p => _trainer.Fit(p, cancellationToken));
        return new PretrainResult(summary, Run, LastCheckpoint, LastPreview);
    }

    /// <summary>F1's colorization of the preview images now (annealed mean, T = 0.38), not saved.</summary>
    /// <returns>Rows: the images, their L, the colorization.</returns>
    /// <exception cref="InvalidOperationException"><see cref="PretrainConfig.PreviewImages"/> is 0.</exception>
    public ImageGrid Preview()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _previews.Render(epoch: null, Step);
    }

    /// <summary>Every loss the objective recorded against the step, from the run's metrics.</summary>
    /// <returns>A line chart.</returns>
    public Chart LossCurves() => Run.LossCurves();

    /// <summary>The colorizations of every epoch so far, one row per epoch (see <see cref="PretrainingRuns.Previews"/>).</summary>
    /// <param name="displaySize">Width of each image in CSS pixels.</param>
    /// <returns>The grid.</returns>
    public ImageGrid Previews(int displaySize = 96) => Run.Previews(displaySize);

    /// <summary>
    /// One optimisation step on a batch whose inputs and targets are built already: exactly what each step of
    /// <see cref="Fit"/> does after <see cref="TargetBuilder"/> (the objective's forward pass and loss,
    /// backward, optimizer step, one read of the losses), inside a dispose scope and a <see cref="NoGcRegion"/>. It
    /// changes the weights but not the run's position (<see cref="Step"/>, metrics, checkpoints): for timing the step alone
    /// (<c>tools/benchmark.cs</c>) and for fitting one batch.
    /// </summary>
    /// <param name="targets">Inputs and targets on <see cref="Device"/> (e.g. from a <see cref="TargetBuilder"/> of the
    /// same <see cref="PretrainConfig.Targets"/>). Not disposed.</param>
    /// <param name="learningRate">The learning rate; the schedule's rate at the current step when null.</param>
    /// <returns>The objective's losses by name (split-brain: <c>lossF1</c>, <c>lossF2</c>).</returns>
    public IReadOnlyDictionary<string, double> TrainOn(SplitBrainTargets targets, double? learningRate = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(targets);
        using var region = NoGcRegion.Enter();
        using var scope = NewDisposeScope();
        using var precision = Autocast.Enter(ComputeType);
        Model.train();
        OptimizerStep.SetRate(_task.Optimizer, [Config.LearningRate], learningRate ?? _task.Schedule.RateAt(Step, TotalSteps));
        var values = OptimizerStep.Take(_task.Optimizer, () => _task.Forward(targets, (int)targets.LInput.shape[0])).Values;
        return _task.MetricNames.Take(_task.LossCount).Zip(values).ToDictionary(p => p.First, p => p.Second);
    }

    /// <summary>Writes a checkpoint now, unless one of this step exists.</summary>
    /// <returns>The checkpoint of the current step.</returns>
    public CheckpointInfo SaveCheckpoint()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _trainer.SaveCheckpoint();
    }

    /// <summary>Frees the network, optimizer, data, quantizers, weights and preview images.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _task.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Pretrainer {Run.Name}: step {Step} / {(TotalIsFixed ? "" : "~")}{TotalSteps}, "
        + (Config.Budget is { } budget ? $"budget {budget}, {EpochsTrained:0.##} epochs" : $"{CompletedEpochs} of {Config.Epochs} epochs")
        + $", on {Device} in {Precisions.Name(ComputeType)}";
}
