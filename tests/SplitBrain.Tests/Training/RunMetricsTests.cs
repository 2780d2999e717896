using System.Text.Json.Nodes;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Tests.Training;

/// <summary>A pretraining run's metrics read back by name: files written before metrics were named still read, and the
/// charts and the epoch table draw whatever the lines hold.</summary>
public sealed class RunMetricsTests : IDisposable
{
    // Lines as runs wrote them when the metrics were typed fields: a step line with a loss that was not finite (null), an
    // epoch line from before budgets (no "epochs" or "images").
    private const string OldLines = """
        {"kind":"step","step":3,"epoch":1,"lossF1":4.9,"lossF2":null,"accF1":0.1,"accF2":0.02,"lr":0.001,"imagesPerSecond":100,"elapsed":1.5}
        {"kind":"step","step":6,"epoch":1,"lossF1":4.7,"lossF2":4.4,"accF1":0.12,"accF2":0.03,"lr":0.001,"imagesPerSecond":110,"elapsed":3}
        {"kind":"epoch","epoch":1,"step":6,"lossF1":4.8,"lossF2":4.45,"accF1":0.11,"accF2":0.025,"imagesPerSecond":105,"seconds":3,"elapsed":3.2}
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-metrics-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private RunFolder OldRun()
    {
        var run = new RunFolder(Path.Combine(_folder, "old"));
        Directory.CreateDirectory(run.Path);
        File.WriteAllText(run.MetricsPath, OldLines.ReplaceLineEndings("\n") + "\n");
        return run;
    }

    [Fact]
    public void ReadMetrics_LinesOfTypedFields_ReadByName_NullAsNaN()
    {
        var metrics = OldRun().ReadMetrics();

        Assert.Equal(["lossF1", "lossF2", "accF1", "accF2"], metrics.Names);
        Assert.Equal([3L, 6], metrics.Steps.Select(s => s.Step));
        Assert.Equal((4.9, 0.02, 0.001, 100.0, 1.5), (metrics.Steps[0]["lossF1"], metrics.Steps[0]["accF2"], metrics.Steps[0].LearningRate,
            metrics.Steps[0].ImagesPerSecond, metrics.Steps[0].Elapsed));
        Assert.True(double.IsNaN(metrics.Steps[0]["lossF2"]));
        var epoch = Assert.Single(metrics.Epochs);
        Assert.Equal((1, 6L, 4.45, 3.0, 0.0, 0L), (epoch.Epoch, epoch.Step, epoch["lossF2"], epoch.Seconds, epoch.EpochsTrained, epoch.Images));
        Assert.True(double.IsNaN(epoch["noSuchMetric"]));
    }

    [Fact]
    public void Charts_WithoutAKnownObjective_TellLossesByName_AndLabelTheHalves()
    {
        var metrics = OldRun().ReadMetrics(); // no config.json: the losses are told by their names

        var losses = JsonNode.Parse(metrics.LossChart().FigureJson)!["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>());
        var accuracies = JsonNode.Parse(metrics.AccuracyChart().FigureJson)!["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>());

        Assert.Equal(["lossF1", "lossF2"], metrics.LossNames);
        Assert.Equal(["loss F1: L \u2192 ab", "loss F2: ab \u2192 L"], losses);
        Assert.Equal(["acc F1: L \u2192 ab", "acc F2: ab \u2192 L"], accuracies);
        Assert.Equal(["epoch", "step", "loss F1", "loss F2", "acc F1", "acc F2", "images/s", "seconds"], metrics.EpochTable().Columns);
    }

    [Fact]
    public void Charts_OtherNames_DrawWhateverWasRecorded()
    {
        StepMetrics Step(long step, double mse) => new(step, 1, new Dictionary<string, double> { ["lossAE"] = 1.0 / step, ["mse"] = mse }, 1e-3, 10, step);
        var metrics = new RunMetrics([Step(1, 0.5), Step(2, 0.4)], [], Losses: ["lossAE"]);

        var other = JsonNode.Parse(metrics.AccuracyChart().FigureJson)!;

        Assert.Equal(["lossAE"], metrics.LossNames);
        Assert.Equal(["mse"], metrics.OtherNames);
        Assert.Equal("mse", other["data"]![0]!["name"]!.GetValue<string>());
        Assert.Contains("Metrics", metrics.AccuracyChart().ToText());
        Assert.Throws<InvalidOperationException>(() => new RunMetrics([], []).LossChart());
    }
}
