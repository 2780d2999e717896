namespace SplitBrain.Notebooks.Tests;

/// <summary>
/// <c>tools/study.cs</c>, chapter 07's recipe study as array-job shards: a tiny study (two recipes, two seeds, 3 steps a
/// run) trained whole in one process, and as shards 0/2 and 1/2 in two processes into another runs folder, gives the same
/// table, written by the shard that finishes the study; the first shard names the runs still missing. (The method name starts with <c>FileBasedApp</c>, so the
/// file-based apps' filter runs it too.)
/// </summary>
[Collection(FrontEndCollection.Name)]
public sealed class StudyToolTests : IDisposable
{
    private static readonly string Tool = Path.Combine(Repository.Root, "tools", "study.cs");

    // A step budget, not minutes, so that every process trains exactly the same steps.
    private static readonly string[] Knobs =
    [
        "--set", "Pretrain.Data.Synthetic.UnlabeledCount=64", "--set", "Pretrain.Data.Synthetic.TrainCount=60",
        "--set", "Pretrain.Data.Synthetic.TestCount=40", "--set", "Pretrain.Data.Synthetic.ImageSize=32",
        "--set", "Pretrain.PriorImages=32", "--set", "Pretrain.BatchSize=8", "--set", "Pretrain.WarmupSteps=0",
        // One precision in every process: Auto times float32 against bfloat16 in each workspace, and on a busy machine the
        // whole study and a shard may choose differently, which this test (sharding, not precision) must not see.
        "--set", "Pretrain.Device=cpu", "--set", "Pretrain.Precision=Float32", "--set", "RunSteps=3", "--set", "Seeds=[0,1]", "--set", "Variants=[\"soft\"]",
        "--set", "ProbeLabelsPerClass=4", "--set", "Probes.Epochs=2",
    ];

    private readonly string _folder = Repository.TempFolder("study-tool");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (int ExitCode, string Output) Study(string runs, params string[] arguments) =>
        Repository.Run("dotnet", ["run", "--file", Tool, "--", .. arguments, .. Knobs], Repository.Root, TimeSpan.FromMinutes(8),
            new Dictionary<string, string?> { ["SPLITBRAIN_RUN_DIR"] = Path.Combine(_folder, runs) });

    [Fact]
    public void FileBasedApp_StudyTool_TwoShardsInTwoProcesses_SameTableAsTheWholeStudy()
    {
        var (code, log) = Study("whole", "pretrain", "--out", Path.Combine(_folder, "whole.csv"));
        Assert.True(code == 0, log);
        Assert.Contains("study: shard 0/1, 4 of 4 runs", log);

        (code, log) = Study("sharded", "pretrain", "--shard", "0/2", "--out", Path.Combine(_folder, "sharded.csv"));
        Assert.True(code == 0, log);
        Assert.Contains("study: shard 0/2, 2 of 4 runs", log);
        Assert.Contains("2 of 4 runs are not finished yet (recipe-baseline-s1, recipe-soft-s1)", log);
        Assert.False(File.Exists(Path.Combine(_folder, "sharded.csv")), "a table was written before every shard had finished");

        (code, log) = Study("sharded", "pretrain", "--shard", "1/2", "--out", Path.Combine(_folder, "sharded.csv"));
        Assert.True(code == 0, log);
        var whole = File.ReadAllLines(Path.Combine(_folder, "whole.csv"));
        Assert.Equal(5, whole.Length); // a header, 2 recipes x 2 seeds x conv5
        Assert.Equal(whole, File.ReadAllLines(Path.Combine(_folder, "sharded.csv")));
    }
}
