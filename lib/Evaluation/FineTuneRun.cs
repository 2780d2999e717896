using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SplitBrain.Data;
using SplitBrain.Display;
using SplitBrain.Training;
using static TorchSharp.torch;

namespace SplitBrain.Evaluation;

/// <summary>
/// Fine-tunes a classifier on a pretrained split-brain network as a <see cref="FineTuneRunConfig"/> says, in a run
/// folder, with the conventions of pretraining (<see cref="Pretrainer"/>): live progress, <c>config.json</c>,
/// <c>metrics.jsonl</c>, atomic checkpoints, resuming, and a <c>result.json</c>.
/// </summary>
/// <remarks>
/// <para>A notebook's fine-tuning cell:</para>
/// <code>
/// var cfg = Chapter.Knobs(FineTuneRunConfig.Default with { TrainPerClass = 10 });
/// using var run = new FineTuneRun(cfg, "finetune-10");   // runs/finetune-10/; resumes if it has checkpoints
/// var result = run.Fit();                                 // a live progress bar; returns the result table
/// run.Curves()                                            // accuracy per epoch
/// EvaluationPlots.ConfusionMatrix(result.Test!)           // what it mistakes for what
/// </code>
/// <para>Creating the run loads the network of the pretraining run <see cref="FineTuneRunConfig.Pretrained"/>
/// (<see cref="RunFolder.LoadModel"/>), opens the labeled images (the Train and Test splits of
/// <see cref="FineTuneRunConfig.Data"/>, or of the pretraining run's data; synthetic images are rendered once into a
/// tensor cache), takes <see cref="FineTuneRunConfig.TrainPerClass"/> training images per class, and builds the
/// <see cref="SplitBrainClassifier"/> and its <see cref="FineTuner"/>. <see cref="Fit"/> trains epoch by epoch: after
/// each, a line in <c>metrics.jsonl</c> (loss, training accuracy, test accuracy when scored, seconds) and a checkpoint
/// (classifier, optimizer, config, <c>state.json</c> with the epochs done and each file's SHA-256; written into a
/// temporary folder and renamed, by the same code as pretraining's checkpoints, the last
/// <see cref="FineTuneRunConfig.KeepCheckpoints"/> kept). At the end it scores the test split
/// (<see cref="FineTuner.Score"/>) and writes <c>result.json</c>: the <see cref="FineTuneResult"/> with every epoch and
/// the final <see cref="ClassificationReport"/> (top-1, top-5, per class, confusion matrix).</para>
/// <para>Resuming: a run folder with checkpoints continues from the newest that verifies, at the start of the next epoch;
/// each epoch's randomness depends only on (seed, epoch), so on the CPU the resumed run ends with the metrics an
/// uninterrupted one would have had. A complete run's <see cref="Fit"/> returns its result at once. The config must be
/// the one the run was started with, except <see cref="FineTuneConfig.Epochs"/> (which may grow) and
/// <see cref="FineTuneRunConfig.KeepCheckpoints"/>; any other difference is refused, listed. Cancelling
/// <see cref="Fit"/> drops the epoch in progress and goes back to the last checkpoint (one is written before the first
/// epoch), so that <see cref="Fit"/> again, or a new run on the folder, continues from there.</para>
/// <para>Every block of TorchSharp calls runs in a <see cref="NoGcRegion"/> (see there). One run per process at a time:
/// its epochs seed torch's global generator.</para>
/// </remarks>
public sealed class FineTuneRun : IDisposable
{
    /// <summary>The result's file in the run folder.</summary>
    public const string ResultFile = "result.json";

    private static readonly IReadOnlySet<string> MayChange = new HashSet<string>(StringComparer.Ordinal)
    {
        $"{nameof(FineTuneRunConfig.Training)}.{nameof(FineTuneConfig.Epochs)}",
        nameof(FineTuneRunConfig.KeepCheckpoints),
    };

    private readonly Action<string> _log;
    private readonly CheckpointStore _checkpoints;
    private readonly IImageDataset _trainSplit = null!;
    private readonly IImageDataset _test = null!;
    private readonly LabeledSubset _train = null!;
    private readonly SplitBrainClassifier _classifier = null!;
    private readonly FineTuner _tuner = null!;
    private readonly Stopwatch _session = new();
    private double _elapsedBefore; // seconds of earlier sessions, and of this one before the current Fit
    private double? _lastTestAccuracy;
    private bool _disposed;

