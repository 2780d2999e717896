using System.Text.Json.Serialization;

namespace SplitBrain.Training;

/// <summary>
/// One <c>"kind": "step"</c> line of a run's <c>metrics.jsonl</c>: the means over the steps since the previous line
/// (<see cref="PretrainConfig.LogEverySteps"/> of them, fewer at the end of an epoch).
/// </summary>
/// <param name="Step">Steps done when the line was written (the first step is 1).</param>
/// <param name="Epoch">The epoch these steps belong to, from 1.</param>
/// <param name="LossF1">Mean loss of F1 (L -&gt; ab).</param>
/// <param name="LossF2">Mean loss of F2 (ab -&gt; L).</param>
/// <param name="AccuracyF1">Mean pixel accuracy of F1: the fraction of target positions whose most likely bin is the
/// target's.</param>
/// <param name="AccuracyF2">Mean pixel accuracy of F2.</param>
/// <param name="LearningRate">The learning rate of the last of these steps.</param>
/// <param name="ImagesPerSecond">Images trained per second over these steps (steps only: previews and checkpoints are
/// not counted).</param>
/// <param name="Elapsed">Seconds since the run started (summed over resumed sessions).</param>
public sealed record StepMetrics(
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("lossF1")] double LossF1,
    [property: JsonPropertyName("lossF2")] double LossF2,
    [property: JsonPropertyName("accF1")] double AccuracyF1,
    [property: JsonPropertyName("accF2")] double AccuracyF2,
    [property: JsonPropertyName("lr")] double LearningRate,
    [property: JsonPropertyName("imagesPerSecond")] double ImagesPerSecond,
    [property: JsonPropertyName("elapsed")] double Elapsed)
{
    /// <summary>The line's kind in the file: <c>"step"</c>.</summary>
    [JsonPropertyName("kind")]
    [JsonPropertyOrder(-1)]
    public string Kind => "step";
}
