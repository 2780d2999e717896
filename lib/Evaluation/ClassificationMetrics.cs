using SplitBrain.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Evaluation;

/// <summary>
/// Accumulates the counts behind a classifier's accuracy batch by batch: top-1 and top-k hits, and the confusion matrix
/// (rows = true class, columns = predicted class), from which <see cref="Report"/> derives every number of a
/// <see cref="ClassificationReport"/>.
/// </summary>
/// <remarks>
/// <para>Only counts are kept (a <c>C x C</c> array of longs and two totals), on the CPU, so an evaluation of any length
/// holds no tensors: each <see cref="Add(Tensor, Tensor)"/> reduces its batch on the batch's device (top-k, then one
/// <c>bincount</c> of <c>true * C + predicted</c>) and reads back C * C + 1 numbers.</para>
/// <para>Ties between equal logits go to the lower class index for top-1 (as <c>argmax</c>); top-k takes
/// <c>topk</c>'s choice among ties. Inputs are read without autograd and never disposed.</para>
/// <example><code>
/// var metrics = new ClassificationMetrics(10, classNames: dataset.Classes);
/// foreach (var batch in batches) metrics.Add(model.call(batch.Images), batch.Labels);
/// var report = metrics.Report(); // report.Top1, report.Confusion, ...
/// </code></example>
/// </remarks>
public sealed class ClassificationMetrics
{
    private readonly long[] _confusion;
    private long _count;
    private long _topKHits;
    private long _scored; // examples that came with logits, so top-k is known for them

