using System.Text.Json.Nodes;
using SplitBrain.Evaluation;
using SplitBrain.Models;

namespace SplitBrain.Tests.Evaluation;

public sealed class ProbeTableTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-probe-table-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Two networks, two seeds, conv1 and conv2 (test accuracies in [0, 1]; each curve from 100-example confusion matrices).
    private static ProbeTable TwoByTwo() => new(
    [
        new(0, EvaluationPlotsTests.Curve("pretrained", 0.40, 0.70)),
        new(0, EvaluationPlotsTests.Curve("random init", 0.30, 0.50)),
        new(1, EvaluationPlotsTests.Curve("pretrained", 0.44, 0.72)),
        new(1, EvaluationPlotsTests.Curve("random init", 0.30, 0.40)),
    ]);

    [Fact]
    public void Cell_MeanAndSampleStdOverSeeds()
    {
        var table = TwoByTwo();

        var cell = table.Cell("pretrained", FeatureLayer.Conv1)!;

        Assert.Equal(2, cell.Count);
        Assert.Equal(0.42, cell.Mean, 1e-12);
        Assert.Equal(Math.Sqrt(2 * 0.02 * 0.02), cell.Std, 1e-12); // sample std of 0.40 and 0.44: |a - b| / sqrt(2)
        Assert.Equal(0, table.Cell("random init", FeatureLayer.Conv1)!.Std, 1e-12);
        Assert.Null(table.Cell("pretrained", FeatureLayer.Fc7));
        Assert.Equal("42.0 ± 2.8", cell.ToString());
        Assert.Equal("40.0", new ProbeCell([0.4]).ToString());
    }

    [Fact]
    public void NetworksLayersSeeds_InOrderFirstSeen()
    {
        var table = TwoByTwo();

        Assert.Equal(["pretrained", "random init"], table.Networks);
        Assert.Equal([FeatureLayer.Conv1, FeatureLayer.Conv2], table.Layers);
        Assert.Equal([0, 1], table.Seeds);
    }

    [Fact]
    public void ToTable_RowPerLayer_ColumnPerNetwork()
    {
        var table = TwoByTwo().ToTable();

        Assert.Equal(["layer", "pretrained", "random init"], table.Columns);
        Assert.Equal(["conv1", "42.0 ± 2.8", "30.0 ± 0.0"], table.Rows[0]);
        Assert.Equal(["conv2", "71.0 ± 1.4", "45.0 ± 7.1"], table.Rows[1]);
        Assert.Equal("Linear probe test top-1 (%), mean ± std over seeds 0, 1", table.Title);
    }

    [Fact]
    public void ToTable_OneSeed_PlainPercentAndTheSeedInTheTitle()
    {
        var table = new ProbeTable([new(3, EvaluationPlotsTests.Curve("random+BN", 0.5))]).ToTable();

        Assert.Equal(["conv1", "50.0"], table.Rows[0]);
        Assert.Equal("Linear probe test top-1 (%), seed 3", table.Title);
    }

    [Fact]
    public void ToCsv_LinePerLayerAndNetwork_WithEachSeed()
    {
        var lines = TwoByTwo().ToCsv().TrimEnd('\n').Split('\n');

        Assert.Equal("layer,network,seeds,mean,std,seed_0,seed_1", lines[0]);
        Assert.Equal(5, lines.Length);
        var conv2Random = lines[4].Split(',');
        Assert.Equal(["conv2", "random init", "2"], conv2Random[..3]);
        Assert.Equal(45.0, double.Parse(conv2Random[3], System.Globalization.CultureInfo.InvariantCulture), 1e-9);
        Assert.Equal(["50", "40"], conv2Random[5..]);
    }

    [Fact]
    public void Save_JsonAndCsvByExtension_WithAbout()
    {
        var table = TwoByTwo();
        var json = Path.Combine(_folder, "sub", "probes.json");
        var csv = Path.Combine(_folder, "probes.CSV");

        table.Save(json, new JsonObject { ["data"] = "pets" });
        table.Save(csv);

        var saved = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.Equal("pets", (string?)saved["about"]!["data"]);
        Assert.Equal(4, saved["cells"]!.AsArray().Count);
        var first = saved["cells"]![0]!;
        Assert.Equal(("conv1", "pretrained"), ((string?)first["layer"], (string?)first["network"]));
        Assert.Equal(0.42, (double)first["mean"]!, 1e-12);
        Assert.Equal(table.ToCsv(), File.ReadAllText(csv));
        Assert.Equal(["probes.CSV", "sub"], Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName).Order()); // no temporary left
    }

    [Fact]
    public void Save_OtherExtension_ThrowsAndWritesNothing()
    {
        var path = Path.Combine(_folder, "probes.txt");

        Assert.Contains(".json or .csv", Assert.Throws<ArgumentException>(() => TwoByTwo().Save(path)).Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }
}
