using System.Diagnostics;
using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Tests.Support;
using SplitBrain.Training;
using TorchSharp;

namespace SplitBrain.Tests.Training;

/// <summary>
/// Whole pretraining runs at a tiny scale. They run alone (process-wide state: torch's global generator, no-GC regions,
/// live-tensor counts), each in a temporary runs folder.
/// </summary>
[Collection(SerialTensorCountCollection.Name)]
public sealed class PretrainerTests : IDisposable
{
    private static readonly Action<string> Quiet = _ => { };
    private readonly TinyRuns _runs = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _runs.Dispose();

    [Fact]
    public void Fit_TinySyntheticRun_LowersBothLosses_AndWritesTheRunFolder()
    {
        // Plain cross-entropy (no rebalancing), whose floor is what the other half's input can tell: see LossDropF2.
        var config = _runs.Config with { Epochs = 4, Rebalance = false };
        var run = _runs.Run("learns");
        var progress = new RecordingProgress();
        using var trainer = new Pretrainer(config, run, Quiet);

        var result = trainer.Fit(progress, Cancel);

        Assert.Equal(48, progress.Steps.Count);
        AssertDrop("F1", progress.Steps.Select(p => p.LossF1()).ToList(), LossDropF1);
        AssertDrop("F2", progress.Steps.Select(p => p.LossF2()).ToList(), LossDropF2);
        Assert.Equal(config, run.ReadConfig());
        var metrics = run.ReadMetrics();
        Assert.Equal(Enumerable.Range(1, 16).Select(i => 3L * i), metrics.Steps.Select(s => s.Step));
        Assert.All(metrics.Steps, s => Assert.True(double.IsFinite(s["lossF1"]) && s.LearningRate > 0 && s.ImagesPerSecond > 0 && s.Elapsed > 0));
        Assert.Equal([1, 2, 3, 4], metrics.Epochs.Select(e => e.Epoch));
        Assert.Equal(5, run.PreviewFiles().Count); // the untrained network and each epoch
        Assert.Equal(4 * 6, run.Previews().Count); // the originals and 5 rows of colorizations
        Assert.Equal([24L, 36, 48], run.Checkpoints().Select(c => c.Step)); // one per epoch, the last 3 kept
        Assert.Equal(48, run.ReadSummary()!.Steps);
        Assert.Equal(metrics.Epochs[^1]["lossF2"], result.Summary.Metric("lossF2"));
        Assert.NotNull(result.LastPreview);
        Assert.Contains("Pretraining result", result.ToHtml());
    }

    [Fact]
    public void Fit_TwentyLightnessBins_F2PredictsTwentyBins_AndLoadModelGivesTheTrainersOutputs()
    {
        var config = _runs.Config with { Epochs = 1, PreviewImages = 0, Targets = TargetConfig.Hard with { LightnessBins = 20 } };
        var run = _runs.Run("l20");
        var progress = new RecordingProgress();
        using var trainer = new Pretrainer(config, run, Quiet);

        trainer.Fit(progress, Cancel);

        var model = Assert.IsType<SplitBrainNet>(trainer.Model); // a run that names no objective trains the split network
        Assert.Equal((20, 313), (model.F2.Bins, model.F1.Bins));
        Assert.Equal(20, trainer.LightnessWeights!.Bins);
        Assert.InRange(progress.Steps[0].LossF2(), 0.8 * Math.Log(20), 1.2 * Math.Log(20)); // about uniform over 20 classes
        Assert.All(progress.Steps, p => Assert.True(double.IsFinite(p.LossF2())));
        Assert.Equal(20, run.ReadConfig().Targets.LightnessBins);

        using var loaded = Assert.IsType<SplitBrainNet>(run.LoadModel());
        Assert.Equal(20, loaded.F2.Bins);
        Assert.False(loaded.training);
        using var scope = torch.NewDisposeScope();
        var l = torch.rand(2, 1, 32, 32) - 0.5;
        var ab = torch.rand(2, 2, 32, 32) - 0.5;
        model.eval();
        var (expected1, expected2) = model.call(l, ab);
        var (got1, got2) = loaded.call(l, ab);
        // Two module instances with the same weights: their tensors sit at other addresses and may take other kernel
        // paths, so equal to float rounding; a weight not loaded would move logits by their own order.
        TensorAssert.Close(got1, expected1, 1e-5, "F1 logits of the loaded network");
        TensorAssert.Close(got2, expected2, 1e-5, "F2 logits of the loaded network");
    }

