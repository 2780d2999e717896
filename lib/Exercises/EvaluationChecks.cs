using SplitBrain.Evaluation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Exercises;

/// <summary>The checks of chapter 06's exercises (evaluation).</summary>
public static class EvaluationChecks
{
    /// <summary>
    /// Exercise 6.1: BatchNorm re-estimation. <paramref name="yours"/> takes a network (in eval mode, with statistics from
    /// earlier training) and a few batches of inputs, and replaces every BatchNorm's running mean and variance with their
    /// plain average over the batches, leaving the weights, the mode and the momenta as they were
    /// (<see cref="BatchNormStatistics.Reestimate(nn.Module, IReadOnlyCollection{NormBase}, int, Action{int}, ScalarType, CancellationToken)"/>).
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult BatchNormReestimation(Action<nn.Module<Tensor, Tensor>, IReadOnlyList<Tensor>> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("6.1", "BatchNorm re-estimation",
            "For every BatchNorm (model.modules().OfType<BatchNorm2d>()): reset_running_stats() and momentum = null (a plain "
            + "average: batch k counts 1/k); then model.train() and, under no_grad(), one forward pass per batch; afterwards put "
            + "the momenta back and model.eval().",
            2, input =>
            {
                var (mine, reference) = (SmallNetwork(), SmallNetwork());
                using (mine)
                using (reference)
                {
                    var size = input.Integer(6, 12);
                    var earlier = randn([8, 3, size, size], generator: input.Random) * 2 + 1;
                    mine.train();
                    using (no_grad()) mine.call(earlier);                 // statistics of earlier training, to be replaced
                    mine.eval();
                    reference.load_state_dict(mine.state_dict());
                    reference.eval();
                    var count = input.Integer(2, 5);
                    var batches = Enumerable.Range(0, count).Select(_ => randn([input.Integer(2, 6), 3, size, size], generator: input.Random) * 3 - 1).ToList();
                    input.Description = $"a small network (conv, BatchNorm, ReLU, conv, BatchNorm) and {count} batches of {size}x{size} inputs";
                    yours(mine, batches);
                    var norms = reference.modules().OfType<NormBase>().ToList();
                    BatchNormStatistics.Reestimate(reference, norms, count, b => reference.call(batches[b]), ScalarType.Float32);
                    var comparisons = new List<Comparison> { Comparison.Equal("mode afterwards (training?)", mine.training, false) };
                    foreach (var (a, b) in mine.modules().OfType<NormBase>().Zip(norms))
                    {
                        comparisons.Add(Comparison.Equal("momentum afterwards", a.momentum, b.momentum));
                        comparisons.Add(Comparison.Tensors("running mean", a.running_mean, b.running_mean!, 1e-4));
                        comparisons.Add(Comparison.Tensors("running variance", a.running_var, b.running_var!, 1e-4));
                    }
                    comparisons.Add(Comparison.Tensors("weights", FlatParameters(mine), FlatParameters(reference), 0));
                    return Comparison.All([.. comparisons]);
                }
            });
    }

    /// <summary>
    /// Exercise 6.2: a linear probe. <paramref name="yours"/> takes training features <c>[N, D]</c>, their labels
    /// <c>[N]</c> (int64), the number of classes and test features <c>[M, D]</c>, fits a linear classifier on the
    /// training features and returns its class scores for the test features <c>[M, C]</c>. It passes when its test
    /// accuracy is within 3 points of the library's probe (<see cref="LinearProbe.Fit"/>) on the same features: two
    /// optimisers do not agree to the last digit, but a working probe agrees to a few points.
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult LinearProbeAccuracy(Func<Tensor, Tensor, int, Tensor, Tensor> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("6.2", "a linear probe on frozen features",
            "Standardise with the training features' mean and std (the features' scales differ a lot); a weight [D, C] and a bias "
            + "[C] with requires_grad; a few hundred steps of optim.Adam (lr 0.01) on functional.cross_entropy(x.matmul(W) + b, labels) "
            + "plus a small L2 term; apply the same standardisation to the test features.",
            1, input =>
            {
                var (classes, dimension) = (input.Integer(3, 6), input.Integer(16, 48));
                var (train, test) = (300, 500);
                var means = randn([classes, dimension], generator: input.Random) * 0.45;
                var scales = (rand([dimension], generator: input.Random) * 3 - 1.5).exp();      // 0.2 .. 4.5
                var offsets = randn([dimension], generator: input.Random) * 5;
                Tensor Features(Tensor labels) => (means.index_select(0, labels) + randn([labels.shape[0], dimension], generator: input.Random)) * scales + offsets;
                var (trainLabels, testLabels) = (randint(0, classes, [train], generator: input.Random), randint(0, classes, [test], generator: input.Random));
                var (trainFeatures, testFeatures) = (Features(trainLabels), Features(testLabels));
                input.Description = $"{classes} overlapping Gaussian classes in {dimension} dimensions of different scales, {train} training and {test} test examples";
                using var probe = LinearProbe.Fit(trainFeatures, trainLabels, classes, LinearProbeConfig.Default with { Precision = Models.Precision.Float32 });
                var expected = Accuracy(probe.call(testFeatures), testLabels);
                var scores = yours(trainFeatures.clone(), trainLabels.clone(), classes, testFeatures.clone());
                if (scores is null || !scores.shape.SequenceEqual(new long[] { test, classes }))
                    return new Comparison(false, $"your scores have shape {(scores is null ? "null" : Comparison.Shape(scores))}; expected [{test}, {classes}]");
                var accuracy = Accuracy(scores, testLabels);
                var agrees = accuracy >= expected - 0.03;
                return new Comparison(agrees,
                    $"test accuracy: yours {100 * accuracy:F1}%, the library's probe {100 * expected:F1}% ({(agrees ? "within" : "more than")} 3 points below)",
                    Math.Abs(expected - accuracy) / expected);
            });
    }

    private static double Accuracy(Tensor scores, Tensor labels)
    {
        using var _ = no_grad();
        return scores.argmax(1).eq(labels).to_type(ScalarType.Float64).mean().item<double>();
    }

    private static nn.Module<Tensor, Tensor> SmallNetwork() => nn.Sequential(
        ("conv1", nn.Conv2d(3, 8, 3)), ("norm1", nn.BatchNorm2d(8)), ("relu1", nn.ReLU()),
        ("conv2", nn.Conv2d(8, 6, 3)), ("norm2", nn.BatchNorm2d(6)));

    /// <summary>Every parameter of <paramref name="module"/>, flattened into one vector (detached).</summary>
    internal static Tensor FlatParameters(nn.Module module)
    {
        using var _ = no_grad();
        return cat([.. module.parameters().Select(p => p.detach().flatten())]);
    }
}
