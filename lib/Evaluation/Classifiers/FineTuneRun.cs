using System.Text.Json;
using SplitBrain.Data;
using SplitBrain.Display;
using SplitBrain.Runs;
using SplitBrain.Training;
using static TorchSharp.torch;

namespace SplitBrain.Evaluation;

/// <summary>
/// Fine-tunes a classifier on a pretrained split-brain network as a <see cref="FineTuneRunConfig"/> says, in a run
/// folder: the run engine (<see cref="Trainer"/>, the same as pretraining's: live progress, <c>config.json</c> with
/// <c>"kind": "fine-tuning"</c>, <c>metrics.jsonl</c>, atomic checkpoints, exact resume) with the classifier's part
/// (<see cref="ClassifierTask"/>) and test scoring (<see cref="TestScoring"/>), and a <c>result.json</c> at the end.
/// </summary>
/// <remarks>
/// <para>A notebook's fine-tuning cell:</para>
/// <code>
/// var cfg = Chapter.Knobs(FineTuneRunConfig.Default with { TrainPerClass = 10 });
/// using var run = new FineTuneRun(cfg, Chapter.Run("finetune-10"));   // runs/finetune-10/; resumes if it has checkpoints
/// var result = run.Fit();                                             // a live progress bar; returns the result table
/// run.Curves()                                                        // accuracy per epoch
/// EvaluationPlots.ConfusionMatrix(result.Test!)                       // what it mistakes for what
/// </code>
/// <para>Creating the run loads the network of the pretraining run <see cref="FineTuneRunConfig.Pretrained"/> (a name in
/// the run's workspace, <see cref="PretrainingRuns.LoadModel"/>), opens the labeled images (the Train and Test splits of
/// <see cref="FineTuneRunConfig.Data"/>, or of the pretraining run's data), takes
/// <see cref="FineTuneRunConfig.TrainPerClass"/> training images per class, and builds the
/// <see cref="SplitBrainClassifier"/> and its <see cref="FineTuner"/>. <see cref="Fit"/> trains epoch by epoch: after each,
/// an epoch line in <c>metrics.jsonl</c> (loss, training accuracy, test accuracy when scored, seconds) and a checkpoint
/// (the last <see cref="FineTuneRunConfig.KeepCheckpoints"/> kept). At the end it scores the test split
/// (<see cref="FineTuner.Score"/>) and writes <c>result.json</c>: the <see cref="FineTuneResult"/> with every epoch and
/// the final <see cref="ClassificationReport"/> (top-1, top-5, per class, confusion matrix).</para>
/// <para>Resuming is the engine's: a run folder with checkpoints continues from the newest that verifies, at the step it was
/// written (a cancellation writes one), with the metrics an uninterrupted run would have had (CPU). A complete run's
/// <see cref="Fit"/> returns its result at once. The config must be the one the run was started with, except
/// <see cref="ClassifierTrainingConfig.Epochs"/> (which may grow), the budget (<see cref="ClassifierTrainingConfig.Steps"/>,
/// <see cref="ClassifierTrainingConfig.Minutes"/>: a larger one continues the run, from the classifier as it was scored),
/// <see cref="ClassifierTrainingConfig.Precision"/> and <see cref="FineTuneRunConfig.KeepCheckpoints"/>.</para>
/// <para>How long: <see cref="ClassifierTrainingConfig.Epochs"/> epochs, or a budget of <see cref="ClassifierTrainingConfig.Steps"/> or
/// <see cref="ClassifierTrainingConfig.Minutes"/>, the same words and meaning as pretraining's (<see cref="TrainingBudget"/>): exactly
/// that many steps, the last epoch possibly partial (it still gets its epoch line, the scoring and a checkpoint).</para>
/// <para>One run per process at a time: its epochs seed torch's global generator.</para>
/// </remarks>
public sealed class FineTuneRun : IDisposable
{
    /// <summary>The result's file in the run folder.</summary>
    public const string ResultFile = "result.json";

    /// <summary>The kind of a fine-tuning run: <c>"kind": "fine-tuning"</c> in its <c>config.json</c>.</summary>
    public static RunKind Kind { get; } = new("fine-tuning");

    private static readonly IReadOnlySet<string> MayChange = new HashSet<string>(StringComparer.Ordinal)
    {
        $"{nameof(FineTuneRunConfig.Training)}.{nameof(ClassifierTrainingConfig.Epochs)}",
        $"{nameof(FineTuneRunConfig.Training)}.{nameof(ClassifierTrainingConfig.Steps)}",
        $"{nameof(FineTuneRunConfig.Training)}.{nameof(ClassifierTrainingConfig.Minutes)}",
        $"{nameof(FineTuneRunConfig.Training)}.{nameof(ClassifierTrainingConfig.Precision)}",
        nameof(FineTuneRunConfig.KeepCheckpoints),
    };

    private readonly Trainer _trainer;
    private readonly IImageDataset _trainSplit = null!;
    private readonly IImageDataset _test = null!;
    private readonly LabeledSubset _train = null!;
    private readonly SplitBrainClassifier _classifier = null!;
    private readonly FineTuner _tuner = null!;
    private readonly ClassifierTask _task = null!;
    private readonly TestScoring _scoring = null!;
    private bool _disposed;

