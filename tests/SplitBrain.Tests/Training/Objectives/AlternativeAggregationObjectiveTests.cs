using SplitBrain.Models;
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
        using var tiny = new TinyBatch(PretrainObjectives.Create(AlternativeAggregationObjective.Name));
        var (batch, net) = (tiny.Targets, Assert.IsType<FullWidthNet>(tiny.Network));
        Assert.Equal((NetworkInput.Both, 313 + 100 + 3), (net.Input, net.Outputs));

        var (l, ab) = (batch.LInput, batch.AbInput);
        var abTask = ObjectiveBatches.CrossEntropy(net.call(cat([l, zeros_like(ab)], 1)).narrow(1, 0, 313), batch.AbTarget, batch.AbWeights);
        var lTask = ObjectiveBatches.CrossEntropy(net.call(cat([zeros_like(l), ab], 1)).narrow(1, 313, 100), batch.LTarget, batch.LWeights);
        var labTarget = ObjectiveBatches.Concat(ObjectiveBatches.BlockMeans(l, 8), 1, ObjectiveBatches.BlockMeans(ab, 8), 2, 2);
        var labTask = ObjectiveBatches.L2(net.call(cat([l, ab], 1)).narrow(1, 413, 3), labTarget);

        double[] expected = [abTask, lTask, labTask, abTask];
        for (var step = 0; step < expected.Length; step++)
            ObjectiveBatches.Equal(expected[step], tiny.Compute(step).Loss, $"step {step}");
    }

    [Fact]
    public void Compute_ANetworkItDidNotMake_SaysToCreateItFirst()
    {
        using var tiny = new TinyBatch(new AlternativeAggregationObjective());

        var e = Assert.Throws<InvalidOperationException>(() => new AlternativeAggregationObjective().Compute(tiny.Network, tiny.Targets, new ObjectiveStep(0, 0)));

        Assert.Contains(nameof(PretrainObjective.CreateNetwork), e.Message);
    }
}
