namespace SplitBrain.Runs;

/// <summary>Reports a <see cref="TrainingProgress"/> to an <see cref="IProgress{T}"/> after every step and at every epoch's
/// end: how a progress display (supplied by the caller, e.g. <c>SplitBrain.Display.LiveProgress</c>) follows a run.</summary>
internal sealed class ProgressObserver(IProgress<TrainingProgress> progress) : IRunObserver
{
    public void AfterStep(Trainer trainer, StepReport step) =>
        progress.Report(Progress(trainer, step.Outcome.Values, trainer.Position.Epoch.Means(), step.LearningRate, status: null));

    public void AfterEpoch(Trainer trainer, EpochReport epoch)
    {
        var means = epoch.Totals.Means();
        progress.Report(Progress(trainer, means, means, epoch.LearningRate, epoch.Status));
    }

    /// <summary>What a progress display shows now.</summary>
    private static TrainingProgress Progress(Trainer t, IReadOnlyList<double> values, IReadOnlyList<double> epochMeans, double learningRate, string? status)
    {
        TimeSpan? remaining = t.Session.SecondsPerStep is { } s ? TimeSpan.FromSeconds(s * (t.TotalSteps - t.Step)) : null;
        var epochs = t.Settings.Budget is null ? t.Settings.Epochs : (int)Math.Min(int.MaxValue, (t.TotalSteps + t.StepsPerEpoch - 1) / t.StepsPerEpoch);
        return new TrainingProgress(t.Title, t.Step, t.TotalSteps, Math.Min(t.CompletedEpochs + (t.BatchesIntoEpoch > 0 ? 1 : 0), epochs), epochs,
            t.BatchesIntoEpoch, t.StepsPerEpoch, t.Task.MetricNames, values, epochMeans, learningRate, t.Session.ImagesPerSecond,
            TimeSpan.FromSeconds(t.ElapsedSeconds), remaining, status, t.Settings.Budget, !t.TotalIsFixed, t.Images, t.EpochsTrained, t.Position.TrainSeconds);
    }
}