    /// <summary>
    /// A fine-tuning run in <paramref name="run"/>. Checks what can fail fast first (the config, the device, the
    /// pretraining run, the folder's kind and a checkpoint's config), then opens the labeled data, loads the pretrained
    /// network, builds the classifier (seeded by <see cref="ClassifierTrainingConfig.Seed"/>) and its optimizer, and either resumes
    /// from the newest checkpoint or starts afresh.
    /// </summary>
    /// <param name="config">The settings; validated first.</param>
    /// <param name="run">The run folder (e.g. <c>Chapter.Run("finetune-10")</c>); the pretraining run is found in its
    /// <see cref="RunFolder.Workspace"/>.</param>
    /// <param name="log">Receives one-line messages; the console when null.</param>
    /// <exception cref="ArgumentException">The config is invalid (the message names the field), the device is not
    /// available, the labeled data is empty or leaves a last batch of one image.</exception>
    /// <exception cref="InvalidOperationException">The pretraining run does not exist or has no checkpoint, the folder
    /// holds a run of another kind, or its checkpoint was made with another config (the message lists the
    /// differences).</exception>
    public FineTuneRun(FineTuneRunConfig config, RunFolder run, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(run);
        config.Validate();
        var device = Devices.Resolve(config.Device);
        Pretrained = run.Workspace.Run(config.Pretrained);
        if (!Pretrained.Exists)
            throw new InvalidOperationException(
                $"The pretraining run '{config.Pretrained}' ({Pretrained.Path}) does not exist: train it first (chapter 04, or "
                + $"tools/pretrain.cs), or set {nameof(FineTuneRunConfig.Pretrained)} to one of the runs in {run.Workspace.Runs}.");
        Config = config with { Data = config.Data ?? Pretrained.ReadConfig().Data };
        _trainer = new Trainer($"fine-tuning {run.Name}",
            new TrainerConfig(Config.Training.Epochs, CheckpointEveryEpochs: 1, KeepCheckpoints: Config.KeepCheckpoints, Budget: Config.Training.Budget),
            run, new RunIdentity(FineTuneRun.Kind, Config.ToJson(), MayChange), log);
        try
        {
            var data = Config.Data!;
            _trainSplit = LabeledData.Open(data, DatasetSplit.Train, run.Workspace);
            _test = LabeledData.Open(data, DatasetSplit.Test, run.Workspace);
            _train = LabeledSubset.PerClass(_trainSplit, config.TrainPerClass == 0 ? LabeledSubset.All : config.TrainPerClass, config.SubsetSeed);
            if (_train.Count % config.Training.BatchSize == 1)
                throw new ArgumentException(
                    $"{nameof(FineTuneRunConfig)}.{nameof(FineTuneRunConfig.Training)}.{nameof(ClassifierTrainingConfig.BatchSize)} = {config.Training.BatchSize} "
                    + $"leaves a last batch of one of the {_train.Count} training images, which BatchNorm cannot normalise in training: "
                    + "change the batch size or the number of images.", $"{nameof(FineTuneRunConfig.Training)}.{nameof(ClassifierTrainingConfig.BatchSize)}");
            using (NoGcRegion.Enter()) // every block of TorchSharp calls runs in one (see NoGcRegion)
            {
                using var network = Pretrained.LoadModel(device);
                _classifier = SplitBrainClassifier.Create(network, _train.Classes.Count, config.Classifier, config.Training.Seed);
                _tuner = new FineTuner(_classifier, config.Training);
            }
            _task = _tuner.CreateTask(_train, _test);
            _scoring = new TestScoring(_tuner, _task, _train, _test);
            _trainer.Observe(_scoring).Start(_task);
            if (!_trainer.IsComplete)
                DeleteResult();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The settings, with <see cref="FineTuneRunConfig.Data"/> filled in (what <c>config.json</c> holds).</summary>
    public FineTuneRunConfig Config { get; }

    /// <summary>The run's folder.</summary>
    public RunFolder Run => _trainer.Run!;

    /// <summary>The pretraining run the network comes from.</summary>
    public RunFolder Pretrained { get; }

    /// <summary>The device it trains on.</summary>
    public Device Device => _task.Device;

    /// <summary>The classifier being trained (owned by the run: disposed with it).</summary>
    public SplitBrainClassifier Classifier => _classifier;

    /// <summary>The labeled training images (<see cref="FineTuneRunConfig.TrainPerClass"/> per class of the Train split).</summary>
    public IImageDataset Train => _train;

    /// <summary>The labeled test images (the Test split).</summary>
    public IImageDataset Test => _test;

    /// <summary>Steps (batches) in one epoch: the last, partial batch included.</summary>
    public int StepsPerEpoch => _trainer.StepsPerEpoch;

    /// <summary>Whole epochs done so far (including earlier sessions of a resumed run).</summary>
    public int EpochsDone => _trainer.CompletedEpochs;

    /// <summary>Steps done so far.</summary>
    public long Step => _trainer.Step;

    /// <summary>The checkpoint this run resumed from, or null for a fresh run.</summary>
    public CheckpointInfo? ResumedFrom => _trainer.ResumedFrom;

    /// <summary>The last checkpoint written or resumed from.</summary>
    public CheckpointInfo? LastCheckpoint => _trainer.LastCheckpoint;

    /// <summary>
    /// Trains until <see cref="ClassifierTrainingConfig.Epochs"/> epochs, or the budget's steps, are done, scores the test images and
    /// writes <c>result.json</c>; a complete run returns its result at once.
    /// </summary>
    /// <param name="progress">Receives a <see cref="TrainingProgress"/> after every batch (on this thread). Null (the
    /// default) shows a live progress bar; <see cref="TrainingProgress.None"/> shows nothing.</param>
    /// <param name="cancellationToken">Stops between two batches: a checkpoint of the position is written, then
    /// <see cref="OperationCanceledException"/> is thrown; <see cref="Fit"/> again, or a new run on the folder, continues
    /// from there.</param>
    /// <returns>The result: every epoch, the test metrics, the folder.</returns>
    public FineTuneRunResult Fit(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_trainer.IsComplete && ReadResult(Run) is { } done)
            return new FineTuneRunResult(done, this);
        var summary = TrainingProgressView.ShowWhile(progress, p => _trainer.Fit(p, cancellationToken));
        // A run complete before this call whose result was not written (stopped in between) is scored now.
        var test = _scoring.LastReport ?? _tuner.Score(_train, _test, cancellationToken);
        var result = new FineTuneResult(Run.Name, Config.Classifier.Mode, ReadEpochs(Run), test, summary.ElapsedSeconds);
        AtomicFile.WriteAllText(Path.Combine(Run.Path, ResultFile), JsonSerializer.Serialize(result, EvaluationRunJsonIndented.Default.FineTuneResult));
        return new FineTuneRunResult(result, this);
    }

    /// <summary>Training accuracy per epoch, and test accuracy where it was scored, from the run's metrics
    /// (<see cref="EvaluationPlots.TrainingCurves"/>).</summary>
    /// <returns>A line chart.</returns>
    public Chart Curves() =>
        EvaluationPlots.TrainingCurves([new FineTuneResult(Run.Name, Config.Classifier.Mode, ReadEpochs(Run), null, 0)],
            $"Fine-tuning {Run.Name}: accuracy per epoch");

    /// <summary>Frees the classifier, its optimizer and the datasets.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _task?.Dispose();
        _tuner?.Dispose();
        _classifier?.Dispose();
        _train?.Dispose();
        _trainSplit?.Dispose();
        _test?.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"FineTuneRun {Run.Name}: {Config.Classifier.Mode} on {Pretrained.Name}'s network, {_train.Count} training images "
        + $"({_train.Description}), {_test.Count} test images, "
        + (Config.Training.Budget is { } budget ? $"budget {budget}, step {Step}" : $"{EpochsDone}/{Config.Training.Epochs} epochs done")
        + $", on {Device}";

    /// <summary>The run's config from its <c>config.json</c>.</summary>
    /// <param name="run">A fine-tuning run's folder.</param>
    /// <returns>The config, with <see cref="FineTuneRunConfig.Data"/> filled in.</returns>
    /// <exception cref="FileNotFoundException">The run has not started.</exception>
    /// <exception cref="InvalidDataException">The folder holds no fine-tuning run.</exception>
    public static FineTuneRunConfig ReadConfig(RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return FineTuneRunConfig.FromJson(run.ReadConfigJson(FineTuneRun.Kind));
    }

    /// <summary>The epochs of a fine-tuning run's <c>metrics.jsonl</c>, in order (none before the first ends).</summary>
    /// <param name="run">A fine-tuning run's folder.</param>
    /// <returns>Loss, training accuracy, test accuracy where scored, and seconds of each epoch.</returns>
    public static IReadOnlyList<FineTuneEpoch> ReadEpochs(RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return [.. run.ReadMetricLines(MetricLines.Epoch).Select(line => new FineTuneEpoch(
            (int)MetricLines.Value(line, "epoch")!.Value,
            MetricLines.Value(line, "loss") ?? double.NaN,
            MetricLines.Value(line, "trainAccuracy") ?? double.NaN,
            MetricLines.Value(line, "seconds") ?? 0,
            MetricLines.Value(line, "testAccuracy")))];
    }

    /// <summary>A fine-tuning run's <c>result.json</c>, or null before its first <see cref="Fit"/> has finished.</summary>
    /// <param name="run">A fine-tuning run's folder.</param>
    /// <returns>The result: every epoch and the final test metrics.</returns>
    public static FineTuneResult? ReadResult(RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var path = Path.Combine(run.Path, ResultFile);
        return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), EvaluationRunJson.Default.FineTuneResult) : null;
    }

    private void DeleteResult()
    {
        var path = Path.Combine(Run.Path, ResultFile);
        if (File.Exists(path)) // File.Delete throws when the run's folder does not exist yet
            File.Delete(path);
    }
}
