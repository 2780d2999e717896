using System.Text.Json.Nodes;
using SplitBrain.Course;
using SplitBrain.Evaluation;
using SplitBrain.Runs;
using SplitBrain.Training;
using TorchSharp;

namespace SplitBrain.Tests.Evaluation;

/// <summary>Whole fine-tuning runs on the tiny pretrained network of <see cref="PretrainedRuns"/>, each in its own folder.</summary>
[Collection(PretrainedRunsCollection.Name)]
public sealed class FineTuneRunTests(PretrainedRuns runs)
{
    private static readonly Action<string> Quiet = _ => { };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Fit_WritesConfigMetricsCheckpointsAndResult()
    {
        var run = runs.Run("written");
        using var fineTune = new FineTuneRun(runs.FineTune, run, Quiet);

        var result = fineTune.Fit(TrainingProgress.None, Cancel);

        Assert.Equal(runs.FineTune with { Data = runs.Config.Data }, FineTuneRun.ReadConfig(run)); // Data: the pretraining run's
        Assert.Equal(FineTuneRun.Kind, run.Kind);
        var epochs = FineTuneRun.ReadEpochs(run);
        Assert.Equal([1, 2, 3], epochs.Select(e => e.Epoch));
        Assert.Equal([null, null, result.Test!.Top1], epochs.Select(e => e.TestAccuracy));
        Assert.All(epochs, e => Assert.True(double.IsFinite(e.Loss) && e.Seconds > 0));
        Assert.Equal([10L, 15], run.Checkpoints().Select(c => c.Step)); // 5 steps an epoch, the last 2 kept
        Assert.Equal(3, run.Checkpoints()[^1].CompletedEpochs);
        var saved = FineTuneRun.ReadResult(run)!;
        Assert.Equal((20L, 5), (saved.Test!.Count, saved.Test.K));
        Assert.NotNull(saved.Test.TopK);
        Assert.Equal(result.Test.Confusion, saved.Test.Confusion);
        Assert.Equal(epochs, saved.Epochs);
        Assert.Contains("Fine-tuning result", result.ToHtml());
        Assert.Contains("40 (all, seed 0)", result.ToText());
        Assert.Contains("perClassAccuracy", File.ReadAllText(Path.Combine(run.Path, FineTuneRun.ResultFile)));
    }

