using System.Text.Json.Serialization;

namespace SplitBrain.Training;

/// <summary>One <c>"kind": "epoch"</c> line of a run's <c>metrics.jsonl</c>: the means over a whole epoch (or over the steps
/// of the partial epoch a <see cref="PretrainConfig.Steps"/> or <see cref="PretrainConfig.Minutes"/> budget ends in).</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Step">Steps done at its end.</param>
/// <param name="LossF1">Mean loss of F1 (L -&gt; ab) over the epoch.</param>
/// <param name="LossF2">Mean loss of F2 (ab -&gt; L) over the epoch.</param>
/// <param name="AccuracyF1">Mean pixel accuracy of F1 over the epoch.</param>
/// <param name="AccuracyF2">Mean pixel accuracy of F2 over the epoch.</param>
/// <param name="ImagesPerSecond">Images trained per second over the epoch's steps.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch's steps (a resumed epoch counts both sessions).</param>
/// <param name="Elapsed">Seconds since the run started, at the epoch's end.</param>
/// <param name="EpochsTrained">Epochs trained at the line: <paramref name="Epoch"/> for a whole epoch, a fraction (e.g. 3.4)
/// for a partial one; 0 in lines written before budgets existed.</param>
/// <param name="Images">Images trained on by the run at the line; 0 in lines written before budgets existed.</param>
public sealed record EpochMetrics(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("lossF1")] double LossF1,
    [property: JsonPropertyName("lossF2")] double LossF2,
    [property: JsonPropertyName("accF1")] double AccuracyF1,
    [property: JsonPropertyName("accF2")] double AccuracyF2,
    [property: JsonPropertyName("imagesPerSecond")] double ImagesPerSecond,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("elapsed")] double Elapsed,
    [property: JsonPropertyName("epochs")] double EpochsTrained = 0,
    [property: JsonPropertyName("images")] long Images = 0)
{
    /// <summary>The line's kind in the file: <c>"epoch"</c>.</summary>
    [JsonPropertyName("kind")]
    [JsonPropertyOrder(-1)]
    public string Kind => "epoch";

    /// <summary>Whether a budget ended the run inside this epoch, before its last batch.</summary>
    [JsonIgnore]
    public bool Partial => EpochsTrained > 0 && EpochsTrained < Epoch;
}