    [Fact]
    public void LoadModel_RunWithoutCheckpoints_SaysSo()
    {
        var e = Assert.Throws<InvalidOperationException>(() => _runs.Run("empty").LoadModel());

        Assert.Contains("no complete checkpoint", e.Message);
    }

    [Fact]
    public void Fit_GradientsReachEveryParameter()
    {
        using var trainer = new Pretrainer(_runs.Config with { Epochs = 1, PreviewImages = 0 }, _runs.Run("gradients"), Quiet);
        trainer.Fit(TrainingProgress.None, Cancel);

        var parameters = trainer.Model.named_parameters().ToList();
        Assert.NotEmpty(parameters);
        foreach (var (name, parameter) in parameters)
        {
            using var grad = parameter.grad;
            Assert.True(grad is not null, $"{name} has no gradient");
            using var magnitude = grad.abs().sum();
            Assert.True(magnitude.item<float>() > 0, $"{name}'s gradient is all zeros");
        }
    }

    [Fact]
    public void Resume_AfterAnInterruption_ContinuesWithTheLossesOfAnUninterruptedRun()
    {
        var config = _runs.Config with { LogEverySteps = 3 }; // stopped after step 7: in the middle of a metrics window
        var whole = new RecordingProgress();
        using (var uninterrupted = new Pretrainer(config, _runs.Run("whole"), Quiet))
            uninterrupted.Fit(whole, Cancel);

        // Interrupted mid-epoch, after step 7: cancelling writes a checkpoint of the position.
        var run = _runs.Run("interrupted");
        using var stop = new CancellationTokenSource();
        using (var first = new Pretrainer(config, run, Quiet))
            Assert.ThrowsAny<OperationCanceledException>(() => first.Fit(new RecordingProgress(p => { if (p.Step == 7) stop.Cancel(); }), stop.Token));
        var checkpoint = Assert.Single(run.Checkpoints());
        Assert.Equal((7L, 0, 7), (checkpoint.Step, checkpoint.CompletedEpochs, checkpoint.BatchesIntoEpoch));

        var rest = new RecordingProgress();
        using (var resumed = new Pretrainer(config, run, Quiet))
        {
            Assert.Equal(7, resumed.ResumedFrom!.Step);
            resumed.Fit(rest, Cancel);
        }

        Assert.Equal(whole.Steps.Skip(7).Select(p => p.Step), rest.Steps.Select(p => p.Step));
        foreach (var (expected, got) in whole.Steps.Skip(7).Zip(rest.Steps))
        {
            Assert.True(Math.Abs(expected.LossF1() - got.LossF1()) <= 1e-6 && Math.Abs(expected.LossF2() - got.LossF2()) <= 1e-6,
                $"step {got.Step}: uninterrupted F1 {expected.LossF1():R} F2 {expected.LossF2():R}, resumed F1 {got.LossF1():R} F2 {got.LossF2():R}");
        }

        // The resumed run's files read as the uninterrupted run's: the same lines, means over the same steps.
        var (a, b) = (_runs.Run("whole").ReadMetrics(), run.ReadMetrics());
        Assert.Equal(a.Steps.Select(s => (s.Step, Math.Round(s["lossF1"], 6), Math.Round(s["accF2"], 6))),
            b.Steps.Select(s => (s.Step, Math.Round(s["lossF1"], 6), Math.Round(s["accF2"], 6))));
        Assert.Equal(a.Epochs.Select(e => Math.Round(e["lossF2"], 6)), b.Epochs.Select(e => Math.Round(e["lossF2"], 6)));
    }

