using System.Text.Json;
using SplitBrain.Runs;
using SplitBrain.Tests.Support;
using SplitBrain.Training;

namespace SplitBrain.Tests.Training;

/// <summary>
/// Pretraining runs with a budget a teacher plans with (<see cref="PretrainConfig.Steps"/>, <see cref="PretrainConfig.Minutes"/>),
/// at the tiny scale of <see cref="TinyRuns"/> (12 steps an epoch).
/// </summary>
[Collection(SerialTensorCountCollection.Name)]
public sealed class PretrainerBudgetTests(ITestOutputHelper output) : IDisposable
{
    private readonly TinyRuns _runs = new();
    private readonly List<string> _log = [];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _runs.Dispose();

    // Losses of two computations of the same steps agree to float rounding, relative to their size.
    private static void AssertSameLosses(IReadOnlyList<TrainingProgress> expected, IReadOnlyList<TrainingProgress> actual)
    {
        Assert.Equal(expected.Select(p => p.Step), actual.Select(p => p.Step));
        foreach (var (a, b) in expected.Zip(actual))
        {
            Assert.True(Math.Abs(a.LossF1() - b.LossF1()) <= 1e-6 * Math.Abs(a.LossF1()) && Math.Abs(a.LossF2() - b.LossF2()) <= 1e-6 * Math.Abs(a.LossF2()),
                $"step {b.Step}: F1 {a.LossF1():R} vs {b.LossF1():R}, F2 {a.LossF2():R} vs {b.LossF2():R}");
        }
    }

    [Fact]
    public void Steps_TrainsExactlyThem_EndingMidEpoch_WithTheScheduleEndingThere()
    {
        // 18 steps: one epoch and a half, though Epochs says 5; a cosine after 3 warm-up steps spans the 18.
        var config = _runs.Config with { Epochs = 5, Steps = 18, WarmupSteps = 3 };
        var run = _runs.Run("steps");
        var progress = new RecordingProgress();
        using var trainer = new Pretrainer(config, run, _log.Add);
        Assert.Equal((18L, true), (trainer.TotalSteps, trainer.TotalIsFixed));

        var result = trainer.Fit(progress, Cancel);

        Assert.Equal(Enumerable.Range(1, 18).Select(i => (long)i), progress.Steps.Select(p => p.Step));
        var metrics = run.ReadMetrics();
        Assert.Equal([3L, 6, 9, 12, 15, 18], metrics.Steps.Select(s => s.Step));
        var lastRate = metrics.Steps[^1].LearningRate;
        Assert.Equal(config.LearningRateAt(17, 12, 18), lastRate, 1e-12 * config.LearningRate);
        Assert.True(lastRate < 0.02 * config.LearningRate, $"the last step's rate {lastRate} is not the cosine's end");
        Assert.Equal(0, config.LearningRateAt(18, 12, 18), 1e-12 * config.LearningRate);
        Assert.True(config.LearningRateAt(17, 12, 18) < 0.1 * (config with { Steps = null }).LearningRateAt(17, 12), "the schedule spans the 60 steps of the epochs, not the budget's 18");

        Assert.Equal([(1, 12L, 1.0, 96L, false), (2, 18, 1.5, 144, true)],
            metrics.Epochs.Select(e => (e.Epoch, e.Step, e.EpochsTrained, e.Images, e.Partial)));
        Assert.Equal(3, run.PreviewFiles().Count);                  // the untrained network, epoch 1 and the partial epoch 2
        var checkpoint = run.Checkpoints()[^1];
        Assert.Equal((18L, 1, 6), (checkpoint.Step, checkpoint.CompletedEpochs, checkpoint.BatchesIntoEpoch));
        var summary = run.ReadSummary()!;
        Assert.Equal((18L, 1, 1.5, 144L, 18L, true), (summary.Steps, summary.Epochs, summary.EpochsTrained, summary.Images, summary.TotalSteps, summary.Complete));
        Assert.Equal(18L, summary.Budget!.Steps);
        Assert.True(summary.TrainSeconds > 0);
        Assert.Equal(metrics.Epochs[^1]["lossF1"], result.Summary.Metric("lossF1"));  // the partial epoch's means
        Assert.Equal(config, run.ReadConfig());
        Assert.Contains("18 steps", result.ToText());
    }

