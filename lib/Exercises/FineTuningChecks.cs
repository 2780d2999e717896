using SplitBrain.Evaluation;
using static TorchSharp.torch;

namespace SplitBrain.Exercises;

/// <summary>The checks of chapter 05's exercises (fine-tuning), against <see cref="ClassificationMetrics"/>.</summary>
public static class FineTuningChecks
{
    /// <summary>
    /// Exercise 5.1: top-k accuracy. <paramref name="yours"/> takes class scores <c>[N, C]</c>, labels <c>[N]</c> (int64)
    /// and k, and returns the fraction of examples whose label is among the k highest scores.
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult TopKAccuracy(Func<Tensor, Tensor, int, double> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("5.1", "top-k accuracy",
            "logits.topk(k, dim: 1) gives the indices of the k highest scores, [N, k]; compare them with labels.unsqueeze(1) "
            + "(eq), see whether any of the k matches (.any(1)), and average over the examples.",
            4, input =>
            {
                var classes = input.Integer(2, 12);
                var n = input.Integer(1, 200);
                var k = input.Number == 1 ? 1 : input.Integer(1, classes);
                var logits = randn([n, classes], generator: input.Random);
                var labels = randint(0, classes, [n], generator: input.Random);
                input.Description = $"scores [{n}, {classes}], k = {k}";
                var metrics = new ClassificationMetrics(classes, topK: k);
                metrics.Add(logits, labels);
                return Comparison.Numbers($"top-{k} accuracy", yours(logits.clone(), labels.clone(), k), metrics.Report().TopK!.Value, 1e-9);
            });
    }

    /// <summary>
    /// Exercise 5.2: the confusion matrix. <paramref name="yours"/> takes predicted classes <c>[N]</c>, labels <c>[N]</c>
    /// (both int64) and the number of classes C, and returns <c>[C, C]</c> counts: row t, column p holds the examples of
    /// true class t predicted as p (<see cref="ClassificationReport.Confusion"/>).
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult ConfusionMatrix(Func<Tensor, Tensor, int, Tensor> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("5.2", "the confusion matrix",
            "Rows are the true class, columns the prediction. One flat index per example, label * C + prediction, counted with "
            + "bincount(null, C * C) and reshaped to [C, C]; or a loop over the examples.",
            3, input =>
            {
                var classes = input.Integer(2, 10);
                var n = input.Integer(1, 300);
                var labels = randint(0, classes, [n], generator: input.Random);
                // Mostly right, as a trained classifier is: a diagonal that a transposed matrix would not have.
                var predicted = where(rand([n], generator: input.Random).lt(0.6), labels, randint(0, classes, [n], generator: input.Random));
                input.Description = $"{n} examples of {classes} classes";
                var metrics = new ClassificationMetrics(classes, topK: 1);
                metrics.AddPredictions(predicted, labels);
                var expected = tensor(metrics.Report().Confusion.SelectMany(row => row).ToArray()).reshape(classes, classes);
                return Comparison.Tensors("confusion matrix", yours(predicted.clone(), labels.clone(), classes), expected, 0);
            });
    }
}