    [Fact]
    public void Resume_WithMoreEpochs_Continues_ButAnotherChangeIsRefusedNamingIt()
    {
        var config = _runs.Config with { Epochs = 1, PreviewImages = 0 };
        var run = _runs.Run("changed");
        using (var first = new Pretrainer(config, run, Quiet))
            first.Fit(TrainingProgress.None, Cancel);

        var e = Assert.Throws<InvalidOperationException>(() => new Pretrainer(config with { LearningRate = 1e-3, Epochs = 2 }, run, Quiet));
        Assert.Contains("LearningRate is 0.003 in the checkpoint but 0.001 now", e.Message);
        Assert.DoesNotContain("Epochs", e.Message.Split(". A run resumes")[0]);

        using var longer = new Pretrainer(config with { Epochs = 2 }, run, Quiet);
        Assert.Equal(12, longer.ResumedFrom!.Step);
        longer.Fit(TrainingProgress.None, Cancel);
        Assert.Equal(24, longer.Step);
        Assert.Equal(2, run.ReadConfig().Epochs);
    }

    [Fact]
    public void Checkpoint_WriteFailsHalfWay_PreviousCheckpointStaysIntactAndResumes()
    {
        var config = _runs.Config with { Epochs = 3, PreviewImages = 0 };
        var run = _runs.Run("failing");
        using (var trainer = new Pretrainer(config, run, Quiet))
        {
            var optimizerWrites = 0;
            trainer.Checkpoints.AfterFileWritten = name =>
            {
                if (name == "optimizer.bin" && ++optimizerWrites == 2)
                    throw new IOException("disk full (test)");
            };
            var e = Assert.Throws<IOException>(() => trainer.Fit(TrainingProgress.None, Cancel));
            Assert.Equal("disk full (test)", e.InnerException!.Message);
            Assert.Contains("step 12", e.Message);
        }

        Assert.Equal([12L], run.Checkpoints().Select(c => c.Step));
        Assert.Empty(Directory.GetDirectories(run.CheckpointsPath, ".tmp-*"));
        using var resumed = new Pretrainer(config, run, Quiet);
        Assert.Equal(12, resumed.ResumedFrom!.Step);
    }

    [Fact]
    public void Fit_LossBecomesNaN_StopsNamingTheStepAndTheLastGoodCheckpoint()
    {
        // A learning rate this large throws the weights to infinity within a few steps.
        var config = _runs.Config with { Optimizer = OptimizerKind.Sgd, Momentum = 0, LearningRate = 1e30, CheckpointEverySteps = 1, PreviewImages = 0 };
        var run = _runs.Run("diverges");
        using var trainer = new Pretrainer(config, run, Quiet);

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(TrainingProgress.None, Cancel));