    /// <summary>A fine-tuning run called <paramref name="run"/>: a name in the runs folder (<see cref="RunFolder.Named"/>)
    /// or a path; see <see cref="FineTuneRun(FineTuneRunConfig, RunFolder, Action{string}?)"/>.</summary>
    /// <param name="config">The settings; validated first.</param>
    /// <param name="run">The run's name (e.g. <c>"finetune-10"</c>) or folder.</param>
    /// <param name="log">Receives one-line messages (cache used or built, resumed from where); the console when null.</param>
    public FineTuneRun(FineTuneRunConfig config, string run, Action<string>? log = null)
        : this(config, RunFolder.Resolve(run), log)
    {
    }

    /// <summary>
    /// A fine-tuning run in <paramref name="run"/>. Checks what can fail fast first (the config, the device, the
    /// pretraining run, a checkpoint's config), then opens the labeled data, loads the pretrained network, builds the
    /// classifier (seeded by <see cref="FineTuneConfig.Seed"/>) and its optimizer, and either resumes from the newest
    /// checkpoint or starts afresh (clearing what a run without checkpoints left, and writing the first checkpoint).
    /// </summary>
    /// <param name="config">The settings; validated first.</param>
    /// <param name="run">The run folder.</param>
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
        Device = Devices.FromConfig(config.Device);
        Run = run;
        _log = log ?? Console.WriteLine;
        Pretrained = RunFolder.Resolve(config.Pretrained);
        if (!Pretrained.Exists)
            throw new InvalidOperationException(
                $"The pretraining run '{config.Pretrained}' ({Pretrained.Path}) does not exist: train it first (chapter 04, or "
                + $"tools/pretrain.cs), or set {nameof(FineTuneRunConfig.Pretrained)} to one of the runs in {Path.GetDirectoryName(Pretrained.Path)}.");
        Config = config with { Data = config.Data ?? Pretrained.ReadConfig().Data };
        CheckFolderKind(run);
        _checkpoints = new CheckpointStore(run.CheckpointsPath, config.KeepCheckpoints);
        var resume = _checkpoints.LatestValid(_log, EvaluationRunJson.Default.FineTuneCheckpointState);
        if (resume is { } found)
            CheckSameConfig(found.Info);

