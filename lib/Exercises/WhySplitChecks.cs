using SplitBrain.Evaluation;
using static TorchSharp.torch;

namespace SplitBrain.Exercises;

/// <summary>The checks of chapter 08's exercises (why split the brain?).</summary>
public static class WhySplitChecks
{
    /// <summary>
    /// Exercise 8.1: Holm's adjusted p-values. <paramref name="yours"/> takes the raw p-values of one family of tests and
    /// returns their Holm-adjusted p-values in the same order (<see cref="HolmBonferroni.Adjust"/>).
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult HolmAdjust(Func<double[], double[]> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("8.1", "Holm's adjusted p-values",
            "Sort ascending; the k-th smallest (k from 1) becomes min(1, (m - k + 1) * p), then take the running maximum so the "
            + "adjusted values never fall; write each back at its original position.",
            4, input =>
            {
                var m = input.Integer(2, 12);
                // Small and large p-values, some tied, so that both the multiplier and the running maximum matter.
                var p = (rand([m], ScalarType.Float64, generator: input.Random).pow(3)).data<double>().ToArray();
                p[input.Integer(0, m - 1)] = p[0];
                input.Description = $"{m} p-values: {string.Join(", ", p.Select(Comparison.Number))}";
                var expected = HolmBonferroni.Adjust(p);
                var adjusted = yours([.. p]);
                if (adjusted is null || adjusted.Length != m)
                    return Comparison.Equal("number of adjusted p-values", adjusted?.Length ?? 0, m);
                return Comparison.All([.. Enumerable.Range(0, m).Select(i => Comparison.Numbers($"adjusted p[{i}]", adjusted[i], expected[i], 1e-9))]);
            });
    }

    /// <summary>
    /// Exercise 8.2: the L2 regression loss at the target resolution. <paramref name="yours"/> takes the predicted channel
    /// values [N, C, h, w] (normalised, at the target resolution) and the true normalised channel values [N, C, H, W] at
    /// the image's resolution (H and w multiples of h and w), and returns the loss: the truth averaged over each H/h x W/w
    /// block down to h x w, then the mean of the squared differences over every value.
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult RegressionLoss(Func<Tensor, Tensor, Tensor> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("8.2", "the L2 regression loss",
            "First bring the truth to the prediction's size: nn.functional.avg_pool2d(truth, H / h) averages each block. Then "
            + "(predicted - pooled).pow(2).mean(): the mean over images, channels and pixels, not the sum.",
            3, input =>
            {
                var (n, c, h) = (input.Integer(1, 4), input.Integer(1, 3), input.Integer(2, 6));
                var factor = input.Integer(1, 4);
                var predicted = randn([n, c, h, h], generator: input.Random);
                var truth = randn([n, c, h * factor, h * factor], generator: input.Random);
                input.Description = $"predicted {Comparison.Shape(predicted)}, truth {Comparison.Shape(truth)}";
                var expected = (predicted - nn.functional.avg_pool2d(truth, factor)).pow(2).mean();
                return Comparison.Tensors("loss", yours(predicted, truth), expected, 1e-5);
            });
    }
}
