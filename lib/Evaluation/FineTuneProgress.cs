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
    /// <summary>A progress that ignores every report: <c>run.Fit(FineTuneProgress.None)</c> trains silently.</summary>
    public static IProgress<FineTuneProgress> None { get; } = new ProgressRelay<FineTuneProgress>(_ => { });

    /// <summary>The fraction of the run's epochs done, 0..1.</summary>
    public double Fraction => Epochs <= 0 || Batches <= 0 ? 1 : Math.Min(1, (Epoch - 1 + (double)Batch / Batches) / Epochs);

    /// <summary>A progress bar with the numbers, for <see cref="Display.LiveProgress{T}"/>:
    /// <c>new LiveProgress&lt;FineTuneProgress&gt;(p =&gt; p.ToView())</c>.</summary>
    /// <param name="title">What is training, e.g. "fine-tuning ft-10".</param>
    /// <param name="more">Named values shown after the epoch's loss, accuracy and time (e.g. the last test accuracy).</param>
    /// <returns>The view (HTML in notebooks, one line in a console).</returns>
    public Display.ProgressView ToView(string title = "fine-tuning", IReadOnlyList<(string Name, string Value)>? more = null) => new(
        title,
        Fraction,
        $"epoch {Epoch}/{Epochs}, batch {Batch}/{Batches}",
        [
            ("loss", Loss.ToString("0.000", CultureInfo.InvariantCulture)),
            ("train acc", ClassificationReport.Percent(Accuracy)),
            ("epoch time", Seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"),
            .. more ?? [],
        ]);

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"epoch {Epoch}/{Epochs}, batch {Batch}/{Batches}: loss {Loss:0.000}, train accuracy {ClassificationReport.Percent(Accuracy)}, {Seconds:0.0} s");
}
