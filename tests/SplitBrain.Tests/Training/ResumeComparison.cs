using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Tests.Training;

/// <summary>
/// Accelerate's checkpointing test shape for a pretraining config: one run straight through, another stopped after step 5
/// and resumed; every step after the stop must report the same <c>metric</c> as the uninterrupted run.
/// </summary>
internal static class ResumeComparison
{
    /// <summary>Runs both and asserts the resumed steps equal the uninterrupted ones (relative 1e-6).</summary>
    /// <returns>The uninterrupted steps, the interrupted run's folder and its summary after the resume.</returns>
    public static (List<(long Step, double Value)> Whole, RunFolder Interrupted, RunSummary Summary) AssertExact(
        TinyRuns runs, PretrainConfig config, string metric, CancellationToken cancellationToken)
    {
        static void Quiet(string _) { }
        var whole = new List<(long Step, double Value)>();
        using (var uninterrupted = new Pretrainer(config, runs.Run("whole"), Quiet))
            uninterrupted.Fit(Recorder(whole, metric), cancellationToken);

        var run = runs.Run("interrupted");
        using var stop = new CancellationTokenSource();
        using (var first = new Pretrainer(config, run, Quiet))
            Assert.ThrowsAny<OperationCanceledException>(() => first.Fit(Recorder([], metric, step => { if (step == 5) stop.Cancel(); }), stop.Token));
        var rest = new List<(long Step, double Value)>();
        RunSummary summary;
        using (var resumed = new Pretrainer(config, run, Quiet))
        {
            Assert.Equal(5, resumed.ResumedFrom!.Step);
            summary = resumed.Fit(Recorder(rest, metric), cancellationToken).Summary;
        }

        Assert.Equal(whole.Skip(5).Select(s => s.Step), rest.Select(s => s.Step));
        foreach (var (expected, got) in whole.Skip(5).Zip(rest))
            Assert.True(Math.Abs(expected.Value - got.Value) <= 1e-6 * Math.Max(1, Math.Abs(expected.Value)),
                $"{config.Objective} {metric}, step {got.Step}: uninterrupted {expected.Value:R}, resumed {got.Value:R}");
        return (whole, run, summary);
    }

    private static ProgressRelay<TrainingProgress> Recorder(List<(long Step, double Value)> steps, string metric, Action<long>? after = null) =>
        new(p =>
        {
            if (p.Status is not null)
                return;
            steps.Add((p.Step, p[metric]));
            after?.Invoke(p.Step);
        });
}
