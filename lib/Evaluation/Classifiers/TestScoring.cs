using System.Collections.ObjectModel;
using System.Text.Json.Nodes;
using SplitBrain.Data;
using SplitBrain.Runs;

namespace SplitBrain.Evaluation;

/// <summary>
/// Test scoring of a classifier's training, as an observer of the engine (<see cref="IRunObserver"/>): at the end of every
/// epoch with <see cref="ClassifierTrainingConfig.EvaluateEveryEpoch"/>, and when training ends (<see cref="EpochEnd.Last"/>), it
/// scores the test images (<see cref="FineTuner.Score"/>) and adds <c>testAccuracy</c> to the epoch's metrics and line; it
/// also keeps the epochs as <see cref="FineTuneEpoch"/> records for an in-memory result. The last test accuracy survives a
/// resume (<see cref="ICheckpointed"/>).
/// </summary>
/// <param name="tuner">The classifier's trainer (scores it).</param>
/// <param name="task">The classifier's task (times its epochs).</param>
/// <param name="train">The training images (for the BatchNorm statistics before scoring).</param>
/// <param name="test">The test images, or null to score nothing.</param>
internal sealed class TestScoring(FineTuner tuner, ClassifierTask task, IImageDataset train, IImageDataset? test) : IRunObserver, ICheckpointed
{
    /// <summary>The metric it adds to an epoch.</summary>
    internal const string Metric = "testAccuracy";

    private readonly List<FineTuneEpoch> _epochs = [];

    /// <summary>The test metrics of the last epoch that ended, or null when it was not scored.</summary>
    internal ClassificationReport? LastReport { get; private set; }

    /// <summary>The last test accuracy scored (also after a resume), or null.</summary>
    internal double? LastTestAccuracy { get; private set; }

    /// <summary>The epochs trained in this process, with their test accuracy where scored.</summary>
    internal IReadOnlyList<FineTuneEpoch> Epochs => _epochs;

    /// <inheritdoc/>
    public string StateName => "testScoring";

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, double> MeasureEpoch(Trainer trainer, EpochEnd end, CancellationToken cancellationToken)
    {
        LastReport = null;
        if (test is null || !(tuner.Config.EvaluateEveryEpoch || end.Last))
            return ReadOnlyDictionary<string, double>.Empty;
        LastReport = tuner.Score(train, test, cancellationToken);
        LastTestAccuracy = LastReport.Top1;
        return new Dictionary<string, double> { [Metric] = LastReport.Top1 };
    }

    /// <inheritdoc/>
    public void AfterEpoch(Trainer trainer, EpochReport epoch) =>
        _epochs.Add(new FineTuneEpoch(epoch.End.Epoch, epoch.Metrics["loss"], epoch.Metrics["trainAccuracy"], task.EpochSeconds,
            epoch.Metrics.TryGetValue(Metric, out var accuracy) ? accuracy : null));

    /// <inheritdoc/>
    public JsonNode? SaveState() => LastTestAccuracy is { } accuracy ? new JsonObject { [Metric] = accuracy } : null;

    /// <inheritdoc/>
    public void LoadState(JsonNode? state) =>
        LastTestAccuracy = state?[Metric] is JsonValue v && v.TryGetValue<double>(out var accuracy) ? accuracy : null;
}
