using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SplitBrain.Models;
using static TorchSharp.torch;

namespace SplitBrain.Runs;

/// <summary>
/// The run engine: trains a <see cref="TrainingTask"/> epoch by epoch and owns everything a run has, for every kind of
/// run (pretraining, fine-tuning, linear probes): its folder, <c>config.json</c> with its kind, <c>metrics.jsonl</c>,
/// atomic checkpoints and exact resume, the refusal to resume with other settings, cancellation, the optimisation step (<see cref="OptimizerStep"/>), the
/// learning-rate schedule, autocast, the NaN stop, the guard against the garbage collector and speed. What is not the loop
/// (metric lines, progress, previews, early stopping) is an <see cref="IRunObserver"/>. In the spirit of fastai's <c>Learner.fit</c> and d2l's
/// <c>Trainer.fit</c>: one loop owns the run, the task supplies only what is its own.
/// </summary>
/// <remarks>
/// <para>How a kind of run uses it (<c>SplitBrain.Training.Pretrainer</c> does exactly this):</para>
/// <code>
/// var trainer = new Trainer("pretraining small-1", settings, run, new RunIdentity(PretrainingRuns.Kind, config.ToJson(), mayChange));
/// // ... build the task: data, model, optimizer (after the cheap checks above, which refuse a changed config) ...
/// trainer.Start(task);                 // resumes from the newest checkpoint that verifies, or starts afresh
/// var summary = trainer.Fit(progress); // trains the remaining steps (progress: any IProgress, e.g. a live bar from Display)
/// </code>
/// <para>Each step (the task's <see cref="TrainingTask.Forward"/>, then <see cref="OptimizerStep.Take"/>) runs inside a dispose scope and a <see cref="NoGcRegion"/> (TorchSharp 0.107 can crash when a garbage
/// collection finalizes a <c>Scalar</c> during a native call; see there), is checked for a finite loss, adds to the
/// epoch's sums (means over images), and is reported to the observers; with a folder a <see cref="MetricLinesObserver"/>
/// writes <c>metrics.jsonl</c> (<see cref="MetricLines"/>).</para>
/// <para>A checkpoint (<c>checkpoints/step-NNNNNNNN/</c>, by <see cref="CheckpointStore"/>: written into a temporary
/// folder, verified by SHA-256 when read) holds the task's model and optimizer, torch's generator, the task's own random
/// state, the config, and <c>state.json</c> (<see cref="CheckpointState"/>): the <see cref="RunPosition"/>, whole, and the state of
/// every <see cref="ICheckpointed"/> observer. So a run resumes exactly where it was, mid-epoch included: on the CPU it computes the losses an
/// uninterrupted run computes. A run resumes only with the config it started with, but for the keys its kind says may
/// change (<see cref="RunIdentity.MayChange"/>); any other difference is refused, listed, before anything is loaded.
/// Cancelling <see cref="Fit"/> writes a checkpoint of the position first.</para>
/// <para>How long: <see cref="TrainerSettings.Epochs"/> whole epochs, or a <see cref="TrainerSettings.Budget"/> of steps or
/// minutes (<see cref="TrainingBudget"/>): exactly that many steps, possibly ending inside an epoch, whose end is then
/// reported like an epoch's (<see cref="EpochEnd.Partial"/>); minutes are turned into a step count from the speed of the
/// run's first steps, once, and the count is saved with every checkpoint, so a resumed run keeps it. The task's <see cref="TrainingTask.Schedule"/>
/// is asked for each step's rate with the run's <see cref="TotalSteps"/>, so it spans exactly the steps trained. A resumed
/// run may change its budget when its kind allows it (<see cref="RunIdentity.MayChange"/>): it then trains to the new
/// total (a total below the steps done ends it where it is), its schedule spanning the new total from there; minutes
/// changed on resume buy steps at the rate measured when they were first fixed, without timing again.</para>
/// <para>The precision is the step's: the whole of <see cref="Fit"/> runs inside <see cref="Autocast.Enter"/> with the
/// task's <see cref="TrainingTask.ComputeType"/>, so a bfloat16 run computes its convolutions and matrix products in
/// bfloat16 with float32 master weights, and its checkpoints hold float32 weights that resume in either precision.</para>
/// <para>Without a folder (a linear probe, a classifier trained in memory) it trains the same way and writes nothing.</para>
/// <para>One trainer trains at a time per process: steps seed and read torch's global generator.</para>
/// </remarks>
public sealed class Trainer
{
    /// <summary>The model's file in a checkpoint.</summary>
    public const string ModelFile = "model.bin";

