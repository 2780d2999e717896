using SplitBrain.Models;
using SplitBrain.Tests.Models;
using SplitBrain.Training.Objectives;

namespace SplitBrain.Tests.Training.Objectives;

[Collection(GlobalGeneratorCollection.Name)] // builds networks from torch's global generator
public sealed class CrossChannelObjectiveTests
{
    [Fact]
    public void Compute_LToAbCl_IsRebalancedCrossEntropyOfOneFullWidthNetwork_ByHand()
    {
        using var tiny = new TinyBatch(PretrainObjectives.Create(CrossChannelObjective.LToAbClName));
        var (batch, net) = (tiny.Targets, Assert.IsType<FullWidthNet>(tiny.Network));

        var (loss, metrics) = tiny.Compute();

        Assert.Equal((NetworkInput.First, 313, 4), (net.Input, net.Outputs, net.Tower.Config.Conv1)); // twice a half's width
        var expected = ObjectiveBatches.CrossEntropy(net.call(batch.LInput), batch.AbTarget, batch.AbWeights);
        Assert.Equal(["lossF1", "accF1"], tiny.Objective.MetricNames);
        ObjectiveBatches.Equal(expected, loss, "loss");
        ObjectiveBatches.Equal(expected, metrics[0], "lossF1");
    }

    [Fact]
    public void Compute_AbToLReg_IsL2OnTheLightnessBlockMeans_ByHand()
    {
        using var tiny = new TinyBatch(PretrainObjectives.Create(CrossChannelObjective.AbToLRegName));
        var (batch, net) = (tiny.Targets, Assert.IsType<FullWidthNet>(tiny.Network));

        var (loss, _) = tiny.Compute();

        Assert.Equal((NetworkInput.Second, 1), (net.Input, net.Outputs));
        var expected = ObjectiveBatches.L2(net.call(batch.AbInput), ObjectiveBatches.BlockMeans(batch.LInput, 8));
        Assert.Equal(["lossF2"], tiny.Objective.MetricNames);
        ObjectiveBatches.Equal(expected, loss, "loss");
    }

    [Fact]
    public void Constructor_BothInputs_IsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CrossChannelObjective(NetworkInput.Both, LossKind.Regression));
        Assert.Contains("one subset", e.Message);
    }
}
