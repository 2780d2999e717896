using System.Text.Json.Nodes;
using Plotly.NET;
using SplitBrain.Quantization;
using static TorchSharp.torch;
using LabColor = SplitBrain.Color.Lab;
using PlotlyChart = Plotly.NET.CSharp.Chart;
using PlotlyColor = Plotly.NET.Color;

namespace SplitBrain.Display;

/// <summary>
/// The charts the chapters draw, one call each, returned as <see cref="Chart"/> views.
/// </summary>
/// <remarks>
/// Traces are built with Plotly.NET's C# API; titles, axes and marker sizes are then set on the plotly figure itself
/// (its JSON), the one vocabulary plotly.js documents, because Plotly.NET's C# wrapper does not expose them.
/// For any other chart, build it with Plotly.NET and wrap it: <c>new Chart(myChart, "title")</c>.
/// </remarks>
public static class Plots
{
    /// <summary>A line chart of one or more series (loss curves, accuracies per layer).</summary>
    /// <param name="title">The chart's title.</param>
    /// <param name="xTitle">The x axis title.</param>
    /// <param name="yTitle">The y axis title.</param>
    /// <param name="series">The lines.</param>
    /// <param name="markers">Draw a marker at each point.</param>
    /// <param name="logY">Use a logarithmic y axis.</param>
    public static Chart Lines(string title, string xTitle, string yTitle, IEnumerable<Series> series, bool markers = false, bool logY = false)
    {
        var traces = series.Select(s => PlotlyChart.Line<double, double, string>(s.X, s.Y, ShowMarkers: markers, Name: s.Name)).ToList();
        if (traces.Count == 0) throw new ArgumentException("A line chart needs at least one series.", nameof(series));
        var figure = Figure(PlotlyChart.Combine(traces), title, xTitle, yTitle);
        if (logY) figure["layout"]!["yaxis"]!["type"] = "log";
        return new Chart(figure.ToJsonString(), title);
    }

    /// <summary>A bar chart (a histogram over bins, a value per class).</summary>
    /// <param name="title">The chart's title.</param>
    /// <param name="xTitle">The x axis title.</param>
    /// <param name="yTitle">The y axis title.</param>
    /// <param name="x">Bar labels or positions.</param>
    /// <param name="y">Bar heights, one per label.</param>
    /// <param name="logY">Use a logarithmic y axis.</param>
    public static Chart Bars(string title, string xTitle, string yTitle, IEnumerable<string> x, IEnumerable<double> y, bool logY = false)
    {
        var keys = x.ToList();
        var values = y.ToList();
        if (keys.Count != values.Count) throw new ArgumentException($"{keys.Count} labels for {values.Count} bars.", nameof(y));
        var figure = Figure(PlotlyChart.Column<double, string, string>(values, Keys: keys), title, xTitle, yTitle);
        if (logY) figure["layout"]!["yaxis"]!["type"] = "log";
        return new Chart(figure.ToJsonString(), title);
    }

