using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SplitBrain.Models;
using static TorchSharp.torch;

namespace SplitBrain.Runs;

/// <summary>
/// The run engine: trains a <see cref="TrainingTask"/> and owns what every kind of run shares: the loop, the optimisation
/// step (<see cref="OptimizerStep"/>), the schedule, autocast, the NaN stop, the GC guard, the folder, checkpoints and exact
/// resume, the refusal to resume with other settings, cancellation. What is not the loop (metric lines, progress, previews,
/// early stopping, test scoring) is an <see cref="IRunObserver"/>. As fastai's <c>Learner.fit</c>: the task supplies only what is its own.
/// </summary>
/// <remarks>
/// <code>
/// var trainer = new Trainer("pretraining small-1", settings, run, new RunIdentity(PretrainingRuns.Kind, config.ToJson(), mayChange));
/// // ... build the task (after the cheap checks above, which refuse a changed config) ...
/// trainer.Start(task);                 // resumes from the newest checkpoint that verifies, or starts afresh
/// var summary = trainer.Fit(progress); // trains the remaining steps
/// </code>
/// <para>Each step runs inside a dispose scope and a <see cref="NoGcRegion"/> (see there why) and is checked for finite
/// losses. A checkpoint (<see cref="RunCheckpoints"/>) holds the model, optimizer, random states, config and the
/// <see cref="RunPosition"/> with every <see cref="ICheckpointed"/> state, so a run resumes exactly, mid-epoch included.
/// How long a run trains, in epochs, steps or minutes: <see cref="TrainingBudget"/>. The precision: the whole of
/// <see cref="Fit"/> runs inside <see cref="Autocast.Enter"/> with the task's <see cref="TrainingTask.ComputeType"/>.
/// Without a folder (a linear probe, a classifier in memory) it trains the same way and writes nothing. One trainer trains
/// at a time per process: steps seed and read torch's global generator.</para>
/// </remarks>
public sealed partial class Trainer
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
    /// <exception cref="InvalidOperationException">The folder holds a run of another kind, or its checkpoint was made with
    /// another config (the message lists the differences and what to do).</exception>
    public Trainer(string title, TrainerConfig settings, RunFolder? run = null, RunIdentity? identity = null, Action<string>? log = null)
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
    public TrainerConfig Settings { get; }

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

    /// <summary>Steps of the whole run: <see cref="TrainerConfig.Epochs"/> epochs' steps, or the budget's (a
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

    /// <summary>Ends training after the current epoch (an observer's early stop).</summary>
    public void RequestStop() => _stopped = true;
    /// <summary>The checkpoint this run resumed from, or null for a fresh run.</summary>
    public CheckpointInfo? ResumedFrom { get; private set; }
    /// <summary>The last checkpoint written or resumed from, or null.</summary>
    public CheckpointInfo? LastCheckpoint => _checkpoints?.Last;

    /// <summary>The last whole epoch's means and what its end measured, by name; empty before the first epoch ends.</summary>
    public IReadOnlyDictionary<string, double> LastEpoch => _position.LastEpoch ?? new Dictionary<string, double>();

    /// <summary>This call of <see cref="Fit"/>'s clock and speed.</summary>
    internal FitSession Session => _session;

    /// <summary>The checkpoint writer, for the fault-injection tests.</summary>
    internal CheckpointStore? Checkpoints => _checkpoints?.Store;

    /// <summary>
    /// Trains until <see cref="TrainerConfig.Epochs"/> epochs, or the <see cref="TrainerConfig.Budget"/>'s steps, are done
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
            var summary = RunSummary.Of(this);
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
                Run.WriteSummary(RunSummary.Of(this));
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
        var metrics = new Dictionary<string, double>(means.Concat(outcome.Measured).Concat(_observers.SelectMany(o => o.MeasureEpoch(this, end, cancellationToken))));
        _position = _position with { LastEpoch = metrics };
        _stopped |= outcome.Stop && !partial;
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
}
