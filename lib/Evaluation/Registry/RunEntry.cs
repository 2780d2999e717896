using System.Text.Json.Nodes;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Evaluation;

/// <summary>
/// One run of a <see cref="RunRegistry"/>, read from its folder: its kind, config (typed, and flattened to dotted keys),
/// metrics and final numbers. Reading needs no model and no TorchSharp.
/// </summary>
public sealed class RunEntry
{
    internal RunEntry(RunFolder folder)
    {
        Folder = folder;
        JsonNode? config = null;
        try
        {
            Kind = folder.Kind;
            // Typed and written again, so that settings an older config.json lacks read as their defaults.
            if (Kind == PretrainingRuns.Kind)
            {
                Pretraining = folder.ReadConfig();
                config = JsonNode.Parse(Pretraining.ToJson());
                PretrainMetrics = folder.ReadMetrics();
            }
            else if (Kind == FineTuneRun.Kind)
            {
                FineTuning = FineTuneRun.ReadConfig(folder);
                config = JsonNode.Parse(FineTuning.ToJson());
                FineTuneEpochs = FineTuneRun.ReadEpochs(folder);
                Result = FineTuneRun.ReadResult(folder);
            }
            else
            {
                // Says why: another kind's folder, a damaged file, or a run of an older version that named no kind.
                folder.ReadConfigJson(PretrainingRuns.Kind);
            }
            Summary = folder.ReadSummary();
            if (folder.ReadMetricLines(MetricLines.Epoch).LastOrDefault() is { } last)
                Metrics = MetricLines.Metrics(last);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException)
        {
            Problem = e.Message;
        }
        RawSettings = FlatJson.Flatten(config).Where(p => p.Key.Length > 0).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>The run's name (its folder's name).</summary>
    public string Name => Folder.Name;

    /// <summary>The run's folder.</summary>
    public RunFolder Folder { get; }

    /// <summary>What made it: the kind its <c>config.json</c> names.</summary>
    public RunKind Kind { get; }

    /// <summary>Why the run could not be read (a damaged file), or null.</summary>
    public string? Problem { get; }

    /// <summary>Every setting of its config as dotted keys (<c>Training.LearningRate</c>) and values (numbers, strings,
    /// booleans, null; lists as JSON), in the config's order.</summary>
    public IReadOnlyDictionary<string, object?> Settings => RawSettings.ToDictionary(p => p.Key, p => FlatJson.Cell(p.Value), StringComparer.Ordinal);

    /// <summary>A pretraining run's config, else null.</summary>
    public PretrainConfig? Pretraining { get; }

    /// <summary>A pretraining run's metrics (step and epoch lines), else null.</summary>
    public RunMetrics? PretrainMetrics { get; }

    /// <summary>The last epoch's metrics by name, whatever the run recorded (pretraining: its objective's, e.g. <c>lossF1</c>;
    /// fine-tuning: <c>loss</c>, <c>trainAccuracy</c>, <c>testAccuracy</c>); empty before the first epoch ends.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; } = new Dictionary<string, double>();

    /// <summary>The summary of the run's last session (<c>summary.json</c>), or null.</summary>
    public RunSummary? Summary { get; }

    /// <summary>A fine-tuning run's config, else null.</summary>
    public FineTuneRunConfig? FineTuning { get; }

    /// <summary>A fine-tuning run's epochs so far (none for other kinds).</summary>
    public IReadOnlyList<FineTuneEpoch> FineTuneEpochs { get; } = [];

    /// <summary>A fine-tuning run's result (<c>result.json</c>), or null before it has finished.</summary>
    public FineTuneResult? Result { get; }

    /// <summary>Epochs done.</summary>
    public int Epochs => PretrainMetrics?.Epochs.Count ?? (FineTuning is not null ? FineTuneEpochs.Count : 0);

    /// <summary>Wall-clock seconds the run took so far (summed over resumed sessions), or null when unknown.</summary>
    public double? Seconds =>
        PretrainMetrics is not null ? Summary?.ElapsedSeconds ?? PretrainMetrics.Epochs.LastOrDefault()?.Elapsed
        : FineTuning is not null ? Result?.Seconds ?? Summary?.ElapsedSeconds
        : null;

    /// <summary>The settings as JSON nodes, for comparisons.</summary>
    internal IReadOnlyDictionary<string, JsonNode?> RawSettings { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} run {Name}: {Epochs} epoch(s)" + (Problem is null ? "" : $" ({Problem})");
}