        try
        {
            var data = Config.Data!;
            _trainSplit = LabeledData.Open(data, DatasetSplit.Train);
            _test = LabeledData.Open(data, DatasetSplit.Test);
            _train = LabeledSubset.PerClass(_trainSplit, config.TrainPerClass == 0 ? LabeledSubset.All : config.TrainPerClass, config.SubsetSeed);
            if (_train.Count % config.Training.BatchSize == 1)
                throw new ArgumentException(
                    $"{nameof(FineTuneRunConfig)}.{nameof(FineTuneRunConfig.Training)}.{nameof(FineTuneConfig.BatchSize)} = {config.Training.BatchSize} "
                    + $"leaves a last batch of one of the {_train.Count} training images, which BatchNorm cannot normalise in training: "
                    + "change the batch size or the number of images.", $"{nameof(FineTuneRunConfig.Training)}.{nameof(FineTuneConfig.BatchSize)}");
            using (NoGcRegion.Enter()) // every block of TorchSharp calls runs in one (see NoGcRegion)
            {
                using var network = Pretrained.LoadModel(Device);
                _classifier = SplitBrainClassifier.Create(network, _train.Classes.Count, config.Classifier, config.Training.Seed);
                _tuner = new FineTuner(_classifier, config.Training);
            }

            if (resume is { } checkpoint)
            {
                Restore(checkpoint.Info, checkpoint.State);
                Run.TruncateTo(Step, EpochsDone);      // what the resumed run will write again
                if (EpochsDone < config.Training.Epochs)
                    DeleteResult();
                AtomicFile.WriteAllText(Run.ConfigPath, Config.ToJson()); // Epochs may have changed
                _log($"resuming {Run.Name} from its {checkpoint.Info}");
            }
            else
            {
                Run.TruncateTo(step: 0, completedEpochs: 0);
                DeleteResult();
                AtomicFile.WriteAllText(Run.ConfigPath, Config.ToJson());
                SaveCheckpoint(); // epoch 0: what a cancelled first epoch goes back to
            }
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
    public RunFolder Run { get; }

    /// <summary>The pretraining run the network comes from.</summary>
    public RunFolder Pretrained { get; }

    /// <summary>The device it trains on.</summary>
    public Device Device { get; }

    /// <summary>The classifier being trained (owned by the run: disposed with it).</summary>
    public SplitBrainClassifier Classifier => _classifier;

    /// <summary>The labeled training images (<see cref="FineTuneRunConfig.TrainPerClass"/> per class of the Train split).</summary>
    public IImageDataset Train => _train;

    /// <summary>The labeled test images (the Test split).</summary>
    public IImageDataset Test => _test;

    /// <summary>Steps (batches) in one epoch: the last, partial batch included.</summary>
    public int StepsPerEpoch => (_train.Count + Config.Training.BatchSize - 1) / Config.Training.BatchSize;

    /// <summary>Whole epochs done so far (including earlier sessions of a resumed run).</summary>
    public int EpochsDone => _tuner.EpochsDone;

    /// <summary>Steps done so far.</summary>
    public long Step => (long)EpochsDone * StepsPerEpoch;

    /// <summary>The checkpoint this run resumed from, or null for a fresh run.</summary>
    public CheckpointInfo? ResumedFrom { get; private set; }

    /// <summary>The last checkpoint written or resumed from.</summary>
    public CheckpointInfo? LastCheckpoint { get; private set; }

    /// <summary>
    /// Trains until <see cref="FineTuneConfig.Epochs"/> epochs are done, scores the test images and writes
    /// <c>result.json</c>; a complete run returns its result at once.
    /// </summary>
    /// <param name="progress">Receives a <see cref="FineTuneProgress"/> after every batch (on this thread). Null (the
    /// default) shows a live progress bar (<see cref="LiveProgress{T}"/>); <see cref="FineTuneProgress.None"/> shows
    /// nothing.</param>
    /// <param name="cancellationToken">Stops between two batches: the epoch in progress is dropped, the run goes back to
    /// its last checkpoint, then <see cref="OperationCanceledException"/> is thrown.</param>
    /// <returns>The result: every epoch, the test metrics, the folder.</returns>
    public FineTuneRunResult Fit(IProgress<FineTuneProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var total = Config.Training.Epochs;
        if (EpochsDone >= total && ReadResult(Run) is { } done)
            return new FineTuneRunResult(done, this);

        var live = progress is null ? new LiveProgress<FineTuneProgress>(p => ProgressView(p)) : null;
        var report = new ProgressRelay<FineTuneProgress>(p => (progress ?? live!).Report(p with { Epochs = total }));
        ClassificationReport? test = null;
        _session.Restart();
        try
        {
            while (EpochsDone < total)
            {
                var epoch = _tuner.TrainEpoch(_train, report, cancellationToken);
                test = null;
                if (Config.Training.EvaluateEveryEpoch || EpochsDone == total)
                {
                    test = _tuner.Score(_train, _test, cancellationToken);
                    _lastTestAccuracy = test.Top1;
                    epoch = epoch with { TestAccuracy = test.Top1 };
                }

                Run.AppendLine(JsonSerializer.Serialize(FineTuneMetricsLine.Of(epoch, Step, Elapsed()), EvaluationRunJson.Default.FineTuneMetricsLine));
                SaveCheckpoint();
            }

            // A run complete before this call whose result was not written (stopped in between): score it now.
            test ??= _tuner.Score(_train, _test, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _log($"stopped in epoch {EpochsDone + 1}: going back to the checkpoint after epoch {EpochsDone}, where the run continues");
            RestoreLatest();
            throw;
        }
        finally
        {
            _elapsedBefore = Elapsed();
            _session.Reset();
            live?.Complete();
        }

        var result = new FineTuneResult(Run.Name, Config.Classifier.Mode, ReadEpochs(Run), test, _elapsedBefore);
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
        _tuner?.Dispose();
        _classifier?.Dispose();
        _train?.Dispose();
        _trainSplit?.Dispose();
        _test?.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"FineTuneRun {Run.Name}: {Config.Classifier.Mode} on {Pretrained.Name}'s network, {_train.Count} training images "
        + $"({_train.Description}), {_test.Count} test images, {EpochsDone}/{Config.Training.Epochs} epochs done, on {Device}";

    /// <summary>The run's config from its <c>config.json</c>.</summary>
    /// <param name="run">A fine-tuning run's folder.</param>
    /// <returns>The config, with <see cref="FineTuneRunConfig.Data"/> filled in.</returns>
    /// <exception cref="FileNotFoundException">The run has not started.</exception>
    public static FineTuneRunConfig ReadConfig(RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!File.Exists(run.ConfigPath))
            throw new FileNotFoundException($"The run '{run.Name}' has no config.json ({run.ConfigPath}): it has not been started.", run.ConfigPath);
        return FineTuneRunConfig.FromJson(File.ReadAllText(run.ConfigPath));
    }

    /// <summary>The epochs of a fine-tuning run's <c>metrics.jsonl</c>, in order (none before the first ends). A last line
    /// cut short by a crash is ignored; lines of other kinds are skipped.</summary>
    /// <param name="run">A fine-tuning run's folder.</param>
    /// <returns>Loss, training accuracy, test accuracy where scored, and seconds of each epoch.</returns>
    public static IReadOnlyList<FineTuneEpoch> ReadEpochs(RunFolder run) => [.. ReadLines(run).Select(line => line.ToEpoch())];

    /// <summary>A fine-tuning run's <c>result.json</c>, or null before its first <see cref="Fit"/> has finished.</summary>
    /// <param name="run">A fine-tuning run's folder.</param>
    /// <returns>The result: every epoch and the final test metrics.</returns>
    public static FineTuneResult? ReadResult(RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var path = Path.Combine(run.Path, ResultFile);
        return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), EvaluationRunJson.Default.FineTuneResult) : null;
    }

