using System.Text.Json.Nodes;
using SplitBrain.Runs;
using SplitBrain.Tests.Models;

namespace SplitBrain.Tests.Runs;

/// <summary>
/// The run engine, once, with a task of its own that is tiny and fast (<see cref="LineTask"/>: a line fitted to noisy
/// points, with random draws from torch's global generator and from a generator of the task's own): what every kind of run
/// gets from it (its budgets: <c>TrainerBudgetTests</c>). Each kind's
/// own part is tested with its kind (<c>PretrainerTests</c>, <c>FineTuneRunTests</c>, <c>LinearProbeTests</c>).
/// </summary>
[Collection(GlobalGeneratorCollection.Name)] // steps draw from torch's global generator
public sealed class TrainerTests : IDisposable
{
    private static readonly IReadOnlySet<string> MayChange = new HashSet<string> { "Epochs" };

    // The engine knows no kind of run: its tests name their own.
    private static readonly RunKind LineKind = new("line-fit");
    private readonly Workspace _workspace = Workspace.At(Directory.CreateTempSubdirectory("splitbrain-trainer-").FullName);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_workspace.Root, recursive: true);

    private static RunIdentity Identity(int epochs = 3, double rate = 0.05) =>
        new(LineKind, new JsonObject { ["Epochs"] = epochs, ["Rate"] = rate }.ToJsonString(), MayChange);

    private static TrainerConfig Settings(int epochs = 3) => new(epochs, LogEverySteps: 2, CheckpointEveryEpochs: 1, KeepCheckpoints: 2);

    private Trainer Start(LineTask task, string run, int epochs = 3, double rate = 0.05)
    {
        var trainer = new Trainer($"line {run}", Settings(epochs), _workspace.Run(run), Identity(epochs, rate), _ => { });
        trainer.Start(task);
        return trainer;
    }

    [Fact]
    public void Fit_WithAFolder_WritesTheKindedConfigMetricLinesCheckpointsAndSummary()
    {
        using var task = new LineTask();
        var trainer = Start(task, "written");
        var reports = new List<TrainingProgress>();

        var summary = trainer.Fit(new ProgressRelay<TrainingProgress>(reports.Add), Cancel);

        var run = _workspace.Run("written");
        Assert.Equal(LineKind, run.Kind);
        Assert.Equal("line-fit", (string?)JsonNode.Parse(File.ReadAllText(run.ConfigPath))![RunKinds.Key]);
        Assert.Equal([2L, 4, 6, 8, 10, 12], run.ReadMetricLines(MetricLines.Step).Select(l => (long)MetricLines.Value(l, "step")!.Value));
        var epochs = run.ReadMetricLines(MetricLines.Epoch);
        Assert.Equal([1.0, 2, 3], epochs.Select(l => MetricLines.Value(l, "epoch")!.Value));
        Assert.All(epochs, l => Assert.Equal(0.5, MetricLines.Value(l, "measured")));   // what the task's epoch end added
        Assert.True(MetricLines.Value(epochs[^1], "loss") < MetricLines.Value(epochs[0], "loss"), "the line is learned");
        Assert.Equal([8L, 12], run.Checkpoints().Select(c => c.Step));                  // one per epoch, the last two kept
        Assert.Equal((12L, 3, LineKind), (summary.Steps, summary.Epochs, run.ReadSummary()!.Kind));
        Assert.Equal(MetricLines.Value(epochs[^1], "loss")!.Value, summary.Metric("loss"), 12);
        Assert.Equal(12, reports.Count(r => r.Status is null));
        Assert.Equal(3, reports.Count(r => r.Status is not null));
        Assert.Equal([1, 2, 3, 4], reports.Take(4).Select(r => r.Batch));
        Assert.Equal([(0, 0), (1, 0), (2, 0)], task.EpochStarts);
        Assert.True(task.EveryStepInANoGcRegion, "a step ran outside a no-GC region");
    }

    [Fact]
    public void Resume_AfterACancellationMidEpoch_GivesTheLossesOfAnUninterruptedRun()
    {
        var whole = new List<double>();
        using (var task = new LineTask())
            Start(task, "whole").Fit(new ProgressRelay<TrainingProgress>(p => { if (p.Status is null) whole.Add(p["loss"]); }), Cancel);

        using var stop = new CancellationTokenSource();
        var first = new List<double>();
        using (var task = new LineTask())
        {
            var trainer = Start(task, "interrupted");
            Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(new ProgressRelay<TrainingProgress>(p =>
            {
                if (p.Status is not null)
                    return;
                first.Add(p["loss"]);
                if (p.Step == 6)
                    stop.Cancel();
            }), stop.Token));
        }
        var checkpoint = _workspace.Run("interrupted").Checkpoints()[^1];
        Assert.Equal((6L, 1, 2), (checkpoint.Step, checkpoint.CompletedEpochs, checkpoint.BatchesIntoEpoch));

        var rest = new List<double>();
        using (var task = new LineTask())
        {
            var trainer = Start(task, "interrupted");
            Assert.Equal(6, trainer.ResumedFrom!.Step);
            trainer.Fit(new ProgressRelay<TrainingProgress>(p => { if (p.Status is null) rest.Add(p["loss"]); }), Cancel);
            Assert.Equal([(1, 2), (2, 0)], task.EpochStarts); // the resumed epoch starts where it stopped
        }

        Assert.Equal(whole, [.. first, .. rest]); // bit for bit: the same batches, noise and draws
        var (a, b) = (_workspace.Run("whole").ReadMetricLines(MetricLines.Epoch), _workspace.Run("interrupted").ReadMetricLines(MetricLines.Epoch));
        Assert.Equal(a.Select(l => MetricLines.Value(l, "loss")), b.Select(l => MetricLines.Value(l, "loss"))); // means over whole epochs
    }

    [Fact]
    public void Resume_WithAnotherSetting_IsRefusedNamingIt_ButWhatMayChangeMay()
    {
        using (var task = new LineTask())
            Start(task, "changed", epochs: 1).Fit(TrainingProgress.None, Cancel);

        var e = Assert.Throws<InvalidOperationException>(() => new Trainer("t", Settings(2), _workspace.Run("changed"), Identity(epochs: 2, rate: 0.1)));
        Assert.Contains("Rate is 0.05 in the checkpoint but 0.1 now", e.Message);
        Assert.Contains("(Epochs may change)", e.Message);

        using var longer = new LineTask();
        var trainer = Start(longer, "changed", epochs: 2);
        Assert.Equal(4, trainer.ResumedFrom!.Step);
        trainer.Fit(TrainingProgress.None, Cancel);
        Assert.Equal(8, trainer.Step);
    }

    [Fact]
    public void Constructor_AFolderOfAnotherKindOrOfAnOlderVersion_IsRefusedSayingWhatToDo()
    {
        var other = _workspace.Run("other");
        other.WriteConfig(new RunKind("other-kind"), "{}");
        Assert.Contains("is the config of a other-kind run, not of a line-fit run",
            Assert.Throws<InvalidOperationException>(() => new Trainer("t", Settings(), other, Identity())).Message);

        var old = _workspace.Run("old");
        Directory.CreateDirectory(old.Path);
        File.WriteAllText(old.ConfigPath, "{\"Epochs\": 3}");
        Assert.Contains("names no kind of run", Assert.Throws<InvalidOperationException>(() => new Trainer("t", Settings(), old, Identity())).Message);
    }

    [Fact]
    public void Fit_ALossThatIsNotFinite_StopsNamingTheStepAndTheLastGoodCheckpoint()
    {
        using var task = new LineTask(nanAtStep: 7);
        var trainer = Start(task, "diverges");

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(TrainingProgress.None, Cancel));

        Assert.Equal(7, e.Step);
        Assert.Contains("at step 7 (loss NaN)", e.Message);
        Assert.Equal(4, e.LastCheckpoint!.Step);
        Assert.Contains(e.LastCheckpoint.Path, e.Message);
        Assert.Equal(6, trainer.Step); // the bad step is not counted
    }

    [Fact]
    public void Fit_TheTaskStopsEarly_AtTheEndOfTheEpochItSays()
    {
        using var task = new LineTask(stopAfterEpoch: 2);
        var trainer = new Trainer("line", Settings(epochs: 5));
        trainer.Start(task);

        var summary = trainer.Fit(TrainingProgress.None, Cancel);

        Assert.Equal((2, 8L), (summary.Epochs, summary.Steps));
        Assert.True(trainer.IsComplete);
    }

    [Fact]
    public void Fit_WithoutAFolder_WritesNothing_AndHasNoCheckpointToSave()
    {
        using var task = new LineTask();
        var trainer = new Trainer("line", Settings());
        trainer.Start(task);

        var summary = trainer.Fit(TrainingProgress.None, Cancel);

        Assert.Equal(12, summary.Steps);
        Assert.Equal(RunKind.Unknown, summary.Kind);
        Assert.Empty(Directory.GetFileSystemEntries(_workspace.Root));
        Assert.Throws<InvalidOperationException>(trainer.SaveCheckpoint);
    }
}
