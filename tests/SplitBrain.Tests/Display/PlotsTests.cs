using System.Text.Json.Nodes;
using SplitBrain.Display;
using SplitBrain.Quantization;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Display;

public class PlotsTests
{
    [Fact]
    public void AbBins_WithoutValues_OneSquarePerBinInItsOwnColor()
    {
        using var quantizer = Quantizer.AbGamut();

        var trace = JsonNode.Parse(Plots.AbBins(quantizer, "bins").FigureJson)!["data"]![0]!;

        Assert.Equal(313, trace["x"]!.AsArray().Count);
        Assert.Equal("1", trace["marker"]!["symbol"]!.ToString()); // plotly.js symbol 1 is "square"
        var colors = trace["marker"]!["color"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Equal(313, colors.Count);
        Assert.True(colors.Distinct().Count() > 250, "bins should show (nearly) distinct colors");
    }

    [Fact]
    public void AbBins_WithValues_ColorScaleAndColorBar()
    {
        using var quantizer = Quantizer.AbGamut();
        using var values = arange(313, ScalarType.Float32);

        var trace = JsonNode.Parse(Plots.AbBins(quantizer, "w", values, "weight").FigureJson)!["data"]![0]!;

        Assert.Equal(312.0, trace["marker"]!["color"]!.AsArray().Select(v => (double)v!).Max());
        Assert.Equal("weight", (string?)trace["marker"]!["colorbar"]!["title"]!["text"]);
        Assert.Contains("weight=312", (string?)trace["text"]![312]);
    }

    [Fact]
    public void AbBins_WrongValueCount_Throws()
    {
        using var quantizer = Quantizer.AbGamut();
        using var values = zeros(10);

        var error = Assert.Throws<ArgumentException>(() => Plots.AbBins(quantizer, "w", values));

        Assert.Contains("one value per bin (313); got 10", error.Message);
    }

    [Fact]
    public void AbBins_LightnessQuantizer_ThrowsNamingIt()
    {
        using var quantizer = Quantizer.Lightness();

        var error = Assert.Throws<ArgumentException>(() => Plots.AbBins(quantizer, "L"));

        Assert.Contains("L100 has 1", error.Message);
    }

    [Fact]
    public void Bars_LabelsAndHeights()
    {
        var trace = JsonNode.Parse(Plots.Bars("p", "bin", "p", ["a", "b"], [0.25, 0.75]).FigureJson)!["data"]![0]!;

        Assert.Equal("bar", (string?)trace["type"]);
        Assert.Equal(["a", "b"], trace["x"]!.AsArray().Select(v => (string)v!));
        Assert.Equal([0.25, 0.75], trace["y"]!.AsArray().Select(v => (double)v!));
    }

    [Fact]
    public void Bars_CountMismatch_Throws() =>
        Assert.Throws<ArgumentException>(() => Plots.Bars("p", "x", "y", ["a"], [1.0, 2.0]));

    [Fact]
    public void Lines_NoSeries_Throws() =>
        Assert.Throws<ArgumentException>(() => Plots.Lines("t", "x", "y", []));
}
