using System.Text.Json.Nodes;
using SplitBrain.Runs;

namespace SplitBrain.Training;

/// <summary>One <c>"kind": "epoch"</c> line of a run's <c>metrics.jsonl</c>: the means over a whole epoch (or over the steps
/// of the partial epoch a <see cref="PretrainConfig.Steps"/> or <see cref="PretrainConfig.Minutes"/> budget ends in), the
/// objective's metrics by name.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Step">Steps done at its end.</param>
/// <param name="Metrics">The epoch's means of the objective's metrics by name, in the line's order (split-brain:
/// <c>lossF1</c>, <c>lossF2</c>, <c>accF1</c>, <c>accF2</c>), and what its end measured; NaN where the line held null.</param>
/// <param name="ImagesPerSecond">Images trained per second over the epoch's steps.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch's steps (a resumed epoch counts both sessions).</param>
/// <param name="Elapsed">Seconds since the run started, at the epoch's end.</param>
/// <param name="EpochsTrained">Epochs trained at the line: <paramref name="Epoch"/> for a whole epoch, a fraction (e.g. 3.4)
/// for a partial one; 0 in lines written before budgets existed.</param>
/// <param name="Images">Images trained on by the run at the line; 0 in lines written before budgets existed.</param>
public sealed record EpochMetrics(
    int Epoch,
    long Step,
    IReadOnlyDictionary<string, double> Metrics,
    double ImagesPerSecond,
    double Seconds,
    double Elapsed,
    double EpochsTrained = 0,
    long Images = 0)
{
    /// <summary>Whether a budget ended the run inside this epoch, before its last batch.</summary>
    public bool Partial => EpochsTrained > 0 && EpochsTrained < Epoch;

    /// <summary>The epoch's mean of metric <paramref name="name"/>, or NaN when the line lacks it.</summary>
    /// <param name="name">A metric name, e.g. <c>lossF1</c>.</param>
    public double this[string name] => Metrics.TryGetValue(name, out var value) ? value : double.NaN;

    /// <summary>An epoch line as the engine wrote it (<see cref="MetricLines"/>).</summary>
    /// <param name="line">The line.</param>
    /// <returns>The record.</returns>
    public static EpochMetrics FromLine(JsonObject line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new((int)(MetricLines.Value(line, "epoch") ?? 0), (long)(MetricLines.Value(line, "step") ?? 0), MetricLines.Metrics(line),
            MetricLines.Value(line, "imagesPerSecond") ?? 0, MetricLines.Value(line, "seconds") ?? 0, MetricLines.Value(line, "elapsed") ?? 0,
            MetricLines.Value(line, "epochs") ?? 0, (long)(MetricLines.Value(line, "images") ?? 0));
    }
}
