using SplitBrain.Evaluation;

namespace SplitBrain.Tests.Evaluation;

public class HolmBonferroniTests
{
    [Fact]
    public void Adjust_HandWorkedExample_StepsDownAndKeepsTheOrder()
    {
        // Sorted: 0.005 x 4 = 0.02; 0.01 x 3 = 0.03; 0.03 x 2 = 0.06; 0.04 x 1 = 0.04, raised to 0.06 (monotone).
        double[] p = [0.01, 0.04, 0.03, 0.005];

        var adjusted = HolmBonferroni.Adjust(p);

        Assert.Equal([0.03, 0.06, 0.06, 0.02], adjusted, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([true, false, false, true], HolmBonferroni.Rejects(p));
    }

    [Fact]
    public void Adjust_CapsAtOne_AndLeavesNaNOutOfTheCount()
    {
        double[] p = [0.02, double.NaN, 0.6];

        var adjusted = HolmBonferroni.Adjust(p);

        Assert.Equal(0.04, adjusted[0], 1e-12);   // m = 2, not 3
        Assert.True(double.IsNaN(adjusted[1]));
        Assert.Equal(0.6, adjusted[2], 1e-12);
        Assert.Equal(1.0, HolmBonferroni.Adjust([0.5, 0.6, 0.7])[0], 1e-12);
    }

    [Fact]
    public void Adjust_OneTest_IsUnchanged_AndBadValuesAreRefused()
    {
        Assert.Equal(0.03, HolmBonferroni.Adjust([0.03])[0], 1e-12);
        Assert.Empty(HolmBonferroni.Adjust([]));
        var error = Assert.Throws<ArgumentException>(() => HolmBonferroni.Adjust([0.1, 1.5]));
        Assert.Contains("1.5", error.Message);
    }
}
