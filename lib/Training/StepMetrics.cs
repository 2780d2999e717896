using System.Text.Json.Nodes;
using SplitBrain.Runs;

namespace SplitBrain.Training;

/// <summary>
/// One <c>"kind": "step"</c> line of a run's <c>metrics.jsonl</c>: the means over the steps since the previous line
/// (<see cref="PretrainConfig.LogEverySteps"/> of them, fewer at the end of an epoch), the objective's metrics by name.
/// </summary>
/// <param name="Step">Steps done when the line was written (the first step is 1).</param>
/// <param name="Epoch">The epoch these steps belong to, from 1.</param>
/// <param name="Metrics">The means of the objective's metrics by name, in the line's order (split-brain: <c>lossF1</c>,
/// <c>lossF2</c>, <c>accF1</c>, <c>accF2</c>); NaN where the line held null.</param>
/// <param name="LearningRate">The learning rate of the last of these steps.</param>
/// <param name="ImagesPerSecond">Images trained per second over these steps (steps only: previews and checkpoints are
/// not counted).</param>
/// <param name="Elapsed">Seconds since the run started (summed over resumed sessions).</param>
public sealed record StepMetrics(
    long Step,
    int Epoch,
    IReadOnlyDictionary<string, double> Metrics,
    double LearningRate,
    double ImagesPerSecond,
    double Elapsed)
{
    /// <summary>The mean of metric <paramref name="name"/>, or NaN when the line lacks it.</summary>
    /// <param name="name">A metric name, e.g. <c>lossF1</c>.</param>
    public double this[string name] => Metrics.TryGetValue(name, out var value) ? value : double.NaN;

    /// <summary>A step line as the engine wrote it (<see cref="MetricLines"/>).</summary>
    /// <param name="line">The line.</param>
    /// <returns>The record.</returns>
    public static StepMetrics FromLine(JsonObject line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new((long)(MetricLines.Value(line, "step") ?? 0), (int)(MetricLines.Value(line, "epoch") ?? 0), MetricLines.Metrics(line),
            MetricLines.Value(line, "lr") ?? double.NaN, MetricLines.Value(line, "imagesPerSecond") ?? 0, MetricLines.Value(line, "elapsed") ?? 0);
    }
}
