using SplitBrain.Models;
using SplitBrain.Quantization;
using SplitBrain.Tests.Models;
using SplitBrain.Training.Objectives;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Training.Objectives;

[Collection(GlobalGeneratorCollection.Name)] // builds networks from torch's global generator
public sealed class SplitBrainObjectiveTests
{
    [Fact]
    public void Compute_ClCl_IsBothHalvesRebalancedCrossEntropy_ByHand()
    {
        using var scope = NewDisposeScope();
        using var l = Quantizer.Lightness();
        using var ab = Quantizer.AbGamut();
        using var batch = ObjectiveBatches.Batch(l, ab);
        var objective = new SplitBrainObjective();
        using var net = Assert.IsType<SplitBrainNet>(objective.CreateNetwork(ObjectiveBatches.Tiny, l, ab));

        var (loss, metrics) = objective.Compute(net, batch, new ObjectiveStep(0, 0));

        var (abLogits, lLogits) = net.call(batch.LInput, batch.AbInput);
        var f1 = ObjectiveBatches.CrossEntropy(abLogits, batch.AbTarget, batch.AbWeights);
        var f2 = ObjectiveBatches.CrossEntropy(lLogits, batch.LTarget, batch.LWeights);
        Assert.Equal(["lossF1", "lossF2", "accF1", "accF2"], objective.MetricNames);
        ObjectiveBatches.Equal(f1, metrics[0], "lossF1");
        ObjectiveBatches.Equal(f2, metrics[1], "lossF2");
        ObjectiveBatches.Equal(f1 + f2, loss, "loss");
        Assert.NotEqual(ObjectiveBatches.CrossEntropy(abLogits, batch.AbTarget, null), f1); // the weights count
    }

    [Fact]
    public void Compute_RegReg_IsBothHalvesL2OnTheBlockMeans_ByHand()
    {
        using var scope = NewDisposeScope();
        using var l = Quantizer.Lightness();
        using var ab = Quantizer.AbGamut();
        using var batch = ObjectiveBatches.Batch(l, ab);
        var objective = new SplitBrainObjective(LossKind.Regression, LossKind.Regression);
        using var net = Assert.IsType<SplitBrainNet>(objective.CreateNetwork(ObjectiveBatches.Tiny, l, ab));

        var (loss, metrics) = objective.Compute(net, batch, new ObjectiveStep(0, 0));

        Assert.Equal((2, 1), (net.F1.Bins, net.F2.Bins));                              // ab's two values, L's one
        var (abValues, lValues) = net.call(batch.LInput, batch.AbInput);
        var f1 = ObjectiveBatches.L2(abValues, ObjectiveBatches.BlockMeans(batch.AbInput, 8));
        var f2 = ObjectiveBatches.L2(lValues, ObjectiveBatches.BlockMeans(batch.LInput, 8));
        Assert.Equal(["lossF1", "lossF2"], objective.MetricNames);
        ObjectiveBatches.Equal(f1, metrics[0], "lossF1");
        ObjectiveBatches.Equal(f2, metrics[1], "lossF2");
        ObjectiveBatches.Equal(f1 + f2, loss, "loss");
    }

    [Fact]
    public void Compute_ClReg_ClassifiesAb_RegressesL()
    {
        using var scope = NewDisposeScope();
        using var l = Quantizer.Lightness();
        using var ab = Quantizer.AbGamut();
        using var batch = ObjectiveBatches.Batch(l, ab);
        var objective = (SplitBrainObjective)PretrainObjectives.Create(SplitBrainObjective.ClRegName);
        using var net = Assert.IsType<SplitBrainNet>(objective.CreateNetwork(ObjectiveBatches.Tiny, l, ab));

        var (loss, metrics) = objective.Compute(net, batch, new ObjectiveStep(0, 0));

        Assert.Equal((313, 1), (net.F1.Bins, net.F2.Bins));
        var (abLogits, lValues) = net.call(batch.LInput, batch.AbInput);
        var expected = ObjectiveBatches.CrossEntropy(abLogits, batch.AbTarget, batch.AbWeights)
            + ObjectiveBatches.L2(lValues, ObjectiveBatches.BlockMeans(batch.LInput, 8));
        Assert.Equal(["lossF1", "lossF2", "accF1"], objective.MetricNames);
        Assert.Equal(3, metrics.Count);
        ObjectiveBatches.Equal(expected, loss, "loss");
    }
}