    /// <summary>The optimizer's file in a checkpoint.</summary>
    public const string OptimizerFile = "optimizer.bin";

    /// <summary>The config's file in a checkpoint (as <c>config.json</c> of the run folder).</summary>
    public const string ConfigFile = "config.json";

    private readonly Action<string> _log;
    private readonly RunCheckpoints? _checkpoints;
    private readonly StepBudget _budget;
    private readonly List<IRunObserver> _observers = [];
    private (CheckpointInfo Info, CheckpointState State)? _resume;
    private JsonObject? _observerStates;           // what the checkpoint resumed from holds for observers
    private TrainingTask? _task;
    private (byte[] Torch, byte[]? Task)? _pendingRandom; // restored after the resumed epoch's start
    private double[] _baseRates = [];
    private RunPosition _position = RunPosition.Start(0);
    private FitSession _session = new();
    private bool _stopped;

    /// <summary>
    /// A trainer for a run in <paramref name="run"/> (or, when it is null, one that writes nothing). With a folder it checks
    /// what can fail before anything is built: that the folder holds no run of another kind, and that its newest checkpoint
    /// that verifies was made with this config (but for <see cref="RunIdentity.MayChange"/>).
    /// </summary>
    /// <param name="title">What trains, for progress bars (e.g. <c>pretraining small-1</c>).</param>
    /// <param name="settings">Epochs, logging and checkpoints.</param>
    /// <param name="run">The run folder, or null to write nothing.</param>
    /// <param name="identity">What <c>config.json</c> holds; required with a folder.</param>
    /// <param name="log">Receives one-line messages (resumed from where, damaged checkpoints passed over); the console when null.</param>
    /// <exception cref="ArgumentException">A setting is out of range, or a folder comes without an identity.</exception>
    /// <exception cref="InvalidOperationException">The folder holds a run of another kind, or one whose config names no kind,
    /// or its checkpoint was made with another config (the message lists the differences and what to do).</exception>
    public Trainer(string title, TrainerSettings settings, RunFolder? run = null, RunIdentity? identity = null, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(settings);
        Title = title;
        Settings = settings.Validate();
        Run = run;
        Identity = identity;
        _log = log ?? Console.WriteLine;
        _budget = new StepBudget(Settings, () => Run?.Name ?? Title, _log);
        if (run is null)
            return;
        if (identity is null)
            throw new ArgumentException($"A run folder needs the run's {nameof(RunIdentity)} (kind and config).", nameof(identity));
        identity.CheckFolder(run);
        var store = new CheckpointStore(run.CheckpointsPath, settings.KeepCheckpoints);
        _checkpoints = new RunCheckpoints(store, run, identity);
        _resume = store.LatestValid(_log, RunsJson.Default.CheckpointState);
        if (_resume is { } found)
            identity.CheckCheckpoint(run, found.Info, ConfigFile);
    }

    /// <summary>What trains, for progress bars.</summary>
    public string Title { get; }

    /// <summary>Epochs or budget, logging and checkpoints.</summary>
    public TrainerSettings Settings { get; }

    /// <summary>The run folder, or null for a run that writes nothing.</summary>
    public RunFolder? Run { get; }

    /// <summary>What <c>config.json</c> holds, or null without a folder.</summary>
    public RunIdentity? Identity { get; }

    /// <summary>The checkpoint <see cref="Start"/> will resume from (found by the constructor), or null.</summary>
    public CheckpointInfo? Resumable => _resume?.Info;

