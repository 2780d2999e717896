using SplitBrain.Color;
using SplitBrain.Data;
using SplitBrain.Quantization;
using SplitBrain.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Data;

public sealed class TargetBuilderTests
{
    // One 16 x 16 image of a single color, sRGB (200, 60, 40).
    private static Tensor UniformImage()
    {
        var images = full(new long[] { 1, 3, 16, 16 }, 0, ScalarType.Byte);
        images[0, 0] = tensor((byte)200);
        images[0, 1] = tensor((byte)60);
        images[0, 2] = tensor((byte)40);
        return images;
    }

    private static (float L, float A, float B) LabOf(Tensor uniformImage)
    {
        using var lab = Lab.FromRgb(uniformImage);
        return (lab[0, 0, 0, 0].item<float>(), lab[0, 1, 0, 0].item<float>(), lab[0, 2, 0, 0].item<float>());
    }

    [Fact]
    public void Build_Hard_GivesInputAndTargetShapes()
    {
        using var data = new SyntheticShapes(new SyntheticShapesConfig(TrainCount: 4), DatasetSplit.Train);
        using var batch = data.ReadBatch([0, 1, 2, 3]);
        using var builder = new TargetBuilder();

        using var targets = builder.Build(batch.Images);

        Assert.Equal([4L, 1, 96, 96], targets.LInput.shape);
        Assert.Equal([4L, 2, 96, 96], targets.AbInput.shape);
        Assert.Equal([4L, 12, 12], targets.AbTarget.shape);
        Assert.Equal([4L, 12, 12], targets.LTarget.shape);
        Assert.Equal(ScalarType.Float32, targets.LInput.dtype);
        Assert.Equal(ScalarType.Int64, targets.AbTarget.dtype);
        Assert.Equal(ScalarType.Int64, targets.LTarget.dtype);
        Assert.Null(targets.AbWeights);
        Assert.Null(targets.LWeights);
        Assert.False(targets.IsSoft);
        Assert.InRange(targets.AbTarget.max().item<long>(), 0, 312);
        Assert.InRange(targets.LTarget.max().item<long>(), 0, 99);
        Assert.InRange(targets.LInput.min().item<float>(), -0.5f, 0.5f);
        Assert.InRange(targets.AbInput.abs().max().item<float>(), 0.05f, 1.1f);
    }

    [Fact]
    public void Build_Soft_GivesDistributionsOverTheBins()
    {
        using var images = TestTensors.Uniform(0, 1, 4, 2, 3, 32, 32);
        using var builder = new TargetBuilder(TargetConfig.SoftEncoded);

        using var targets = builder.Build(images);

        Assert.True(targets.IsSoft);
        Assert.Equal([2L, 313, 4, 4], targets.AbTarget.shape);
        Assert.Equal([2L, 100, 4, 4], targets.LTarget.shape);
        using var abSums = targets.AbTarget.sum(1);
        using var lSums = targets.LTarget.sum(1);
        Assert.All(TestTensors.Read(abSums), s => Assert.Equal(1.0, s, 1e-5));
        Assert.All(TestTensors.Read(lSums), s => Assert.Equal(1.0, s, 1e-5));
    }

    [Fact]
    public void Build_TwentyLightnessBins_TargetsAreFiveUnitBinsAndSoftRowsSumToOne()
    {
        using var images = UniformImage();
        var l = LabOf(images).L;
        using var hard = new TargetBuilder(TargetConfig.Hard with { LightnessBins = 20 });
        using var soft = new TargetBuilder(TargetConfig.SoftEncoded with { LightnessBins = 20 });

        using var hardTargets = hard.Build(images);
        using var softTargets = soft.Build(images);

        Assert.Equal(("L20", 20, 5.0), (hard.LightnessQuantizer.Name, hard.LightnessQuantizer.Bins, hard.LightnessQuantizer.Spacing));
        Assert.All(TestTensors.ReadLong(hardTargets.LTarget), bin => Assert.Equal((long)Math.Floor(l / 5), bin));
        Assert.Equal([1L, 20, 2, 2], softTargets.LTarget.shape);
        using var sums = softTargets.LTarget.sum(1);
        Assert.All(TestTensors.Read(sums), s => Assert.Equal(1.0, s, 1e-5));
        Assert.Equal("LightnessBins", Assert.Throws<ArgumentOutOfRangeException>(() => new TargetBuilder(new TargetConfig(LightnessBins: 1))).ParamName);
    }

