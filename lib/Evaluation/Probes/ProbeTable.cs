using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SplitBrain.Display;
using SplitBrain.Models;
using SplitBrain.Runs;

namespace SplitBrain.Evaluation;

/// <summary>
/// Linear-probe test accuracy per layer of several networks, each probed with one or more seeds: the numbers of the
/// paper's fig. 4, with the spread between seeds. Rows are layers, columns networks, each cell the mean ± standard
/// deviation over the seeds (<see cref="ProbeCell"/>).
/// </summary>
/// <remarks>
/// Made by <see cref="ProbeStudy.Run"/>, or from any curves of <see cref="LinearProbes.Run"/> with their seeds. Plain
/// values: the curves keep everything (train accuracy, confusion matrices, timings); <see cref="ToTable"/>,
/// <see cref="ToCsv"/> and <see cref="ToJson"/> give the summary.
/// </remarks>
/// <param name="Curves">One curve per network and seed, in the order the networks are to be shown.</param>
public sealed record ProbeTable(IReadOnlyList<SeededProbeCurve> Curves)
{
    /// <summary>The networks, in the order first seen in <see cref="Curves"/>.</summary>
    public IReadOnlyList<string> Networks => [.. Curves.Select(c => c.Curve.Network).Distinct()];

    /// <summary>Every layer probed in any curve, in network order.</summary>
    public IReadOnlyList<FeatureLayer> Layers => [.. Curves.SelectMany(c => c.Curve.Layers.Select(r => r.Layer)).Distinct().Order()];

    /// <summary>The seeds, in the order first seen.</summary>
    public IReadOnlyList<int> Seeds => [.. Curves.Select(c => c.Seed).Distinct()];

    /// <summary>The test accuracies of <paramref name="network"/> at <paramref name="layer"/> over its seeds, or null where
    /// it was not probed there.</summary>
    /// <param name="network">A network's name (<see cref="ProbeCurve.Network"/>).</param>
    /// <param name="layer">A layer.</param>
    public ProbeCell? Cell(string network, FeatureLayer layer)
    {
        var values = Curves.Where(c => c.Curve.Network == network)
            .SelectMany(c => c.Curve.Layers.Where(r => r.Layer == layer).Select(r => r.TestAccuracy))
            .ToArray();
        return values.Length == 0 ? null : new ProbeCell(values);
    }

    /// <summary>One row per layer, one column per network, each cell the test top-1 in percent as
    /// <see cref="ProbeCell.ToString"/> writes it ("78.9 ± 1.2", or "78.9" for one seed).</summary>
    /// <param name="title">The caption; one naming the seeds when null.</param>
    public Table ToTable(string? title = null) => new(
        ["layer", .. Networks],
        Layers.Select(layer => (IReadOnlyList<object?>)
            [EvaluationPlots.LayerName(layer), .. Networks.Select(network => (object?)Cell(network, layer)?.ToString())]),
        title ?? DefaultTitle());

    /// <summary>The summary as CSV: a header, then one line per layer and network with the number of seeds, the mean and
    /// standard deviation, and each seed's accuracy, all in percent (invariant culture).</summary>
    public string ToCsv()
    {
        var seeds = Seeds;
        var text = new StringBuilder("layer,network,seeds,mean,std");
        foreach (var seed in seeds)
            text.Append(CultureInfo.InvariantCulture, $",seed_{seed}");
        text.Append('\n');
        foreach (var layer in Layers)
            foreach (var network in Networks)
            {
                if (Cell(network, layer) is not { } cell)
                    continue;
                text.Append(CultureInfo.InvariantCulture, $"{EvaluationPlots.LayerName(layer)},{Quote(network)},{cell.Count},{Percent(cell.Mean)},{Percent(cell.Std)}");
                foreach (var seed in seeds)
                {
                    var value = Curves.FirstOrDefault(c => c.Seed == seed && c.Curve.Network == network)?.Curve.Layers
                        .FirstOrDefault(r => r.Layer == layer)?.TestAccuracy;
                    text.Append(',').Append(value is { } v ? Percent(v) : "");
                }
                text.Append('\n');
            }
        return text.ToString();
    }

