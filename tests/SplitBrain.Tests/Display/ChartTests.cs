using System.Text.Json.Nodes;
using SplitBrain.Display;

namespace SplitBrain.Tests.Display;

public class ChartTests
{
    [Fact]
    public void ToHtml_WithoutLibrary_DrawsFromTheFigureAndWaitsForPlotly()
    {
        var chart = Plots.Lines("Loss", "step", "loss", [Series.Of("train", [3, 2, 1])]);

        var html = chart.ToHtml(includePlotlyJs: false);

        Assert.DoesNotContain("plotly.js v", html);
        Assert.Contains("window.Plotly.newPlot(div, figure.data, figure.layout, figure.config)", html);
        Assert.Contains("setTimeout(draw, 50)", html);
        Assert.DoesNotContain("cdn", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("require(", html);
    }

    [Fact]
    public void ToHtml_WithLibrary_EmbedsPlotlyJsAndSetsTheGlobal()
    {
        var html = Plots.Lines("Loss", "step", "loss", [Series.Of("train", [1, 2])]).ToHtml(includePlotlyJs: true);

        Assert.Contains($"plotly.js v{PlotlyJs.Version}", html);
        Assert.Contains("var define, module, exports;", html); // hides AMD/CommonJS so the bundle sets window.Plotly
        Assert.True(html.Length > 3_000_000, $"plotly.js should be embedded whole, got {html.Length} characters.");
    }

    [Fact]
    public void ToHtml_TwoCharts_HaveDistinctElementIds()
    {
        var chart = Plots.Lines("x", "x", "y", [Series.Of("a", [1])]);

        string Id(string html) => html.Split("id=\"")[1].Split('"')[0];

        Assert.NotEqual(Id(chart.ToHtml(false)), Id(chart.ToHtml(false)));
    }

    [Fact]
    public void FigureJson_IsAPlotlyFigureWithTitleAndAxes()
    {
        var chart = Plots.Lines("Loss", "step", "loss", [Series.Of("train", [3, 2, 1]), Series.Of("test", [4, 3, 2])], logY: true);

        var figure = JsonNode.Parse(chart.FigureJson)!;

        Assert.Equal(2, figure["data"]!.AsArray().Count);
        Assert.Equal("Loss", (string?)figure["layout"]!["title"]!["text"]);
        Assert.Equal("step", (string?)figure["layout"]!["xaxis"]!["title"]!["text"]);
        Assert.Equal("log", (string?)figure["layout"]!["yaxis"]!["type"]);
        Assert.Equal([3.0, 2.0, 1.0], figure["data"]![0]!["y"]!.AsArray().Select(v => (double)v!));
    }

    [Fact]
    public void ToText_NamesTheChart() =>
        Assert.Equal("[chart: Loss]", Plots.Lines("Loss", "s", "l", [Series.Of("a", [1])]).ToText());

    [Fact]
    public void Constructor_EmptyFigure_Throws() =>
        Assert.Throws<ArgumentException>(() => new Chart(" ", "t"));
}