    [Fact]
    public void Build_UniformColor_InputsAreNormalisedLabAndTargetsItsBins()
    {
        using var images = UniformImage();
        var (l, a, b) = LabOf(images);
        using var builder = new TargetBuilder();

        using var targets = builder.Build(images);

        Assert.Equal((l - 50) / 100, targets.LInput[0, 0, 5, 7].item<float>(), 1e-5);
        Assert.Equal(a / 110, targets.AbInput[0, 0, 3, 3].item<float>(), 1e-5);
        Assert.Equal(b / 110, targets.AbInput[0, 1, 3, 3].item<float>(), 1e-5);
        Assert.All(TestTensors.ReadLong(targets.LTarget), bin => Assert.Equal((long)Math.Floor(l), bin)); // 1-unit bins
        var expectedAb = NearestAbBin(builder.AbQuantizer, a, b);
        Assert.All(TestTensors.ReadLong(targets.AbTarget), bin => Assert.Equal(expectedAb, bin));
    }

    [Fact]
    public void Build_TargetsAreBlockMeans_LeftAndRightHalvesDiffer()
    {
        using var images = zeros(1, 3, 16, 16, ScalarType.Byte);
        images[0, 0, TensorIndex.Colon, TensorIndex.Slice(0, 8)] = tensor((byte)255);   // red left block column
        images[0, 2, TensorIndex.Colon, TensorIndex.Slice(8, 16)] = tensor((byte)255);  // blue right block column
        using var builder = new TargetBuilder();

        using var targets = builder.Build(images);

        var bins = TestTensors.ReadLong(targets.AbTarget);                                 // [1, 2, 2] row-major
        Assert.Equal(bins[0], bins[2]);
        Assert.Equal(bins[1], bins[3]);
        Assert.NotEqual(bins[0], bins[1]);
    }

    [Fact]
    public void Build_FloatImages_MatchUint8Images()
    {
        using var bytes = TestTensors.Uniform(0, 256, 9, 2, 3, 16, 16).floor_().to_type(ScalarType.Byte);
        using var floats = bytes.to_type(ScalarType.Float32).div_(255);
        using var builder = new TargetBuilder();
        using var a = builder.Build(bytes);
        using var b = builder.Build(floats);
        TensorAssert.Close(a.LInput, b.LInput, 1e-6, "L input from uint8 against from float");
        Assert.Equal(TestTensors.ReadLong(a.AbTarget), TestTensors.ReadLong(b.AbTarget));
    }

    [Fact]
    public void Build_WithRebalancingWeights_GivesTheWeightOfEachTargetBin()
    {
        using var images = TestTensors.Uniform(0, 1, 5, 2, 3, 16, 16);
        using var abPrior = TestTensors.Uniform(0.1, 1, 6, 313);
        using var lPrior = TestTensors.Uniform(0.1, 1, 7, 100);
        using var abWeights = RebalancingWeights.FromPrior(abPrior);
        using var lWeights = RebalancingWeights.FromPrior(lPrior);
        using var builder = new TargetBuilder();

        using var targets = builder.Build(images, abWeights, lWeights);

        Assert.Equal([2L, 2, 2], targets.AbWeights!.shape);
        using var expectedAb = abWeights.Weights.take(targets.AbTarget);
        using var expectedL = lWeights.Weights.take(targets.LTarget);
        Assert.True(targets.AbWeights.equal(expectedAb).all().item<bool>());
        Assert.True(targets.LWeights!.equal(expectedL).all().item<bool>());

        using var soft = new TargetBuilder(TargetConfig.SoftEncoded);
        using var softTargets = soft.Build(images, abWeights);
        Assert.Equal([2L, 2, 2], softTargets.AbWeights!.shape);
        Assert.Null(softTargets.LWeights);
    }

    [Fact]
    public void Build_BatchConvertedInChunks_EqualsImageByImage()
    {
        using var images = TestTensors.Uniform(0, 1, 8, 37, 3, 16, 16);   // 37: two chunks of 16 and one of 5
        using var builder = new TargetBuilder(TargetConfig.SoftEncoded);
        using var whole = builder.Build(images);
        for (var i = 0; i < 37; i += 9)
        {
            using var scope = NewDisposeScope();
            using var one = builder.Build(images.narrow(0, i, 1));
            // One image against a chunk of 16: other shapes, so possibly other vector paths; equal to float rounding.
            TensorAssert.Close(one.LInput, whole.LInput.narrow(0, i, 1), 1e-6, $"L input of image {i}");
            TensorAssert.Close(one.AbInput, whole.AbInput.narrow(0, i, 1), 1e-6, $"ab input of image {i}");
            TensorAssert.Close(one.AbTarget, whole.AbTarget.narrow(0, i, 1), 1e-6, $"ab target of image {i}");
            TensorAssert.Close(one.LTarget, whole.LTarget.narrow(0, i, 1), 1e-6, $"L target of image {i}");
        }
    }

