using SplitBrain.Display;

namespace SplitBrain.Training;

/// <summary>
/// What <see cref="Pretrainer.Fit"/> returns: the run's summary, where its files are, and the last colorization
/// preview. Shown in a notebook as a table and the preview.
/// </summary>
public sealed class PretrainResult : View
{
    internal PretrainResult(PretrainSummary summary, RunFolder run, CheckpointInfo? lastCheckpoint, ImageGrid? lastPreview)
    {
        Summary = summary;
        Run = run;
        LastCheckpoint = lastCheckpoint;
        LastPreview = lastPreview;
    }

    /// <summary>The numbers (also in <c>summary.json</c>).</summary>
    public PretrainSummary Summary { get; }

    /// <summary>The run's folder: metrics, previews, checkpoints.</summary>
    public RunFolder Run { get; }

    /// <summary>The last checkpoint, or null.</summary>
    public CheckpointInfo? LastCheckpoint { get; }

    /// <summary>The colorization preview of the last epoch of this session, or null (no previews, or no epoch ended).</summary>
    public ImageGrid? LastPreview { get; }

    /// <summary>The summary as a two-column table.</summary>
    /// <returns>The table.</returns>
    public Table ToTable() => new(["", ""],
    [
        ["run", Summary.Run],
        ["steps", Summary.Steps],
        ["epochs", Summary.Epochs],
        ["loss F1 (L \u2192 ab), last epoch", Summary.LossF1],
        ["loss F2 (ab \u2192 L), last epoch", Summary.LossF2],
        ["pixel accuracy F1", Summary.AccuracyF1],
        ["pixel accuracy F2", Summary.AccuracyF2],
        ["images/s", Summary.ImagesPerSecond],
        ["training time (s)", Summary.TrainSeconds],
        ["device", $"{Summary.Device}, {Summary.Threads} threads"],
        ["GC guard per step (ms)", Summary.GcGuardMilliseconds],
        ["folder", Run.Path],
        ["last checkpoint", LastCheckpoint?.Path],
    ], "Pretraining result");

    /// <inheritdoc/>
    public override string ToHtml() => ToTable().ToHtml() + (LastPreview?.ToHtml() ?? "");

    /// <inheritdoc/>
    public override string ToText() => ToTable().ToText();
}
