using System.Text.Json.Nodes;
using SplitBrain.Course;
using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Training.Objectives;

namespace SplitBrain.Tests.Course;

/// <summary>A study's probes are kept in the workspace's cache: scoring again reads them, a changed probing probes again,
/// and an entry that cannot be read is probed again and rewritten. Also: chapter 08's rows share one precision.</summary>
public sealed class StudyProbeCacheTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "study-probes-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    // One objective, one seed, 2 steps, two layers, quick probes: a run and its random+BN floor, two cache entries.
    private static WhySplitChapterConfig Tiny(int probeEpochs = 2) => WhySplitChapterConfig.Test with
    {
        Pretrain = WhySplitChapterConfig.Test.Pretrain with { Precision = Precision.Float32 },
        Objectives = [PretrainObjectives.Default],
        Steps = 2,
        BudgetObjectives = [],
        BudgetSteps = [2],
        Layers = [FeatureLayer.Conv1, FeatureLayer.Conv5],
        Probes = LinearProbeConfig.Fast with { Epochs = probeEpochs },
        ProbeLabelsPerClass = 5,
    };

    [Fact]
    public void Score_Again_ReadsTheCache_AChangedProbingProbesAgain_AnUnreadableEntryIsRewritten()
    {
        var workspace = Workspace.At(_folder);
        var knobs = Tiny();
        var runs = WhySplit.Pretrain(knobs, workspace);
        var cache = Path.Combine(workspace.Cache, StudyProbeCache.FolderName);
        var label = WhySplit.Label(PretrainObjectives.Default, knobs.Steps);

        var first = WhySplit.Score(knobs, runs, workspace).Study(SyntheticStyle.Shapes);
        var entries = Directory.GetFiles(cache, "*.json");
        Assert.Equal(2, entries.Length); // the run and its floor

        // Every entry is read back: change the numbers on disk and the second scoring shows them.
        foreach (var entry in entries)
        {
            var json = JsonNode.Parse(File.ReadAllText(entry))!;
            foreach (var layer in json["TestAccuracy"]!.AsObject().ToList())
                json["TestAccuracy"]![layer.Key] = 0.125;
            File.WriteAllText(entry, json.ToJsonString());
        }
        var second = WhySplit.Score(knobs, runs, workspace).Study(SyntheticStyle.Shapes);
        Assert.All(second.Scores, s => Assert.Equal((0.125, 0.125), (s.Accuracy, s.Floor)));
        Assert.Equal(first.Scores.Count, second.Scores.Count);

        // Another probing is another key: probed, not read (the edited entries stay as they are).
        var other = WhySplit.Score(Tiny(probeEpochs: 3), runs, workspace).Study(SyntheticStyle.Shapes);
        Assert.Equal(4, Directory.GetFiles(cache, "*.json").Length);
        Assert.Contains(other.Scores, s => s.Accuracy != 0.125);

        // An entry that cannot be read is derived data: probed again and rewritten, not an error.
        foreach (var entry in entries)
            File.WriteAllText(entry, "{ not json");
        var third = WhySplit.Score(knobs, runs, workspace).Study(SyntheticStyle.Shapes);
        Assert.All(third.Scores, s => Assert.InRange(s.Accuracy, 0.0, 1.0));
        Assert.Contains(third.Scores, s => s.Accuracy != 0.125);
        Assert.All(entries, entry => Assert.NotNull(JsonNode.Parse(File.ReadAllText(entry))!["TestAccuracy"]));
        Assert.Equal(first.Accuracy(label, FeatureLayer.Conv5).Mean, third.Accuracy(label, FeatureLayer.Conv5).Mean, 0.2);
    }

    [Fact]
    public void RunKey_ChangesWithTheCheckpoint_AndWithTheProbing_AndIsRefusedForWeightsThatFailVerification()
    {
        var workspace = Workspace.At(_folder);
        var knobs = Tiny();
        var run = WhySplit.Pretrain(knobs, workspace)[0].Run;
        var probing = new StudyProbes(knobs.On(SyntheticStyle.Shapes).Data, knobs.Layers, knobs.Probes, knobs.ProbeLabelsPerClass);

        var key = StudyProbeCache.KeyOfRun(run.Folder, probing, seed: 0);
        Assert.Equal(key, StudyProbeCache.KeyOfRun(run.Folder, probing, seed: 0));
        Assert.NotEqual(key, StudyProbeCache.KeyOfRun(run.Folder, probing, seed: 1));
        Assert.NotEqual(key, StudyProbeCache.KeyOfRun(run.Folder, probing with { LabelsPerClass = 6 }, seed: 0));

        // Another checkpoint (the same recipe trained longer) is another key.
        var longer = WhySplit.Pretrain(knobs with { Steps = 4, BudgetSteps = [4] }, workspace)[0].Run;
        Assert.NotEqual(run.Folder.Name, longer.Folder.Name);
        Assert.NotEqual(key, StudyProbeCache.KeyOfRun(longer.Folder, probing, seed: 0));

        // Weights that fail the checkpoint's verification are never probed: the run has no checkpoint to key, as for LoadModel.
        var model = Path.Combine(run.Folder.LatestCheckpoint()!.Path, SplitBrain.Runs.Trainer.ModelFile);
        var bytes = File.ReadAllBytes(model);
        bytes[^1] ^= 1;
        File.WriteAllBytes(model, bytes);
        var error = Assert.Throws<InvalidOperationException>(() => StudyProbeCache.KeyOfRun(run.Folder, probing, seed: 0));
        Assert.Contains(run.Folder.Name, error.Message);
    }

    [Fact]
    public void OnePrecision_Auto_IsDecidedOnceForEveryRow_ANamedPrecisionIsKept()
    {
        var workspace = Workspace.At(_folder);
        var auto = WhySplitChapterConfig.Test with { Pretrain = WhySplitChapterConfig.Test.Pretrain with { Precision = Precision.Auto } };

        var pinned = WhySplit.OnePrecision(auto, workspace);

        Assert.Contains(pinned.Pretrain.Precision, new[] { Precision.Float32, Precision.BFloat16 });
        var plan = WhySplit.Plan(pinned, workspace);
        Assert.All(plan, r => Assert.Equal(pinned.Pretrain.Precision, r.Run.Variant.Config.Precision));
        Assert.Equal(auto with { Pretrain = auto.Pretrain with { Precision = pinned.Pretrain.Precision } }, pinned);

        var named = auto with { Pretrain = auto.Pretrain with { Precision = Precision.BFloat16 } };
        Assert.Same(named, WhySplit.OnePrecision(named, workspace));
    }
}
