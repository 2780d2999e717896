using System.Globalization;

namespace SplitBrain.Evaluation;

/// <summary>
/// What a classifier got right on a labeled set: the confusion matrix and the accuracies derived from it (overall top-1
/// and top-k, per class, mean per class). Made by <see cref="ClassificationMetrics.Report"/>; plain values, so it saves as
/// JSON with a run and renders with <see cref="EvaluationPlots"/>.
/// </summary>
/// <param name="ClassNames">One name per class, in label order.</param>
/// <param name="Confusion">C x C counts: <c>Confusion[t][p]</c> examples of true class t were predicted as p (rows = true
/// class, as scikit-learn's <c>confusion_matrix</c>).</param>
/// <param name="K">The k of <see cref="TopK"/>.</param>
/// <param name="TopK">Fraction of examples whose true class is among the k highest scores; null when some examples were
/// added as hard predictions only.</param>
public sealed record ClassificationReport(
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<IReadOnlyList<long>> Confusion,
    int K,
    double? TopK)
{
    /// <summary>Number of classes C.</summary>
    public int Classes => ClassNames.Count;

    /// <summary>Number of examples (the sum of the confusion matrix).</summary>
    public long Count => Confusion.Sum(row => row.Sum());

    /// <summary>Examples predicted correctly (the diagonal's sum).</summary>
    public long Correct => Enumerable.Range(0, Classes).Sum(c => Confusion[c][c]);

    /// <summary>Top-1 accuracy: <see cref="Correct"/> / <see cref="Count"/>, in [0, 1].</summary>
    public double Top1 => (double)Correct / Count;

    /// <summary>Examples of each true class (the row sums).</summary>
    public IReadOnlyList<long> ClassCounts => Confusion.Select(row => row.Sum()).ToArray();

    /// <summary>Accuracy on each true class (diagonal over row sum), null for a class without examples.</summary>
    public IReadOnlyList<double?> PerClassAccuracy =>
        Enumerable.Range(0, Classes).Select(c => ClassCounts[c] == 0 ? (double?)null : (double)Confusion[c][c] / ClassCounts[c]).ToArray();

    /// <summary>
    /// The mean of <see cref="PerClassAccuracy"/> over the classes that have examples (balanced accuracy): equals
    /// <see cref="Top1"/> on a balanced test set, and is the fairer number on an unbalanced one.
    /// </summary>
    public double MeanPerClassAccuracy => PerClassAccuracy.Where(a => a.HasValue).Average(a => a!.Value);

    /// <summary>The confusion matrix with each row divided by its sum (a row without examples stays zero): entry
    /// [t][p] is the fraction of class t predicted as p.</summary>
    public IReadOnlyList<IReadOnlyList<double>> RowNormalized() =>
        Confusion.Select(row =>
        {
            var total = row.Sum();
            return (IReadOnlyList<double>)row.Select(n => total == 0 ? 0.0 : (double)n / total).ToArray();
        }).ToArray();

    /// <summary>"top-1 83.4% (1668/2000), top-5 99.1%, mean per class 83.4%".</summary>
    public override string ToString()
    {
        var text = $"top-1 {Percent(Top1)} ({Correct}/{Count})";
        if (TopK is { } topK)
            text += $", top-{K} {Percent(topK)}";
        return text + $", mean per class {Percent(MeanPerClassAccuracy)}";
    }

    /// <summary>A fraction as a percentage with one decimal, the same in every culture: 0.8345 is "83.5%".</summary>
    public static string Percent(double? fraction) =>
        fraction is { } f ? (100 * f).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a";
}
