using SplitBrain.Evaluation;
using SplitBrain.Models;
using static TorchSharp.torch;

namespace SplitBrain.Exercises;

/// <summary>The checks of chapter 07's exercises (the recipe study), against <see cref="VariantScores"/>.</summary>
public static class RecipeStudyChecks
{
    /// <summary>
    /// Exercise 7.1: a paired difference. <paramref name="yours"/> takes the accuracies of a recipe and of the baseline
    /// (points, one per seed, in the same seed order) and returns the mean and the sample standard deviation of their
    /// per-seed differences (<see cref="VariantScores.VersusBaseline"/>).
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult PairedDifference(Func<double[], double[], (double Mean, double Sd)> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("7.1", "a paired difference over seeds",
            "Subtract seed by seed first (d[i] = recipe[i] - baseline[i]), then the mean of d and its sample standard deviation "
            + "sqrt(sum (d - mean)^2 / (n - 1)). Not the difference of the two means' spreads.",
            3, input =>
            {
                var seeds = input.Integer(2, 6);
                var shared = Draw(input, seeds, 70, 5);                                   // what a seed does to both
                var baseline = shared.Select(s => s + Draw(input, 1, 0, 0.5)[0]).ToArray();
                var recipe = shared.Select(s => s + Draw(input, 1, 1.5, 0.8)[0]).ToArray();
                input.Description = $"{seeds} seeds: recipe {Join(recipe)}, baseline {Join(baseline)}";
                var scores = new VariantScores([.. Enumerable.Range(0, seeds).SelectMany(s => new[]
                {
                    new VariantScore("recipe", s, FeatureLayer.Conv5, recipe[s] / 100, 0.5, 0, 0),
                    new VariantScore("baseline", s, FeatureLayer.Conv5, baseline[s] / 100, 0.5, 0, 0),
                })], "baseline", "a check");
                var expected = scores.VersusBaseline("recipe", FeatureLayer.Conv5);
                var (mean, sd) = yours(recipe, baseline);
                return Comparison.All(Comparison.Numbers("mean", mean, expected.Mean, 1e-6), Comparison.Numbers("sd", sd, expected.Sd, 1e-6));
            });
    }

    /// <summary>
    /// Exercise 7.2: the 95% band. <paramref name="yours"/> takes a paired difference (mean, sd) over n seeds and says
    /// whether it clears its 95% band, a two-sided paired t-test (<see cref="VariantScores.Clears"/>).
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult ClearsBand(Func<double, double, int, bool> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("7.2", "does a difference clear its 95% band?",
            "It clears when |mean| > t * sd / sqrt(n), with t the 97.5% quantile of Student's t with n - 1 degrees of freedom: "
            + "12.706, 4.303, 3.182, 2.776, 2.571 for n = 2 to 6 (not 1.96 or 2: those are for many seeds).",
            4, input =>
            {
                var n = input.Integer(2, 6);
                var sd = 0.2 + 2 * rand([1], generator: input.Random).item<float>();
                // Differences around the band's edge, and ones a normal-distribution band (1.96) would wrongly clear.
                double[] factors = [0.5, 1.5, 2.5, 3.5, 5, 13];
                var cases = factors.Select(f => (Mean: f * sd / Math.Sqrt(n) * (input.Integer(0, 1) == 0 ? 1 : -1), Sd: sd)).ToList();
                input.Description = $"n = {n}, sd = {Comparison.Number(sd)}, means {string.Join(", ", cases.Select(c => Comparison.Number(c.Mean)))}";
                return Comparison.All([.. cases.Select(c =>
                    Comparison.Equal($"clears (mean {Comparison.Number(c.Mean)}, sd {Comparison.Number(c.Sd)}, n {n})", yours(c.Mean, c.Sd, n), VariantScores.Clears(c, n)))]);
            });
    }

    private static double[] Draw(CheckInput input, int count, double mean, double sd) =>
        [.. (randn([count], ScalarType.Float64, generator: input.Random) * sd + mean).data<double>()];

    private static string Join(double[] values) => string.Join(", ", values.Select(v => v.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)));
}
