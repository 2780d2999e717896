using SplitBrain.Evaluation;
using SplitBrain.Models;

namespace SplitBrain.Tests.Evaluation;

public class VariantScoresTests
{
    // Baseline 70/72/74 %, a variant 2 points above it on every seed (a paired difference of 2 +- 0), another one point
    // below on one seed and above on the others; random+BN floor 60/61/62 %.
    private static VariantScores Example() => new(
    [
        .. new[] { 0.70, 0.72, 0.74 }.Select((a, seed) => new VariantScore("baseline", seed, FeatureLayer.Conv5, a, 0.60 + 0.01 * seed, 1000, 500)),
        .. new[] { 0.72, 0.74, 0.76 }.Select((a, seed) => new VariantScore("better", seed, FeatureLayer.Conv5, a, 0.60 + 0.01 * seed, 800, 400)),
        .. new[] { 0.69, 0.73, 0.75 }.Select((a, seed) => new VariantScore("noisy", seed, FeatureLayer.Conv5, a, 0.60 + 0.01 * seed, 1200, 600)),
    ], "baseline", "1 min");

    [Fact]
    public void Summary_MeanAndSpreadOverSeeds_PairedDifferences_MarkedWhereTheyClearTheNoise()
    {
        var table = Example().Summary();

        Assert.Equal(["recipe", "steps", "images/s", "conv5 (%)", "conv5 vs baseline (pts)", "conv5 vs baseline p (Holm)",
            "conv5 vs random+BN (pts)", "conv5 vs random+BN p (Holm)"], table.Columns);
        // Against random+BN, p = 1 - t / sqrt(t^2 + 2) with t = mean / (1 / sqrt 3): 13 ± 1 gives 0.0020, times 3 (the
        // smallest of three) 0.0059; 11 ± 1 gives 0.0027, times 2 0.0055, raised to 0.0059 (Holm's adjusted p never falls).
        Assert.Equal(new object?[] { "baseline", 1000.0, 500.0, "72.0 ± 2.0", null, null, "11.0 ± 1.0 *", "0.006" }, table.Rows[0]);
        Assert.Equal(new object?[] { "better", 800.0, 400.0, "74.0 ± 2.0", "2.0 *", "< 0.001", "13.0 ± 1.0 *", "0.006" }, table.Rows[1]); // paired: no spread
        Assert.Equal("0.3 ± 1.2", table.Rows[2][4]);                                                           // -1, +1, +1: inside the noise
        Assert.Equal(new object?[] { "random+BN (no pretraining)", null, null, "61.0 ± 1.0", null, null, null, null }, table.Rows[3]);
        Assert.Contains("3 seed(s)", table.Title);
    }

    [Fact]
    public void AdjustedVersusBaseline_IsHolmOverEveryVariantAndLayer()
    {
        var scores = Example();

        var adjusted = scores.AdjustedVersusBaseline();

        Assert.Equal(2, adjusted.Count);                                                 // the baseline is not tested against itself
        var raw = new[] { scores.PValueVersusBaseline("better", FeatureLayer.Conv5), scores.PValueVersusBaseline("noisy", FeatureLayer.Conv5) };
        Assert.Equal(HolmBonferroni.Adjust(raw)[1], adjusted[("noisy", FeatureLayer.Conv5)], 1e-12);
        Assert.True(adjusted[("noisy", FeatureLayer.Conv5)] >= raw[1]);
    }

    [Fact]
    public void Clears_IsAPairedTTest_NeedingTwoSeeds()
    {
        Assert.False(VariantScores.Clears((5, 0), 1));
        Assert.True(VariantScores.Clears((2, 1), 4));      // 2 > 3.18 * 1 / 2
        Assert.False(VariantScores.Clears((1.5, 1), 4));   // 1.5 < 1.59: two standard errors would have passed it
        Assert.False(VariantScores.Clears((1.9, 1.0), 3)); // 1.9 < 4.30 * 1 / sqrt(3) = 2.48
        Assert.True(VariantScores.Clears((2.0, 0.5), 3));  // 2.0 > 1.24
        Assert.False(VariantScores.Clears((4, 0.5), 2));   // 4 < 12.71 * 0.5 / sqrt(2) = 4.49, for all its tiny sd
    }

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(2, 4.303)]
    [InlineData(9, 2.262)]
    [InlineData(15, 2.131)]
    [InlineData(30, 2.042)]
    [InlineData(40, 2.021)]
    [InlineData(60, 2.000)]
    [InlineData(1000, 1.962)]
    public void StudentT975_MatchesTheTables(int degrees, double t) =>
        Assert.Equal(t, VariantScores.StudentT975(degrees), 0.005);

    [Fact]
    public void Chart_OnePointPerRecipe_WithItsSpread_AndTheBaselineAndFloorLines()
    {
        var figure = System.Text.RegularExpressions.Regex.Unescape(Example().Chart().FigureJson); // JSON escapes '+'

        Assert.Contains("\"error_y\"", figure);
        Assert.Contains("\"better\"", figure);
        Assert.Contains("random+BN", figure);
        Assert.Contains("\"y0\":72", figure);
    }

    [Fact]
    public void NoBaselineScore_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new VariantScores([new VariantScore("a", 0, FeatureLayer.Conv5, 0.5, 0.4, 1, 1)], "baseline", "1 min"));
        Assert.Contains("baseline", error.Message);
    }
}
