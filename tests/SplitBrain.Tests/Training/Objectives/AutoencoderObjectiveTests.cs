using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Tests.Models;
using SplitBrain.Training.Objectives;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Training.Objectives;

[Collection(GlobalGeneratorCollection.Name)] // builds networks from torch's global generator
public sealed class AutoencoderObjectiveTests
{
    [Fact]
    public void Compute_Autoencoder_IsL2OfTheLabReconstruction_ByHand()
    {
        using var tiny = new TinyBatch(PretrainObjectives.Create(AutoencoderObjective.Name));
        var (batch, net) = (tiny.Targets, Assert.IsType<FullWidthNet>(tiny.Network));

        var (loss, metrics) = tiny.Compute(step: 3);

        Assert.Equal((NetworkInput.Both, 3), (net.Input, net.Outputs));
        var expected = ObjectiveBatches.L2(net.call(cat([batch.LInput, batch.AbInput], 1)), LabBlockMeans(batch));
        Assert.Equal(["loss"], tiny.Objective.MetricNames);
        ObjectiveBatches.Equal(expected, loss, "loss");
        ObjectiveBatches.Equal(expected, metrics[0], "metric");
    }

    [Fact]
    public void Compute_Denoising_SeesTheStepsDroppedInput_AndReconstructsTheCleanOne()
    {
        using var tiny = new TinyBatch(PretrainObjectives.Create(AutoencoderObjective.DenoisingName));
        var (batch, net) = (tiny.Targets, Assert.IsType<FullWidthNet>(tiny.Network));

        var loss = tiny.Compute(step: 3).Loss.item<float>();

        var lab = cat([batch.LInput, batch.AbInput], 1);                                       // [2, 3, 16, 16]
        var mask = InputDropout.Mask(lab.shape, new ObjectiveStep(3, 1), CPU);                // TinyBatch's seed is 1
        ObjectiveBatches.Equal(ObjectiveBatches.L2(net.call(lab * mask), LabBlockMeans(batch)), tensor(loss), "loss on the dropped input");
        Assert.True(Math.Abs(ObjectiveBatches.L2(net.call(lab), LabBlockMeans(batch)) - loss) > 1e-6, "the dropping changes what the network sees");
        Assert.NotEqual(loss, tiny.Compute(step: 4).Loss.item<float>());                      // another step, another draw
    }

    // The clean Lab's block means, L then a and b, [2, 3, 2, 2] in row-major order.
    private static double[] LabBlockMeans(SplitBrainTargets batch) =>
        ObjectiveBatches.Concat(ObjectiveBatches.BlockMeans(batch.LInput, 8), 1, ObjectiveBatches.BlockMeans(batch.AbInput, 8), 2, 2);
}
