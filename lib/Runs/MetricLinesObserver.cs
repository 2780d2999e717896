using System.Text.Json;
using System.Text.Json.Nodes;

namespace SplitBrain.Runs;

/// <summary>
/// Writes a run's <c>metrics.jsonl</c> (<see cref="MetricLines"/>): a step line every
/// <see cref="TrainerConfig.LogEverySteps"/> steps (and at each epoch's last) with the means since the previous one, and an
/// epoch line at every epoch's end. Its running sums are checkpointed, so that the first line after a resume covers the
/// same steps as an uninterrupted run's.
/// </summary>
internal sealed class MetricLinesObserver(RunFolder run, int logEverySteps, int metrics) : IRunObserver, ICheckpointed
{
    private StepTotals _window = StepTotals.Empty(metrics);

    public string StateName => "metricLines";

    public void AfterStep(Trainer trainer, StepReport step)
    {
        _window = _window.Add(step.Outcome, step.Seconds);
        if (logEverySteps <= 0 || (trainer.Step % logEverySteps != 0 && !step.LastOfEpoch))
            return;
        var means = trainer.Task.MetricNames.Zip(_window.Means()).ToDictionary(p => p.First, p => p.Second);
        run.AppendLine(MetricLines.StepLine(trainer.Step, trainer.CompletedEpochs + 1, means, step.LearningRate,
            _window.ImagesPerSecond, trainer.ElapsedSeconds).ToJsonString());
        _window = StepTotals.Empty(metrics);
    }

    public void AfterEpoch(Trainer trainer, EpochReport epoch) =>
        run.AppendLine(MetricLines.EpochLine(epoch.End.Epoch, trainer.Step, epoch.Metrics, epoch.Totals.ImagesPerSecond, epoch.Totals.Seconds,
            trainer.ElapsedSeconds, trainer.EpochsTrained, trainer.Images).ToJsonString());

    public JsonNode? SaveState() => JsonSerializer.SerializeToNode(_window, RunsJson.Default.StepTotals);

    public void LoadState(JsonNode? state) =>
        _window = state is null ? StepTotals.Empty(metrics) : state.Deserialize(RunsJson.Default.StepTotals) ?? StepTotals.Empty(metrics);
}
