using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SplitBrain.Display;
using SplitBrain.Models;
using static TorchSharp.torch;

namespace SplitBrain.Runs;

/// <summary>
/// The run engine: trains a <see cref="TrainingTask"/> epoch by epoch and owns everything a run has, for every kind of
/// run (pretraining, fine-tuning, linear probes): its folder, <c>config.json</c> with its kind, <c>metrics.jsonl</c>,
/// atomic checkpoints and exact resume, the refusal to resume with other settings, cancellation, the NaN stop, the guard
/// against the garbage collector, progress and speed. In the spirit of fastai's <c>Learner.fit</c> and d2l's
/// <c>Trainer.fit</c>: one loop owns the run, the task supplies only what is its own.
/// </summary>
/// <remarks>
/// <para>How a kind of run uses it (<c>SplitBrain.Training.Pretrainer</c> does exactly this):</para>
/// <code>
/// var trainer = new Trainer("pretraining small-1", settings, run, new RunIdentity(RunKind.Pretraining, config.ToJson(), mayChange));
/// // ... build the task: data, model, optimizer (after the cheap checks above, which refuse a changed config) ...
/// trainer.Start(task);                 // resumes from the newest checkpoint that verifies, or starts afresh
/// var summary = trainer.Fit(progress); // trains the remaining steps
/// </code>
/// <para>Each step runs inside a dispose scope and a <see cref="NoGcRegion"/> (TorchSharp 0.107 can crash when a garbage
/// collection finalizes a <c>Scalar</c> during a native call; see there), is checked for a finite loss, adds to the
/// epoch's and the log window's sums (means over images), and is reported. Every <see cref="TrainerSettings.LogEverySteps"/>
/// steps a step line, after every epoch an epoch line goes to <c>metrics.jsonl</c> (<see cref="MetricLines"/>).</para>
/// <para>A checkpoint (<c>checkpoints/step-NNNNNNNN/</c>, by <see cref="CheckpointStore"/>: written into a temporary
/// folder, verified by SHA-256 when read) holds the task's model and optimizer, torch's generator, the task's own random
/// state, the config, and <c>state.json</c> (<see cref="CheckpointState"/>): the position inside the epoch and every
/// running sum. So a run resumes exactly where it was, mid-epoch included: on the CPU it computes the losses an
/// uninterrupted run computes. A run resumes only with the config it started with, but for the keys its kind says may
/// change (<see cref="RunIdentity.MayChange"/>); any other difference is refused, listed, before anything is loaded.
/// Cancelling <see cref="Fit"/> writes a checkpoint of the position first.</para>
/// <para>How long: <see cref="TrainerSettings.Epochs"/> whole epochs, or a <see cref="TrainerSettings.Budget"/> of steps or
/// minutes (<see cref="TrainingBudget"/>): exactly that many steps, possibly ending inside an epoch, whose end is then
/// reported like an epoch's (<see cref="EpochEnd.Partial"/>); minutes are turned into a step count from the speed of the
/// run's first steps, once, and the count is saved with every checkpoint, so a resumed run keeps it. The task's schedule
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

    private const string TorchRandomFile = "torch-random.bin";
    private const string TaskRandomFile = "task-random.bin";

    private readonly Action<string> _log;
    private readonly CheckpointStore? _checkpoints;
    private (CheckpointInfo Info, CheckpointState State)? _resume;
    private TrainingTask? _task;
    private (byte[] Torch, byte[]? Task)? _pendingRandom; // restored after the resumed epoch's start
    private bool _stopped;

    // Where the run is: the state a checkpoint saves.
    private long _step;
    private int _completedEpochs;
    private int _batchesIntoEpoch;
    private double _elapsedBefore;   // seconds of earlier sessions and of this one before the current Fit
    private double _trainSeconds;
    private long _images;
    private StepTotals _epoch = StepTotals.Empty(0);
    private StepTotals _window = StepTotals.Empty(0);
    private Dictionary<string, double>? _lastEpoch;
    private StepTiming _timing = StepTiming.None; // the first steps' speed, and a minutes budget's fixed count
    private long? _fixedSteps;                    // a minutes budget's step count, once fixed

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
        if (run is null)
            return;
        if (identity is null)
            throw new ArgumentException($"A run folder needs the run's {nameof(RunIdentity)} (kind and config).", nameof(identity));
        CheckFolderKind(run, identity.Kind);
        _checkpoints = new CheckpointStore(run.CheckpointsPath, settings.KeepCheckpoints);
        _resume = _checkpoints.LatestValid(_log, RunsJson.Default.CheckpointState);
        if (_resume is { } found)
            CheckSameConfig(found.Info);
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

    /// <summary>Steps in one epoch.</summary>
    public int StepsPerEpoch => Task.StepsPerEpoch;

    /// <summary>Steps of the whole run: <see cref="TrainerSettings.Epochs"/> epochs' steps, or the budget's (a
    /// <see cref="TrainingBudget.Minutes"/> budget's count once fixed; an estimate before, see <see cref="TotalIsFixed"/>).</summary>
    public long TotalSteps => Settings.Budget switch
    {
        { Steps: { } steps } => steps,
        { Minutes: not null } => _fixedSteps ?? EstimatedSteps(),
        _ => (long)StepsPerEpoch * Settings.Epochs,
    };

    /// <summary>False only while a <see cref="TrainingBudget.Minutes"/> budget is timing the run's first steps (at most
    /// <see cref="TrainingBudget.CalibratedBy"/>): <see cref="TotalSteps"/> is then an estimate.</summary>
    public bool TotalIsFixed => Settings.Budget?.Minutes is null || _fixedSteps is not null;

    /// <summary>Epochs trained so far, with the fraction of the current one (e.g. 3.4).</summary>
    public double EpochsTrained => _completedEpochs + (double)_batchesIntoEpoch / StepsPerEpoch;

    /// <summary>Images trained on so far (including earlier sessions of a resumed run).</summary>
    public long Images => _images;

    /// <summary>Steps done so far (including earlier sessions of a resumed run).</summary>
    public long Step => _step;

    /// <summary>Whole epochs done so far.</summary>
    public int CompletedEpochs => _completedEpochs;

    /// <summary>Batches of the current epoch done.</summary>
    public int BatchesIntoEpoch => _batchesIntoEpoch;

    /// <summary>Whether the run's training is done: every epoch, or the budget's steps (or the task stopped early).</summary>
    public bool IsComplete => _stopped || (Settings.Budget is null ? _completedEpochs >= Settings.Epochs : TotalIsFixed && _step >= TotalSteps);

    /// <summary>The checkpoint this run resumed from, or null for a fresh run.</summary>
    public CheckpointInfo? ResumedFrom { get; private set; }

    /// <summary>The last checkpoint written or resumed from, or null.</summary>
    public CheckpointInfo? LastCheckpoint { get; private set; }

    /// <summary>The last whole epoch's means and what its end measured, by name; empty before the first epoch ends.</summary>
    public IReadOnlyDictionary<string, double> LastEpoch => _lastEpoch ?? [];

    /// <summary>The checkpoint writer, for the fault-injection tests.</summary>
    internal CheckpointStore? Checkpoints => _checkpoints;

    /// <summary>
    /// Takes the task: restores it from the checkpoint the constructor found (model, optimizer, position, running sums,
    /// random states, the task's state, a minutes budget's fixed step count), or starts the run afresh (clearing what a run
    /// without checkpoints left). Either way <c>config.json</c> is written (more epochs or another budget may have been asked
    /// for).
    /// </summary>
    /// <param name="task">The task, built for this run's config; not owned (its creator disposes it).</param>
    /// <exception cref="InvalidOperationException">Called twice.</exception>
    public void Start(TrainingTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (_task is not null)
            throw new InvalidOperationException("The trainer has its task already.");
        _task = task;
        _epoch = _window = StepTotals.Empty(task.MetricNames.Count);
        if (_resume is { } resume)
        {
            Restore(resume.Info, resume.State);
        }
        else if (Run is not null)
        {
            Run.TruncateTo(step: 0, completedEpochs: 0);
            task.TruncateTo(0);
            Run.WriteConfig(Identity!.Kind, Identity.ConfigJson);
        }
        _resume = null;
        PlanBudget();
    }

    /// <summary>
    /// Trains until <see cref="TrainerSettings.Epochs"/> epochs, or the <see cref="TrainerSettings.Budget"/>'s steps, are done
    /// (at once if they are), writing metrics, checkpoints and finally <c>summary.json</c>.
    /// </summary>
    /// <param name="progress">Receives a <see cref="TrainingProgress"/> after every step and at every epoch's end (on this
    /// thread). Null (the default) shows a live progress bar (<see cref="LiveProgress{T}"/>: redrawn in place in a notebook,
    /// a line every few seconds in a console); <see cref="TrainingProgress.None"/> shows nothing.</param>
    /// <param name="cancellationToken">Stops training between two steps: a checkpoint is written (with a folder), then
    /// <see cref="OperationCanceledException"/> is thrown; a new trainer on the run continues from there.</param>
    /// <returns>The summary of the run so far.</returns>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite; the message names the step and the last
    /// good checkpoint.</exception>
    public RunSummary Fit(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var task = Task;
        var live = progress is null ? new LiveProgress<TrainingProgress>(p => p.ToView()) : null;
        var report = progress ?? live!;
        var session = new Session();
        using var precision = Autocast.Enter(task.ComputeType); // the run's precision: every step and epoch end
        try
        {
            while (!IsComplete)
            {
                using (NoGcRegion.Enter())
                using (NewDisposeScope())
                    task.BeginEpoch(_completedEpochs, _batchesIntoEpoch, cancellationToken);
                RestorePendingRandomState();
                var checkpointDue = RunEpoch(task, session, report, cancellationToken);
                EndEpoch(task, session, report, checkpointDue, partial: _batchesIntoEpoch < task.StepsPerEpoch, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (Run is not null)
            {
                _log($"stopped at step {_step}: writing a checkpoint so that the run can continue");
                SaveCheckpoint(session);
                Run.WriteSummary(Summarize(session));
            }
            throw;
        }
        finally
        {
            _elapsedBefore += session.Clock.Elapsed.TotalSeconds;
            session.Clock.Reset();
            live?.Complete();
        }

        var summary = Summarize(session);
        Run?.WriteSummary(summary);
        return summary;
    }

    /// <summary>Writes a checkpoint now, unless one of this step exists.</summary>
    /// <returns>The checkpoint of the current step.</returns>
    /// <exception cref="InvalidOperationException">The trainer has no run folder.</exception>
    public CheckpointInfo SaveCheckpoint() => SaveCheckpoint(new Session());

    // Runs the rest of the current epoch, or of the budget when it ends first; true when a step checkpoint fell on the last
    // step (the epoch's end writes it, after the epoch's line, so that each step has one checkpoint).
    private bool RunEpoch(TrainingTask task, Session session, IProgress<TrainingProgress> report, CancellationToken cancellationToken)
    {
        var checkpointDue = false;
        while (_batchesIntoEpoch < task.StepsPerEpoch && !BudgetSpent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var learningRate = task.LearningRateAt(_step, TotalSteps);
            var started = Stopwatch.GetTimestamp();
            var outcome = GuardedStep(task, learningRate, session);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            for (var i = 0; i < task.LossCount; i++)
            {
                if (!double.IsFinite(outcome.Values[i]))
                    throw new TrainingDivergedException(Run?.Name ?? Title, _step + 1,
                        task.MetricNames.Take(task.LossCount).Zip(outcome.Values).ToDictionary(p => p.First, p => p.Second), LastCheckpoint);
            }

            _step++;
            _batchesIntoEpoch++;
            _images += outcome.Images;
            _trainSeconds += seconds;
            _epoch = _epoch.Add(outcome, seconds);
            _window = _window.Add(outcome, seconds);
            session.Speed.Add(outcome.Images, seconds);
            TimeStep(seconds);
            var lastOfEpoch = _batchesIntoEpoch == task.StepsPerEpoch || BudgetSpent;
            if (Run is not null && Settings.LogEverySteps > 0 && (_step % Settings.LogEverySteps == 0 || lastOfEpoch))
            {
                Run.AppendLine(MetricLines.StepLine(_step, _completedEpochs + 1, Named(task, _window.Means()), learningRate,
                    _window.ImagesPerSecond, Elapsed(session)).ToJsonString());
                _window = StepTotals.Empty(task.MetricNames.Count);
            }

            report.Report(Progress(task, outcome.Values, _epoch.Means(), learningRate, session, status: null));
            if (Run is not null && Settings.CheckpointEverySteps > 0 && _step % Settings.CheckpointEverySteps == 0)
            {
                if (lastOfEpoch)
                    checkpointDue = true;
                else
                    SaveCheckpoint(session);
            }
        }
        return checkpointDue;
    }

    // One step inside a dispose scope and a no-GC region (the task reads its batch inside too).
    private static StepOutcome GuardedStep(TrainingTask task, double learningRate, Session session)
    {
        var guardStart = Stopwatch.GetTimestamp();
        var region = NoGcRegion.Enter();
        var guardTicks = Stopwatch.GetTimestamp() - guardStart;
        try
        {
            using var scope = NewDisposeScope();
            return task.Step(learningRate);
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

    // The end of an epoch: whole, or (partial) the last step of a budget that ends the run inside it. A partial epoch stays
    // the epoch in progress, its sums kept, so that a larger budget continues it where it stopped.
    private void EndEpoch(TrainingTask task, Session session, IProgress<TrainingProgress> report, bool checkpointDue, bool partial,
        CancellationToken cancellationToken)
    {
        var epoch = _epoch;
        var number = _completedEpochs + 1;
        // An uninterrupted longer run would not end the epoch here: its checkpoint keeps the random states as they are after
        // the last step, before the task's end of epoch draws from them (e.g. re-estimating BatchNorm through dropout).
        var randomAfterStep = partial && Run is not null ? RandomStates(task) : ((byte[], byte[]?)?)null;
        if (!partial)
        {
            _completedEpochs++;
            _batchesIntoEpoch = 0;
            _epoch = StepTotals.Empty(task.MetricNames.Count);
        }
        var means = Named(task, epoch.Means());
        var outcome = task.EndEpoch(new EpochEnd(number, partial, Last: partial || IsComplete, _step, EpochsTrained), means, cancellationToken);
        _lastEpoch = new Dictionary<string, double>(means.Concat(outcome.Measured));
        _stopped = outcome.Stop && !partial;
        Run?.AppendLine(MetricLines.EpochLine(number, _step, _lastEpoch, epoch.ImagesPerSecond, epoch.Seconds, Elapsed(session), EpochsTrained, _images)
            .ToJsonString());
        if (Run is not null && (checkpointDue || IsComplete
            || (!partial && Settings.CheckpointEveryEpochs > 0 && _completedEpochs % Settings.CheckpointEveryEpochs == 0)))
            SaveCheckpoint(session, randomAfterStep);

        var status = (partial
                ? $"budget of {Settings.Budget} done at step {_step}, {EpochsTrained.ToString("0.##", CultureInfo.InvariantCulture)} epochs (epoch {number}'s means so far shown)"
                : $"epoch {_completedEpochs} done (its means shown)")
            + (outcome.Note is { } note ? $"; {note}" : "");
        var epochMeans = epoch.Means();
        report.Report(Progress(task, epochMeans, epochMeans, task.LearningRateAt(Math.Max(0, _step - 1), TotalSteps), session, status));
    }

    // Whether a budget's steps are done (never while a minutes budget is still timing its first steps).
    private bool BudgetSpent => Settings.Budget is not null && TotalIsFixed && _step >= TotalSteps;

    // Times the run's first steps (every run, so that a run may take a minutes budget when it resumes), and fixes a minutes
    // budget's step count once they are timed; when the minutes are spent first (a budget shorter than the warm-up), the
    // run ends after one more step.
    private void TimeStep(double seconds)
    {
        if (_step <= TrainingBudget.UntimedSteps)
            _timing = _timing with { UntimedSeconds = _timing.UntimedSeconds + seconds };
        else if (!_timing.Complete)
            _timing = _timing with { TimedSteps = _timing.TimedSteps + 1, TimedSeconds = _timing.TimedSeconds + seconds };
        if (Settings.Budget is not { Minutes: { } minutes } budget || _fixedSteps is not null)
            return;
        if (_timing.Complete)
            FixSteps(budget, _timing.Rate!.Value, atLeast: _step + 1);
        else if (_trainSeconds >= minutes * 60)
            FixSteps(budget, _timing.Rate ?? _trainSeconds / _step, atLeast: _step + 1, steps: _step + 1);
    }

    // At the start (fresh or resumed) with a minutes budget: the count a checkpoint fixed for these minutes is kept; other
    // minutes buy steps at the rate measured then (or, for a run that had no minutes budget, at the rate of its timed
    // steps), without timing again; a budget below the steps done ends the run where it is.
    private void PlanBudget()
    {
        _fixedSteps = null;
        if (Settings.Budget is not { Minutes: { } minutes } budget)
            return;
        if (_timing is { Steps: { } steps, Minutes: { } fixedFor } && fixedFor == minutes)
        {
            _fixedSteps = steps;
            return;
        }
        if ((_timing.SecondsPerStep ?? (_timing.Complete ? _timing.Rate : null)) is { } rate)
        {
            FixSteps(budget, rate, atLeast: _step);
        }
        else if (_step >= TrainingBudget.CalibratedBy && _trainSeconds > 0)
        {
            // A checkpoint written before budgets existed: the mean of all its steps, warm-up included.
            _timing = _timing with { UntimedSeconds = TrainingBudget.UntimedSteps * _trainSeconds / _step };
            FixSteps(budget, _trainSeconds / _step, atLeast: _step);
        }
    }

    private void FixSteps(TrainingBudget budget, double secondsPerStep, long atLeast, long? steps = null)
    {
        _fixedSteps = steps ?? budget.StepsAt(secondsPerStep, _timing.UntimedSeconds, atLeast);
        var measured = _timing.Complete
            ? FormattableString.Invariant($"steps {TrainingBudget.UntimedSteps + 1}-{TrainingBudget.CalibratedBy} took {secondsPerStep * 1000:0.#} ms each, ")
              + FormattableString.Invariant($"the {TrainingBudget.UntimedSteps} before them {_timing.UntimedSeconds:0.##} s")
            : FormattableString.Invariant($"spent after {_step} steps, {secondsPerStep * 1000:0.#} ms each");
        _timing = _timing with { SecondsPerStep = secondsPerStep, Minutes = budget.Minutes, Steps = _fixedSteps };
        _log($"{Run?.Name ?? Title}: {budget} of training ({measured}) make {_fixedSteps} steps");
    }

    // Before any step is timed, the epochs' steps stand in for a minutes budget's count (the schedule does not use it yet).
    private long EstimatedSteps()
    {
        var rate = _timing.Rate ?? (_step > 0 ? _trainSeconds / _step : 0);
        return rate > 0 ? Settings.Budget!.StepsAt(rate, _timing.UntimedSeconds, _step + 1) : Math.Max(_step + 1, (long)StepsPerEpoch * Settings.Epochs);
    }

    // The epochs a progress bar shows: the settings', or as many as hold the budget's steps.
    private int PlannedEpochs =>
        Settings.Budget is null ? Settings.Epochs : (int)Math.Min(int.MaxValue, (TotalSteps + StepsPerEpoch - 1) / StepsPerEpoch);

    private static (byte[] Torch, byte[]? Task) RandomStates(TrainingTask task)
    {
        using var region = NoGcRegion.Enter();
        using var torchState = random.get_rng_state();
        return (torchState.bytes.ToArray(), task.RandomState);
    }

    private CheckpointInfo SaveCheckpoint(Session session, (byte[] Torch, byte[]? Task)? randomStates = null)
    {
        if (Run is null || _checkpoints is null || Identity is null)
            throw new InvalidOperationException($"'{Title}' has no run folder: there is nowhere to write a checkpoint.");
        if (LastCheckpoint?.Step == _step && Directory.Exists(LastCheckpoint.Path))
            return LastCheckpoint;

        var task = Task;
        var (torchRandom, taskRandom) = randomStates ?? RandomStates(task);
        using var region = NoGcRegion.Enter(); // saving reads tensors, and tensors are written by TorchSharp calls
        var state = new CheckpointState(_step, _completedEpochs, _batchesIntoEpoch, [], DateTime.UtcNow, Elapsed(session), _trainSeconds,
            _images, _epoch, _window, _lastEpoch, task.SavedState, _timing);
        var files = new List<(string Name, Action<Stream> Write)>
        {
            (ModelFile, CheckpointStore.Binary(writer => task.Model.save(writer))),
            (OptimizerFile, CheckpointStore.Binary(writer => task.Optimizer.save_state_dict(writer))),
            (TorchRandomFile, stream => stream.Write(torchRandom)),
            (ConfigFile, stream => stream.Write(Encoding.UTF8.GetBytes(RunFolder.WithKind(Identity.ConfigJson, Identity.Kind)))),
        };
        if (taskRandom is not null)
            files.Add((TaskRandomFile, stream => stream.Write(taskRandom)));
        try
        {
            LastCheckpoint = _checkpoints.Write(_step, files,
                written => JsonSerializer.SerializeToUtf8Bytes(state with { Files = written }, RunsJsonIndented.Default.CheckpointState));
        }
        catch (IOException e)
        {
            // A full disk or a lost drive: the store has removed the half-written folder; say what is left to resume from.
            var previous = LastCheckpoint is { } last && Directory.Exists(last.Path)
                ? $"the last complete checkpoint, step {last.Step} ({last.Path}), is intact"
                : "there is no earlier checkpoint";
            throw new IOException(
                $"Writing the checkpoint of step {_step} into {Run.CheckpointsPath} failed: {e.Message} Nothing of it was kept, and "
                + $"{previous}. Free some disk space (or point the run elsewhere) and create the run again: it resumes from there.", e);
        }
        return LastCheckpoint;
    }

    private void Restore(CheckpointInfo info, CheckpointState state)
    {
        var task = Task;
        using (NoGcRegion.Enter())
        {
            using (var reader = new BinaryReader(File.OpenRead(Path.Combine(info.Path, ModelFile))))
                task.Model.load(reader);
            using (var reader = new BinaryReader(File.OpenRead(Path.Combine(info.Path, OptimizerFile))))
                task.Optimizer.load_state_dict(reader);
        }
        var taskRandom = Path.Combine(info.Path, TaskRandomFile);
        _pendingRandom = (File.ReadAllBytes(Path.Combine(info.Path, TorchRandomFile)), File.Exists(taskRandom) ? File.ReadAllBytes(taskRandom) : null);
        (_step, _completedEpochs, _batchesIntoEpoch) = (state.Step, state.CompletedEpochs, state.BatchesIntoEpoch);
        (_elapsedBefore, _trainSeconds, _images) = (state.ElapsedSeconds, state.TrainSeconds, state.Images);
        (_epoch, _window, _lastEpoch) = (state.Epoch, state.Window, state.LastEpoch);
        _timing = state.Timing ?? StepTiming.None;
        task.SavedState = state.Task;
        // At an epoch boundary the random states are the next epoch's start: restored now, before the epoch's start seeds
        // whatever it seeds; inside an epoch they are restored after its start (BeginEpoch), where they were saved.
        if (_batchesIntoEpoch == 0)
            RestorePendingRandomState();
        ResumedFrom = LastCheckpoint = info;
        Run!.TruncateTo(state.Step, state.CompletedEpochs); // what the resumed run will write again
        task.TruncateTo(state.CompletedEpochs);
        Run.WriteConfig(Identity!.Kind, Identity.ConfigJson); // e.g. Epochs or the budget may have changed
        _log($"resuming {Run.Name} from its {info}");
    }

    private void RestorePendingRandomState()
    {
        if (_pendingRandom is not var (torchBytes, taskBytes))
            return;
        _pendingRandom = null;
        using (var torchState = tensor(torchBytes, ScalarType.Byte))
            random.set_rng_state(torchState);
        if (taskBytes is not null)
            Task.RandomState = taskBytes;
    }

    // A folder holding a run of another kind (or a config of an older version that names no kind) is not taken over.
    private static void CheckFolderKind(RunFolder run, RunKind kind)
    {
        if (!run.Exists)
            return;
        try
        {
            RunFolder.ConfigWithoutKind(File.ReadAllText(run.ConfigPath), kind, run.ConfigPath);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            throw new InvalidOperationException($"The folder of '{run.Name}' cannot be used for this {kind.Name()} run: {e.Message} "
                + "Or use another run name.", e);
        }
    }

    // Refuses to resume with another config: the checkpoint's weights, optimizer state and position mean nothing for it.
    private void CheckSameConfig(CheckpointInfo checkpoint)
    {
        var saved = RunFolder.ConfigWithoutKind(File.ReadAllText(Path.Combine(checkpoint.Path, ConfigFile)), Identity!.Kind, checkpoint.Path);
        var differences = FlatJson.Differences(saved, Identity.ConfigJson, Identity.MayChange);
        if (differences.Count > 0)
            throw new InvalidOperationException(
                $"The run '{Run!.Name}' ({Run.Path}) has a checkpoint at step {checkpoint.Step} made with another config: "
                + string.Join("; ", differences) + ". A run resumes only with the config it was started with"
                + (Identity.MayChange.Count > 0 ? $" ({string.Join(", ", Identity.MayChange)} may change)" : "") + ". "
                + $"Use another run name, or start this one afresh with new {nameof(RunFolder)}(\"{Run.Path}\").{nameof(RunFolder.Clear)}().");
    }

    private double Elapsed(Session session) => _elapsedBefore + session.Clock.Elapsed.TotalSeconds;

    private static Dictionary<string, double> Named(TrainingTask task, double[] values) =>
        task.MetricNames.Zip(values).ToDictionary(p => p.First, p => p.Second);

    private TrainingProgress Progress(TrainingTask task, IReadOnlyList<double> values, IReadOnlyList<double> epochMeans, double learningRate,
        Session session, string? status)
    {
        var perStep = session.Speed.SecondsPerStep;
        TimeSpan? remaining = perStep is { } s ? TimeSpan.FromSeconds(s * (TotalSteps - _step)) : null;
        var epochs = PlannedEpochs;
        return new TrainingProgress(Title, _step, TotalSteps,
            Math.Min(_completedEpochs + (_batchesIntoEpoch > 0 ? 1 : 0), epochs), epochs, _batchesIntoEpoch, task.StepsPerEpoch,
            task.MetricNames, values, epochMeans, learningRate, session.Speed.ImagesPerSecond, TimeSpan.FromSeconds(Elapsed(session)),
            remaining, status, Settings.Budget, !TotalIsFixed, _images, EpochsTrained, _trainSeconds);
    }

    private RunSummary Summarize(Session session)
    {
        var task = Task;
        return new RunSummary(Run?.Name ?? Title, Identity?.Kind ?? RunKind.Unknown, _step, _completedEpochs, LastEpoch.ToDictionary(),
            _images / Math.Max(_trainSeconds, 1e-9), _trainSeconds, Elapsed(session), task.Device.ToString(), get_num_threads(),
            task.ComputeTypeDescription,
            session.GuardedSteps == 0 ? 0 : session.GuardTicks * 1000.0 / Stopwatch.Frequency / session.GuardedSteps,
            session.RegionsLost, LastCheckpoint?.Path, DateTime.UtcNow, _images, EpochsTrained, TotalSteps, Settings.Budget, IsComplete);
    }

    /// <summary>What one call of <see cref="Fit"/> tracks: its clock, the speed, the GC guard's cost.</summary>
    private sealed class Session
    {
        public Stopwatch Clock { get; } = Stopwatch.StartNew();

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
                return;
            (_seconds, _images) = _steps == 2 ? (seconds, images) : (Keep * _seconds + (1 - Keep) * seconds, Keep * _images + (1 - Keep) * images);
        }
    }
}
