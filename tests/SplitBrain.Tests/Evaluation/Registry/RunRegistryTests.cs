using System.Text.Json.Nodes;
using SplitBrain.Evaluation;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Tests.Evaluation;

/// <summary>The registry over the runs of <see cref="PretrainedRuns"/>: two pretraining runs and the fine-tuning runs the
/// tests of this collection wrote.</summary>
[Collection(PretrainedRunsCollection.Name)]
public sealed class RunRegistryTests(PretrainedRuns runs)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private void FineTune(string name, FineTuneRunConfig config)
    {
        if (FineTuneRun.ReadResult(runs.Run(name)) is not null)
            return;
        using var run = new FineTuneRun(config, runs.Run(name), _ => { });
        run.Fit(TrainingProgress.None, Cancel);
    }

    [Fact]
    public void Load_ListsTheTrainersAndTheFineTuningRuns_ByKind_NotTheCache()
    {
        _ = runs.Other;
        FineTune("registry-ft", runs.FineTune with { Training = runs.FineTune.Training with { Epochs = 1 } });

        var registry = RunRegistry.Load(runs.Workspace);

        Assert.Equal(PretrainingRuns.Kind, registry["pretrain"].Kind);
        Assert.Equal(PretrainingRuns.Kind, registry["pretrain-l20"].Kind);
        Assert.Equal(FineTuneRun.Kind, registry["registry-ft"].Kind);
        Assert.DoesNotContain(registry.Runs, r => r.Name == "cache");
        Assert.Equal(1, registry["pretrain"].Epochs);
        Assert.Equal(20L, registry["pretrain-l20"].Settings["Targets.LightnessBins"]);
        Assert.NotNull(registry["registry-ft"].Result!.Test);
        Assert.Contains("pretrain-l20", registry.ToText());
        Assert.Contains("no run 'nothing'", Assert.Throws<KeyNotFoundException>(() => registry["nothing"]).Message);
        Assert.All(registry.OfKind(FineTuneRun.Kind).Runs, r => Assert.Equal(FineTuneRun.Kind, r.Kind));
    }

    [Fact]
    public void Load_ARunWhoseConfigNamesNoKind_IsListedWithWhatToDo_NotGuessed()
    {
        var old = runs.Run("registry-old");
        Directory.CreateDirectory(old.Path);
        File.WriteAllText(old.ConfigPath, runs.Config.ToJson()); // a pretraining config, as older versions wrote it

        var entry = RunRegistry.Load(runs.Workspace)["registry-old"];

        Assert.Equal(RunKind.Unknown, entry.Kind);
        Assert.Contains("names no kind of run", entry.Problem);
        old.Clear();
    }

    [Fact]
    public void Compare_TwoPretrainingRuns_ShowsExactlyTheSettingsThatDiffer_AndTheirFinalLosses()
    {
        var (a, b) = (runs.Pretrained, runs.Other);
        var registry = RunRegistry.Load(runs.Workspace);

        var table = registry.Compare(a.Name, b.Name);

        Assert.Equal(PretrainedRuns.OtherDifferences, registry.Differences(a.Name, b.Name));
        Assert.Equal(["run", "kind", .. PretrainedRuns.OtherDifferences, "epochs", "loss F1", "loss F2", "acc F1", "acc F2", "time (s)", "computed in", "images/s"], table.Columns);
        // The precision the summary recorded; with Precision.Auto also why (e.g. "bfloat16: 1.9x float32 on this machine").
        Assert.All(table.Rows, r => Assert.Matches(@"^(float32|bfloat16)(: \d+(\.\d+)?x (bfloat16|float32) on this machine)?$", (string)r[^2]!));
        Assert.All(table.Rows, r => Assert.True((double)r[^1]! > 0, "images/s"));
        Assert.Equal(["pretrain", "pretrain-l20"], table.Rows.Select(r => r[0]));
        Assert.Equal([100L, 20L], table.Rows.Select(r => r[2]));
        Assert.Equal([0.003, 0.001], table.Rows.Select(r => r[3]));
        Assert.Equal(a.ReadMetrics().Epochs[^1]["lossF2"], table.Rows[0][6]);
    }

    [Fact]
    public void Compare_TwoFineTuningRuns_ShowsTheirDifferenceAndTestAccuracy()
    {
        var oneEpoch = runs.FineTune with { Training = runs.FineTune.Training with { Epochs = 1 } };
        FineTune("ft-all", oneEpoch);
        FineTune("ft-2", oneEpoch with { TrainPerClass = 2 });

        var table = RunRegistry.Load(runs.Workspace).Compare("ft-all", "ft-2");

        Assert.Equal(["run", "kind", "TrainPerClass", "epochs", "loss", "train accuracy", "test top-1", "test top-5", "time (s)", "computed in", "images/s"], table.Columns);
        Assert.Equal([0L, 2L], table.Rows.Select(r => r[2]));
        Assert.All(table.Rows, r => Assert.InRange((double)r[6]!, 0, 1));
    }

    [Fact]
    public void Curves_PretrainingRunsShareOnePanel_FineTuningRunsGetASecond()
    {
        _ = runs.Other; // trained on first use: this test may run before the others of the collection
        FineTune("curves-ft", runs.FineTune with { Training = runs.FineTune.Training with { Epochs = 1 } });
        var registry = RunRegistry.Load(runs.Workspace);

        var losses = JsonNode.Parse(registry.Curves("pretrain", "pretrain-l20").FigureJson)!;
        var mixed = JsonNode.Parse(registry.Curves("pretrain", "curves-ft").FigureJson)!;

        Assert.Equal(["pretrain loss F1", "pretrain loss F2", "pretrain-l20 loss F1", "pretrain-l20 loss F2"],
            losses["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal("dash", losses["data"]![1]!["line"]!["dash"]!.GetValue<string>());
        Assert.Null(losses["layout"]!["xaxis2"]);
        Assert.Equal(["x", "x", "x2", "x2"], mixed["data"]!.AsArray().Select(t => t!["xaxis"]!.GetValue<string>()));
        Assert.Equal("epoch", mixed["layout"]!["xaxis2"]!["title"]!["text"]!.GetValue<string>());
    }
}