    /// <summary>The task being trained (after <see cref="Start"/>).</summary>
    public TrainingTask Task => _task ?? throw new InvalidOperationException($"Call {nameof(Start)} first.");

    /// <summary>Where the run is, whole (what a checkpoint saves).</summary>
    public RunPosition Position => _position;

    /// <summary>Steps in one epoch.</summary>
    public int StepsPerEpoch => Task.StepsPerEpoch;

    /// <summary>Steps of the whole run: <see cref="TrainerSettings.Epochs"/> epochs' steps, or the budget's (a
    /// <see cref="TrainingBudget.Minutes"/> budget's count once fixed; an estimate before, see <see cref="TotalIsFixed"/>).</summary>
    public long TotalSteps => _budget.TotalSteps(_position, StepsPerEpoch);

    /// <summary>False only while a <see cref="TrainingBudget.Minutes"/> budget is timing the run's first steps (at most
    /// <see cref="TrainingBudget.CalibratedBy"/>): <see cref="TotalSteps"/> is then an estimate.</summary>
    public bool TotalIsFixed => _budget.TotalIsFixed;

    /// <summary>Epochs trained so far, with the fraction of the current one (e.g. 3.4).</summary>
    public double EpochsTrained => _position.EpochsTrained(StepsPerEpoch);

    /// <summary>Images trained on so far (including earlier sessions of a resumed run).</summary>
    public long Images => _position.Images;

    /// <summary>Steps done so far (including earlier sessions of a resumed run).</summary>
    public long Step => _position.Step;

    /// <summary>Whole epochs done so far.</summary>
    public int CompletedEpochs => _position.CompletedEpochs;

    /// <summary>Batches of the current epoch done.</summary>
    public int BatchesIntoEpoch => _position.BatchesIntoEpoch;

    /// <summary>Wall-clock seconds of the run so far (summed over resumed sessions).</summary>
    public double ElapsedSeconds => _position.ElapsedSeconds + _session.Clock.Elapsed.TotalSeconds;

    /// <summary>Whether the run's training is done: every epoch, or the budget's steps (or the task stopped early).</summary>
    public bool IsComplete => _stopped || (Settings.Budget is null ? CompletedEpochs >= Settings.Epochs : _budget.Spent(_position, StepsPerEpoch));

    /// <summary>The checkpoint this run resumed from, or null for a fresh run.</summary>
    public CheckpointInfo? ResumedFrom { get; private set; }

    /// <summary>The last checkpoint written or resumed from, or null.</summary>
    public CheckpointInfo? LastCheckpoint => _checkpoints?.Last;

    /// <summary>The last whole epoch's means and what its end measured, by name; empty before the first epoch ends.</summary>
    public IReadOnlyDictionary<string, double> LastEpoch => _position.LastEpoch ?? new Dictionary<string, double>();

    /// <summary>The checkpoint writer, for the fault-injection tests.</summary>
    internal CheckpointStore? Checkpoints => _checkpoints?.Store;

    /// <summary>Adds an observer (called in the order added). One that is <see cref="ICheckpointed"/> has its state saved in
    /// every checkpoint and, when the run resumes, given back (add it before <see cref="Start"/>, or it gets it now).</summary>
    /// <param name="observer">The observer.</param>
    /// <returns>This trainer.</returns>
    public Trainer Observe(IRunObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (observer is ICheckpointed state && _observers.OfType<ICheckpointed>().Any(o => o.StateName == state.StateName))
            throw new InvalidOperationException($"An observer with the state '{state.StateName}' is registered already.");
        _observers.Add(observer);
        if (observer is ICheckpointed restored && _observerStates is not null)
            restored.LoadState(_observerStates[restored.StateName]?.DeepClone());
        return this;
    }

