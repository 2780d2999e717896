using System.Text.Json.Nodes;

namespace SplitBrain.Runs;

/// <summary>The engine's side of checkpoints: how a run starts (afresh or resumed), what it saves (the <see cref="RunPosition"/>, the task's and every
/// <see cref="ICheckpointed"/> observer's state, through <see cref="RunCheckpoints"/>) and how a resumed run takes it back.</summary>
public sealed partial class Trainer
{
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
            Run.WriteConfig(Identity!.Kind, Identity.ConfigJson);
        }
        _resume = null;
        _position = _budget.Plan(_position);
    }

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

    /// <summary>Writes a checkpoint now, unless one of this step exists.</summary>
    /// <returns>The checkpoint of the current step.</returns>
    /// <exception cref="InvalidOperationException">The trainer has no run folder.</exception>
    public CheckpointInfo SaveCheckpoint() => SaveCheckpoint(null);

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
        // At an epoch boundary the random states are the next epoch's start: restored now, before the epoch's start seeds
        // whatever it seeds; inside an epoch they are restored after its start (BeginEpoch), where they were saved.
        if (BatchesIntoEpoch == 0)
            RestorePendingRandomState();
        ResumedFrom = info;
        Run!.TruncateTo(state.Step, state.CompletedEpochs); // what the resumed run will write again
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
}