    [Fact]
    public void Resume_AfterACancellation_EndsWithTheMetricsOfAnUninterruptedRun_ThenReturnsAtOnce()
    {
        var config = runs.FineTune with { Training = runs.FineTune.Training with { EvaluateEveryEpoch = true } };
        FineTuneRunResult whole;
        using (var uninterrupted = new FineTuneRun(config, runs.Run("whole"), Quiet))
            whole = uninterrupted.Fit(TrainingProgress.None, Cancel);

        // Cancelled in the middle of epoch 2, after its third batch: the run writes a checkpoint of that position.
        var run = runs.Run("interrupted");
        using var stop = new CancellationTokenSource();
        using (var first = new FineTuneRun(config, run, Quiet))
        {
            var progress = new ProgressRelay<TrainingProgress>(p => { if (p is { Epoch: 2, Batch: 3, Status: null }) stop.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => first.Fit(progress, stop.Token));
            Assert.Equal((1, 8L), (first.EpochsDone, first.Step));
        }
        Assert.Equal([5L, 8], run.Checkpoints().Select(c => c.Step));
        Assert.Equal(3, run.Checkpoints()[^1].BatchesIntoEpoch);
        Assert.Single(FineTuneRun.ReadEpochs(run));

        FineTuneRunResult resumed;
        using (var second = new FineTuneRun(config, run, Quiet))
        {
            Assert.Equal(8, second.ResumedFrom!.Step);
            resumed = second.Fit(TrainingProgress.None, Cancel);
        }

        foreach (var (expected, got) in whole.Result.Epochs.Zip(resumed.Result.Epochs, (a, b) => (a, b)))
        {
            Assert.True(Math.Abs(expected.Loss - got.Loss) <= 1e-6, $"epoch {got.Epoch}: loss {expected.Loss:R} uninterrupted, {got.Loss:R} resumed");
            Assert.Equal(expected.TestAccuracy, got.TestAccuracy);
        }
        Assert.Equal(3, resumed.Result.Epochs.Count);
        Assert.Equal(whole.Test!.Confusion, resumed.Test!.Confusion);

        // Complete: a new run on the folder trains nothing and returns the same result.
        var reports = 0;
        using var third = new FineTuneRun(config, run, Quiet);
        var again = third.Fit(new ProgressRelay<TrainingProgress>(_ => reports++), Cancel);
        Assert.Equal((0, 15L), (reports, third.ResumedFrom!.Step));
        Assert.Equal(resumed.Test.Confusion, again.Test!.Confusion);
    }

    [Fact]
    public void Resume_WithMoreEpochs_Continues_ButAnotherChangeIsRefusedNamingIt()
    {
        var config = runs.FineTune with { Training = runs.FineTune.Training with { Epochs = 1 } };
        var run = runs.Run("changed");
        using (var first = new FineTuneRun(config, run, Quiet))
            first.Fit(TrainingProgress.None, Cancel);

        var e = Assert.Throws<InvalidOperationException>(() =>
            new FineTuneRun(config with { TrainPerClass = 2, Training = config.Training with { Epochs = 2 } }, run, Quiet));
        Assert.Contains("TrainPerClass is 0 in the checkpoint but 2 now", e.Message);
        Assert.DoesNotContain("Epochs", e.Message.Split(". A run resumes")[0]);

        using var longer = new FineTuneRun(config with { Training = config.Training with { Epochs = 2 } }, run, Quiet);
        var result = longer.Fit(TrainingProgress.None, Cancel);
        Assert.Equal([1, 2], result.Result.Epochs.Select(epoch => epoch.Epoch));
        Assert.Equal(2, FineTuneRun.ReadConfig(run).Training.Epochs);
    }

    [Fact]
    public void Steps_EndMidEpoch_ScoredThere_AndALargerBudgetOnResumeContinues()
    {
        // 5 steps an epoch: 7 steps end two batches into epoch 2, which is scored as the last.
        var config = runs.FineTune with { Training = runs.FineTune.Training with { Steps = 7 } };
        var run = runs.Run("steps");
        FineTuneRunResult seven;
        using (var first = new FineTuneRun(config, run, Quiet))
            seven = first.Fit(TrainingProgress.None, Cancel);
        Assert.Equal([(1, (double?)null), (2, seven.Test!.Top1)], seven.Result.Epochs.Select(e => (e.Epoch, e.TestAccuracy)));
        var checkpoint = run.Checkpoints()[^1];
        Assert.Equal((7L, 1, 2), (checkpoint.Step, checkpoint.CompletedEpochs, checkpoint.BatchesIntoEpoch));
        var summary = run.ReadSummary()!;
        Assert.Equal((7L, 1 + 2.0 / 5, 56L, true), (summary.Steps, summary.EpochsTrained, summary.Images, summary.Complete));

        using var longer = new FineTuneRun(config with { Training = config.Training with { Steps = 12 } }, run, Quiet);
        Assert.Equal(7, longer.ResumedFrom!.Step);
        var twelve = longer.Fit(TrainingProgress.None, Cancel);
        Assert.Equal([1, 2, 3], twelve.Result.Epochs.Select(e => e.Epoch)); // epoch 2 whole now, 3 ends two batches in
        Assert.Equal(12, longer.Step);
        Assert.Equal(12L, FineTuneRun.ReadConfig(run).Training.Steps);
    }

    [Fact]
    public void Knobs_OverridesOfAHeadlessRun_ReachConfigJson()
    {
        var console = Console.Out;
        Environment.SetEnvironmentVariable(CourseContract.OverridesVariable,
            """{"Training.LearningRate": 0.002, "Classifier.Mode": "Frozen", "TrainPerClass": 2, "Training.Epochs": 1}""");
        FineTuneRunConfig config;
        try
        {
            Console.SetOut(TextWriter.Null);
            config = Chapter.Knobs(runs.FineTune);
        }
        finally
        {
            Environment.SetEnvironmentVariable(CourseContract.OverridesVariable, null);
            Console.SetOut(console);
        }
        var run = runs.Run("knobs");

        using (var fineTune = new FineTuneRun(config, run, Quiet))
            Assert.Equal(20, fineTune.Train.Count); // 2 per class

        var json = JsonNode.Parse(File.ReadAllText(run.ConfigPath))!;
        Assert.Equal(0.002, json["Training"]!["LearningRate"]!.GetValue<double>());
        Assert.Equal("Frozen", json["Classifier"]!["Mode"]!.GetValue<string>());
        Assert.Equal(2, json["TrainPerClass"]!.GetValue<int>());
        Assert.Equal(config with { Data = runs.Config.Data }, FineTuneRun.ReadConfig(run));
    }

    [Fact]
    public void Fit_AfterTheFirstEpoch_LeavesNoTensorsBehindPerEpoch()
    {
        var counts = new List<long>();
        var config = runs.FineTune with { Training = runs.FineTune.Training with { Epochs = 4, EvaluateEveryEpoch = true } };
        using var fineTune = new FineTuneRun(config, runs.Run("flat"), Quiet);

        fineTune.Fit(new ProgressRelay<TrainingProgress>(p =>
        {
            if (p is { Batch: 1, Status: null }) // the first batch of each epoch: after the last epoch's scoring and checkpoint
                counts.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }), Cancel);

        Assert.Equal(4, counts.Count);
        Assert.All(counts.Skip(1), count => Assert.Equal(counts[1], count));
    }

    [Fact]
    public void Constructor_MissingPretrainingRunOrAFolderOfAnotherKind_IsRefused()
    {
        var missing = Assert.Throws<InvalidOperationException>(() =>
            new FineTuneRun(runs.FineTune with { Pretrained = Path.Combine(runs.Folder, "none") }, runs.Run("orphan"), Quiet));
        Assert.Contains("does not exist", missing.Message);

        var taken = Assert.Throws<InvalidOperationException>(() => new FineTuneRun(runs.FineTune, runs.Pretrained, Quiet));
        Assert.Contains("is the config of a pretraining run, not of a fine-tuning run", taken.Message);

        var odd = Assert.Throws<ArgumentException>(() =>
            new FineTuneRun(runs.FineTune with { Training = runs.FineTune.Training with { BatchSize = 13 } }, runs.Run("odd"), Quiet));
        Assert.Equal("Training.BatchSize", odd.ParamName); // 40 = 3 x 13 + 1
        Assert.False(Directory.Exists(runs.Run("odd").Path));
    }
}
