using SplitBrain.Display;
using SplitBrain.Runs;

namespace SplitBrain.Training;

/// <summary>What <see cref="Pretrainer.Fit"/> returns: the summary, where the run is, and the last preview. Shown as a table
/// and the preview.</summary>
public sealed class PretrainResult : View
{
    internal PretrainResult(RunSummary summary, RunFolder run, CheckpointInfo? lastCheckpoint, ImageGrid? lastPreview)
    {
        Summary = summary;
        Run = run;
        LastCheckpoint = lastCheckpoint;
        LastPreview = lastPreview;
    }

    /// <summary>The run's summary (also in its <c>summary.json</c>).</summary>
    public RunSummary Summary { get; }

    /// <summary>The run's folder.</summary>
    public RunFolder Run { get; }

    /// <summary>The last checkpoint, or null.</summary>
    public CheckpointInfo? LastCheckpoint { get; }

    /// <summary>The last epoch's preview, or null.</summary>
    public ImageGrid? LastPreview { get; }

    /// <summary>The summary as a two-column table.</summary>
    /// <returns>The table.</returns>
    public Table ToTable() => new(["", ""],
    [
        ["run", Summary.Run],
        .. Summary.Budget is { } budget ? new object?[][] { ["budget", budget.ToString()] } : [],
        ["steps", Summary.Steps],
        ["epochs", Summary.Budget is null ? Summary.Epochs : Math.Round(Summary.EpochsTrained, 2)],
        ["images", Summary.Images],
        .. Summary.Metrics.Select(m => new object?[] { $"{TrainingProgress.Label(m.Key)}, last epoch", m.Value }), // whatever the objective named
        ["images/s", Summary.ImagesPerSecond],
        ["training time (s)", Summary.TrainSeconds],
        ["device", $"{Summary.Device}, {Summary.Threads} threads, {Summary.Precision}"],
        ["GC guard per step (ms)", Summary.GcGuardMilliseconds],
        ["folder", Run.Path],
        ["last checkpoint", LastCheckpoint?.Path],
    ], "Pretraining result");

    /// <inheritdoc/>
    public override string ToHtml() => ToTable().ToHtml() + (LastPreview?.ToHtml() ?? "");

    /// <inheritdoc/>
    public override string ToText() => ToTable().ToText();
}
