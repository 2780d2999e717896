using SplitBrain.Models;
using SplitBrain.Tests.Models;
using SplitBrain.Training.Objectives;

namespace SplitBrain.Tests.Training.Objectives;

[Collection(GlobalGeneratorCollection.Name)] // builds networks from torch's global generator
public sealed class SplitBrainObjectiveTests
{
    [Fact]
    public void Compute_ClCl_IsBothHalvesRebalancedCrossEntropy_ByHand()
    {
        using var tiny = new TinyBatch(new SplitBrainObjective());
        var (batch, net) = (tiny.Targets, Assert.IsType<SplitBrainNet>(tiny.Network));

        var (loss, metrics) = tiny.Compute();

        var (abLogits, lLogits) = net.call(batch.LInput, batch.AbInput);
        var f1 = ObjectiveBatches.CrossEntropy(abLogits, batch.AbTarget, batch.AbWeights);
        var f2 = ObjectiveBatches.CrossEntropy(lLogits, batch.LTarget, batch.LWeights);
        Assert.Equal(["lossF1", "lossF2", "accF1", "accF2"], tiny.Objective.MetricNames);
        ObjectiveBatches.Equal(f1, metrics[0], "lossF1");
        ObjectiveBatches.Equal(f2, metrics[1], "lossF2");
        ObjectiveBatches.Equal(f1 + f2, loss, "loss");
        Assert.NotEqual(ObjectiveBatches.CrossEntropy(abLogits, batch.AbTarget, null), f1); // the weights count
    }

    [Fact]
    public void Compute_RegReg_IsBothHalvesL2OnTheBlockMeans_ByHand()
    {
        using var tiny = new TinyBatch(new SplitBrainObjective(LossKind.Regression, LossKind.Regression));
        var (batch, net) = (tiny.Targets, Assert.IsType<SplitBrainNet>(tiny.Network));

        var (loss, metrics) = tiny.Compute();

        Assert.Equal((2, 1), (net.F1.Bins, net.F2.Bins));                              // ab's two values, L's one
        var (abValues, lValues) = net.call(batch.LInput, batch.AbInput);
        var f1 = ObjectiveBatches.L2(abValues, ObjectiveBatches.BlockMeans(batch.AbInput, 8));
        var f2 = ObjectiveBatches.L2(lValues, ObjectiveBatches.BlockMeans(batch.LInput, 8));
        Assert.Equal(["lossF1", "lossF2"], tiny.Objective.MetricNames);
        ObjectiveBatches.Equal(f1, metrics[0], "lossF1");
        ObjectiveBatches.Equal(f2, metrics[1], "lossF2");
        ObjectiveBatches.Equal(f1 + f2, loss, "loss");
    }

    [Fact]
    public void Compute_ClReg_ClassifiesAb_RegressesL()
    {
        using var tiny = new TinyBatch(PretrainObjectives.Create(SplitBrainObjective.ClRegName));
        var (batch, net) = (tiny.Targets, Assert.IsType<SplitBrainNet>(tiny.Network));

        var (loss, metrics) = tiny.Compute();

        Assert.Equal((313, 1), (net.F1.Bins, net.F2.Bins));
        var (abLogits, lValues) = net.call(batch.LInput, batch.AbInput);
        var expected = ObjectiveBatches.CrossEntropy(abLogits, batch.AbTarget, batch.AbWeights)
            + ObjectiveBatches.L2(lValues, ObjectiveBatches.BlockMeans(batch.LInput, 8));
        Assert.Equal(["lossF1", "lossF2", "accF1"], tiny.Objective.MetricNames);
        Assert.Equal(3, metrics.Count);
        ObjectiveBatches.Equal(expected, loss, "loss");
    }
}
