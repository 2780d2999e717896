using SplitBrain.Evaluation;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Evaluation;

public class LinearProbeTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>
    /// Three well separated Gaussian blobs in 20 dimensions (centres 6 apart along three axes, unit noise), with a
    /// large offset and scale on other axes that standardisation must remove: labels i mod 3.
    /// </summary>
    private static (Tensor Features, Tensor Labels) Blobs(int n, ulong seed)
    {
        using var scope = NewDisposeScope();
        var labels = arange(n, ScalarType.Int64).remainder(3);                             // [n]
        var centers = nn.functional.one_hot(labels, 20).to_type(ScalarType.Float32).mul(6); // [n, 20]
        var features = centers + TestTensors.Normal(1, seed, n, 20);
        features.narrow(1, 10, 10).mul_(1000).add_(500);                                    // badly scaled, uninformative
        return (features.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    private static readonly LinearProbeConfig Quick = new(Epochs: 20, BatchSize: 32, LearningRate: 0.01);

    [Fact]
    public void Fit_SeparableBlobs_PerfectOnTrainNearPerfectOnTest()
    {
        var (x, y) = Blobs(150, 1);
        var (testX, testY) = Blobs(300, 2);
        using (x) using (y) using (testX) using (testY)
        using (var probe = LinearProbe.Fit(x, y, 3, Quick, cancellationToken: Token))
        {
            Assert.Equal(1.0, probe.TrainAccuracy);
            Assert.True(probe.Evaluate(testX, testY).Top1 >= 0.98, $"test accuracy {probe.Evaluate(testX, testY).Top1}");
            Assert.Equal(20, probe.EpochsRun);
            Assert.True(probe.Losses[^1] < probe.Losses[0] / 5, $"losses {string.Join(", ", probe.Losses)}");
        }
    }

    [Fact]
    public void Fit_StateDictIsStandardisationAndLinearLayer()
    {
        var (x, y) = Blobs(30, 3);
        using (x) using (y)
        using (var probe = LinearProbe.Fit(x, y, 3, Quick with { Epochs = 1 }, cancellationToken: Token))
        {
            Assert.Equal(["linear.bias", "linear.weight", "mean", "std"], probe.state_dict().Keys.Order());
            Assert.Equal((20, 3), (probe.Dimension, probe.Classes));
            TensorAssert.Close(probe.state_dict()["mean"], x.mean([0]), 1e-6, "the probe's mean");
        }
    }

    [Fact]
    public void Fit_ConstantFeature_StdOneNoNaN()
    {
        var (x, y) = Blobs(30, 4);
        using (x) using (y)
        {
            x.narrow(1, 0, 1).fill_(7);
            using var probe = LinearProbe.Fit(x, y, 3, Quick with { Epochs = 2 }, cancellationToken: Token);
            Assert.Equal(1.0f, probe.state_dict()["std"][0].item<float>());
            using var logits = probe.call(x);
            Assert.False(logits.isnan().any().item<bool>());
        }
    }

    [Fact]
    public void Fit_SameSeed_SameWeights()
    {
        var (x, y) = Blobs(60, 5);
        using (x) using (y)
        using (var a = LinearProbe.Fit(x, y, 3, Quick with { Epochs = 3 }, cancellationToken: Token))
        using (var b = LinearProbe.Fit(x, y, 3, Quick with { Epochs = 3 }, cancellationToken: Token))
            Assert.True(a.state_dict()["linear.weight"].equal(b.state_dict()["linear.weight"]).all().item<bool>());
    }

    [Fact]
    public void Fit_ValidationSplit_StopsEarlyAndKeepsTheBestEpoch()
    {
        var (x, y) = Blobs(90, 6);
        using (x) using (y)
        using (var probe = LinearProbe.Fit(x, y, 3, Quick with { Epochs = 200, ValidationFraction = 0.2, Patience = 3 },
            cancellationToken: Token))
        {
            // 18 held-out examples (6 per class): the best epoch is kept, Patience epochs before the stop.
            Assert.True(probe.ValidationAccuracy >= 0.9, $"validation accuracy {probe.ValidationAccuracy}");
            Assert.True(probe.EpochsRun < 200, $"ran {probe.EpochsRun} epochs");
            Assert.Equal(probe.EpochsRun - 3, probe.BestEpoch);
        }
    }

    [Fact]
    public void Fit_LabelOutOfRange_Throws()
    {
        var (x, y) = Blobs(30, 8);
        using (x) using (y)
        {
            var error = Assert.Throws<ArgumentException>(() => LinearProbe.Fit(x, y, 2, cancellationToken: Token));
            Assert.Equal("labels", error.ParamName);
            Assert.Contains("0..1", error.Message);
        }
    }

    [Fact]
    public void Forward_WrongDimension_ThrowsWithShape()
    {
        var (x, y) = Blobs(30, 9);
        using (x) using (y)
        using (var probe = LinearProbe.Fit(x, y, 3, Quick with { Epochs = 1 }, cancellationToken: Token))
        using (var wrong = zeros(2, 7))
            Assert.Contains("[2, 7]", Assert.Throws<ArgumentException>(() => probe.call(wrong)).Message);
    }

    [Fact]
    public void FitAndEvaluate_LeaveOnlyTheProbe()
    {
        var (x, y) = Blobs(60, 10);
        using (x) using (y)
            TensorLeaks.AssertNone(() =>
            {
                using var probe = LinearProbe.Fit(x, y, 3, Quick with { Epochs = 2, ValidationFraction = 0.2 }, cancellationToken: Token);
                probe.Evaluate(x, y);
            });
    }
}
