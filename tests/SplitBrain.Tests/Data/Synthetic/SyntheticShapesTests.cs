using SplitBrain.Color;
using SplitBrain.Data;
using SplitBrain.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Data;

public sealed class SyntheticShapesTests
{
    private static readonly SyntheticShapesConfig Tiny = new(UnlabeledCount: 64, TrainCount: 40, TestCount: 30, Seed: 7);

    [Fact]
    public void ReadBatch_Train_GivesUint8ImagesAndLabelsIndexModTen()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Train);
        using var batch = data.ReadBatch([0, 13, 39]);

        Assert.Equal(ScalarType.Byte, batch.Images.dtype);
        Assert.Equal([3L, 3, 96, 96], batch.Images.shape);
        Assert.Equal(ScalarType.Int64, batch.Labels.dtype);
        Assert.Equal([0L, 3, 9], batch.LabelArray());
        Assert.Equal([0, 13, 39], batch.Indices);
        Assert.True(data.HasLabels);
        Assert.Equal(10, data.Classes.Count);
        Assert.Equal("disc", data.Classes[0]);
    }

    [Theory]
    [InlineData(SyntheticStyle.Shapes)]
    [InlineData(SyntheticStyle.Scenes)]
    public void ReadBatch_SameSeedAndIndex_SameBytesInAnyBatch(SyntheticStyle style)
    {
        var tiny = Tiny with { Style = style };
        using var data = new SyntheticShapes(tiny, DatasetSplit.Unlabeled);
        using var alone = data.ReadBatch([37]);
        // First and last (in the second chunk of 32) of a batch of 39, next to images of every class.
        using var within = data.ReadBatch([.. Enumerable.Range(0, 38).Reverse(), 37]);
        using var again = new SyntheticShapes(tiny with { TrainCount = 5 }, DatasetSplit.Unlabeled);
        using var other = again.ReadBatch([5, 37]);

        var expected = alone.Images[0].data<byte>().ToArray();
        Assert.Equal(expected, within.Images[0].data<byte>().ToArray());
        Assert.Equal(expected, within.Images[38].data<byte>().ToArray());
        Assert.Equal(expected, other.Images[1].data<byte>().ToArray());
    }

    // The datasets' fingerprints computed with the code from before the Scenes style was added (commit 9276a82): the
    // default style must keep them, so that tensor caches (named after the fingerprint) stay valid. (Its images were
    // checked byte for byte against that commit when the style was added; a byte hash is not a test that passes on
    // every CPU, whose float rounding of the drawing may differ in the last bit.)
    public static TheoryData<DatasetSplit, int, int, string> DefaultStyleReferences => new()
    {
        { DatasetSplit.Train, 0, 96, "6102d762b5ae4fee53825f3f70612ff4713d1503da8787853c22bb2343455872" },
        { DatasetSplit.Unlabeled, 0, 96, "bda7a0183bc697b94c738228d55b82836f1421241e50864e577c3f1ebf4fd351" },
        { DatasetSplit.Test, 0, 96, "0b6f4433dad0cf550344befa5f93952f5f830ce6f317f3145f40ef4a4e6de091" },
    };

    [Theory]
    [MemberData(nameof(DefaultStyleReferences))]
    public void DefaultStyle_KeepsTheFingerprintOfBeforeStyles(DatasetSplit split, int seed, int size, string fingerprint)
    {
        var config = SyntheticShapesConfig.Default with { Seed = seed, ImageSize = size };
        Assert.Equal(SyntheticStyle.Shapes, config.Style);
        using var data = new SyntheticShapes(config, split);

        Assert.Equal(fingerprint, data.Fingerprint);
        Assert.Equal($"synthetic shapes {split.ToString().ToLowerInvariant()} (seed {seed})", data.Name);
    }

    [Fact]
    public void DefaultStyle_SmallImagesAndAnotherSeed_KeepTheFingerprintOfBeforeStyles()
    {
        using var data = new SyntheticShapes(Tiny with { ImageSize = 32 }, DatasetSplit.Train);

        Assert.Equal("b2221b9bcded174bf17638599cfedf0218b4c31fe476017409b997d0d0d43052", data.Fingerprint);
    }

    [Fact]
    public void ReadBatch_DifferentSeedsOrSplits_GiveDifferentImages()
    {
        using var a = new SyntheticShapes(Tiny, DatasetSplit.Train);
        using var b = new SyntheticShapes(Tiny with { Seed = 8 }, DatasetSplit.Train);
        using var c = new SyntheticShapes(Tiny, DatasetSplit.Test);
        using var ba = a.ReadBatch([4]);
        using var bb = b.ReadBatch([4]);
        using var bc = c.ReadBatch([4]);

        Assert.False(ba.Images.eq(bb.Images).all().item<bool>(), "seeds 7 and 8 drew the same image");
        Assert.False(ba.Images.eq(bc.Images).all().item<bool>(), "train and test drew the same image");
        Assert.NotEqual(a.Fingerprint, b.Fingerprint);
        Assert.NotEqual(a.Fingerprint, c.Fingerprint);
    }

    [Fact]
    public void Labels_TrainSplit_AreBalanced()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Train);
        using var batch = data.ReadBatch([.. Enumerable.Range(0, data.Count)]);
        var counts = batch.LabelArray().GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, counts.Count);
        Assert.All(counts.Values, n => Assert.Equal(4, n));
    }

    [Fact]
    public void Unlabeled_HasNoLabelsOrClasses_ButShapeOfIsKnown()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Unlabeled);
        using var batch = data.ReadBatch([1, 2]);
        Assert.False(data.HasLabels);
        Assert.Empty(data.Classes);
        Assert.Equal([-1L, -1], batch.LabelArray());
        Assert.Equal(2, data.ShapeOf(12));
        Assert.Equal(64, data.Count);
    }

    [Fact]
    public void Images_ObjectHueFollowsTheClass()
    {
        // The saturated pixels are the object's: their mean hue must sit near the class's hue (±12° jitter, plus
        // shading and gamut clipping), and differ between classes of different hue families.
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Test);
        using var batch = data.ReadBatch([.. Enumerable.Range(0, 20)]);
        using var lab = Lab.FromRgb(batch.Images);
        var labels = batch.LabelArray();
        for (var i = 0; i < labels.Length; i++)
        {
            using var scope = NewDisposeScope();
            var a = lab[i, 1];
            var b = lab[i, 2];
            var saturated = (a.square() + b.square()).sqrt().gt(28);
            Assert.True(saturated.sum().item<long>() > 100, $"image {i} has almost no saturated (object) pixels");
            var hue = Math.Atan2(b.masked_select(saturated).mean().item<float>(), a.masked_select(saturated).mean().item<float>());
            var expected = SyntheticShapes.HueOf((int)labels[i]) * Math.PI / 180;
            var difference = Math.Abs(Math.IEEERemainder(hue - expected, 2 * Math.PI)) * 180 / Math.PI;
            Assert.True(difference < 25, $"image {i} (class {labels[i]}): object hue {hue * 180 / Math.PI:F0}°, expected about {expected * 180 / Math.PI:F0}°");
        }
    }

    [Fact]
    public void HueFamilies_EachSharedByExactlyTwoClasses()
    {
        var families = Enumerable.Range(0, 10).GroupBy(SyntheticShapes.HueFamilyOf).ToList();
        Assert.Equal(5, families.Count);
        Assert.All(families, f => Assert.Equal(2, f.Count()));
    }

    [Fact]
    public void ReadBatch_IndexOutOfRange_ThrowsNamingIndices()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Test);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => data.ReadBatch([0, 30]));
        Assert.Equal("indices", e.ParamName);
        Assert.Contains("0..29", e.Message);
    }

    [Fact]
    public void ReadBatch_Empty_GivesAnEmptyBatch()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Test);
        using var batch = data.ReadBatch([]);
        Assert.Equal([0L, 3, 96, 96], batch.Images.shape);
    }

    [Fact]
    public void ReadBatch_DisposesItsTemporaries()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Train);
        TensorLeaks.AssertNone(() =>
        {
            using var scope = NewDisposeScope();
            using var batch = data.ReadBatch([0, 1, 2]);
        });
        TensorLeaks.AssertNone(() =>
        {
            using var batch = data.ReadBatch([0, 1, 2]);
        });
    }

    [Fact]
    public void Constructor_BadConfig_ThrowsNamingTheField()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticShapes(Tiny with { TrainCount = -1 }, DatasetSplit.Train));
        Assert.Equal("TrainCount", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticShapes(Tiny with { ImageSize = 8 }, DatasetSplit.Train));
        Assert.Equal("ImageSize", e.ParamName);
    }

    [Fact]
    public void ImageSize_OtherThan96_Works()
    {
        using var data = new SyntheticShapes(Tiny with { ImageSize = 32 }, DatasetSplit.Train);
        using var batch = data.ReadBatch([0, 1]);
        Assert.Equal([2L, 3, 32, 32], batch.Images.shape);
    }
}
