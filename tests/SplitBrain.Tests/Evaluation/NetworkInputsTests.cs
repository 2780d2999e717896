using SplitBrain.Color;
using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Tests.Support;

namespace SplitBrain.Tests.Evaluation;

public class NetworkInputsTests
{
    [Fact]
    public void FromImages_SameInputsAsTheTargetBuilder()
    {
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 20); // more than one 16-image chunk
        using var batch = shapes.ReadBatch([.. Enumerable.Range(0, 20)]);
        using var builder = new TargetBuilder();
        using var targets = builder.Build(batch.Images);

        var (l, ab) = NetworkInputs.FromImages(batch.Images);
        using (l)
        using (ab)
        {
            TensorAssert.Close(l, targets.LInput, 1e-6, "L input");   // the same element-wise conversion, chunked otherwise
            TensorAssert.Close(ab, targets.AbInput, 1e-6, "ab input");
        }
    }

    [Fact]
    public void FromImages_FloatImagesInZeroToOne_SameAsTheirBytes()
    {
        using var shapes = EvaluationData.Shapes(DatasetSplit.Test, 3);
        using var batch = shapes.ReadBatch([0, 1, 2]);
        using var floats = batch.Images.to_type(TorchSharp.torch.ScalarType.Float32).div_(255);

        var (l8, ab8) = NetworkInputs.FromImages(batch.Images);
        var (lf, abf) = NetworkInputs.FromImages(floats);
        using (l8)
        using (ab8)
        using (lf)
        using (abf)
        {
            Assert.Equal(TorchSharp.torch.ScalarType.Float32, lf.dtype);
            TensorAssert.Close(lf, l8, 1e-5, "L from floats");
            TensorAssert.Close(abf, ab8, 1e-5, "ab from floats");
        }
    }

    [Fact]
    public void FromImages_EmptyBatch_EmptyInputs()
    {
        using var images = TorchSharp.torch.zeros([0, 3, 8, 8], TorchSharp.torch.ScalarType.Byte);

        var (l, ab) = NetworkInputs.FromImages(images);
        using (l)
        using (ab)
        {
            Assert.Equal([0L, 1, 8, 8], l.shape);
            Assert.Equal([0L, 2, 8, 8], ab.shape);
        }
    }

    [Fact]
    public void FromImages_NotAnImageBatch_ThrowsWithShape()
    {
        using var images = TorchSharp.torch.zeros(2, 1, 8, 8);
        var error = Assert.Throws<ArgumentException>(() => NetworkInputs.FromImages(images));
        Assert.Equal("images", error.ParamName);
        Assert.Contains("[2, 1, 8, 8]", error.Message);
    }

    [Fact]
    public void FromImages_LeavesOnlyTheTwoInputs() => TensorLeaks.AssertNone(() =>
    {
        using var images = TorchSharp.torch.zeros([3, 3, 16, 16], TorchSharp.torch.ScalarType.Byte);
        var (l, ab) = NetworkInputs.FromImages(images);
        l.Dispose();
        ab.Dispose();
    });

    [Fact]
    public void FromImages_YCbCr_SameInputsAsTheTargetBuilder()
    {
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 20);
        using var batch = shapes.ReadBatch([.. Enumerable.Range(0, 20)]);
        using var builder = new TargetBuilder(split: ColorSplit.YCbCr);
        using var targets = builder.Build(batch.Images);

        var (y, cbcr) = NetworkInputs.FromImages(batch.Images, ColorSplit.YCbCr);
        using (y)
        using (cbcr)
        {
            TensorAssert.Close(y, targets.LInput, 1e-6, "Y input");
            TensorAssert.Close(cbcr, targets.AbInput, 1e-6, "CbCr input");
        }
    }

    [Fact]
    public void FromImages_ANetworkOfASplit_TakesItsSplitsInputs_AndItsCopiesToo()
    {
        using var builder = new TargetBuilder(split: ColorSplit.YCbCr);
        using var net = SplitBrainNet.Create(ModelConfig.Small, builder.LightnessQuantizer, builder.AbQuantizer);
        net.Split = ColorSplit.YCbCr;
        using var copy = RandomNetworks.Random(net, seed: 1);
        using var other = SplitBrainNet.Create(ModelConfig.Small, builder.LightnessQuantizer, builder.AbQuantizer);
        using var images = TestTensors.Uniform(0, 1, 3, 2, 3, 16, 16);

        var (y, cbcr) = NetworkInputs.FromImages(images, copy);
        using (y)
        using (cbcr)
        {
            var (expectedY, expectedCbCr) = NetworkInputs.FromImages(images, ColorSplit.YCbCr);
            TensorAssert.Close(y, expectedY, 0, "Y input");
            TensorAssert.Close(cbcr, expectedCbCr, 0, "CbCr input");
            expectedY.Dispose();
            expectedCbCr.Dispose();
        }

        Assert.Equal((ColorSplit.YCbCr, ColorSplit.YCbCr), (net.Split, copy.Split));
        Assert.Equal(ColorSplit.Lab, other.Split); // built without a split: Lab, the paper's
    }

}
