using System.Text.Json.Nodes;
using SplitBrain.Evaluation;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Tests.Runs;

/// <summary>The folder every kind of run has: its kind in <c>config.json</c>, metrics lines, truncation on resume, and the
/// workspace a run name is found in.</summary>
public sealed class RunFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-runfolder-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private RunFolder Run(string name = "r") => new(Path.Combine(_folder, name));

    private static string Step(long step, int epoch = 1) =>
        MetricLines.StepLine(step, epoch, [new("lossF1", 5.0 - step / 10.0), new("lossF2", 4.5), new("accF1", 0.1), new("accF2", 0.02)], 1e-3, 100, step)
            .ToJsonString();

    private static string Epoch(int epoch, long step, double lossF1) =>
        MetricLines.EpochLine(epoch, step, [new("lossF1", lossF1), new("lossF2", 4.5), new("accF1", 0.1), new("accF2", 0.02)], 100, 2, step, epoch, step * 8)
            .ToJsonString();

    [Fact]
    public void Workspace_Run_TakesNamesInTheRunsFolderAndPathsAsGiven()
    {
        var workspace = Workspace.At(_folder);

        Assert.Equal(Path.Combine(_folder, "runs", "small-1"), workspace.Run("small-1").Path);
        Assert.Same(workspace, workspace.Run("small-1").Workspace);
        Assert.Equal(Path.Combine(_folder, "elsewhere", "x"), workspace.Run("elsewhere/x").Path);
        Assert.Throws<ArgumentException>(() => workspace.Run(".."));
        Assert.Equal(Path.Combine(_folder, "data", "stl10"), workspace.Resolve("data/stl10"));
        Assert.Equal(Path.Combine(_folder, "runs", "cache"), workspace.Cache);
        Assert.Equal(_folder, Run().Workspace.Runs); // a bare folder: its runs folder is the one that holds it
    }

    [Fact]
    public void Metrics_WrittenLineByLine_ReadBackByKind_AKilledLastLineIsIgnored()
    {
        var run = Run();
        run.AppendLine(Step(1));
        run.AppendLine(Step(2));
        run.AppendLine(Epoch(1, 2, 4.9));
        File.AppendAllText(run.MetricsPath, "{\"kind\":\"step\",\"step\":3,\"lo"); // cut short by a crash

        var metrics = run.ReadMetrics();

        Assert.Equal([1L, 2], metrics.Steps.Select(s => s.Step));
        Assert.Equal(4.8, metrics.Steps[1]["lossF1"], 12);
        Assert.Equal(4.9, Assert.Single(metrics.Epochs)["lossF1"]);
        Assert.Equal(2, run.ReadMetricLines(MetricLines.Step).Count);
        var first = File.ReadLines(run.MetricsPath).First();
        Assert.StartsWith("{\"kind\":\"step\",\"step\":1,\"epoch\":1,\"lossF1\":4.9,\"lossF2\":4.5,\"accF1\":0.1,\"accF2\":0.02,\"lr\":0.001,", first);
        Assert.Contains("\"imagesPerSecond\":100,\"elapsed\":1}", first);
    }

    [Fact]
    public void Metrics_ABadLineBeforeTheLast_IsReportedWithItsNumber()
    {
        var run = Run();
        Directory.CreateDirectory(run.Path);
        File.WriteAllLines(run.MetricsPath, ["{\"kind\":\"step\",", "{}"]);

        Assert.Contains("line 1", Assert.Throws<InvalidDataException>(() => run.ReadMetricLines(MetricLines.Step)).Message);
    }

    [Fact]
    public void TruncateTo_KeepsWhatTheCheckpointAccountsFor_InFileOrder()
    {
        var run = Run();
        foreach (var line in new[] { Step(1), Step(2), Epoch(1, 2, 4.9), Step(3, epoch: 2), Step(4, epoch: 2), Epoch(2, 4, 4.8) })
            run.AppendLine(line);
        run.WriteSummary(new RunSummary("r", PretrainingRuns.Kind, 4, 2, new Dictionary<string, double>(), 1, 1, 1, "cpu", 2, "float32", 0.1, 0, null, DateTime.UtcNow));

        run.TruncateTo(step: 3, completedEpochs: 1);

        var kinds = File.ReadLines(run.MetricsPath).Select(l => l[..16]).ToList();
        Assert.Equal(["{\"kind\":\"step\",\"", "{\"kind\":\"step\",\"", "{\"kind\":\"epoch\",", "{\"kind\":\"step\",\""], kinds);
        Assert.Null(run.ReadSummary());
    }

    [Fact]
    public void Config_HoldsTheKindFirst_ReadBackOnlyAsThatKind_AllRunsFindsOnlyStartedRuns()
    {
        var workspace = Workspace.At(_folder);
        workspace.Run("b").WriteConfig(PretrainingRuns.Kind, PretrainConfig.Small.ToJson());
        workspace.Run("a").WriteConfig(PretrainingRuns.Kind, PretrainConfig.Paper.ToJson());
        Directory.CreateDirectory(workspace.Cache);

        Assert.Equal(["a", "b"], workspace.AllRuns().Select(r => r.Name));
        Assert.Equal("pretraining", (string?)JsonNode.Parse(File.ReadAllText(workspace.Run("a").ConfigPath))!.AsObject().First().Value);
        Assert.Equal(PretrainingRuns.Kind, workspace.Run("a").Kind);
        Assert.Equal(PretrainConfig.Paper, workspace.Run("a").ReadConfig());
        Assert.Contains("not of a fine-tuning run", Assert.Throws<InvalidDataException>(() => workspace.Run("a").ReadConfigJson(FineTuneRun.Kind)).Message);
        Assert.Throws<FileNotFoundException>(() => workspace.Run("none").ReadConfig());
        workspace.Run("a").Clear();
        Assert.False(Directory.Exists(workspace.Run("a").Path));
    }

    [Fact]
    public void Config_OfAnOlderVersionWithoutKind_IsRefusedSayingWhatToDo()
    {
        var run = Run("old");
        Directory.CreateDirectory(run.Path);
        File.WriteAllText(run.ConfigPath, PretrainConfig.Small.ToJson()); // as runs were written before they named their kind

        Assert.Equal(RunKind.Unknown, run.Kind);
        var e = Assert.Throws<InvalidDataException>(() => run.ReadConfig());
        Assert.Contains("names no kind of run", e.Message);
        Assert.Contains("\"kind\": \"pretraining\"", e.Message);
    }

    [Fact]
    public void LossCurves_OfARunWithoutMetrics_SaysToTrainFirst()
    {
        Assert.Contains("Fit", Assert.Throws<InvalidOperationException>(() => Run().LossCurves()).Message);
        Assert.Throws<InvalidOperationException>(() => Run().Previews());
    }

    [Fact]
    public void LossCurves_HaveOneLinePerHalf()
    {
        var run = Run();
        run.AppendLine(Step(1));
        run.AppendLine(Step(2));

        var chart = run.LossCurves();

        Assert.Contains("F1: L", chart.FigureJson);
        Assert.Contains("F2: ab", chart.FigureJson);
    }
}