    [Fact]
    public void Minutes_FixesTheCount_ACancelledRunResumesToIt_WithTheLossesOfThatManyStepsFromTheStart()
    {
        // The first steps of a process pay for warm-up (seconds here), more than the budget: a short run warms it first.
        using (var warmUp = new Pretrainer(_runs.Config with { Steps = 2, PreviewImages = 0 }, _runs.Run("warm-up"), _log.Add))
            warmUp.Fit(TrainingProgress.None, Cancel);

        // 1.8 s: about 75 steps on an idle machine. A warm-up of 30 steps: the count is fixed inside it, so the schedule is
        // exactly that of a step budget.
        var config = _runs.Config with { Minutes = 0.03, WarmupSteps = 30, PreviewImages = 0 };
        var run = _runs.Run("minutes");
        using var stop = new CancellationTokenSource();
        var first = new RecordingProgress(p =>
        {
            if (!p.TotalIsEstimate)
                stop.Cancel(); // right after the count is fixed: at least one step is left
        });
        using (var trainer = new Pretrainer(config, run, _log.Add))
        {
            Assert.False(trainer.TotalIsFixed);
            Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(first, stop.Token));
            Assert.True(trainer.TotalIsFixed);
        }
        output.WriteLine(string.Join("\n", _log));
        var checkpoint = run.Checkpoints()[^1];
        var timing = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(checkpoint.Path, CheckpointStore.StateFile)), RunsJson.Default.CheckpointState)!.Timing!;
        var steps = timing.Steps!.Value;
        Assert.Equal((first.Steps.Count, 0.03), (checkpoint.Step, timing.Minutes));
        if (timing.Complete)
        {
            // Fixed after timing steps 6 to 25: the warm-up steps took what they took, the rest at the timed rate.
            Assert.Equal(TrainingBudget.CalibratedBy, checkpoint.Step);
            Assert.Equal(Math.Max(26, 5 + (long)Math.Floor((0.03 * 60 - timing.UntimedSeconds) / timing.SecondsPerStep!.Value)), steps);
        }
        else
        {
            // A machine so busy that the minutes were spent before: one more step.
            Assert.Equal(checkpoint.Step + 1, steps);
        }
        Assert.Contains(_log, line => line.Contains($"make {steps} steps"));

        var rest = new RecordingProgress();
        using (var resumed = new Pretrainer(config, run, _log.Add))
        {
            Assert.Equal((checkpoint.Step, steps, true), (resumed.ResumedFrom!.Step, resumed.TotalSteps, resumed.TotalIsFixed)); // not timed again
            var summary = resumed.Fit(rest, Cancel).Summary;
            Assert.Equal((steps, steps, true), (summary.Steps, summary.TotalSteps, summary.Complete));
            Assert.Equal(0.03, summary.Budget!.Minutes);
            Assert.Equal((double)steps / 12, summary.EpochsTrained, 1e-12);
            Assert.Equal(steps * 8, summary.Images);
        }
        Assert.DoesNotContain(rest.Steps, p => p.TotalIsEstimate);

        var whole = new RecordingProgress();
        using (var uninterrupted = new Pretrainer(config with { Minutes = null, Steps = steps }, _runs.Run("steps"), _log.Add))
            uninterrupted.Fit(whole, Cancel);
        AssertSameLosses(whole.Steps, [.. first.Steps, .. rest.Steps]);
        Assert.Equal(whole.Steps.Select(p => p.LearningRate), first.Steps.Concat(rest.Steps).Select(p => p.LearningRate));
    }
}
