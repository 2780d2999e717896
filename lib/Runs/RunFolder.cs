using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SplitBrain.Runs;

/// <summary>
/// The folder of one run, of any kind (<see cref="RunKind"/>): what it was asked to do, what it measured, its
/// checkpoints. The <see cref="Trainer"/> writes it; this reads it back, with no model and no TorchSharp.
/// </summary>
/// <remarks>
/// <para>Layout, the same for every kind:</para>
/// <list type="bullet">
/// <item><c>config.json</c>: <c>"kind"</c> (<see cref="RunKind.Name"/>), then the run's config record (written when the
/// run starts, rewritten when a resumed run is given more epochs);</item>
/// <item><c>metrics.jsonl</c>: one JSON object per line, <c>"kind": "step"</c> (every few steps: the means since the last
/// line) or <c>"kind": "epoch"</c> (the epoch's means and what its end measured), each with the kind's metrics;</item>
/// <item><c>checkpoints/step-00000120/</c>: model, optimizer, random states, config and <c>state.json</c>
/// (<see cref="CheckpointInfo"/>), written atomically, the last few kept;</item>
/// <item><c>summary.json</c>: the <see cref="RunSummary"/> of the last session of <see cref="Trainer.Fit"/>;</item>
/// <item>what the kind adds: pretraining's <c>previews/</c>, fine-tuning's <c>result.json</c>.</item>
/// </list>
/// <para>Each kind reads its own files through its own types (<c>SplitBrain.Training.PretrainingRuns</c>,
/// <c>SplitBrain.Evaluation.FineTuneRun</c>); <c>SplitBrain.Evaluation.RunRegistry</c> lists and compares runs of every
/// kind.</para>
/// </remarks>
public sealed class RunFolder
{
    /// <summary>The run folder at <paramref name="path"/> (it need not exist yet).</summary>
    /// <param name="path">The folder; relative paths are taken from the working folder.</param>
    /// <param name="workspace">Where the run's relative data paths start and the runs share their caches;
    /// <see cref="Workspace.For"/> this folder when null.</param>
    public RunFolder(string path, Workspace? workspace = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        Workspace = workspace ?? Workspace.For(Path);
    }

    /// <summary>The folder (full path).</summary>
    public string Path { get; }

    /// <summary>Where the run's relative data paths start and where it finds the shared caches and other runs.</summary>
    public Workspace Workspace { get; }

