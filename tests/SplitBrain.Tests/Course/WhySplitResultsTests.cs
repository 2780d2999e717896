using System.Text.Json.Nodes;
using SplitBrain.Course;
using SplitBrain.Display;
using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Training.Objectives;

namespace SplitBrain.Tests.Course;

/// <summary>Chapter 08's tables and charts, from made-up scores.</summary>
public class WhySplitResultsTests
{
    private const string Rival = "why-split-results-stand-in";

    public WhySplitResultsTests() => PretrainObjectives.Register(Rival, () => throw new NotSupportedException("a stand-in, never trained"));

    // Three seeds, two layers. The default is 10 points above random+BN at every seed; the rival 2 +- 1 above it; at the
    // budget axis the default gains with steps (5 points at 10 steps, 10 at 20).
    private static WhySplitResults Example()
    {
        var knobs = new WhySplitChapterConfig(Objectives: [PretrainObjectives.Default, Rival], Steps: 20, Seeds: [0, 1, 2], Styles: [SyntheticStyle.Shapes],
            Layers: [FeatureLayer.Conv1, FeatureLayer.Conv5], BudgetObjectives: [PretrainObjectives.Default], BudgetSteps: [10, 20]);
        var scores = new List<VariantScore>();
        foreach (var layer in knobs.Layers)
            for (var seed = 0; seed < 3; seed++)
            {
                var floor = 0.50 + 0.01 * seed;
                scores.Add(new(WhySplit.Label(PretrainObjectives.Default, 20), seed, layer, floor + 0.10, floor, 20, 100));
                scores.Add(new(WhySplit.Label(Rival, 20), seed, layer, floor + 0.01 * (seed + 1), floor, 20, 100));
                scores.Add(new(WhySplit.Label(PretrainObjectives.Default, 10), seed, layer, floor + 0.05, floor, 10, 100));
            }
        return new WhySplitResults(knobs, [(SyntheticStyle.Shapes, new VariantScores(scores, WhySplit.Label(PretrainObjectives.Default, 20), "20 steps"))]);
    }

    [Fact]
    public void Summary_OneRowPerObjective_AgainstRandomBN_WithThePapersRow_AndAFloorRow()
    {
        var table = Example().Summary();

        Assert.Equal(["data", "objective", "conv1 (%) (vs random+BN, pts)", "conv5 (%) (vs random+BN, pts)", "paper's row", "paper, ImageNet conv1..conv5 (%)"], table.Columns);
        Assert.Equal(3, table.Rows.Count);
        Assert.Equal("61.0 ± 1.0 (+10.0 *)", table.Rows[0][3]);                       // no spread: p = 0, survives any correction
        Assert.Equal("Split-Brain Auto (cl,cl)", table.Rows[0][4]);
        Assert.Equal("17.7 / 29.3 / 35.4 / 35.2 / 32.8", table.Rows[0][5]);           // the paper's Table 2
        Assert.Equal("53.0 ± 2.0 (+2.0 ± 1.0)", table.Rows[1][3]);                    // t = 3.46, p = 0.074 before correction
        Assert.Null(table.Rows[1][4]);                                                // a stand-in: not a row of the paper
        Assert.Equal("not in the paper", table.Rows[1][5]);
        Assert.Equal(["Shapes", "random+BN (no pretraining)", "51.0 ± 1.0", "51.0 ± 1.0", "Gaussian", "11.6 / 17.1 / 16.9 / 16.3 / 14.1"], table.Rows[2]);
    }

    [Fact]
    public void Orderings_OnlyThoseWithBothObjectives_HolmOverTheTable()
    {
        var results = Example();

        var table = results.Orderings();

        Assert.Empty(table.Rows);                          // the stand-in is in no ordering of the paper
        Assert.Contains("no ordering", table.Title);
    }

    [Fact]
    public void BudgetTable_MarginOverRandomBN_PerBudget()
    {
        var table = Example().BudgetTable();

        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(new object?[] { "Shapes", PretrainObjectives.Default, 10, "+5.0" }, table.Rows[0]);
        Assert.Equal(new object?[] { "Shapes", PretrainObjectives.Default, 20, "+10.0" }, table.Rows[1]);
    }

    [Fact]
    public void Charts_OneLinePerObjectivePlusRandomBN_AndALogBudgetAxis()
    {
        var results = Example();

        var layers = results.LayerChart();
        var budget = results.BudgetChart();

        Assert.Equal([PretrainObjectives.Default, Rival, "random+BN"], Names(layers));
        Assert.Equal(["split-brain (Shapes)"], Names(budget));
        Assert.Equal("log", (string?)JsonNode.Parse(budget.FigureJson)!["layout"]!["xaxis"]!["type"]);
    }

    private static string?[] Names(Chart chart) =>
        [.. JsonNode.Parse(chart.FigureJson)!["data"]!.AsArray().Select(t => (string?)t!["name"])];
}