    /// <summary>
    /// Takes the task: restores it from the checkpoint the constructor found (model, optimizer, the <see cref="RunPosition"/>,
    /// random states, the task's and the observers' state), or starts the run afresh (clearing what a run without checkpoints
    /// left). Either way <c>config.json</c> is written (more epochs or another budget may have been asked for).
    /// </summary>
    /// <param name="task">The task, built for this run's config; not owned (its creator disposes it).</param>
    /// <exception cref="InvalidOperationException">Called twice.</exception>
    public void Start(TrainingTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (_task is not null)
            throw new InvalidOperationException("The trainer has its task already.");
        _task = task;
        _baseRates = OptimizerStep.BaseRates(task.Optimizer); // as built, before a checkpoint's optimizer state is loaded
        _position = RunPosition.Start(task.MetricNames.Count);
        if (Run is not null)
            _observers.Insert(0, new MetricLinesObserver(Run, Settings.LogEverySteps, task.MetricNames.Count));
        if (_resume is { } resume)
            Restore(resume.Info, resume.State);
        else if (Run is not null)
        {
            Run.TruncateTo(step: 0, completedEpochs: 0);
            task.TruncateTo(0);
            Run.WriteConfig(Identity!.Kind, Identity.ConfigJson);
        }
        _resume = null;
        _position = _budget.Plan(_position);
    }

    /// <summary>
    /// Trains until <see cref="TrainerSettings.Epochs"/> epochs, or the <see cref="TrainerSettings.Budget"/>'s steps, are done
    /// (at once if they are), writing metrics, checkpoints and finally <c>summary.json</c>.
    /// </summary>
    /// <param name="progress">Receives a <see cref="TrainingProgress"/> after every step and at every epoch's end (on this
    /// thread); null or <see cref="TrainingProgress.None"/> for none. (A progress bar is the caller's: the kinds of run pass
    /// a live one from <c>SplitBrain.Display</c>.)</param>
    /// <param name="cancellationToken">Stops training between two steps: a checkpoint is written (with a folder), then
    /// <see cref="OperationCanceledException"/> is thrown; a new trainer on the run continues from there.</param>
    /// <returns>The summary of the run so far.</returns>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite; the message names the step and the last
    /// good checkpoint.</exception>
    public RunSummary Fit(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var task = Task;
        var reporter = progress is null || progress == TrainingProgress.None ? null : new ProgressObserver(progress);
        if (reporter is not null)
            _observers.Add(reporter);
        _session = new FitSession();
        _session.Clock.Start();
        using var precision = Autocast.Enter(task.ComputeType); // the run's precision: every step and epoch end
        try
        {
            _observers.ForEach(o => o.BeforeFit(this));
            while (!IsComplete)
            {
                using (NoGcRegion.Enter())
                using (NewDisposeScope())
                    task.BeginEpoch(CompletedEpochs, BatchesIntoEpoch, cancellationToken);
                RestorePendingRandomState();
                var checkpointDue = RunEpoch(task, cancellationToken);
                EndEpoch(task, checkpointDue, partial: BatchesIntoEpoch < task.StepsPerEpoch, cancellationToken);
            }
            var summary = Summarize();
            Run?.WriteSummary(summary);
            _observers.ForEach(o => o.AfterFit(this, summary));
            return summary;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (Run is not null)
            {
                _log($"stopped at step {Step}: writing a checkpoint so that the run can continue");
                SaveCheckpoint(null);
                Run.WriteSummary(Summarize());
            }
            _observers.ForEach(o => o.OnCancel(this));
            throw;
        }
        finally
        {
            _position = _position with { ElapsedSeconds = ElapsedSeconds };
            _session = new FitSession();
            if (reporter is not null)
                _observers.Remove(reporter);
        }
    }

    /// <summary>Writes a checkpoint now, unless one of this step exists.</summary>
    /// <returns>The checkpoint of the current step.</returns>
    /// <exception cref="InvalidOperationException">The trainer has no run folder.</exception>
    public CheckpointInfo SaveCheckpoint() => SaveCheckpoint(null);

