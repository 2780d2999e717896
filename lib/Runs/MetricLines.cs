using System.Text.Json.Nodes;

namespace SplitBrain.Runs;

/// <summary>
/// The lines of a run's <c>metrics.jsonl</c>, the same for every kind of run: a <c>"kind": "step"</c> line every few
/// steps and a <c>"kind": "epoch"</c> line after every epoch, each holding the run's metrics by name (for pretraining
/// <c>lossF1</c>, <c>lossF2</c>, <c>accF1</c>, <c>accF2</c>; for fine-tuning <c>loss</c>, <c>trainAccuracy</c> and, when
/// scored, <c>testAccuracy</c>), averaged over the images since the previous line of the same kind.
/// </summary>
/// <remarks>
/// A step line: <c>{"kind":"step","step":30,"epoch":1,"lossF1":2.1,...,"lr":0.002,"imagesPerSecond":812,"elapsed":4.2}</c>.
/// An epoch line: <c>{"kind":"epoch","epoch":1,"step":250,"lossF1":1.9,...,"imagesPerSecond":805,"seconds":9.9,"elapsed":10.3,
/// "epochs":1,"images":8000}</c> (what the epoch's end measured, e.g. <c>testAccuracy</c>, among the metrics; <c>epochs</c>
/// and <c>images</c> are what the run has trained so far: when a <see cref="TrainingBudget"/> ends the run inside an epoch,
/// that partial epoch gets a line too, its <c>epochs</c> a fraction such as 3.4). Each kind reads them into its own
/// records.
/// </remarks>
public static class MetricLines
{
    /// <summary>The kind of a line written every few steps.</summary>
    public const string Step = "step";

    /// <summary>The kind of a line written after every epoch.</summary>
    public const string Epoch = "epoch";

    /// <summary>A step line.</summary>
    internal static JsonObject StepLine(long step, int epoch, IEnumerable<KeyValuePair<string, double>> metrics, double learningRate,
        double imagesPerSecond, double elapsed) =>
        Line(Step, [("step", step), ("epoch", epoch)], metrics, [("lr", learningRate), ("imagesPerSecond", imagesPerSecond), ("elapsed", elapsed)]);

    /// <summary>An epoch line.</summary>
    internal static JsonObject EpochLine(int epoch, long step, IEnumerable<KeyValuePair<string, double>> metrics, double imagesPerSecond,
        double seconds, double elapsed, double epochsTrained, long images) =>
        Line(Epoch, [("epoch", epoch), ("step", step)], metrics,
            [("imagesPerSecond", imagesPerSecond), ("seconds", seconds), ("elapsed", elapsed), ("epochs", epochsTrained), ("images", images)]);

    /// <summary>The engine's own keys of a line (where it is, its speed and time); every other key is one of the run's metrics.</summary>
    private static readonly HashSet<string> EngineKeys = new(StringComparer.Ordinal)
    {
        RunKinds.Key, "step", "epoch", "lr", "imagesPerSecond", "elapsed", "seconds", "epochs", "images",
    };

    /// <summary>The run's metrics of a line by name, in the line's order: every key but the engine's own (<c>kind</c>,
    /// <c>step</c>, <c>epoch</c>, <c>lr</c>, <c>imagesPerSecond</c>, <c>elapsed</c>, <c>seconds</c>, <c>epochs</c>,
    /// <c>images</c>). A null (a value that was not finite) reads as NaN; a value that is not a number is left out.</summary>
    /// <param name="line">A step or epoch line.</param>
    /// <returns>The metrics; what a kind of run names them is its own (e.g. <c>lossF1</c>, <c>trainAccuracy</c>).</returns>
    public static IReadOnlyDictionary<string, double> Metrics(JsonObject line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, node) in line)
        {
            if (EngineKeys.Contains(name))
                continue;
            if (node is null)
                metrics[name] = double.NaN;
            else if (node is JsonValue value && value.TryGetValue<double>(out var number))
                metrics[name] = number;
        }
        return metrics;
    }

    /// <summary>A number of a line as a double (null when the line lacks it or holds null).</summary>
    public static double? Value(JsonObject line, string name) =>
        line[name] is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;

    // The kind, where the line is (step, epoch), the run's metrics, then the engine's numbers, in that order.
    private static JsonObject Line(string kind, (string Name, long Value)[] position, IEnumerable<KeyValuePair<string, double>> metrics,
        (string Name, double Value)[] tail)
    {
        var line = new JsonObject { [RunKinds.Key] = kind };
        foreach (var (name, value) in position)
            line[name] = value;
        foreach (var (name, value) in metrics.Concat(tail.Select(t => KeyValuePair.Create(t.Name, t.Value))))
            line[name] = Number(value);
        return line;
    }

    // JSON has no NaN: a number that is not finite is written as null (a run stopped by its NaN check never gets here).
    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;
}
