using System.Globalization;
namespace SplitBrain.Evaluation;

/// <summary>Where <see cref="FineTuner"/> stands, reported after every training batch.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Epochs">Epochs of the run.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">Mean loss of the epoch so far.</param>
/// <param name="Accuracy">Training accuracy of the epoch so far.</param>
/// <param name="Seconds">Time since the epoch started.</param>
public sealed record FineTuneProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double Accuracy, double Seconds)
{
    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"epoch {Epoch}/{Epochs}, batch {Batch}/{Batches}: loss {Loss:0.000}, train accuracy {ClassificationReport.Percent(Accuracy)}, {Seconds:0.0} s");
}