    /// <summary>An empty accumulator.</summary>
    /// <param name="classes">Number of classes C, at least 2.</param>
    /// <param name="topK">The k of top-k accuracy, at least 1; 5 by default (ImageNet's convention). Capped at
    /// <paramref name="classes"/> (top-C accuracy is 1).</param>
    /// <param name="classNames">One name per class for reports and charts; "0", "1", ... when null.</param>
    /// <exception cref="ArgumentException">A count is out of range, or the names are not one per class.</exception>
    public ClassificationMetrics(int classes, int topK = 5, IReadOnlyList<string>? classNames = null)
    {
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"{nameof(classes)} must be at least 2; got {classes}.");
        if (topK < 1)
            throw new ArgumentOutOfRangeException(nameof(topK), topK, $"{nameof(topK)} must be at least 1; got {topK}.");
        if (classNames is not null && classNames.Count != classes)
            throw new ArgumentException(
                $"{nameof(classNames)} must hold one name per class ({classes}); got {classNames.Count}.", nameof(classNames));
        Classes = classes;
        TopK = Math.Min(topK, classes);
        ClassNames = classNames is null
            ? Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()
            : [.. classNames];
        _confusion = new long[classes * classes];
    }

    /// <summary>Number of classes C.</summary>
    public int Classes { get; }

    /// <summary>The k of top-k accuracy (at most <see cref="Classes"/>).</summary>
    public int TopK { get; }

    /// <summary>The class names, one per class.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Examples added so far.</summary>
    public long Count => _count;

    /// <summary>Adds a batch of scores: the top-1 prediction is the highest score, top-k the k highest.</summary>
    /// <param name="logits">[N, C] logits (or probabilities: any score whose order ranks the classes), floating point.</param>
    /// <param name="labels">[N] int64 true classes in 0..C-1, on the logits' device.</param>
    /// <exception cref="ArgumentException">A shape, dtype, device or label value does not fit.</exception>
    public void Add(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.dim() != 2 || logits.shape[1] != Classes || !logits.is_floating_point())
            throw new ArgumentException(
                $"{nameof(logits)} must be [N, {Classes}] floating-point scores; got {TensorArguments.Describe(logits)}.", nameof(logits));
        CheckLabels(labels, logits.shape[0], logits, nameof(logits));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var top = logits.topk(TopK, dim: 1).indexes;                         // [N, k], best first
        var hits = top.eq(labels.unsqueeze(1)).any(1).sum().item<long>();
        Accumulate(top.select(1, 0), labels);
        _topKHits += hits;
        _scored += labels.shape[0];
    }

    /// <summary>Adds a batch of hard predictions (top-k is then unknown for these examples: see
    /// <see cref="ClassificationReport.TopK"/>).</summary>
    /// <param name="predictions">[N] int64 predicted classes in 0..C-1.</param>
    /// <param name="labels">[N] int64 true classes in 0..C-1, on the predictions' device.</param>
    /// <exception cref="ArgumentException">A shape, dtype, device or value does not fit.</exception>
    public void AddPredictions(Tensor predictions, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        if (predictions.dim() != 1 || predictions.dtype != ScalarType.Int64)
            throw new ArgumentException(
                $"{nameof(predictions)} must be [N] int64 classes; got {TensorArguments.Describe(predictions)}.", nameof(predictions));
        CheckLabels(labels, predictions.shape[0], predictions, nameof(predictions));
        CheckRange(predictions, nameof(predictions));
        using var scope = NewDisposeScope();
        Accumulate(predictions, labels);
    }

    /// <summary>Adds hard predictions given as arrays (e.g. from a classifier outside torch).</summary>
    /// <param name="predictions">Predicted classes in 0..C-1.</param>
    /// <param name="labels">True classes in 0..C-1, as many as <paramref name="predictions"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ or a value is out of range.</exception>
    public void AddPredictions(IReadOnlyList<long> predictions, IReadOnlyList<long> labels)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(labels);
        if (predictions.Count != labels.Count)
            throw new ArgumentException(
                $"{nameof(labels)} must hold one label per prediction ({predictions.Count}); got {labels.Count}.", nameof(labels));
        for (var i = 0; i < labels.Count; i++)
        {
            RequireClass(labels[i], i, nameof(labels));
            RequireClass(predictions[i], i, nameof(predictions));
        }
        for (var i = 0; i < labels.Count; i++)
            _confusion[labels[i] * Classes + predictions[i]]++;
        _count += labels.Count;
    }

    /// <summary>Forgets everything added.</summary>
    public void Reset()
    {
        Array.Clear(_confusion);
        (_count, _topKHits, _scored) = (0, 0, 0);
    }

    /// <summary>The metrics of everything added so far; the accumulator can go on after it.</summary>
    /// <returns>A report; <see cref="ClassificationReport.TopK"/> is null unless every example came with logits.</returns>
    /// <exception cref="InvalidOperationException">Nothing was added (an accuracy of no examples is undefined).</exception>
    public ClassificationReport Report()
    {
        if (_count == 0)
            throw new InvalidOperationException("No examples were added: an accuracy over none is undefined.");
        var rows = new IReadOnlyList<long>[Classes];
        for (var t = 0; t < Classes; t++)
            rows[t] = _confusion.AsSpan(t * Classes, Classes).ToArray();
        double? topK = _scored == _count ? (double)_topKHits / _count : null;
        return new ClassificationReport(ClassNames, rows, TopK, topK);
    }

    /// <inheritdoc/>
    public override string ToString() => $"ClassificationMetrics: {_count} examples, {Classes} classes, top-{TopK}";

    // Adds [N] predictions against [N] labels (both int64 on one device) into the confusion counts.
    private void Accumulate(Tensor predictions, Tensor labels)
    {
        var cells = labels.mul(Classes).add_(predictions);                  // [N]: row-major cell of each example
        var counts = cells.bincount(null, minlength: Classes * Classes).cpu();     // [C * C] int64
        var values = counts.data<long>();
        for (var i = 0; i < _confusion.Length; i++)
            _confusion[i] += values[i];
        _count += labels.shape[0];
    }

    private void CheckLabels(Tensor labels, long count, Tensor other, string otherName)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.dim() != 1 || labels.dtype != ScalarType.Int64 || labels.shape[0] != count)
            throw new ArgumentException(
                $"{nameof(labels)} must be [{count}] int64 classes (one per row of {otherName}); got {TensorArguments.Describe(labels)}.",
                nameof(labels));
        if (labels.device_type != other.device_type || labels.device_index != other.device_index)
            throw new ArgumentException($"{nameof(labels)} are on {labels.device} but {otherName} on {other.device}.", nameof(labels));
        CheckRange(labels, nameof(labels));
    }

    // Out-of-range classes would land in another cell of the confusion matrix (or past its end) without an error;
    // -1 is what unlabeled datasets report.
    private void CheckRange(Tensor values, string paramName)
    {
        if (values.numel() == 0)
            return;
        using var scope = NewDisposeScope();
        var (min, max) = (values.min().item<long>(), values.max().item<long>());
        if (min < 0 || max >= Classes)
            throw new ArgumentException(
                $"{paramName} must be classes in 0..{Classes - 1}; got values from {min} to {max}" +
                (min == -1 ? " (-1 is the label of an unlabeled image)." : "."), paramName);
    }

    private void RequireClass(long value, int index, string paramName)
    {
        if (value < 0 || value >= Classes)
            throw new ArgumentException($"{paramName}[{index}] = {value} is not a class in 0..{Classes - 1}.", paramName);
    }
}