    /// <summary>The summary as JSON: <c>about</c> (what the caller adds), the networks, layers and seeds, and one cell per
    /// layer and network (accuracies as fractions in [0, 1]).</summary>
    /// <param name="about">What was probed (data, run, options), copied in as <c>about</c>; none when null.</param>
    public JsonObject ToJson(JsonObject? about = null)
    {
        var cells = new JsonArray();
        foreach (var layer in Layers)
            foreach (var network in Networks)
                if (Cell(network, layer) is { } cell)
                    cells.Add(new JsonObject
                    {
                        ["layer"] = EvaluationPlots.LayerName(layer),
                        ["network"] = network,
                        ["mean"] = cell.Mean,
                        ["std"] = cell.Std,
                        ["values"] = new JsonArray([.. cell.Values.Select(v => (JsonNode)JsonValue.Create(v))]),
                    });
        return new JsonObject
        {
            ["about"] = about?.DeepClone(),
            ["metric"] = "linear-probe test top-1 accuracy",
            ["networks"] = new JsonArray([.. Networks.Select(n => (JsonNode)JsonValue.Create(n)!)]),
            ["layers"] = new JsonArray([.. Layers.Select(l => (JsonNode)JsonValue.Create(EvaluationPlots.LayerName(l))!)]),
            ["seeds"] = new JsonArray([.. Seeds.Select(s => (JsonNode)JsonValue.Create(s))]),
            ["cells"] = cells,
        };
    }

    /// <summary>Writes <see cref="ToJson"/> (a <c>.json</c> file) or <see cref="ToCsv"/> (a <c>.csv</c> file) to
    /// <paramref name="path"/>, atomically (a reader sees the old file or the whole new one), creating its folder.</summary>
    /// <param name="path">The file; its extension picks the format.</param>
    /// <param name="about">For JSON: what was probed, saved as <c>about</c>.</param>
    /// <exception cref="ArgumentException">The extension is neither .json nor .csv.</exception>
    public void Save(string path, JsonObject? about = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var text = FormatOf(path) switch
        {
            // Relaxed escaping keeps names such as "random+BN" readable; the file is data, never embedded in HTML.
            ".json" => ToJson(about).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n",
            _ => ToCsv(),
        };
        AtomicFile.WriteAllText(path, text);
    }

    /// <summary>The format <see cref="Save"/> writes for <paramref name="path"/>: <c>.json</c> or <c>.csv</c>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The extension, lower case.</returns>
    /// <exception cref="ArgumentException">The extension is neither.</exception>
    public static string FormatOf(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".json" or ".csv"
            ? extension
            : throw new ArgumentException($"'{path}' must end in .json or .csv (the extension picks the format).", nameof(path));
    }

    /// <inheritdoc/>
    public override string ToString() => ToTable().ToText();

    private string DefaultTitle()
    {
        var seeds = Seeds;
        var over = seeds.Count == 1
            ? $"seed {seeds[0]}"
            : $"mean ± std over seeds {string.Join(", ", seeds)}";
        return $"Linear probe test top-1 (%), {over}";
    }

    private static string Percent(double fraction) => (100 * fraction).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>A network's linear-probe curve (<see cref="LinearProbes.Run"/>) made with one seed: one column's share of a
/// <see cref="ProbeTable"/>.</summary>
/// <param name="Seed">The seed of the probes, and of the network where it was drawn (a random or supervised baseline).</param>
/// <param name="Curve">The curve.</param>
public sealed record SeededProbeCurve(int Seed, ProbeCurve Curve);

/// <summary>One network's test accuracies at one layer, one per seed, with their mean and spread.</summary>
/// <param name="Values">The accuracies, fractions in [0, 1], at least one.</param>
public sealed record ProbeCell(IReadOnlyList<double> Values)
{
    /// <summary>How many seeds.</summary>
    public int Count => Values.Count;

    /// <summary>The mean accuracy.</summary>
    public double Mean => Values.Average();

    /// <summary>The sample standard deviation over the seeds (divided by n - 1, the spread one would expect of another
    /// seed); 0 for one seed.</summary>
    public double Std => Count < 2 ? 0 : Math.Sqrt(Values.Sum(v => (v - Mean) * (v - Mean)) / (Count - 1));

    /// <summary>In percent with one decimal: <c>78.9 ± 1.2</c>, or <c>78.9</c> for one seed.</summary>
    public override string ToString() => Count < 2
        ? (100 * Mean).ToString("0.0", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{100 * Mean:0.0} ± {100 * Std:0.0}");
}