    /// <summary>What a progress display shows now.</summary>
    internal TrainingProgress Progress(IReadOnlyList<double> values, IReadOnlyList<double> epochMeans, double learningRate, string? status)
    {
        TimeSpan? remaining = _session.SecondsPerStep is { } s ? TimeSpan.FromSeconds(s * (TotalSteps - Step)) : null;
        var epochs = Settings.Budget is null ? Settings.Epochs : (int)Math.Min(int.MaxValue, (TotalSteps + StepsPerEpoch - 1) / StepsPerEpoch);
        return new TrainingProgress(Title, Step, TotalSteps, Math.Min(CompletedEpochs + (BatchesIntoEpoch > 0 ? 1 : 0), epochs), epochs,
            BatchesIntoEpoch, StepsPerEpoch, Task.MetricNames, values, epochMeans, learningRate, _session.ImagesPerSecond,
            TimeSpan.FromSeconds(ElapsedSeconds), remaining, status, Settings.Budget, !TotalIsFixed, Images, EpochsTrained, _position.TrainSeconds);
    }

    // Runs the rest of the current epoch, or of the budget when it ends first; true when a step checkpoint fell on the last
    // step (the epoch's end writes it, after the epoch's line, so that each step has one checkpoint).
    private bool RunEpoch(TrainingTask task, CancellationToken cancellationToken)
    {
        var checkpointDue = false;
        while (BatchesIntoEpoch < task.StepsPerEpoch && !_budget.Spent(_position, StepsPerEpoch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var learningRate = task.Schedule.RateAt(Step, TotalSteps);
            OptimizerStep.SetRate(task.Optimizer, _baseRates, learningRate);
            var started = Stopwatch.GetTimestamp();
            var outcome = GuardedStep(task);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            for (var i = 0; i < task.LossCount; i++)
            {
                if (!double.IsFinite(outcome.Values[i]))
                    throw new TrainingDivergedException(Run?.Name ?? Title, Step + 1,
                        task.MetricNames.Take(task.LossCount).Zip(outcome.Values).ToDictionary(p => p.First, p => p.Second), LastCheckpoint);
            }

            _position = _budget.Time(_position.After(outcome, seconds), seconds);
            _session.AddStep(outcome.Images, seconds);
            var lastOfEpoch = BatchesIntoEpoch == task.StepsPerEpoch || _budget.Spent(_position, StepsPerEpoch);
            var report = new StepReport(outcome, learningRate, seconds, lastOfEpoch);
            _observers.ForEach(o => o.AfterStep(this, report));
            if (Run is not null && Settings.CheckpointEverySteps > 0 && Step % Settings.CheckpointEverySteps == 0)
            {
                if (lastOfEpoch)
                    checkpointDue = true;
                else
                    SaveCheckpoint(null);
            }
        }
        return checkpointDue;
    }

    // One step inside a dispose scope and a no-GC region (the task reads its batch inside too).
    private StepOutcome GuardedStep(TrainingTask task)
    {
        var guardStart = Stopwatch.GetTimestamp();
        var region = NoGcRegion.Enter();
        var guardTicks = Stopwatch.GetTimestamp() - guardStart;
        try
        {
            using var scope = NewDisposeScope();
            return OptimizerStep.Take(task.Optimizer, task.Forward);
        }
        finally
        {
            var endStart = Stopwatch.GetTimestamp();
            region.Dispose();
            _session.GuardTicks += guardTicks + Stopwatch.GetTimestamp() - endStart;
            _session.GuardedSteps++;
            _session.RegionsLost += region.Lost ? 1 : 0;
        }
    }

    // The end of an epoch: whole, or (partial) the last step of a budget that ends the run inside it. A partial epoch stays
    // the epoch in progress, its sums kept, so that a larger budget continues it where it stopped.
    private void EndEpoch(TrainingTask task, bool checkpointDue, bool partial, CancellationToken cancellationToken)
    {
        var totals = _position.Epoch;
        var number = CompletedEpochs + 1;
        // An uninterrupted longer run would not end the epoch here: its checkpoint keeps the random states as they are after
        // the last step, before the task's end of epoch draws from them (e.g. re-estimating BatchNorm through dropout).
        var randomAfterStep = partial && Run is not null ? RunCheckpoints.RandomStates(task) : ((byte[], byte[]?)?)null;
        if (!partial)
            _position = _position.NextEpoch();
        var means = task.MetricNames.Zip(totals.Means()).ToDictionary(p => p.First, p => p.Second);
        var end = new EpochEnd(number, partial, Last: partial || IsComplete, Step, EpochsTrained);
        var outcome = task.EndEpoch(end, means, cancellationToken);
        var metrics = new Dictionary<string, double>(means.Concat(outcome.Measured));
        _position = _position with { LastEpoch = metrics };
        _stopped = outcome.Stop && !partial;
        var status = (partial
                ? $"budget of {Settings.Budget} done at step {Step}, {EpochsTrained.ToString("0.##", CultureInfo.InvariantCulture)} epochs (epoch {number}'s means so far shown)"
                : $"epoch {CompletedEpochs} done (its means shown)")
            + (outcome.Note is { } note ? $"; {note}" : "");
        var report = new EpochReport(end, totals, metrics, task.Schedule.RateAt(Math.Max(0, Step - 1), TotalSteps), status);
        _observers.ForEach(o => o.AfterEpoch(this, report));
        if (Run is not null && (checkpointDue || IsComplete
            || (!partial && Settings.CheckpointEveryEpochs > 0 && CompletedEpochs % Settings.CheckpointEveryEpochs == 0)))
            SaveCheckpoint(randomAfterStep);
    }

    private CheckpointInfo SaveCheckpoint((byte[] Torch, byte[]? Task)? randomStates)
    {
        if (_checkpoints is null)
            throw new InvalidOperationException($"'{Title}' has no run folder: there is nowhere to write a checkpoint.");
        var observers = new JsonObject();
        foreach (var observer in _observers.OfType<ICheckpointed>())
            observers[observer.StateName] = observer.SaveState();
        return _checkpoints.Save(Task, _position with { ElapsedSeconds = ElapsedSeconds }, observers, randomStates);
    }

    private void Restore(CheckpointInfo info, CheckpointState state)
    {
        var task = Task;
        _pendingRandom = _checkpoints!.Load(info, task);
        _position = state.Position;
        _observerStates = state.Observers;
        foreach (var observer in _observers.OfType<ICheckpointed>())
            observer.LoadState(_observerStates?[observer.StateName]?.DeepClone());
        task.SavedState = state.Task;
        // At an epoch boundary the random states are the next epoch's start: restored now, before the epoch's start seeds
        // whatever it seeds; inside an epoch they are restored after its start (BeginEpoch), where they were saved.
        if (BatchesIntoEpoch == 0)
            RestorePendingRandomState();
        ResumedFrom = info;
        Run!.TruncateTo(state.Step, state.CompletedEpochs); // what the resumed run will write again
        task.TruncateTo(state.CompletedEpochs);
        Run.WriteConfig(Identity!.Kind, Identity.ConfigJson); // e.g. Epochs or the budget may have changed
        _log($"resuming {Run.Name} from its {info}");
    }

    private void RestorePendingRandomState()
    {
        if (_pendingRandom is not { } states)
            return;
        _pendingRandom = null;
        RunCheckpoints.RestoreRandom(states, Task);
    }

    private RunSummary Summarize() =>
        new(Run?.Name ?? Title, Identity?.Kind ?? RunKind.Unknown, Step, CompletedEpochs, LastEpoch.ToDictionary(),
            Images / Math.Max(_position.TrainSeconds, 1e-9), _position.TrainSeconds, ElapsedSeconds, Task.Device.ToString(), get_num_threads(),
            Precisions.Name(Task.ComputeType), _session.GuardMilliseconds, _session.RegionsLost, LastCheckpoint?.Path, DateTime.UtcNow,
            Images, EpochsTrained, TotalSteps, Settings.Budget, IsComplete);
}
