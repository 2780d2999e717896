using SplitBrain.Models;
using SplitBrain.Quantization;
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
        using var scope = NewDisposeScope();
        using var l = Quantizer.Lightness();
        using var ab = Quantizer.AbGamut();
        using var batch = ObjectiveBatches.Batch(l, ab);
        var objective = PretrainObjectives.Create(AutoencoderObjective.Name);
        using var net = Assert.IsType<FullWidthNet>(objective.CreateNetwork(ObjectiveBatches.Tiny, l, ab));

        var (loss, metrics) = objective.Compute(net, batch, new ObjectiveStep(3, 1));

        Assert.Equal((NetworkInput.Both, 3), (net.Input, net.Outputs));
        var lab = cat([batch.LInput, batch.AbInput], 1);
        var target = ObjectiveBatches.Concat(ObjectiveBatches.BlockMeans(batch.LInput, 8), 1, ObjectiveBatches.BlockMeans(batch.AbInput, 8), 2, 2);
        var expected = ObjectiveBatches.L2(net.call(lab), target);
        Assert.Equal(["loss"], objective.MetricNames);
        ObjectiveBatches.Equal(expected, loss, "loss");
        ObjectiveBatches.Equal(expected, metrics[0], "metric");
    }

    [Fact]
    public void Compute_Denoising_SeesTheStepsDroppedInput_AndReconstructsTheCleanOne()
    {
        using var scope = NewDisposeScope();
        using var l = Quantizer.Lightness();
        using var ab = Quantizer.AbGamut();
        using var batch = ObjectiveBatches.Batch(l, ab);
        var objective = PretrainObjectives.Create(AutoencoderObjective.DenoisingName);
        using var net = Assert.IsType<FullWidthNet>(objective.CreateNetwork(ObjectiveBatches.Tiny, l, ab));
        var step = new ObjectiveStep(3, 1);

        var (loss, _) = objective.Compute(net, batch, step);

        var lab = cat([batch.LInput, batch.AbInput], 1);                                       // [2, 3, 16, 16]
        var mask = InputDropout.Mask(lab.shape, step, CPU);
        var target = ObjectiveBatches.Concat(ObjectiveBatches.BlockMeans(batch.LInput, 8), 1, ObjectiveBatches.BlockMeans(batch.AbInput, 8), 2, 2);
        ObjectiveBatches.Equal(ObjectiveBatches.L2(net.call(lab * mask), target), loss, "loss on the dropped input");
        var clean = ObjectiveBatches.L2(net.call(lab), target);
        Assert.True(Math.Abs(clean - loss.item<float>()) > 1e-6, "the dropping changes what the network sees");
        var other = objective.Compute(net, batch, new ObjectiveStep(4, 1)).Loss.item<float>();
        Assert.NotEqual(loss.item<float>(), other);                                            // another step, another draw
    }
}
