using System.Text.Json.Nodes;
using SplitBrain.Runs;
using SplitBrain.Tests.Models;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Runs;

/// <summary>The engine's observers with a toy task that is not pretraining (<see cref="LineTask"/>): the six events, state
/// registered for checkpoints, and early stopping with keep-best.</summary>
[Collection(GlobalGeneratorCollection.Name)] // steps draw from torch's global generator
public sealed class TrainerObserverTests : IDisposable
{
    private static readonly RunKind LineKind = new("line-fit");
    private readonly Workspace _workspace = Workspace.At(Directory.CreateTempSubdirectory("splitbrain-observers-").FullName);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_workspace.Root, recursive: true);

    private Trainer Trainer(string run, int epochs = 3) =>
        new($"line {run}", new TrainerConfig(epochs, CheckpointEveryEpochs: 1), _workspace.Run(run),
            new RunIdentity(LineKind, new JsonObject { ["Epochs"] = epochs }.ToJsonString(), new HashSet<string> { "Epochs" }), _ => { });

    [Fact]
    public void Observe_ACheckpointedObserver_HasItsStateSavedAndGivenBackOnResume()
    {
        using var stop = new CancellationTokenSource();
        var first = new StepCounter();
        using (var task = new LineTask())
        {
            var trainer = Trainer("counted").Observe(first).Observe(new StopAt(6, stop));
            trainer.Start(task);
            Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(null, stop.Token));
        }
        Assert.Equal((6, 1, 0, 1), (first.Steps, first.Fits, first.Fitted, first.Cancelled));

        var second = new StepCounter();
        using (var task = new LineTask())
        {
            var trainer = Trainer("counted").Observe(second);
            trainer.Start(task);
            trainer.Fit(null, Cancel);
        }
        Assert.Equal((12, 3, 1), (second.Steps, second.Epochs, second.Fitted)); // 6 steps and an epoch counted before the stop
    }

    [Fact]
    public void EarlyStopping_AMetricThatStopsImproving_StopsAfterThePatience_AndPutsTheBestEpochsWeightsBack()
    {
        using var task = new LineTask(); // its epochs measure 0.5 each time: the first is the best
        using var best = new EarlyStopping("measured", patience: 2, keepBestOf: task.Model);
        var afterFirst = new WeightsAfterEpoch(1, task.Model);
        var trainer = new Trainer("line", new TrainerConfig(Epochs: 10)).Observe(afterFirst).Observe(best);
        trainer.Start(task);

        trainer.Fit(null, Cancel);

        Assert.Equal((3, 1, 0.5), (trainer.CompletedEpochs, best.BestEpoch, best.BestValue!.Value));
        foreach (var (kept, now) in afterFirst.Weights.Zip(task.Model.parameters()))
            Assert.Equal(kept.data<float>().ToArray(), now.data<float>().ToArray());
    }

    [Fact]
    public void MeasureEpoch_WhatAnObserverMeasures_ReachesTheEpochLineTheSummaryAndLaterObservers()
    {
        using var task = new LineTask();
        var measure = new MeasureEpochNumber();
        var seen = new List<double>();
        var trainer = Trainer("measured", epochs: 2).Observe(measure).Observe(new AfterEpochs(e => seen.Add(e.Metrics["epochSquared"])));
        trainer.Start(task);

        var summary = trainer.Fit(null, Cancel);

        Assert.Equal([1.0, 4.0], seen);
        Assert.Equal([(1, false), (2, true)], measure.Ends.Select(e => (e.Epoch, e.Last))); // the last end is the run's
        Assert.Equal([1.0, 4.0], trainer.Run!.ReadMetricLines(MetricLines.Epoch).Select(l => MetricLines.Metrics(l)["epochSquared"]));
        Assert.Equal(4.0, summary.Metric("epochSquared"));
    }

    private sealed class MeasureEpochNumber : IRunObserver
    {
        public List<EpochEnd> Ends { get; } = [];

        public IReadOnlyDictionary<string, double> MeasureEpoch(Trainer trainer, EpochEnd end, CancellationToken cancellationToken)
        {
            Ends.Add(end);
            return new Dictionary<string, double> { ["epochSquared"] = end.Epoch * end.Epoch };
        }
    }

    private sealed class AfterEpochs(Action<EpochReport> action) : IRunObserver
    {
        public void AfterEpoch(Trainer trainer, EpochReport epoch) => action(epoch);
    }

    private sealed class StepCounter : IRunObserver, ICheckpointed
    {
        public int Steps { get; private set; }

        public int Epochs { get; private set; }

        public int Fits { get; private set; }

        public int Fitted { get; private set; }

        public int Cancelled { get; private set; }

        public string StateName => "stepCounter";

        public void BeforeFit(Trainer trainer) => Fits++;

        public void AfterStep(Trainer trainer, StepReport step) => Steps++;

        public void AfterEpoch(Trainer trainer, EpochReport epoch) => Epochs++;

        public void AfterFit(Trainer trainer, RunSummary summary) => Fitted++;

        public void OnCancel(Trainer trainer) => Cancelled++;

        public JsonNode? SaveState() => new JsonObject { ["steps"] = Steps, ["epochs"] = Epochs };

        public void LoadState(JsonNode? state) => (Steps, Epochs) = ((int?)state?["steps"] ?? 0, (int?)state?["epochs"] ?? 0);
    }

    private sealed class StopAt(long step, CancellationTokenSource stop) : IRunObserver
    {
        public void AfterStep(Trainer trainer, StepReport report)
        {
            if (trainer.Step == step)
                stop.Cancel();
        }
    }

    private sealed class WeightsAfterEpoch(int epoch, nn.Module model) : IRunObserver
    {
        public List<Tensor> Weights { get; } = [];

        public void AfterEpoch(Trainer trainer, EpochReport report)
        {
            if (report.End.Epoch == epoch)
                Weights.AddRange(model.parameters().Select(p => p.detach().clone()));
        }
    }
}