    /// <summary>The metrics lines of a fine-tuning run, for readers that want the elapsed time too.</summary>
    internal static IReadOnlyList<FineTuneMetricsLine> ReadLines(RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!File.Exists(run.MetricsPath))
            return [];
        var lines = File.ReadAllLines(run.MetricsPath);
        var read = new List<FineTuneMetricsLine>();
        for (var i = 0; i < lines.Length; i++)
        {
            try
            {
                if (!string.IsNullOrWhiteSpace(lines[i]) && JsonSerializer.Deserialize(lines[i], EvaluationRunJson.Default.FineTuneMetricsLine) is
                    { Kind: FineTuneMetricsLine.EpochKind } line)
                    read.Add(line);
            }
            catch (JsonException e) when (i < lines.Length - 1)
            {
                throw new InvalidDataException($"{run.MetricsPath} line {i + 1} is not a metrics object: {e.Message}", e);
            }
            catch (JsonException)
            {
                // the last line of a run killed mid-write
            }
        }
        return read;
    }

    // A folder holding a pretraining run (or anything else) is not taken over.
    private static void CheckFolderKind(RunFolder run)
    {
        if (!run.Exists || RunRegistry.KindOf(run) == RunKind.FineTuning)
            return;
        throw new InvalidOperationException(
            $"The folder of '{run.Name}' ({run.Path}) holds a {RunRegistry.KindOf(run)} run, not a fine-tuning run: use another run name.");
    }

    private double Elapsed() => _elapsedBefore + _session.Elapsed.TotalSeconds;

    private View ProgressView(FineTuneProgress progress) => progress.ToView($"fine-tuning {Run.Name}",
    [
        ("test acc", ClassificationReport.Percent(_lastTestAccuracy)),
        ("elapsed", Elapsed().ToString("0", CultureInfo.InvariantCulture) + " s"),
    ]);

    private void DeleteResult()
    {
        var path = Path.Combine(Run.Path, ResultFile);
        if (File.Exists(path)) // File.Delete throws when the run's folder does not exist yet
            File.Delete(path);
    }

    private CheckpointInfo SaveCheckpoint()
    {
        if (LastCheckpoint?.Step == Step && Directory.Exists(LastCheckpoint.Path))
            return LastCheckpoint;
        using var region = NoGcRegion.Enter(); // saving reads tensors
        var state = new FineTuneCheckpointState(Step, EpochsDone, [], DateTime.UtcNow, Elapsed(), _lastTestAccuracy);
        LastCheckpoint = _checkpoints.Write(Step,
        [
            (Pretrainer.ModelFile, CheckpointStore.Binary(writer => _classifier.save(writer))),
            (Pretrainer.OptimizerFile, CheckpointStore.Binary(writer => _tuner.Optimizer.save_state_dict(writer))),
            (Pretrainer.ConfigFile, stream => stream.Write(Encoding.UTF8.GetBytes(Config.ToJson()))),
        ], files => JsonSerializer.SerializeToUtf8Bytes(state with { Files = files }, EvaluationRunJsonIndented.Default.FineTuneCheckpointState));
        return LastCheckpoint;
    }

    private void Restore(CheckpointInfo info, FineTuneCheckpointState state)
    {
        using (NoGcRegion.Enter())
        {
            using (var reader = new BinaryReader(File.OpenRead(Path.Combine(info.Path, Pretrainer.ModelFile))))
                _classifier.load(reader);
            using (var reader = new BinaryReader(File.OpenRead(Path.Combine(info.Path, Pretrainer.OptimizerFile))))
                _tuner.Optimizer.load_state_dict(reader);
        }
        _tuner.EpochsDone = state.CompletedEpochs;
        (_elapsedBefore, _lastTestAccuracy) = (state.ElapsedSeconds, state.TestAccuracy);
        _session.Reset();
        ResumedFrom ??= info;
        LastCheckpoint = info;
    }

    // After a cancellation: the classifier and optimizer hold part of an epoch; the last checkpoint holds a whole one.
    private void RestoreLatest()
    {
        var latest = _checkpoints.LatestValid(_log, EvaluationRunJson.Default.FineTuneCheckpointState)
            ?? throw new InvalidOperationException($"The run '{Run.Name}' has no checkpoint to go back to ({Run.CheckpointsPath}).");
        var resumedFrom = ResumedFrom;
        Restore(latest.Info, latest.State);
        ResumedFrom = resumedFrom;
        Run.TruncateTo(Step, EpochsDone);
    }

    // Refuses to resume with another config: the checkpoint's weights and position mean nothing for it.
    private void CheckSameConfig(CheckpointInfo checkpoint)
    {
        var saved = File.ReadAllText(Path.Combine(checkpoint.Path, Pretrainer.ConfigFile));
        var differences = FlatJson.Differences(FineTuneRunConfig.FromJson(saved).ToJson(), Config.ToJson(), MayChange);
        if (differences.Count > 0)
            throw new InvalidOperationException(
                $"The run '{Run.Name}' ({Run.Path}) has a checkpoint after epoch {checkpoint.CompletedEpochs} made with another config: "
                + string.Join("; ", differences) + ". A run resumes only with the config it was started with (Training.Epochs may change). "
                + $"Use another run name, or start this one afresh with new {nameof(RunFolder)}(\"{Run.Path}\").{nameof(RunFolder.Clear)}().");
    }
}

