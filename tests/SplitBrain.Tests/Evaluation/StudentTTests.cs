using SplitBrain.Evaluation;

namespace SplitBrain.Tests.Evaluation;

public class StudentTTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(3.0)]
    [InlineData(12.706)]
    public void TwoSidedPValue_OneDegree_IsTheCauchyTail(double t)
    {
        // With one degree of freedom t is Cauchy: P(|T| >= t) = 1 - 2 atan(t) / pi.
        Assert.Equal(1 - 2 * Math.Atan(t) / Math.PI, StudentT.TwoSidedPValue(t, 1), 1e-10);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(4.303)]
    [InlineData(6.93)]
    public void TwoSidedPValue_TwoDegrees_MatchesTheClosedForm(double t)
    {
        // With two degrees of freedom: P(|T| >= t) = 1 - t / sqrt(t^2 + 2).
        Assert.Equal(1 - t / Math.Sqrt(t * t + 2), StudentT.TwoSidedPValue(t, 2), 1e-10);
    }

    [Theory]
    [InlineData(12.706, 1)]
    [InlineData(4.303, 2)]
    [InlineData(2.776, 4)]
    [InlineData(2.228, 10)]
    [InlineData(2.042, 30)]
    public void TwoSidedPValue_AtTheTablesQuantile_IsFivePercent(double t, int degrees)
    {
        Assert.Equal(0.05, StudentT.TwoSidedPValue(t, degrees), 1e-4);    // the table's three decimals
        Assert.Equal(StudentT.TwoSidedPValue(t, degrees), StudentT.TwoSidedPValue(-t, degrees), 1e-14);
    }

    [Fact]
    public void TwoSidedPValue_ZeroAndInfinity_AreOneAndZero()
    {
        Assert.Equal(1, StudentT.TwoSidedPValue(0, 3), 1e-12);
        Assert.Equal(0, StudentT.TwoSidedPValue(double.PositiveInfinity, 3));
        Assert.True(double.IsNaN(StudentT.TwoSidedPValue(double.NaN, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.TwoSidedPValue(1, 0));
    }

    [Fact]
    public void PairedPValue_IsTheTTestOfTheMeanDifference_NaNWithOneSeed()
    {
        // +2.0 ± 0.5 over 3 seeds: t = 2 / (0.5 / sqrt 3) = 6.93 with 2 degrees of freedom.
        var t = 2.0 / (0.5 / Math.Sqrt(3));
        Assert.Equal(1 - t / Math.Sqrt(t * t + 2), StudentT.PairedPValue(2.0, 0.5, 3), 1e-10);
        Assert.True(double.IsNaN(StudentT.PairedPValue(2.0, 0.5, 1)));
        Assert.Equal(0, StudentT.PairedPValue(2.0, 0, 3));
        Assert.Equal(1, StudentT.PairedPValue(0, 0, 3));
    }
}
