using System.Text.Json.Nodes;
using SplitBrain.Evaluation;
using SplitBrain.Models;

namespace SplitBrain.Tests.Evaluation;

public class EvaluationPlotsTests
{
    private static ClassificationReport Report() => new(["disc", "square"], [[3L, 1], [0L, 2]], 1, null);

    /// <summary>A curve with the given test accuracies at conv1, conv2, ... (each from a 100-example confusion matrix).</summary>
    internal static ProbeCurve Curve(string name, params double[] test) =>
        new(name, test.Select((accuracy, i) => Result((FeatureLayer)i, accuracy)).ToArray(), 1, 2, 3);

    private static ProbeResult Result(FeatureLayer layer, double accuracy)
    {
        var correct = (long)Math.Round(100 * accuracy);
        var report = new ClassificationReport(["a", "b"], [[correct, 100 - correct], [0L, 0]], 1, null);
        return new ProbeResult(new FeatureGrid(layer, 10, 6, 3), 1.0, null, report, 10, 0.1);
    }

    [Fact]
    public void ConfusionMatrix_Normalized_HeatmapOfRowFractionsTrueClassDownTheSide()
    {
        var figure = JsonNode.Parse(EvaluationPlots.ConfusionMatrix(Report()).FigureJson)!;
        var trace = figure["data"]![0]!;

        Assert.Equal("heatmap", (string?)trace["type"]);
        Assert.Equal([0.75, 0.25], trace["z"]![0]!.AsArray().Select(v => (double)v!));
        Assert.Equal([0.0, 1.0], trace["z"]![1]!.AsArray().Select(v => (double)v!));
        Assert.Equal(["disc", "square"], trace["x"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["disc", "square"], trace["y"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("3<br>75.0%", (string?)trace["text"]![0]![0]);
        Assert.Equal("reversed", (string?)figure["layout"]!["yaxis"]!["autorange"]);
        Assert.Equal("true class", (string?)figure["layout"]!["yaxis"]!["title"]!["text"]);
    }

    [Fact]
    public void ConfusionMatrix_Counts_ColorsByCount()
    {
        var trace = JsonNode.Parse(EvaluationPlots.ConfusionMatrix(Report(), normalize: false).FigureJson)!["data"]![0]!;

        Assert.Equal([3.0, 1.0], trace["z"]![0]!.AsArray().Select(v => (double)v!));
        Assert.Equal("1", (string?)trace["text"]![0]![1]);
    }

    [Fact]
    public void PerClassAccuracy_OneBarPerClass()
    {
        var trace = JsonNode.Parse(EvaluationPlots.PerClassAccuracy(Report()).FigureJson)!["data"]![0]!;

        Assert.Equal([0.75, 1.0], trace["y"]!.AsArray().Select(v => (double)v!));
    }

    [Fact]
    public void PerClassTable_RowPerClassWithMostConfusedClass()
    {
        var table = EvaluationPlots.PerClassTable(Report());

        Assert.Equal(["class", "examples", "correct", "accuracy", "most confused with"], table.Columns);
        Assert.Equal(["disc", 4L, 3L, 0.75, "square (1)"], table.Rows[0]);
        Assert.Equal("", table.Rows[1][4]);
    }

    [Fact]
    public void LayerCurves_CategoricalLayersOneLinePerNetworkAndChanceLine()
    {
        var chart = EvaluationPlots.LayerCurves([Curve("split-brain", 0.5, 0.6), Curve("random", 0.3, 0.2)], train: true, chance: 0.1);
        var figure = JsonNode.Parse(chart.FigureJson)!;
        var traces = figure["data"]!.AsArray();

        Assert.Equal(4, traces.Count); // test and (dashed) train per network
        Assert.Equal(["conv1", "conv2"], traces[0]!["x"]!.AsArray().Select(v => (string)v!));
        Assert.Equal([0.5, 0.6], traces[0]!["y"]!.AsArray().Select(v => (double)v!));
        Assert.Equal("random", (string?)traces[2]!["name"]);
        Assert.Equal("dash", (string?)traces[3]!["line"]!["dash"]);
        Assert.Equal("category", (string?)figure["layout"]!["xaxis"]!["type"]);
        Assert.Equal(0.1, (double)figure["layout"]!["shapes"]![0]!["y0"]!);
    }

    [Fact]
    public void LayerCurves_NoCurves_Throws() =>
        Assert.Throws<ArgumentException>(() => EvaluationPlots.LayerCurves([]));

    [Fact]
    public void ProbeTable_LayerRowsNetworkColumns()
    {
        var table = EvaluationPlots.ProbeTable([Curve("a", 0.5, 0.6), Curve("b", 0.3)]);

        Assert.Equal(["layer", "a", "b"], table.Columns);
        Assert.Equal(["conv2", 60.0, null], table.Rows[1]);
    }

    [Fact]
    public void TrainingCurves_TrainLinePerRunAndTestWhereScored()
    {
        FineTuneEpoch[] epochs = [new(1, 2.0, 0.3, 1), new(2, 1.5, 0.5, 1, 0.45)];
        var chart = EvaluationPlots.TrainingCurves([new FineTuneResult("frozen", ClassifierMode.Frozen, epochs, null, 2)]);
        var traces = JsonNode.Parse(chart.FigureJson)!["data"]!.AsArray();

        Assert.Equal(["frozen train", "frozen test"], traces.Select(t => (string)t!["name"]!));
        Assert.Equal([2.0], traces[1]!["x"]!.AsArray().Select(v => (double)v!));
    }
}