/// <summary>The <c>state.json</c> of a fine-tuning checkpoint (taken between epochs).</summary>
/// <param name="Step">Steps done: epochs done times the steps of an epoch.</param>
/// <param name="CompletedEpochs">Epochs done.</param>
/// <param name="Files">The checkpoint's other files, with sizes and SHA-256.</param>
/// <param name="Written">When it was written (UTC).</param>
/// <param name="ElapsedSeconds">Wall-clock seconds of the run so far.</param>
/// <param name="TestAccuracy">The last test accuracy scored, for the progress display; null before the first.</param>
internal sealed record FineTuneCheckpointState(
    long Step,
    int CompletedEpochs,
    CheckpointFile[] Files,
    DateTime Written,
    double ElapsedSeconds,
    double? TestAccuracy);

/// <summary>One <c>"kind": "fine-tune-epoch"</c> line of a fine-tuning run's <c>metrics.jsonl</c>.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Step">Steps done at its end (so that resuming keeps the lines a checkpoint accounts for).</param>
/// <param name="Loss">Mean cross-entropy over the epoch.</param>
/// <param name="TrainAccuracy">Top-1 accuracy on the training batches, in training mode.</param>
/// <param name="TestAccuracy">Test top-1 accuracy after the epoch, when scored.</param>
/// <param name="Seconds">Time of the epoch's training, scoring excluded.</param>
/// <param name="Elapsed">Seconds since the run started, at the epoch's end.</param>
internal sealed record FineTuneMetricsLine(
    int Epoch,
    long Step,
    double Loss,
    double TrainAccuracy,
    double? TestAccuracy,
    double Seconds,
    double Elapsed)
{
    /// <summary>The line kind.</summary>
    internal const string EpochKind = "fine-tune-epoch";

    /// <summary>The line's kind in the file.</summary>
    [JsonPropertyOrder(-1)]
    public string Kind { get; init; } = EpochKind;

    internal static FineTuneMetricsLine Of(FineTuneEpoch epoch, long step, double elapsed) =>
        new(epoch.Epoch, step, epoch.Loss, epoch.TrainAccuracy, epoch.TestAccuracy, epoch.Seconds, elapsed);

    internal FineTuneEpoch ToEpoch() => new(Epoch, Loss, TrainAccuracy, Seconds, TestAccuracy);
}