    [Fact]
    public void Build_LeaksNoTensors()
    {
        using var images = TestTensors.Uniform(0, 1, 5, 2, 3, 16, 16);
        using var builder = new TargetBuilder(TargetConfig.SoftEncoded);
        using var prior = ones(313);
        using var weights = RebalancingWeights.FromPrior(prior);
        TensorLeaks.AssertNone(() =>
        {
            using var targets = builder.Build(images, weights);
        });
    }

    [Fact]
    public void Build_BadImages_ThrowNamingImages()
    {
        using var builder = new TargetBuilder();
        using var gray = zeros(2, 1, 16, 16);
        using var odd = zeros(2, 3, 20, 16);
        using var integers = zeros(new long[] { 2, 3, 16, 16 }, ScalarType.Int32);
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => builder.Build(gray)).ParamName);
        var e = Assert.Throws<ArgumentException>(() => builder.Build(odd));
        Assert.Contains("multiples of the downsample factor 8", e.Message);
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => builder.Build(integers)).ParamName);
    }

    [Fact]
    public void Build_WeightsOverTheWrongBins_ThrowNamingThem()
    {
        using var images = zeros(1, 3, 8, 8);
        using var builder = new TargetBuilder();
        using var prior = ones(100);
        using var weights = RebalancingWeights.FromPrior(prior);
        Assert.Equal("abWeights", Assert.Throws<ArgumentException>(() => builder.Build(images, abWeights: weights)).ParamName);
    }

    private static long NearestAbBin(Quantizer quantizer, float a, float b)
    {
        using var scope = NewDisposeScope();
        var point = tensor(new[] { a, b }).view(1, 2);
        return (quantizer.Centers - point).square().sum(1).argmin().item<long>();
    }

    [Fact]
    public void Build_YCbCr_TinyImage_MatchesAHandComputation()
    {
        using var images = UniformImage(); // sRGB (200, 60, 40) on 16 x 16: 2 x 2 blocks of 8
        using var builder = new TargetBuilder(split: ColorSplit.YCbCr);
        // BT.601 full range, by hand: Y = 0.299 R + 0.587 G + 0.114 B, Cb and Cr the color differences (R, G, B in 0..1).
        var (r, g, b) = (200 / 255.0, 60 / 255.0, 40 / 255.0);
        var y = 0.299 * r + 0.587 * g + 0.114 * b;
        var cb = -0.168736 * r - 0.331264 * g + 0.5 * b;
        var cr = 0.5 * r - 0.418688 * g - 0.081312 * b;

        using var targets = builder.Build(images);

        using var scope = NewDisposeScope();
        TensorAssert.Close(targets.LInput, full([1, 1, 16, 16], (float)(y - 0.5)), 1e-5, "Y input, Y - 0.5");
        var cbcrInput = stack([full([16, 16], (float)(cb / 0.5)), full([16, 16], (float)(cr / 0.5))]).unsqueeze(0);
        TensorAssert.Close(targets.AbInput, cbcrInput, 1e-5, "CbCr input, CbCr / 0.5");
        Assert.Equal((long)Math.Floor(y * 100), targets.LTarget[0, 0, 0].item<long>()); // Y bins 0.01 wide over 0..1
        Assert.True(targets.LTarget.eq(targets.LTarget[0, 0, 0]).all().item<bool>());
        // The CbCr bin: the grid cell of 0.05 that holds the value, found among the quantizer's centres.
        var cell = (Math.Round(cb / 0.05) * 0.05, Math.Round(cr / 0.05) * 0.05);
        var expected = NearestAbBin(builder.AbQuantizer, (float)cell.Item1, (float)cell.Item2);
        Assert.InRange(builder.AbQuantizer.Centers[expected, 0].item<float>(), cell.Item1 - 1e-4, cell.Item1 + 1e-4);
        Assert.InRange(builder.AbQuantizer.Centers[expected, 1].item<float>(), cell.Item2 - 1e-4, cell.Item2 + 1e-4);
        Assert.Equal([1L, 2, 2], targets.AbTarget.shape);
        Assert.True(targets.AbTarget.eq(expected).all().item<bool>());
        Assert.Equal(SplitSpace.YCbCr, builder.Split);
    }

}
