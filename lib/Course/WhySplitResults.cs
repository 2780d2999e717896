using System.Globalization;
using System.Text.Json.Nodes;
using SplitBrain.Data;
using SplitBrain.Display;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Training.Objectives;

namespace SplitBrain.Course;

/// <summary>
/// The scores of chapter 08's study (<see cref="WhySplit.Score"/>), read four ways: the ablation table beside the paper's
/// rows (<see cref="Summary"/>), the paper's orderings tested with Holm-corrected paired tests (<see cref="Orderings"/>),
/// a per-layer chart in the style of the paper's Figure 3 (<see cref="LayerChart"/>) and the budget axis
/// (<see cref="BudgetChart"/>).
/// </summary>
public sealed class WhySplitResults : View
{
    /// <summary>The paper's orderings, as (better, worse, what it argues): why split, and why classify. Each is its Table 2's
    /// order at conv5 (<see cref="PaperAblation"/>), including its one exception: for ab → L, regression beat
    /// classification (21.7 against 19.2).</summary>
    public static IReadOnlyList<(string Better, string Worse, string Claim)> PaperOrderings { get; } =
    [
        (PretrainObjectives.Default, "autoencoder", "predicting the other channels beats reconstructing them"),
        (PretrainObjectives.Default, "denoising-autoencoder", "predicting the other channels beats denoising"),
        (PretrainObjectives.Default, "split-brain-reg-reg", "classification beats regression (both halves)"),
        (PretrainObjectives.Default, "split-brain-cl-reg", "classification beats regression (one half; not a row of the paper)"),
        ("l-to-ab-cl", "l-to-ab-reg", "classification beats regression (L → ab)"),
        ("ab-to-l-reg", "ab-to-l-cl", "regression beats classification (ab → L), the paper's one exception"),
        (PretrainObjectives.Default, "l-to-ab-cl", "two halves beat one direction (L → ab)"),
        (PretrainObjectives.Default, "ab-to-l-cl", "two halves beat one direction (ab → L)"),
        (PretrainObjectives.Default, "alternative-aggregation", "two sub-networks beat one network fed every split"),
    ];

    /// <summary>The results.</summary>
    /// <param name="knobs">The study's knobs.</param>
    /// <param name="styles">Every data style's scores, all runs (study and budget axis), named by <see cref="WhySplit.Label"/>.</param>
    public WhySplitResults(WhySplitChapterConfig knobs, IReadOnlyList<(SyntheticStyle? Style, VariantScores Scores)> styles)
    {
        ArgumentNullException.ThrowIfNull(knobs);
        ArgumentNullException.ThrowIfNull(styles);
        if (styles.Count == 0) throw new ArgumentException("The results need the scores of at least one data style.", nameof(styles));
        Knobs = knobs;
        Styles = styles;
    }

    /// <summary>The study's knobs.</summary>
    public WhySplitChapterConfig Knobs { get; }

    /// <summary>Every style's scores, all runs.</summary>
    public IReadOnlyList<(SyntheticStyle? Style, VariantScores Scores)> Styles { get; }

    /// <summary>The objectives scored at the study's budget, in the knobs' order.</summary>
    public IReadOnlyList<string> Objectives =>
        [.. Knobs.Chosen().Where(o => Styles.Any(s => s.Scores.Variants.Contains(WhySplit.Label(o, Knobs.Steps))))];

    /// <summary>A style's scores of the objectives at the study's budget only, the default objective as the baseline.</summary>
    /// <param name="style">A style of <see cref="Styles"/>.</param>
    public VariantScores Study(SyntheticStyle? style)
    {
        var all = Of(style);
        var labels = Objectives.Select(o => WhySplit.Label(o, Knobs.Steps)).ToHashSet();
        return new VariantScores([.. all.Scores.Where(s => labels.Contains(s.Variant))], all.Baseline, all.Budget);
    }