        Assert.True(e.Step >= 2, $"diverged at step {e.Step}");
        Assert.Contains($"at step {e.Step} ", e.Message);
        Assert.Equal(e.Step - 1, e.LastCheckpoint!.Step);
        Assert.Contains(e.LastCheckpoint.Path, e.Message);
        Assert.Equal(e.Step - 1, run.Checkpoints()[^1].Step);
    }

    [Fact]
    public void Constructor_InvalidConfig_IsRejectedBeforeAnythingIsWritten()
    {
        var run = _runs.Run("invalid");

        var e = Assert.Throws<ArgumentException>(() => new Pretrainer(_runs.Config with { LearningRate = -1 }, run, Quiet));

        Assert.Equal("LearningRate", e.ParamName);
        Assert.False(Directory.Exists(run.Path));
        Assert.False(Directory.Exists(Path.Combine(_runs.Folder, "cache")));
    }

    [Fact]
    public void Constructor_CudaWhereThereIsNone_FailsAtOnceWithDevicesMessage()
    {
        Assert.SkipWhen(Devices.CudaAvailable, "this machine has a CUDA GPU");
        var run = _runs.Run("cuda");

        var e = Assert.Throws<ArgumentException>(() => new Pretrainer(_runs.Config with { Device = "cuda" }, run, Quiet));

        Assert.Contains("no CUDA GPU", e.Message);
        Assert.False(Directory.Exists(run.Path));
    }

    [Fact]
    public void Fit_AfterWarmUp_KeepsLiveTensorsAndManagedMemoryFlat()
    {
        var tensors = new List<long>();
        var progress = new RecordingProgress(_ => tensors.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount));
        var managed = new List<long>();
        using var trainer = new Pretrainer(_runs.Config with { Epochs = 4 }, _runs.Run("flat"), Quiet);
        var measure = new MemoryProbe(progress, managed);

        trainer.Fit(measure, Cancel);

        Assert.Equal(48, tensors.Count);
        Assert.All(tensors.Skip(2), count => Assert.Equal(tensors[2], count)); // after the first steps, not one more tensor
        Assert.True(managed[^1] - managed[1] < 4 << 20, $"managed heap after each epoch: {string.Join(", ", managed)} bytes");
    }

    [Fact]
    public void Fit_WhileAnotherThreadAllocatesHeavily_Completes_WithEveryStepInsideItsNoGcRegion()
    {
        // The loader reads ahead on its own thread while this one allocates 64 MB of garbage for every training step, as
        // fast as it can (gigabytes a second): collections keep starting, but never inside a step. The amount is tied to
        // the steps rather than to time, and signals that come while it is busy collapse into one (no backlog), so that
        // no step, however slow a busy machine makes it, sees more than two rounds: well inside its region's budget.
        const long perStep = 64L << 20;
        using var stop = new CancellationTokenSource();
        using var steps = new AutoResetEvent(false);
        long allocated = 0;
        var allocator = new Thread(() =>
        {
            var keep = new byte[64][];
            try
            {
                for (var i = 0; ; )
                {
                    WaitHandle.WaitAny([steps, stop.Token.WaitHandle]);
                    stop.Token.ThrowIfCancellationRequested();
                    for (long done = 0; done < perStep; done += 16 << 10, i++)
                        keep[i % keep.Length] = new byte[16 << 10];
                    Interlocked.Add(ref allocated, perStep);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }) { IsBackground = true, Name = "allocation stress" };
        allocator.Start();
        try
        {
            using var trainer = new Pretrainer(_runs.Config with { Epochs = 5, PreviewImages = 2 }, _runs.Run("stress"), Quiet);
            var result = trainer.Fit(new RecordingProgress(_ => steps.Set()), Cancel);

            Assert.Equal(60, result.Summary.Steps);
            Assert.True(double.IsFinite(result.Summary.Metric("lossF1")) && double.IsFinite(result.Summary.Metric("lossF2")));
            Assert.True(NoGcRegion.Budget > 2 * perStep);
            Assert.Equal(0, result.Summary.GcRegionsLost);
        }
        finally
        {
            stop.Cancel();
            allocator.Join();
        }

        Assert.True(Interlocked.Read(ref allocated) >= 20 * perStep, $"the stress thread allocated only {allocated >> 20} MB");
    }

    // The fraction of the first steps' mean loss that the last steps' mean must fall below. Measured on this run (2 CPU
    // threads): F1 5.43 -> 2.70 (0.50 x), F2 4.57 -> 4.40 (0.96 x). F2 cannot fall much on the synthetic shapes: ab says
    // little about L at 1-unit bins. The L targets' entropy is 4.41 nats against 4.61 for uniform predictions, and the
    // Small preset's F2 ends at 4.19 after 750 steps, so even a perfect run stays above 0.9 x.
    private const double LossDropF1 = 0.8;
    private const double LossDropF2 = 0.98;

    private static void AssertDrop(string half, IReadOnlyList<double> losses, double factor)
    {
        var (first, last) = (losses.Take(6).Average(), losses.TakeLast(6).Average());
        Assert.True(last < factor * first, $"{half}: mean loss of the first 6 steps {first:F3}, of the last 6 {last:F3} (needs < {factor} x)");
    }

    /// <summary>Passes reports on, and after each epoch measures the managed heap after a full collection.</summary>
    private sealed class MemoryProbe(IProgress<TrainingProgress> inner, List<long> managed) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            inner.Report(value);
            if (value.Status is not null)
                managed.Add(GC.GetTotalMemory(forceFullCollection: true));
        }
    }
}
