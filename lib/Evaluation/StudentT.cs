namespace SplitBrain.Evaluation;

/// <summary>
/// Student's t distribution, for the paired tests of a study over a few seeds (chapter 07, section 7.3; chapter 08):
/// two-sided p-values, which <see cref="HolmBonferroni"/> corrects for the number of comparisons.
/// </summary>
public static class StudentT
{
    /// <summary>
    /// The two-sided p-value of a statistic <paramref name="t"/> with <paramref name="degrees"/> degrees of freedom:
    /// P(|T| ≥ |t|) = I_x(ν/2, 1/2) with x = ν / (ν + t²), the regularized incomplete beta function.
    /// </summary>
    /// <param name="t">The statistic (its sign does not matter); infinite gives 0, NaN gives NaN.</param>
    /// <param name="degrees">Degrees of freedom, at least 1.</param>
    /// <returns>The p-value, 0..1.</returns>
    public static double TwoSidedPValue(double t, int degrees)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degrees, 1);
        if (double.IsNaN(t)) return double.NaN;
        if (double.IsInfinity(t)) return 0;
        var x = degrees / (degrees + t * t);
        return Math.Clamp(RegularizedBeta(x, degrees / 2.0, 0.5), 0, 1);
    }

    /// <summary>
    /// The two-sided p-value of a paired difference over <paramref name="n"/> seeds: t = mean / (sd / sqrt(n)) with
    /// n - 1 degrees of freedom. NaN with fewer than 2 seeds or a NaN input; 0 when sd is 0 and the mean is not.
    /// </summary>
    /// <param name="mean">Mean of the per-seed differences.</param>
    /// <param name="sd">Their sample standard deviation.</param>
    /// <param name="n">Seeds behind them.</param>
    public static double PairedPValue(double mean, double sd, int n)
    {
        if (n < 2 || double.IsNaN(mean) || double.IsNaN(sd)) return double.NaN;
        if (sd <= 0) return mean == 0 ? 1 : 0;
        return TwoSidedPValue(mean / (sd / Math.Sqrt(n)), n - 1);
    }

    /// <summary>I_x(a, b), by the continued fraction of Numerical Recipes §6.4 (modified Lentz), on whichever side of
    /// the mean it converges fast.</summary>
    private static double RegularizedBeta(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? front * ContinuedFraction(x, a, b) / a
            : 1 - front * ContinuedFraction(1 - x, b, a) / b;
    }

    private static double ContinuedFraction(double x, double a, double b)
    {
        const double tiny = 1e-300, epsilon = 1e-15;
        var c = 1.0;
        var d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.Abs(d) < tiny ? tiny : d);
        var h = d;
        for (var m = 1; m <= 300; m++)
        {
            var m2 = 2 * m;
            // The even step, then the odd step of the fraction.
            foreach (var numerator in new[] { m * (b - m) * x / ((a + m2 - 1) * (a + m2)), -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1)) })
            {
                d = 1 + numerator * d;
                d = 1 / (Math.Abs(d) < tiny ? tiny : d);
                c = 1 + numerator / c;
                if (Math.Abs(c) < tiny) c = tiny;
                h *= d * c;
            }
            if (Math.Abs(d * c - 1) < epsilon) break;
        }
        return h;
    }

    /// <summary>ln Γ(z) for z &gt; 0 (Lanczos, g = 7, nine terms: about 15 digits).</summary>
    private static double LogGamma(double z)
    {
        if (z < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * z))) - LogGamma(1 - z);
        z -= 1;
        var sum = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++) sum += Lanczos[i] / (z + i);
        var t = z + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (z + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];
}
