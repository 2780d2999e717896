using System.Globalization;
using System.Text.Json.Nodes;
using SplitBrain.Display;

namespace SplitBrain.Evaluation;

/// <summary>
/// The views of the evaluation chapter, one call each: a confusion-matrix heatmap, per-class accuracy as bars and as a
/// table, and probe accuracy per layer for several networks on one chart.
/// </summary>
/// <remarks>
/// The figures are written as plotly JSON directly (the vocabulary plotly.js documents): a heatmap and a line chart with
/// categorical x (layer names) are a few fields there, while <see cref="Plots.Lines"/> takes numeric x only.
/// </remarks>
public static class EvaluationPlots
{
    /// <summary>
    /// The confusion matrix as a heatmap: true class down the side (first class at the top), predicted class along the
    /// bottom, each cell labelled with its count (and its share of the row when normalized).
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="normalize">Color by the fraction of each true class (rows sum to 1), so that classes of different
    /// sizes compare; false colors by raw counts.</param>
    /// <param name="title">The chart's title; "Confusion matrix" when null.</param>
    public static Chart ConfusionMatrix(ClassificationReport report, bool normalize = true, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        title ??= "Confusion matrix";
        var names = report.ClassNames;
        var normalized = report.RowNormalized();
        var z = new JsonArray(Enumerable.Range(0, report.Classes).Select(t => (JsonNode)Numbers(
            normalize ? normalized[t] : report.Confusion[t].Select(n => (double)n))).ToArray());
        var text = new JsonArray(Enumerable.Range(0, report.Classes).Select(t => (JsonNode)new JsonArray(
            Enumerable.Range(0, report.Classes).Select(p => (JsonNode)JsonValue.Create(normalize
                ? $"{report.Confusion[t][p]}<br>{ClassificationReport.Percent(normalized[t][p])}"
                : report.Confusion[t][p].ToString(CultureInfo.InvariantCulture))!).ToArray())).ToArray());
        var trace = new JsonObject
        {
            ["type"] = "heatmap",
            ["z"] = z,
            ["x"] = Strings(names),
            ["y"] = Strings(names),
            ["text"] = text,
            ["texttemplate"] = "%{text}",
            ["hovertemplate"] = "true %{y}, predicted %{x}: %{text}<extra></extra>",
            ["colorscale"] = "Blues",
            ["zmin"] = 0,
            ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = normalize ? "fraction of row" : "count" } },
        };
        var figure = Figure(new JsonArray(trace), $"{title} ({report})", "predicted class", "true class");
        figure["layout"]!["yaxis"]!["autorange"] = "reversed"; // row 0 at the top, as the matrix is written
        figure["layout"]!["xaxis"]!["type"] = "category";
        figure["layout"]!["yaxis"]!["type"] = "category";
        return new Chart(figure.ToJsonString(), title, height: Math.Max(380, 120 + 36 * report.Classes));
    }

    /// <summary>Accuracy on each true class as bars.</summary>
    /// <param name="report">The report.</param>
    /// <param name="title">The chart's title; "Accuracy per class" when null.</param>
    public static Chart PerClassAccuracy(ClassificationReport report, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Plots.Bars(title ?? "Accuracy per class", "class", "accuracy", report.ClassNames,
            report.PerClassAccuracy.Select(a => a ?? 0.0));
    }

    /// <summary>One row per class: examples, correct, accuracy, and the class it is most often mistaken for.</summary>
    /// <param name="report">The report.</param>
    /// <param name="title">The caption; the report's summary when null.</param>
    public static Table PerClassTable(ClassificationReport report, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = Enumerable.Range(0, report.Classes).Select(t =>
        {
            var row = report.Confusion[t];
            var confused = Enumerable.Range(0, report.Classes).Where(p => p != t && row[p] > 0).OrderByDescending(p => row[p]).ToList();
            return (IReadOnlyList<object?>)
            [
                report.ClassNames[t], row.Sum(), row[t], report.PerClassAccuracy[t],
                confused.Count == 0 ? "" : $"{report.ClassNames[confused[0]]} ({row[confused[0]]})",
            ];
        });
        return new Table(["class", "examples", "correct", "accuracy", "most confused with"], rows, title ?? report.ToString());
    }

    /// <summary>
    /// Linear-probe test accuracy per layer, one line per network (pretrained, randomly initialised, supervised, ...),
    /// layers in network order on a categorical x axis: the paper's fig. 4.
    /// </summary>
    /// <param name="curves">The networks' curves (<see cref="LinearProbes.Run"/>); each named by its
    /// <see cref="ProbeCurve.Network"/>.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="train">Also draw each network's training accuracy, dashed (shows how much a probe overfits).</param>
    /// <param name="chance">A horizontal line at this accuracy (1 / classes), or null for none.</param>
    /// <exception cref="ArgumentException">No curves, or a curve without layers.</exception>
    public static Chart LayerCurves(IEnumerable<ProbeCurve> curves, string title = "Linear probe accuracy per layer",
        bool train = false, double? chance = null)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var list = curves.ToList();
        if (list.Count == 0 || list.Any(c => c.Layers.Count == 0))
            throw new ArgumentException("A layer chart needs at least one curve, each with at least one layer.", nameof(curves));
        var series = new List<(string Name, IReadOnlyList<string> X, IReadOnlyList<double> Y, bool Dashed)>();
        foreach (var curve in list)
        {
            var x = curve.Layers.Select(r => LayerName(r.Layer)).ToArray();
            series.Add((curve.Network, x, curve.Layers.Select(r => r.TestAccuracy).ToArray(), false));
            if (train)
                series.Add(($"{curve.Network} (train)", x, curve.Layers.Select(r => r.TrainAccuracy).ToArray(), true));
        }
        return CategoryLines(title, "layer", "test accuracy", series, chance);
    }

    /// <summary>Test accuracy per layer in percent (one decimal), one column per network: the numbers behind
    /// <see cref="LayerCurves"/>.</summary>
    /// <param name="curves">The networks' curves.</param>
    /// <param name="title">An optional caption.</param>
    public static Table ProbeTable(IEnumerable<ProbeCurve> curves, string? title = "Linear probe test accuracy (%)")
    {
        ArgumentNullException.ThrowIfNull(curves);
        var list = curves.ToList();
        var layers = list.SelectMany(c => c.Layers.Select(r => r.Layer)).Distinct().Order().ToList();
        return new Table(["layer", .. list.Select(c => c.Network)],
            layers.Select(layer => (IReadOnlyList<object?>)
                [LayerName(layer), .. list.Select(c => c.Layers.FirstOrDefault(r => r.Layer == layer) is { } r ? (object?)Math.Round(100 * r.TestAccuracy, 1) : null)]),
            title);
    }

    /// <summary>
    /// Accuracy per epoch of fine-tuning runs (frozen, fine-tuned, scratch) on one chart: each run's training accuracy,
    /// and its test accuracy where it was scored (every epoch with <see cref="ClassifierTrainingConfig.EvaluateEveryEpoch"/>).
    /// </summary>
    /// <param name="results">The runs (<see cref="FineTuner.Fit"/>).</param>
    /// <param name="title">The chart's title.</param>
    /// <exception cref="ArgumentException">No run has any epoch.</exception>
    public static Chart TrainingCurves(IEnumerable<FineTuneResult> results, string title = "Classifier accuracy per epoch")
    {
        ArgumentNullException.ThrowIfNull(results);
        var series = new List<Series>();
        foreach (var result in results.Where(r => r.Epochs.Count > 0))
        {
            series.Add(new Series($"{result.Name} train", result.Epochs.Select(e => (double)e.Epoch).ToArray(),
                result.Epochs.Select(e => e.TrainAccuracy).ToArray()));
            var scored = result.Epochs.Where(e => e.TestAccuracy.HasValue).ToArray();
            if (scored.Length > 0)
                series.Add(new Series($"{result.Name} test", scored.Select(e => (double)e.Epoch).ToArray(),
                    scored.Select(e => e.TestAccuracy!.Value).ToArray()));
        }
        return Plots.Lines(title, "epoch", "accuracy", series, markers: true);
    }

    /// <summary>The short name of a layer on axes and in tables: <c>conv1</c> .. <c>fc7</c> (the state_dict prefix).</summary>
    /// <param name="layer">The layer.</param>
    public static string LayerName(Models.FeatureLayer layer) => layer.ToString().ToLowerInvariant();

    /// <summary>A line chart over categories (x values are names, kept in the order first seen), y from 0 to 1.</summary>
    internal static Chart CategoryLines(string title, string xTitle, string yTitle,
        IEnumerable<(string Name, IReadOnlyList<string> X, IReadOnlyList<double> Y, bool Dashed)> series, double? chance = null,
        bool logY = false)
    {
        var traces = new JsonArray();
        foreach (var (name, x, y, dashed) in series)
        {
            if (x.Count != y.Count)
                throw new ArgumentException($"Series '{name}' has {x.Count} x values for {y.Count} y values.", nameof(series));
            var trace = new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines+markers", ["name"] = name, ["x"] = Strings(x), ["y"] = Numbers(y),
            };
            if (dashed)
                trace["line"] = new JsonObject { ["dash"] = "dash" };
            traces.Add(trace);
        }
        var figure = Figure(traces, title, xTitle, yTitle);
        figure["layout"]!["xaxis"]!["type"] = "category";
        if (logY)
        {
            // Plotly labels a log axis's minor ticks with bare digits (2, 3, ... 9), which reads as 2 rather than 0.02.
            figure["layout"]!["yaxis"]!["type"] = "log";
            double[] ticks = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];
            figure["layout"]!["yaxis"]!["tickmode"] = "array";
            figure["layout"]!["yaxis"]!["tickvals"] = new JsonArray([.. ticks.Select(t => JsonValue.Create(t))]);
            figure["layout"]!["yaxis"]!["ticktext"] = new JsonArray([.. ticks.Select(t => JsonValue.Create(t.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
        }
        else
            figure["layout"]!["yaxis"]!["range"] = new JsonArray(0, 1.02); // accuracies
        if (chance is { } level)
            figure["layout"]!["shapes"] = new JsonArray(new JsonObject
            {
                ["type"] = "line", ["xref"] = "paper", ["x0"] = 0, ["x1"] = 1, ["y0"] = level, ["y1"] = level,
                ["line"] = new JsonObject { ["dash"] = "dot", ["color"] = "gray" },
            });
        return new Chart(figure.ToJsonString(), title);
    }

    internal static JsonObject Figure(JsonArray data, string title, string xTitle, string yTitle) => new()
    {
        ["data"] = data,
        ["layout"] = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = title },
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = xTitle } },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = yTitle } },
            ["margin"] = new JsonObject { ["l"] = 80, ["r"] = 20, ["t"] = 50, ["b"] = 60 },
        },
    };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());

    internal static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}