    /// <summary>The run's name: the folder's name.</summary>
    public string Name => System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(Path));

    /// <summary><c>config.json</c>.</summary>
    public string ConfigPath => System.IO.Path.Combine(Path, "config.json");

    /// <summary><c>metrics.jsonl</c>.</summary>
    public string MetricsPath => System.IO.Path.Combine(Path, "metrics.jsonl");

    /// <summary><c>summary.json</c>.</summary>
    public string SummaryPath => System.IO.Path.Combine(Path, "summary.json");

    /// <summary>The <c>checkpoints/</c> folder.</summary>
    public string CheckpointsPath => System.IO.Path.Combine(Path, "checkpoints");

    /// <summary>Whether the run has started: its <c>config.json</c> exists.</summary>
    public bool Exists => File.Exists(ConfigPath);

    /// <summary>The kind <c>config.json</c> names; <see cref="RunKind.Unknown"/> when it names none, or there is none, or
    /// it cannot be read.</summary>
    public RunKind Kind
    {
        get
        {
            try
            {
                return File.Exists(ConfigPath) ? KindOf(JsonNode.Parse(File.ReadAllText(ConfigPath))) : RunKind.Unknown;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                return RunKind.Unknown;
            }
        }
    }

    /// <summary>
    /// The run's config as its kind's record reads it: <c>config.json</c> without the kind.
    /// </summary>
    /// <param name="kind">The kind the caller reads: the folder must hold a run of it.</param>
    /// <returns>The config's JSON.</returns>
    /// <exception cref="FileNotFoundException">The run has not started.</exception>
    /// <exception cref="InvalidDataException">The folder holds a run of another kind, or one that names no kind (the message
    /// says what to do).</exception>
    public string ReadConfigJson(RunKind kind)
    {
        if (!File.Exists(ConfigPath))
            throw new FileNotFoundException($"The run '{Name}' has no config.json ({ConfigPath}): it has not been started.", ConfigPath);
        return ConfigWithoutKind(File.ReadAllText(ConfigPath), kind, ConfigPath);
    }

    /// <summary>The summary of the last session of <see cref="Trainer.Fit"/>, or null if none has ended yet.</summary>
    /// <returns>The summary.</returns>
    public RunSummary? ReadSummary() =>
        File.Exists(SummaryPath) ? JsonSerializer.Deserialize(File.ReadAllBytes(SummaryPath), RunsJson.Default.RunSummary) : null;

    /// <summary>The lines of <c>metrics.jsonl</c> of one kind (<c>step</c> or <c>epoch</c>), in file order. A last line
    /// cut short by a crash is ignored.</summary>
    /// <param name="lineKind"><see cref="MetricLines.Step"/> or <see cref="MetricLines.Epoch"/>.</param>
    /// <returns>The lines as JSON objects; none when the file does not exist.</returns>
    /// <exception cref="InvalidDataException">A line before the last is not JSON (the message names it).</exception>
    public IReadOnlyList<JsonObject> ReadMetricLines(string lineKind)
    {
        if (!File.Exists(MetricsPath))
            return [];
        var lines = File.ReadAllLines(MetricsPath);
        var read = new List<JsonObject>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
                continue;
            try
            {
                if (JsonNode.Parse(lines[i]) is JsonObject line && (string?)line[RunKinds.Key] == lineKind)
                    read.Add(line);
            }
            catch (JsonException) when (i == lines.Length - 1)
            {
                // the last line of a run killed mid-write
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{MetricsPath} line {i + 1} is not a metrics object: {e.Message}", e);
            }
        }
        return read;
    }

    /// <summary>The complete checkpoints, oldest first.</summary>
    /// <returns>The checkpoints (none before the first is written).</returns>
    public IReadOnlyList<CheckpointInfo> Checkpoints() => new CheckpointStore(CheckpointsPath, int.MaxValue).List();

    /// <summary>The newest complete checkpoint whose files verify (sizes and SHA-256), or null; damaged ones are passed over.</summary>
    /// <returns>The checkpoint, or null.</returns>
    public CheckpointInfo? LatestCheckpoint() =>
        new CheckpointStore(CheckpointsPath, int.MaxValue).LatestValid(log: null, RunsJson.Default.CheckpointHeader)?.Info;

    /// <summary>Deletes everything of the run, so that it starts afresh; nothing happens when the folder does not exist.</summary>
    public void Clear()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }

    /// <inheritdoc/>
    public override string ToString() => $"run {Name} ({Path})";

    /// <summary>The kind a config names, or <see cref="RunKind.Unknown"/>.</summary>
    internal static RunKind KindOf(JsonNode? config) =>
        config is JsonObject obj && obj[RunKinds.Key] is JsonValue value && value.TryGetValue<string>(out var name)
            ? RunKinds.Parse(name)
            : RunKind.Unknown;

    /// <summary><paramref name="json"/> (a <c>config.json</c>) without its kind, after checking it is <paramref name="kind"/>.</summary>
    internal static string ConfigWithoutKind(string json, RunKind kind, string where)
    {
        var config = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{where} is not a JSON object.");
        var found = KindOf(config);
        if (found != kind)
            throw new InvalidDataException(found == RunKind.Unknown
                ? $"{where} names no kind of run: it was written by an older SplitBrain, before runs named their kind. "
                  + $"Train the run again (delete its folder, {System.IO.Path.GetDirectoryName(where)}), or, if it is a {kind.Name} run, "
                  + $"add \"{RunKinds.Key}\": \"{kind.Name}\" at the top of its config.json files."
                : $"{where} is the config of a {found.Name} run, not of a {kind.Name} run.");
        config.Remove(RunKinds.Key);
        return config.ToJsonString();
    }

    /// <summary><paramref name="configJson"/> (a config record's JSON) with <c>"kind"</c> first: what <c>config.json</c> holds.</summary>
    internal static string WithKind(string configJson, RunKind kind)
    {
        var config = JsonNode.Parse(configJson)!.AsObject();
        var withKind = new JsonObject { [RunKinds.Key] = kind.Name };
        foreach (var (key, value) in config.ToList())
        {
            config.Remove(key);
            withKind[key] = value;
        }
        return withKind.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Writes <c>config.json</c> (atomically): the kind, then the config.</summary>
    internal void WriteConfig(RunKind kind, string configJson) => AtomicFile.WriteAllText(ConfigPath, WithKind(configJson, kind));

    /// <summary>Writes <c>summary.json</c> (atomically).</summary>
    internal void WriteSummary(RunSummary summary) =>
        AtomicFile.WriteAllText(SummaryPath, JsonSerializer.Serialize(summary, RunsJsonIndented.Default.RunSummary));

    /// <summary>Appends one line of JSON to <c>metrics.jsonl</c>.</summary>
    internal void AppendLine(string json)
    {
        Directory.CreateDirectory(Path);
        File.AppendAllText(MetricsPath, json + "\n");
    }

    /// <summary>
    /// Keeps only the metrics a checkpoint accounts for (step lines up to <paramref name="step"/>, epoch lines up to
    /// <paramref name="completedEpochs"/>) and removes the summary: what a run resumed from it will write again. With
    /// <paramref name="step"/> 0, every line goes (a fresh start in an old folder).
    /// </summary>
    internal void TruncateTo(long step, int completedEpochs)
    {
        if (File.Exists(MetricsPath))
        {
            // Line by line, so the order of step and epoch lines stays as written.
            var kept = new StringBuilder();
            foreach (var line in File.ReadLines(MetricsPath))
                if (Accounted(line, step, completedEpochs))
                    kept.Append(line).Append('\n');
            AtomicFile.WriteAllText(MetricsPath, kept.ToString());
        }
        if (File.Exists(SummaryPath))
            File.Delete(SummaryPath);
    }

    private static bool Accounted(string line, long step, int completedEpochs)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var lineStep = root.TryGetProperty("step", out var s) && s.TryGetInt64(out var n) ? n : long.MaxValue;
            var isEpoch = root.TryGetProperty(RunKinds.Key, out var k) && k.GetString() == MetricLines.Epoch;
            var lineEpoch = root.TryGetProperty("epoch", out var e) && e.TryGetInt32(out var m) ? m : int.MaxValue;
            return lineStep <= step && (!isEpoch || lineEpoch <= completedEpochs);
        }
        catch (JsonException)
        {
            return false; // a line cut short by a crash
        }
    }
}
