using SplitBrain.Models;
using SplitBrain.Quantization;
using SplitBrain.Tests.Models;
using SplitBrain.Training.Objectives;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Training.Objectives;

[Collection(GlobalGeneratorCollection.Name)] // builds networks from torch's global generator
public sealed class AlternativeAggregationObjectiveTests
{
    [Fact]
    public void Compute_StepsInTurn_AreLToAb_AbToL_LabToLab_ByHand()
    {
        using var scope = NewDisposeScope();
        using var l = Quantizer.Lightness();
        using var ab = Quantizer.AbGamut();
        using var batch = ObjectiveBatches.Batch(l, ab);
        var objective = PretrainObjectives.Create(AlternativeAggregationObjective.Name);
        using var net = Assert.IsType<FullWidthNet>(objective.CreateNetwork(ObjectiveBatches.Tiny, l, ab));
        Assert.Equal((NetworkInput.Both, 313 + 100 + 3), (net.Input, net.Outputs));

        var (lIn, abIn) = (batch.LInput, batch.AbInput);
        var abTask = ObjectiveBatches.CrossEntropy(net.call(cat([lIn, zeros_like(abIn)], 1)).narrow(1, 0, 313), batch.AbTarget, batch.AbWeights);
        var lTask = ObjectiveBatches.CrossEntropy(net.call(cat([zeros_like(lIn), abIn], 1)).narrow(1, 313, 100), batch.LTarget, batch.LWeights);
        var labTarget = ObjectiveBatches.Concat(ObjectiveBatches.BlockMeans(lIn, 8), 1, ObjectiveBatches.BlockMeans(abIn, 8), 2, 2);
        var labTask = ObjectiveBatches.L2(net.call(cat([lIn, abIn], 1)).narrow(1, 413, 3), labTarget);

        double[] expected = [abTask, lTask, labTask, abTask];
        for (var step = 0; step < expected.Length; step++)
            ObjectiveBatches.Equal(expected[step], objective.Compute(net, batch, new ObjectiveStep(step, 0)).Loss, $"step {step}");
    }

    [Fact]
    public void Compute_ANetworkItDidNotMake_SaysToCreateItFirst()
    {
        using var scope = NewDisposeScope();
        using var l = Quantizer.Lightness();
        using var ab = Quantizer.AbGamut();
        using var batch = ObjectiveBatches.Batch(l, ab);
        using var net = new AlternativeAggregationObjective().CreateNetwork(ObjectiveBatches.Tiny, l, ab);

        var e = Assert.Throws<InvalidOperationException>(() => new AlternativeAggregationObjective().Compute(net, batch, new ObjectiveStep(0, 0)));
        Assert.Contains(nameof(PretrainObjective.CreateNetwork), e.Message);
    }
}