    /// <summary>
    /// The ab bins of a quantizer as squares on the (a, b) plane: each in its own color (at lightness
    /// <paramref name="lightness"/>), or colored by a value per bin (a prior, a weight) on a color scale.
    /// </summary>
    /// <param name="quantizer">An ab quantizer (two channels), e.g. <see cref="Quantizer.AbGamut"/>.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="values">One value per bin ([Q]) to color by, or null to show each bin's color.</param>
    /// <param name="valueName">What <paramref name="values"/> are, for the hover text and the color bar.</param>
    /// <param name="lightness">L at which bin colors are drawn.</param>
    public static Chart AbBins(Quantizer quantizer, string title, Tensor? values = null, string? valueName = null, double lightness = 65)
    {
        ArgumentNullException.ThrowIfNull(quantizer);
        if (quantizer.Channels != 2)
            throw new ArgumentException($"{nameof(quantizer)} must quantize two channels (ab); {quantizer.Name} has {quantizer.Channels}.", nameof(quantizer));
        var centers = quantizer.Centers.cpu().data<float>().ToArray();
        var a = Enumerable.Range(0, quantizer.Bins).Select(i => (double)centers[2 * i]).ToList();
        var b = Enumerable.Range(0, quantizer.Bins).Select(i => (double)centers[2 * i + 1]).ToList();
        GenericChart chart;
        if (values is null)
        {
            var text = a.Select((ai, i) => $"bin {i}: a={ai:0}, b={b[i]:0}").ToList();
            chart = PlotlyChart.Point<double, double, string>(a, b, MultiText: text,
                MarkerColor: PlotlyColor.fromColors(BinColors(quantizer, lightness)), MarkerSymbol: StyleParam.MarkerSymbol.Square);
        }
        else
        {
            if (values.numel() != quantizer.Bins)
                throw new ArgumentException($"{nameof(values)} must hold one value per bin ({quantizer.Bins}); got {values.numel()}.", nameof(values));
            var v = values.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();
            var text = v.Select((vi, i) => $"bin {i}: a={a[i]:0}, b={b[i]:0}, {valueName ?? "value"}={vi:G4}").ToList();
            chart = PlotlyChart.Point<double, double, string>(a, b, MultiText: text,
                MarkerColor: PlotlyColor.fromColorScaleValues(v), MarkerColorScale: StyleParam.Colorscale.Viridis,
                MarkerSymbol: StyleParam.MarkerSymbol.Square);
        }
        var figure = Figure(chart, title, "a (green \u2192 red)", "b (blue \u2192 yellow)");
        var marker = figure["data"]![0]!["marker"]!.AsObject();
        marker["size"] = 11 * quantizer.Spacing / 10; // neighbouring squares almost touch at this chart's size
        if (values is not null)
        {
            marker["showscale"] = true;
            marker["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = valueName ?? "value" } };
        }
        figure["data"]![0]!["hoverinfo"] = "text";
        // One ab unit is as long on both axes; the plot area shrinks to fit instead of the ranges growing.
        var margin = quantizer.Spacing;
        figure["layout"]!["xaxis"]!["range"] = new JsonArray(a.Min() - margin, a.Max() + margin);
        figure["layout"]!["yaxis"]!["range"] = new JsonArray(b.Min() - margin, b.Max() + margin);
        figure["layout"]!["xaxis"]!["constrain"] = "domain";
        figure["layout"]!["yaxis"]!["scaleanchor"] = "x";
        figure["layout"]!["yaxis"]!["constrain"] = "domain";
        return new Chart(figure.ToJsonString(), title, height: 480);
    }

    private static List<PlotlyColor> BinColors(Quantizer quantizer, double lightness)
    {
        using var scope = NewDisposeScope();
        var ab = quantizer.Centers.cpu().T.reshape(1, 2, quantizer.Bins, 1);                   // [1, 2, Q, 1]
        var lab = cat([full(1, 1, quantizer.Bins, 1, lightness, ScalarType.Float32), ab], 1); // [1, 3, Q, 1]
        var rgb = LabColor.ToRgbBytes(lab).reshape(3, quantizer.Bins).T.contiguous().data<byte>().ToArray();
        return Enumerable.Range(0, quantizer.Bins).Select(i => PlotlyColor.fromRGB(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2])).ToList();
    }

    /// <summary>The chart's plotly figure with the course's title, axis titles and margins.</summary>
    private static JsonObject Figure(GenericChart chart, string title, string xTitle, string yTitle)
    {
        var figure = JsonNode.Parse(GenericChart.toJson(chart))!.AsObject();
        var layout = figure["layout"] as JsonObject ?? new JsonObject();
        figure["layout"] = layout;
        layout["title"] = new JsonObject { ["text"] = title };
        layout["xaxis"] = Merge(layout["xaxis"], new JsonObject { ["title"] = new JsonObject { ["text"] = xTitle } });
        layout["yaxis"] = Merge(layout["yaxis"], new JsonObject { ["title"] = new JsonObject { ["text"] = yTitle } });
        layout["margin"] = new JsonObject { ["l"] = 60, ["r"] = 20, ["t"] = 50, ["b"] = 50 };
        return figure;
    }

    private static JsonObject Merge(JsonNode? existing, JsonObject update)
    {
        var merged = existing as JsonObject ?? new JsonObject();
        foreach (var (key, value) in update.ToList())
        {
            update.Remove(key);
            merged[key] = value;
        }
        return merged;
    }
}