    /// <summary>
    /// The ablation: one row per style and objective, per layer its probe accuracy (mean ± sd over seeds, %) and in
    /// brackets its paired difference from its random+BN floor (points; * where the Holm-adjusted p over the style's
    /// objectives and layers is below 0.05); then the paper's row and its ImageNet numbers. A random+BN row per style.
    /// </summary>
    public Table Summary()
    {
        var layers = Knobs.Layers.Distinct().Order().ToList();
        var columns = new List<string> { "data", "objective" };
        columns.AddRange(layers.Select(l => $"{EvaluationPlots.LayerName(l)} (%) (vs random+BN, pts)"));
        columns.AddRange(["paper's row", "paper, ImageNet conv1..conv5 (%)"]);
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var (style, _) in Styles)
        {
            var study = Study(style);
            var adjusted = study.AdjustedVersusFloor();
            foreach (var objective in Objectives)
            {
                var label = WhySplit.Label(objective, Knobs.Steps);
                var paper = PaperAblation.Of(objective);
                var row = new List<object?> { StyleName(style), objective };
                row.AddRange(layers.Select(l => (object?)$"{VariantScores.Format(study.Accuracy(label, l))} ({Signed(study.VersusFloor(label, l))}{(adjusted[(label, l)] < 0.05 ? " *" : "")})"));
                row.Add(paper?.Row);
                row.Add(paper?.Numbers ?? "not in the paper");
                rows.Add(row);
            }
            var floor = new List<object?> { StyleName(style), "random+BN (no pretraining)" };
            floor.AddRange(layers.Select(l => (object?)VariantScores.Format(study.Floor(study.Baseline, l))));
            floor.AddRange([PaperAblation.Gaussian.Row, PaperAblation.Gaussian.Numbers]);
            rows.Add(floor);
        }
        return new Table(columns, rows,
            $"Objectives at {Knobs.Steps} steps each: linear probe test top-1, mean ± sd over {Knobs.Seeds.Length} seed(s), in brackets "
            + "the paired difference from random+BN of the same architecture and seed; * = Holm-adjusted p < 0.05 over each data "
            + "style's objectives and layers. Paper: " + PaperAblation.Source);
    }

    /// <summary>
    /// The paper's orderings (<see cref="PaperOrderings"/>) whose two objectives were both scored, per style and layer:
    /// the paired difference (points), its p-value adjusted by Holm–Bonferroni over every row of this table, and the
    /// verdict: holds (adjusted p &lt; 0.05, the paper's way), reversed (adjusted p &lt; 0.05, the other way), or not
    /// resolved.
    /// </summary>
    /// <param name="layer">Test at this layer only (a family of orderings x styles); every probed layer when null. With
    /// three seeds (2 degrees of freedom) the smallest raw p-value must be below 0.05 / m to pass, so 90 tests (9 orderings, 5 layers,
    /// 2 styles) need a t above 42 (a mean 24 sd from zero), and 18 tests (one layer) a t above 19 (11 sd).</param>
    public Table Orderings(FeatureLayer? layer = null)
    {
        List<FeatureLayer> layers = layer is { } one ? [one] : [.. Knobs.Layers.Distinct().Order()];
        var tests = new List<(SyntheticStyle? Style, string Better, string Worse, string Claim, FeatureLayer Layer, (double Mean, double Sd) Difference, double P)>();
        var scored = Objectives.ToHashSet();
        foreach (var (style, _) in Styles)
        {
            var study = Study(style);
            foreach (var (better, worse, claim) in PaperOrderings.Where(o => scored.Contains(o.Better) && scored.Contains(o.Worse)))
                foreach (var at in layers)
                {
                    var (a, b) = (WhySplit.Label(better, Knobs.Steps), WhySplit.Label(worse, Knobs.Steps));
                    tests.Add((style, better, worse, claim, at, study.Difference(a, b, at), study.PValue(a, b, at)));
                }
        }
        var adjusted = HolmBonferroni.Adjust([.. tests.Select(t => t.P)]);
        var rows = tests.Select((t, i) => (IReadOnlyList<object?>)
        [
            StyleName(t.Style), t.Claim, $"{t.Better} − {t.Worse}", EvaluationPlots.LayerName(t.Layer), Signed(t.Difference),
            VariantScores.FormatP(adjusted[i]), Verdict(t.Difference.Mean, adjusted[i]),
        ]).ToList();
        return new Table(["data", "the paper's ordering", "difference", "layer", "pts (mean ± sd)", "p (Holm)", "here"], rows,
            $"The paper's orderings tested here: paired by seed over {Knobs.Seeds.Length} seed(s), p adjusted by Holm–Bonferroni over all {rows.Count} rows"
            + (rows.Count == 0 ? " (no ordering has both of its objectives registered in this build)" : ""));
    }

    /// <summary>
    /// Probe accuracy per layer, one line per objective (mean over seeds, ± sd as error bars) and random+BN dashed: the
    /// layout of the paper's Figure 3, on this course's data and budget.
    /// </summary>
    /// <param name="style">The data style; the first when null.</param>
    public Chart LayerChart(SyntheticStyle? style = null)
    {
        var at = style ?? Styles[0].Style;
        var study = Study(at);
        var layers = Knobs.Layers.Distinct().Order().ToList();
        var x = layers.Select(EvaluationPlots.LayerName).ToList();
        var traces = new JsonArray();
        foreach (var objective in Objectives)
        {
            var label = WhySplit.Label(objective, Knobs.Steps);
            traces.Add(Trace(objective, x.Select(n => (JsonNode)JsonValue.Create(n)!), layers.Select(l => study.Accuracy(label, l)), null));
        }
        var floor = Trace("random+BN", x.Select(n => (JsonNode)JsonValue.Create(n)!), layers.Select(l => study.Floor(study.Baseline, l)), "dash");
        floor["line"]!["color"] = "gray";
        traces.Add(floor);
        var title = $"Linear probe per layer, {StyleName(at)}, {Knobs.Steps} steps per objective ({Knobs.Seeds.Length} seed(s))";
        var figure = EvaluationPlots.Figure(traces, title, "layer", "test top-1 (%)");
        figure["layout"]!["xaxis"]!["type"] = "category";
        figure["layout"]!["showlegend"] = true;
        return new Chart(figure.ToJsonString(), title, height: 460);
    }

    /// <summary>
    /// The budget axis: the margin over random+BN at <see cref="WhySplitChapterConfig.KeyLayer"/> (paired by seed, points,
    /// ± sd) against the budget in steps (log scale), one line per objective and style (Scenes dashed), with zero marked:
    /// where a line crosses it, pretraining starts to pay.
    /// </summary>
    public Chart BudgetChart()
    {
        var traces = new JsonArray();
        foreach (var (style, scores) in Styles)
            foreach (var objective in Knobs.ChosenForBudgets())
            {
                var points = Budgets(scores, objective);
                if (points.Count == 0) continue;
                traces.Add(Trace($"{objective} ({StyleName(style)})", points.Select(p => (JsonNode)JsonValue.Create(p.Steps)!), points.Select(p => p.Margin),
                    style == SyntheticStyle.Scenes ? "dash" : null));
            }
        var title = $"Margin over random+BN at {EvaluationPlots.LayerName(Knobs.KeyLayer)} by pretraining budget ({Knobs.Seeds.Length} seed(s))";
        var figure = EvaluationPlots.Figure(traces, title, "pretraining steps (log scale)", "probe accuracy − random+BN (pts)");
        var layout = figure["layout"]!.AsObject();
        layout["xaxis"]!["type"] = "log";
        // Ticks at the budgets themselves: plotly's log ticks between them (6.5, 7, ...) say nothing here.
        layout["xaxis"]!["tickmode"] = "array";
        layout["xaxis"]!["tickvals"] = new JsonArray([.. Knobs.BudgetSteps.Distinct().Order().Select(b => (JsonNode)JsonValue.Create(b)!)]);
        layout["showlegend"] = true;
        layout["shapes"] = new JsonArray(new JsonObject
        {
            ["type"] = "line", ["xref"] = "paper", ["x0"] = 0, ["x1"] = 1, ["y0"] = 0, ["y1"] = 0,
            ["line"] = new JsonObject { ["dash"] = "dot", ["color"] = "firebrick" },
        });
        return new Chart(figure.ToJsonString(), title, height: 460);
    }

    /// <summary>The numbers behind <see cref="BudgetChart"/>: per style, objective and budget, the steps made and the
    /// margin over random+BN (mean ± sd, points).</summary>
    public Table BudgetTable()
    {
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var (style, scores) in Styles)
            foreach (var objective in Knobs.ChosenForBudgets())
                foreach (var point in Budgets(scores, objective))
                    rows.Add([StyleName(style), objective, point.Steps, Signed(point.Margin)]);
        return new Table(["data", "objective", "steps", $"{EvaluationPlots.LayerName(Knobs.KeyLayer)} vs random+BN (pts)"], rows,
            "The budget axis: margin over random+BN, paired by seed, mean ± sd");
    }

    /// <inheritdoc/>
    public override string ToHtml() => Summary().ToHtml();

    /// <inheritdoc/>
    public override string ToText() => Summary().ToText();

    private VariantScores Of(SyntheticStyle? style) =>
        Styles.FirstOrDefault(s => s.Style == style).Scores ?? throw new ArgumentException($"No scores on the {StyleName(style)} data.", nameof(style));

    private List<(int Steps, (double Mean, double Sd) Margin)> Budgets(VariantScores scores, string objective) =>
        [.. Knobs.BudgetSteps.Distinct().Order()
            .Where(steps => scores.Variants.Contains(WhySplit.Label(objective, steps)))
            .Select(steps => (steps, scores.VersusFloor(WhySplit.Label(objective, steps), Knobs.KeyLayer)))];

    private static JsonObject Trace(string name, IEnumerable<JsonNode> x, IEnumerable<(double Mean, double Sd)> y, string? dash)
    {
        var values = y.ToList();
        var trace = new JsonObject
        {
            ["type"] = "scatter",
            ["mode"] = "lines+markers",
            ["name"] = name,
            ["x"] = new JsonArray([.. x]),
            ["y"] = EvaluationPlots.Numbers(values.Select(v => v.Mean)),
            ["error_y"] = new JsonObject { ["type"] = "data", ["array"] = EvaluationPlots.Numbers(values.Select(v => v.Sd)), ["visible"] = true },
        };
        if (dash is not null)
            trace["line"] = new JsonObject { ["dash"] = dash };
        return trace;
    }

    private static string StyleName(SyntheticStyle? style) => style?.ToString() ?? "the configured data";

    private static string Signed((double Mean, double Sd) value) => (value.Mean >= 0 ? "+" : "") + VariantScores.Format(value);

    private static string Verdict(double mean, double adjustedP) =>
        double.IsNaN(adjustedP) ? "no test (one seed)"
        : adjustedP >= 0.05 ? "not resolved"
        : mean > 0 ? "holds"
        : "reversed";
}
