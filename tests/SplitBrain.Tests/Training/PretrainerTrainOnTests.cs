using SplitBrain.Data;
using SplitBrain.Tests.Support;
using SplitBrain.Training;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Training;

/// <summary>
/// <see cref="Pretrainer.TrainOn"/>, the step alone on a batch built beforehand (what the benchmark's <c>step</c> figure
/// times): it trains the network, leaves the run's position alone and leaks no tensor.
/// </summary>
[Collection(SerialTensorCountCollection.Name)]
public sealed class PretrainerTrainOnTests : IDisposable
{
    private readonly TinyRuns _runs = new();

    public void Dispose() => _runs.Dispose();

    [Fact]
    public void TrainOn_OneBatchRepeatedly_LowersItsLosses_WithoutMovingTheRun()
    {
        var config = _runs.Config with { Epochs = 1, PreviewImages = 0, Rebalance = false };
        using var trainer = new Pretrainer(config, _runs.Run("train-on"), _ => { });
        using var builder = new TargetBuilder(config.Targets, trainer.Device);
        using var batch = trainer.Data.ReadBatch([.. Enumerable.Range(0, config.BatchSize)]);
        using var targets = builder.Build(batch.Images);

        var first = trainer.TrainOn(targets);
        var losses = Enumerable.Range(0, 15).Select(_ => trainer.TrainOn(targets)).ToList();

        Assert.Equal(["lossF1", "lossF2"], first.Keys);
        Assert.True(double.IsFinite(first["lossF1"]) && double.IsFinite(first["lossF2"]));
        Assert.True(losses[^1]["lossF1"] < 0.8 * first["lossF1"], $"F1 {first["lossF1"]} -> {losses[^1]["lossF1"]}");
        Assert.True(losses[^1]["lossF2"] < 0.8 * first["lossF2"], $"F2 {first["lossF2"]} -> {losses[^1]["lossF2"]}");
        Assert.Equal(0, trainer.Step);
        Assert.Null(trainer.LastCheckpoint);
    }

    [Fact]
    public void TrainOn_LeaksNoTensors()
    {
        var config = _runs.Config with { Epochs = 1, PreviewImages = 0 };
        using var trainer = new Pretrainer(config, _runs.Run("train-on-leaks"), _ => { });
        using var builder = new TargetBuilder(config.Targets, trainer.Device);
        using var batch = trainer.Data.ReadBatch([.. Enumerable.Range(0, config.BatchSize)]);
        using var targets = builder.Build(batch.Images, trainer.AbWeights, trainer.LightnessWeights);
        trainer.TrainOn(targets); // the optimizer's state is made on the first step

        TensorLeaks.AssertNone(() => trainer.TrainOn(targets, learningRate: 1e-4));
    }
}
