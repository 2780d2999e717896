using System.Text.Json;
using System.Text.Json.Nodes;
using SplitBrain.Display;
using SplitBrain.Runs;
using SplitBrain.Tests.Models;

namespace SplitBrain.Tests.Runs;

/// <summary>
/// The engine's budgets (<see cref="TrainingBudget"/>), with the tiny <see cref="LineTask"/> (4 steps an epoch): a step
/// budget trains exactly its steps, ending inside an epoch; a minutes budget times the first steps, fixes a step count,
/// saves it, and a resumed run keeps it; what the summary, the epoch lines and the progress say the budget bought.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)] // steps draw from torch's global generator
public sealed class TrainerBudgetTests : IDisposable
{
    private static readonly IReadOnlySet<string> MayChange = new HashSet<string> { "Epochs", "Steps", "Minutes" };
    private readonly Workspace _workspace = Workspace.At(Directory.CreateTempSubdirectory("splitbrain-budget-").FullName);
    private readonly List<string> _log = [];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_workspace.Root, recursive: true);

    private Trainer Start(LineTask task, string run, TrainingBudget? budget, int epochs = 3)
    {
        var identity = new RunIdentity(new RunKind("line-fit"),
            new JsonObject { ["Epochs"] = epochs, ["Steps"] = budget?.Steps, ["Minutes"] = budget?.Minutes }.ToJsonString(), MayChange);
        var trainer = new Trainer($"line {run}", new TrainerConfig(epochs, LogEverySteps: 3, CheckpointEveryEpochs: 0, KeepCheckpoints: 5, Budget: budget),
            _workspace.Run(run), identity, _log.Add);
        trainer.Start(task);
        return trainer;
    }

    private static StepTiming? TimingOf(CheckpointInfo checkpoint) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(checkpoint.Path, CheckpointStore.StateFile)), RunsJson.Default.CheckpointState)!.Timing;

    // The schedule the minutes tests use: constant while a minutes budget is timed, then a linear decay to 0 at the end,
    // so that the rates depend on the total the engine gives.
    private static double Decaying(long step, long total) =>
        step < TrainingBudget.CalibratedBy || total <= TrainingBudget.CalibratedBy ? 0.05 : 0.05 * (total - step) / (total - TrainingBudget.CalibratedBy);

    [Fact]
    public void Steps_TrainsExactlyThem_EndingMidEpoch_AndSaysWhatTheyBought()
    {
        using var task = new LineTask(schedule: (step, total) => 0.05 * (total - step) / total);
        var trainer = Start(task, "ten", new TrainingBudget(Steps: 10), epochs: 1);
        var reports = new List<TrainingProgress>();

        var summary = trainer.Fit(new ProgressRelay<TrainingProgress>(reports.Add), Cancel);

        // 10 steps of 4 an epoch: two whole epochs and half of a third, though Epochs says 1.
        Assert.Equal(10, task.Rates.Count);
        Assert.Equal((10L, 2, 2.5, 80L, 10L, true), (summary.Steps, summary.Epochs, summary.EpochsTrained, summary.Images, summary.TotalSteps, summary.Complete));
        Assert.Equal(new TrainingBudget(Steps: 10), summary.Budget);
        Assert.Equal(summary, _workspace.Run("ten").ReadSummary()! with { Metrics = summary.Metrics, Finished = summary.Finished });
        Assert.All(task.Asked, a => Assert.Equal(10, a.Total));                        // the schedule spans the budget
        Assert.Equal(0.05 / 10, task.Rates[^1], 12);                                   // its last step is the schedule's end
        Assert.Equal([new EpochEnd(1, false, false, 4, 1), new EpochEnd(2, false, false, 8, 2), new EpochEnd(3, true, true, 10, 2.5)], task.EpochEnds);

        var run = _workspace.Run("ten");
        var epochs = run.ReadMetricLines(MetricLines.Epoch);
        Assert.Equal([(1.0, 4.0, 1.0, 32.0), (2, 8, 2, 64), (3, 10, 2.5, 80)],
            epochs.Select(l => (MetricLines.Value(l, "epoch")!.Value, MetricLines.Value(l, "step")!.Value, MetricLines.Value(l, "epochs")!.Value,
                MetricLines.Value(l, "images")!.Value)));
        Assert.Equal([3L, 4, 6, 8, 9, 10], run.ReadMetricLines(MetricLines.Step).Select(l => (long)MetricLines.Value(l, "step")!.Value));
        var last = run.Checkpoints()[^1];
        Assert.Equal((10L, 2, 2), (last.Step, last.CompletedEpochs, last.BatchesIntoEpoch));  // resumable inside the epoch

        var final = reports[^1];
        Assert.Equal((3, 3, 10L, 10L, 2.5, 80L), (final.Epoch, final.Epochs, final.Step, final.TotalSteps, final.EpochsTrained, final.Images));
        Assert.Contains("budget of 10 steps done at step 10, 2.5 epochs", final.Status);
        Assert.Contains("budget", final.ToView().ToText());
        Assert.True(trainer.IsComplete);
    }

    [Fact]
    public void Steps_LargerOnResume_ContinuesTheEpoch_WithTheLossesOfARunGivenThatManyFromTheStart()
    {
        var whole = new List<double>();
        using (var task = new LineTask())
            Start(task, "fourteen", new TrainingBudget(Steps: 14)).Fit(new ProgressRelay<TrainingProgress>(p => { if (p.Status is null) whole.Add(p["loss"]); }), Cancel);

        var first = new List<double>();
        using (var task = new LineTask())
            Start(task, "extended", new TrainingBudget(Steps: 10)).Fit(new ProgressRelay<TrainingProgress>(p => { if (p.Status is null) first.Add(p["loss"]); }), Cancel);
        var rest = new List<double>();
        using (var task = new LineTask())
        {
            var trainer = Start(task, "extended", new TrainingBudget(Steps: 14));
            Assert.Equal((10L, false), (trainer.ResumedFrom!.Step, trainer.IsComplete));
            var summary = trainer.Fit(new ProgressRelay<TrainingProgress>(p => { if (p.Status is null) rest.Add(p["loss"]); }), Cancel);
            Assert.Equal([(2, 2), (3, 0)], task.EpochStarts);                           // the partial epoch continues where it ended
            Assert.Equal((14L, 3.5), (summary.Steps, summary.EpochsTrained));
        }

        Assert.Equal(whole, [.. first, .. rest]); // bit for bit: the partial epoch's end left the random states alone
        var epochs = _workspace.Run("extended").ReadMetricLines(MetricLines.Epoch);
        Assert.Equal([1.0, 2, 3, 4], epochs.Select(l => MetricLines.Value(l, "epoch")!.Value)); // the early end of epoch 3 was replaced
        Assert.Equal(
            _workspace.Run("fourteen").ReadMetricLines(MetricLines.Epoch).Select(l => MetricLines.Value(l, "loss")),
            epochs.Select(l => MetricLines.Value(l, "loss")));

        // A budget below the steps done ends the run where it is.
        using var shorter = new LineTask();
        var done = Start(shorter, "extended", new TrainingBudget(Steps: 12));
        Assert.True(done.IsComplete);
        Assert.Equal(14, done.Fit(TrainingProgress.None, Cancel).Steps);
    }

    [Fact]
    public void Minutes_FixesAStepCountFromTheTimedSteps_SavesIt_AndAResumedRunKeepsIt_WithTheLossesOfThatManySteps()
    {
        // About 5 ms a step: 0.05 minutes make several hundred steps (and leave room for a busy machine to time 25 of
        // them). Stopped right after the count is fixed.
        var budget = new TrainingBudget(Minutes: 0.05);
        using var stop = new CancellationTokenSource();
        var first = new List<double>();
        var estimates = new List<bool>();
        long fixedAt = 0;
        using (var task = new LineTask(stepMilliseconds: 5, schedule: Decaying))
        {
            var trainer = Start(task, "minutes", budget);
            Assert.False(trainer.TotalIsFixed);
            Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(new ProgressRelay<TrainingProgress>(p =>
            {
                if (p.Status is not null)
                    return;
                first.Add(p["loss"]);
                estimates.Add(p.TotalIsEstimate);
                if (!p.TotalIsEstimate && fixedAt == 0)
                {
                    fixedAt = p.Step;
                    stop.Cancel();
                }
            }), stop.Token));
            Assert.Equal(TrainingBudget.CalibratedBy, fixedAt);                        // fixed after the timed steps
            Assert.Equal(Enumerable.Repeat(true, TrainingBudget.CalibratedBy - 1), estimates.Take(TrainingBudget.CalibratedBy - 1));
        }

        var checkpoint = _workspace.Run("minutes").Checkpoints()[^1];
        var timing = TimingOf(checkpoint)!;
        Assert.Equal((TrainingBudget.TimedSteps, 0.05, 25L), (timing.TimedSteps, timing.Minutes, checkpoint.Step));
        var steps = timing.Steps!.Value;
        // The 5 untimed steps took what they took; the rest of the minutes at the rate of the 20 timed ones.
        Assert.Equal(timing.TimedSeconds / timing.TimedSteps, timing.SecondsPerStep!.Value, 12);
        Assert.Equal(Math.Max(26, 5 + (long)Math.Floor((0.05 * 60 - timing.UntimedSeconds) / timing.SecondsPerStep.Value)), steps);
        Assert.InRange(timing.SecondsPerStep.Value, 0.004, 1);                           // the 5 ms steps
        Assert.Contains(_log, line => line.Contains($"make {steps} steps"));

        // Resumed with steps ten times faster: had it timed again, it would fix another count.
        var rest = new List<double>();
        using (var task = new LineTask(stepMilliseconds: 0, schedule: Decaying))
        {
            var trainer = Start(task, "minutes", budget);
            Assert.Equal((steps, true), (trainer.TotalSteps, trainer.TotalIsFixed));
            var summary = trainer.Fit(new ProgressRelay<TrainingProgress>(p => { if (p.Status is null) rest.Add(p["loss"]); }), Cancel);
            Assert.Equal((steps, steps, budget, true), (summary.Steps, summary.TotalSteps, summary.Budget, summary.Complete));
            Assert.Equal(steps / 4.0, summary.EpochsTrained, 12);
            Assert.All(task.Asked, a => Assert.Equal(steps, a.Total));
            Assert.Equal(timing, TimingOf(_workspace.Run("minutes").Checkpoints()[^1]));
        }

        // The same run given that many steps from the start: the same losses, step for step.
        var whole = new List<double>();
        using (var task = new LineTask(schedule: Decaying))
            Start(task, "steps", new TrainingBudget(Steps: steps)).Fit(new ProgressRelay<TrainingProgress>(p => { if (p.Status is null) whole.Add(p["loss"]); }), Cancel);
        Assert.Equal(steps, first.Count + rest.Count);
        Assert.Equal(whole, [.. first, .. rest]);
    }

    [Fact]
    public void Minutes_SpentBeforeTheTimingIsDone_FixesTheCountThere()
    {
        // 20 ms steps and 60 ms of budget: spent after three or four steps, long before step 25; one more step ends it.
        using var task = new LineTask(stepMilliseconds: 20);
        var trainer = Start(task, "spent", new TrainingBudget(Minutes: 0.001));
        var spentAt = 0L;

        var summary = trainer.Fit(new ProgressRelay<TrainingProgress>(p => { if (spentAt == 0 && !p.TotalIsEstimate) spentAt = p.Step; }), Cancel);

        Assert.True(trainer.TotalIsFixed);
        Assert.InRange(spentAt, 1, TrainingBudget.CalibratedBy - 2);
        Assert.Equal((spentAt + 1, spentAt + 1), (summary.Steps, summary.TotalSteps));
        Assert.True(summary.TrainSeconds >= 0.06, $"{summary.TrainSeconds} s of steps");
        Assert.Equal(summary.Steps, TimingOf(_workspace.Run("spent").Checkpoints()[^1])!.Steps);
    }

    [Fact]
    public void Minutes_ChangedOnResume_BuyStepsAtTheRateMeasuredFirst_WithoutTimingAgain()
    {
        using (var task = new LineTask(stepMilliseconds: 2))
            Start(task, "more", new TrainingBudget(Minutes: 0.01)).Fit(TrainingProgress.None, Cancel);
        var timing = TimingOf(_workspace.Run("more").Checkpoints()[^1])!;

        using var longer = new LineTask();
        var trainer = Start(longer, "more", new TrainingBudget(Minutes: 0.1));

        Assert.True(trainer.TotalIsFixed);
        Assert.Equal(5 + (long)Math.Floor((0.1 * 60 - timing.UntimedSeconds) / timing.SecondsPerStep!.Value), trainer.TotalSteps);
        Assert.False(trainer.IsComplete);
    }

    [Fact]
    public void Budget_BothOrOutOfRange_IsRejectedSayingWhatToDo()
    {
        var both = Assert.Throws<ArgumentException>(() => new TrainerConfig(3, Budget: new TrainingBudget(Steps: 100, Minutes: 8)).Validate());
        Assert.Contains("are both set", both.Message);
        Assert.Contains("set the other to null", both.Message);
        Assert.Equal("Steps", Assert.Throws<ArgumentException>(() => new TrainerConfig(3, Budget: new TrainingBudget(Steps: 0)).Validate()).ParamName);
        Assert.Equal("Minutes", Assert.Throws<ArgumentException>(() => new TrainingBudget(Minutes: double.NaN).Validate()).ParamName);
        Assert.Throws<ArgumentException>(() => new TrainingBudget().Validate());
        Assert.Null(TrainingBudget.Of(null, null));
        Assert.Equal(("1000 steps", "8 min"), (new TrainingBudget(Steps: 1000).ToString(), new TrainingBudget(Minutes: 8).ToString()));
    }
}
