using System.Globalization;
namespace SplitBrain.Evaluation;

/// <summary>What <see cref="FineTuner.Fit"/> did: every epoch, and the final test metrics.</summary>
/// <param name="Name">A label for charts and tables, e.g. "fine-tuned", "scratch"; the mode's name by default.</param>
/// <param name="Mode">What was trained.</param>
/// <param name="Epochs">One record per epoch, in order.</param>
/// <param name="Test">Metrics on the test set after the last epoch; null when no test set was given.</param>
/// <param name="Seconds">Time of the whole run, scoring included.</param>
public sealed record FineTuneResult(
    string Name,
    ClassifierMode Mode,
    IReadOnlyList<FineTuneEpoch> Epochs,
    ClassificationReport? Test,
    double Seconds)
{
    /// <summary>Mean time of a training epoch.</summary>
    public double SecondsPerEpoch => Epochs.Count == 0 ? 0 : Epochs.Average(e => e.Seconds);

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}: {Epochs.Count} epochs, {SecondsPerEpoch:0.0} s each") + (Test is null ? "" : $"; test {Test}");
}

/// <summary>One epoch of <see cref="FineTuner"/>: its training loss and accuracy, and the test accuracy when scored.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Loss">Mean cross-entropy over the epoch's batches (weighted by batch size).</param>
/// <param name="TrainAccuracy">Top-1 accuracy on the (augmented) training batches, in training mode (dropout on).</param>
/// <param name="Seconds">Time the epoch took, scoring excluded.</param>
/// <param name="TestAccuracy">Test top-1 accuracy after the epoch; null when the test set was not scored.</param>
public sealed record FineTuneEpoch(int Epoch, double Loss, double TrainAccuracy, double Seconds, double? TestAccuracy = null);
