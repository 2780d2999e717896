using System.Globalization;
using System.Text.Json.Nodes;
using SplitBrain.Display;
using SplitBrain.Models;

namespace SplitBrain.Evaluation;

/// <summary>One probe score of a recipe study: a variant, a seed, a layer.</summary>
/// <param name="Variant">The variant's description, e.g. "soft targets".</param>
/// <param name="Seed">The seed of its pretraining run and of its probe.</param>
/// <param name="Layer">The layer probed.</param>
/// <param name="Accuracy">Test top-1, 0..1.</param>
/// <param name="Floor">Test top-1 of the random+BN network of the same architecture and seed, probed the same way.</param>
/// <param name="Steps">Optimizer steps its run made.</param>
/// <param name="ImagesPerSecond">Its training speed.</param>
public sealed record VariantScore(string Variant, int Seed, FeatureLayer Layer, double Accuracy, double Floor, long Steps, double ImagesPerSecond);

/// <summary>
/// The probe scores of several variants of a recipe over several seeds, summarised with their noise: for each variant
/// and layer the mean and standard deviation over seeds, and its differences from the baseline and from the random+BN
/// floor, each paired by seed (the same seed gives the same probe subset and the same random floor, so pairing removes
/// the noise they share).
/// </summary>
/// <remarks>
/// A difference is worth reading when its mean is larger than its spread: with n seeds the standard error of a paired
/// mean difference is sd / sqrt(n), and with so few seeds the sd itself is uncertain, so the 95% band is Student's t
/// for n - 1 degrees of freedom times the standard error (12.7 for two seeds, 4.3 for three, 2.8 for five; two only
/// from about sixty). The table gives mean ± sd; <see cref="Clears"/> applies that test to one difference, and the table
/// stars a difference only when its p-value, adjusted by <see cref="HolmBonferroni"/> for all the table's comparisons of
/// its kind, is below 0.05.
/// </remarks>
public sealed class VariantScores : View
{
    /// <summary>The scores.</summary>
    /// <param name="scores">One per variant, seed and layer.</param>
    /// <param name="baseline">The variant the others are compared with.</param>
    /// <param name="budget">What every run got, in words (e.g. "0.25 min"), for titles.</param>
    /// <exception cref="ArgumentException">No score of the baseline.</exception>
    public VariantScores(IReadOnlyList<VariantScore> scores, string baseline, string budget)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(baseline);
        if (!scores.Any(s => s.Variant == baseline))
            throw new ArgumentException($"There is no score of the baseline '{baseline}'.", nameof(baseline));
        Scores = scores;
        Baseline = baseline;
        Budget = budget;
    }

    /// <summary>Every score.</summary>
    public IReadOnlyList<VariantScore> Scores { get; }

    /// <summary>The baseline variant.</summary>
    public string Baseline { get; }

    /// <summary>The budget of every run, in words.</summary>
    public string Budget { get; }

    /// <summary>The variants, in the order first scored.</summary>
    public IReadOnlyList<string> Variants => [.. Scores.Select(s => s.Variant).Distinct()];

    /// <summary>The layers, in network order.</summary>
    public IReadOnlyList<FeatureLayer> Layers => [.. Scores.Select(s => s.Layer).Distinct().Order()];

    /// <summary>The seeds, ascending.</summary>
    public IReadOnlyList<int> Seeds => [.. Scores.Select(s => s.Seed).Distinct().Order()];

    /// <summary>Mean and sample standard deviation (0 for one value) of a variant's accuracy at a layer, in points.</summary>
    public (double Mean, double Sd) Accuracy(string variant, FeatureLayer layer) =>
        Spread(Of(variant, layer).Select(s => 100 * s.Accuracy));

    /// <summary>The random+BN floor at a layer for the variant's architecture, mean and sd over seeds, in points.</summary>
    public (double Mean, double Sd) Floor(string variant, FeatureLayer layer) =>
        Spread(Of(variant, layer).Select(s => 100 * s.Floor));

    /// <summary>The variant minus the baseline at a layer, paired by seed, in points (mean, sd); NaN without a common seed.</summary>
    public (double Mean, double Sd) VersusBaseline(string variant, FeatureLayer layer) => Difference(variant, Baseline, layer);

    /// <summary>Variant <paramref name="a"/> minus variant <paramref name="b"/> at a layer, paired by seed, in points (mean,
    /// sd); NaN without a common seed.</summary>
    public (double Mean, double Sd) Difference(string a, string b, FeatureLayer layer)
    {
        var other = Of(b, layer).ToDictionary(s => s.Seed);
        return Spread(Of(a, layer).Where(s => other.ContainsKey(s.Seed)).Select(s => 100 * (s.Accuracy - other[s.Seed].Accuracy)));
    }

    /// <summary>The two-sided p-value of <see cref="Difference"/> (a paired t-test over the common seeds, uncorrected); NaN
    /// with fewer than two common seeds.</summary>
    public double PValue(string a, string b, FeatureLayer layer)
    {
        var other = Of(b, layer).Select(s => s.Seed).ToHashSet();
        var (mean, sd) = Difference(a, b, layer);
        return StudentT.PairedPValue(mean, sd, Of(a, layer).Count(s => other.Contains(s.Seed)));
    }

    /// <summary>The variant minus its random+BN floor at a layer, paired by seed, in points (mean, sd).</summary>
    public (double Mean, double Sd) VersusFloor(string variant, FeatureLayer layer) =>
        Spread(Of(variant, layer).Select(s => 100 * (s.Accuracy - s.Floor)));

    /// <summary>Whether a paired difference (mean, sd over n seeds) is beyond its 95% band: a two-sided paired t-test,
    /// |mean| &gt; t(0.975, n - 1) x sd / sqrt(n), with n at least 2.</summary>
    /// <param name="difference">From <see cref="VersusBaseline"/> or <see cref="VersusFloor"/>.</param>
    /// <param name="n">Seeds behind it.</param>
    public static bool Clears((double Mean, double Sd) difference, int n) =>
        n >= 2 && Math.Abs(difference.Mean) > StudentT975(n - 1) * difference.Sd / Math.Sqrt(n);

    /// <summary>The 97.5% quantile of Student's t with <paramref name="degrees"/> degrees of freedom (at least 1).</summary>
    internal static double StudentT975(int degrees) => degrees switch
    {
        < 1 => throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "Student's t needs at least one degree of freedom."),
        <= 30 => TableT975[degrees - 1],
        _ => 1.96 + 2.37 / degrees,   // the first term of Student's t expansion around the normal, within 0.005 here
    };

    private static readonly double[] TableT975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>The two-sided p-value of <see cref="VersusBaseline"/> (a paired t-test over the common seeds, uncorrected);
    /// NaN with fewer than two seeds.</summary>
    public double PValueVersusBaseline(string variant, FeatureLayer layer) => PValue(variant, Baseline, layer);

    /// <summary>The two-sided p-value of <see cref="VersusFloor"/> (a paired t-test over seeds, uncorrected); NaN with fewer
    /// than two seeds.</summary>
    public double PValueVersusFloor(string variant, FeatureLayer layer)
    {
        var (mean, sd) = VersusFloor(variant, layer);
        return StudentT.PairedPValue(mean, sd, Of(variant, layer).Count);
    }

    /// <summary>
    /// The p-values of every variant against the baseline, at every layer, as one family corrected by
    /// <see cref="HolmBonferroni"/>: with eleven recipes, the best of eleven uncorrected tests is no evidence.
    /// </summary>
    /// <returns>The Holm-adjusted p-value of each (variant, layer), the baseline left out.</returns>
    public IReadOnlyDictionary<(string Variant, FeatureLayer Layer), double> AdjustedVersusBaseline() =>
        Adjusted(Variants.Where(v => v != Baseline), PValueVersusBaseline);

    /// <summary>The p-values of every variant against its random+BN floor, at every layer, as one family corrected by
    /// <see cref="HolmBonferroni"/>.</summary>
    /// <returns>The Holm-adjusted p-value of each (variant, layer).</returns>
    public IReadOnlyDictionary<(string Variant, FeatureLayer Layer), double> AdjustedVersusFloor() => Adjusted(Variants, PValueVersusFloor);

    /// <summary>
    /// One row per variant: what changed, the steps its budget bought and its speed, then per layer its accuracy
    /// (mean ± sd, %), its difference from the baseline and from its random+BN floor (paired, points), each with its
    /// p-value adjusted by Holm–Bonferroni over the whole table's comparisons of that kind, and marked * where that
    /// adjusted p is below 0.05. A last row gives the baseline architecture's random+BN floor.
    /// </summary>
    /// <returns>The table.</returns>
    public Table Summary()
    {
        var layers = Layers;
        var columns = new List<string> { "recipe", "steps", "images/s" };
        foreach (var layer in layers)
        {
            var name = EvaluationPlots.LayerName(layer);
            columns.AddRange([$"{name} (%)", $"{name} vs baseline (pts)", $"{name} vs baseline p (Holm)", $"{name} vs random+BN (pts)", $"{name} vs random+BN p (Holm)"]);
        }
        var versusBaseline = AdjustedVersusBaseline();
        var versusFloor = AdjustedVersusFloor();
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var variant in Variants)
        {
            var first = Scores.Where(s => s.Variant == variant && s.Layer == layers[0]).ToList();
            var row = new List<object?>
            {
                variant,
                Math.Round(first.Average(s => (double)s.Steps)),
                Math.Round(first.Average(s => s.ImagesPerSecond)),
            };
            foreach (var layer in layers)
            {
                row.Add(Format(Accuracy(variant, layer)));
                var p = variant == Baseline ? double.NaN : versusBaseline[(variant, layer)];
                row.Add(variant == Baseline ? null : Starred(VersusBaseline(variant, layer), p));
                row.Add(FormatP(p));
                row.Add(Starred(VersusFloor(variant, layer), versusFloor[(variant, layer)]));
                row.Add(FormatP(versusFloor[(variant, layer)]));
            }
            rows.Add(row);
        }
        var floorRow = new List<object?> { "random+BN (no pretraining)", null, null };
        foreach (var layer in layers)
            floorRow.AddRange([Format(Floor(Baseline, layer)), null, null, null, null]);
        rows.Add(floorRow);
        return new Table(columns, rows,
            $"Recipes at {Budget} of training each: linear probe test top-1, mean ± sd over {Seeds.Count} seed(s); paired t-tests, "
            + "p adjusted by Holm–Bonferroni over the table's comparisons of each kind; * = adjusted p < 0.05");
    }

    /// <summary>A paired difference as text, with * when its adjusted p-value is below 0.05.</summary>
    /// <param name="difference">Mean and sd, points.</param>
    /// <param name="adjustedP">Its adjusted p-value (NaN: no test).</param>
    public static string Starred((double Mean, double Sd) difference, double adjustedP) =>
        Format(difference) + (adjustedP < 0.05 ? " *" : "");

    /// <summary>A p-value as text: three decimals, "&lt; 0.001" below that; null for NaN (no test).</summary>
    /// <param name="p">The p-value.</param>
    public static string? FormatP(double p) =>
        double.IsNaN(p) ? null : p < 0.001 ? "< 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Each variant's accuracy at <paramref name="layer"/> as a point with its spread (± sd), the baseline's mean
    /// and the random+BN floor as horizontal lines.</summary>
    /// <param name="layer">The layer; the deepest scored when null.</param>
    /// <returns>The chart.</returns>
    public Chart Chart(FeatureLayer? layer = null)
    {
        var at = layer ?? Layers[^1];
        var variants = Variants;
        var means = variants.Select(v => Accuracy(v, at)).ToList();
        var trace = new JsonObject
        {
            ["type"] = "scatter",
            ["mode"] = "markers",
            ["name"] = "recipe (mean ± sd)",
            ["x"] = new JsonArray([.. variants.Select(v => (JsonNode)JsonValue.Create(v)!)]),
            ["y"] = EvaluationPlots.Numbers(means.Select(m => m.Mean)),
            ["error_y"] = new JsonObject { ["type"] = "data", ["array"] = EvaluationPlots.Numbers(means.Select(m => m.Sd)), ["visible"] = true },
            ["marker"] = new JsonObject { ["size"] = 10 },
        };
        var title = $"{EvaluationPlots.LayerName(at)} probe after {Budget} of training per run ({Seeds.Count} seed(s))";
        var figure = EvaluationPlots.Figure(new JsonArray(trace), title, "recipe", "test top-1 (%)");
        var layout = figure["layout"]!.AsObject();
        layout["xaxis"]!["type"] = "category";
        layout["margin"]!["b"] = 140;
        layout["margin"]!["r"] = 110; // the last labels lean right, past the plot
        layout["shapes"] = new JsonArray(
            Line(Accuracy(Baseline, at).Mean, "dot", "gray"),
            Line(Floor(Baseline, at).Mean, "dash", "firebrick"));
        layout["annotations"] = new JsonArray(
            Label(Accuracy(Baseline, at).Mean, "baseline", "gray"),
            Label(Floor(Baseline, at).Mean, "random+BN", "firebrick"));
        return new Chart(figure.ToJsonString(), title, height: 460);
    }

    /// <inheritdoc/>
    public override string ToHtml() => Summary().ToHtml();

    /// <inheritdoc/>
    public override string ToText() => Summary().ToText();

    private List<VariantScore> Of(string variant, FeatureLayer layer) => [.. Scores.Where(s => s.Variant == variant && s.Layer == layer)];

    private static (double Mean, double Sd) Spread(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0)
            return (double.NaN, double.NaN);
        var mean = list.Average();
        var sd = list.Count < 2 ? 0 : Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
        return (mean, sd);
    }

    /// <summary>Mean ± sd as text, one decimal (the mean alone when the spread is 0).</summary>
    /// <param name="value">Mean and sd.</param>
    public static string Format((double Mean, double Sd) value) =>
        value.Sd > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{value.Mean:0.0} ± {value.Sd:0.0}")
            : value.Mean.ToString("0.0", CultureInfo.InvariantCulture);

    private IReadOnlyDictionary<(string Variant, FeatureLayer Layer), double> Adjusted(IEnumerable<string> variants, Func<string, FeatureLayer, double> pValue)
    {
        var keys = variants.SelectMany(v => Layers.Select(layer => (Variant: v, Layer: layer))).ToList();
        var adjusted = HolmBonferroni.Adjust([.. keys.Select(k => pValue(k.Variant, k.Layer))]);
        return keys.Select((k, i) => (k, p: adjusted[i])).ToDictionary(e => e.k, e => e.p);
    }

    private static JsonObject Line(double y, string dash, string color) => new()
    {
        ["type"] = "line", ["xref"] = "paper", ["x0"] = 0, ["x1"] = 1, ["y0"] = y, ["y1"] = y,
        ["line"] = new JsonObject { ["dash"] = dash, ["color"] = color },
    };

    private static JsonObject Label(double y, string text, string color) => new()
    {
        ["xref"] = "paper", ["x"] = 1, ["xanchor"] = "right", ["y"] = y, ["yanchor"] = "bottom", ["text"] = text,
        ["showarrow"] = false, ["font"] = new JsonObject { ["color"] = color },
    };
}
