using System.Globalization;
using SplitBrain.Display;
using SplitBrain.Runs;

namespace SplitBrain.Evaluation;

/// <summary>
/// What <see cref="FineTuneRun.Fit"/> returns: the run's <see cref="FineTuneResult"/> (every epoch and the final test
/// metrics, also in <c>result.json</c>), its folder and settings. Shown in a notebook as a table.
/// </summary>
public sealed class FineTuneRunResult : View
{
    internal FineTuneRunResult(FineTuneResult result, FineTuneRun run)
    {
        Result = result;
        Run = run.Run;
        Config = run.Config;
        TrainImages = run.Train.Count;
        TrainDescription = run.Train is LabeledSubset subset ? subset.Description : "all";
        LastCheckpoint = run.LastCheckpoint;
    }

    /// <summary>Every epoch and the final test metrics (<c>result.json</c>).</summary>
    public FineTuneResult Result { get; }

    /// <summary>The final test metrics: top-1, top-5, per class, confusion matrix (<see cref="EvaluationPlots"/> draws
    /// them).</summary>
    public ClassificationReport? Test => Result.Test;

    /// <summary>The run's folder.</summary>
    public RunFolder Run { get; }

    /// <summary>The settings (<c>config.json</c>).</summary>
    public FineTuneRunConfig Config { get; }

    /// <summary>Labeled training images the classifier learned from.</summary>
    public int TrainImages { get; }

    /// <summary>The last checkpoint, or null.</summary>
    public CheckpointInfo? LastCheckpoint { get; }

    /// <summary>The result as a two-column table.</summary>
    /// <returns>The table.</returns>
    public Table ToTable()
    {
        var last = Result.Epochs.Count > 0 ? Result.Epochs[^1] : null;
        var classifier = Config.Classifier;
        return new Table(["", ""],
        [
            ["run", Run.Name],
            ["network", $"{Config.Pretrained}, {classifier.Mode}"],
            ["classifier", $"{EvaluationPlots.LayerName(classifier.Layer)} pooled to {classifier.PoolSide}x{classifier.PoolSide}, dropout {classifier.Dropout.ToString(CultureInfo.InvariantCulture)}"],
            ["training images", $"{TrainImages} ({TrainDescription})"],
            ["epochs", Result.Epochs.Count],
            ["loss, last epoch", last?.Loss],
            ["training accuracy, last epoch", last?.TrainAccuracy],
            ["test", Test?.ToString() ?? "not scored"],
            ["time (s)", Result.Seconds],
            ["folder", Run.Path],
        ], "Fine-tuning result");
    }

    /// <inheritdoc/>
    public override string ToHtml() => ToTable().ToHtml();

    /// <inheritdoc/>
    public override string ToText() => ToTable().ToText();

    private string TrainDescription { get; }
}
