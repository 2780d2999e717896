namespace SplitBrain.Runs;

/// <summary>Reports a <see cref="TrainingProgress"/> to an <see cref="IProgress{T}"/> after every step and at every epoch's
/// end: how a progress display (supplied by the caller, e.g. <c>SplitBrain.Display.LiveProgress</c>) follows a run.</summary>
internal sealed class ProgressObserver(IProgress<TrainingProgress> progress) : IRunObserver
{
    public void AfterStep(Trainer trainer, StepReport step) =>
        progress.Report(trainer.Progress(step.Outcome.Values, trainer.Position.Epoch.Means(), step.LearningRate, status: null));

    public void AfterEpoch(Trainer trainer, EpochReport epoch)
    {
        var means = epoch.Totals.Means();
        progress.Report(trainer.Progress(means, means, epoch.LearningRate, epoch.Status));
    }
}
