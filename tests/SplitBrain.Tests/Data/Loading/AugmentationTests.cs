using SplitBrain.Data;
using SplitBrain.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Data;

public sealed class AugmentationTests
{
    [Fact]
    public void Apply_Uint8AndFloat_KeepShapeDtypeAndDevice()
    {
        using var bytes = Images(4, 16);
        using var floats = TestTensors.Uniform(-1, 1, 3, 4, 2, 16, 16);
        foreach (var config in new[] { AugmentationConfig.Default, AugmentationConfig.ResizedCrops, AugmentationConfig.None })
        {
            using var augmentation = new Augmentation(config, seed: 1);
            using var a = augmentation.Apply(bytes);
            using var b = augmentation.Apply(floats);
            Assert.Equal(bytes.shape, a.shape);
            Assert.Equal(ScalarType.Byte, a.dtype);
            Assert.Equal(floats.shape, b.shape);
            Assert.Equal(ScalarType.Float32, b.dtype);
            Assert.Equal(DeviceType.CPU, a.device_type);
        }
    }

    [Fact]
    public void Apply_SameSeed_SameResult_OtherSeedDiffers()
    {
        using var images = Images(8, 16);
        foreach (var config in new[] { AugmentationConfig.Default, AugmentationConfig.ResizedCrops })
        {
            using var first = new Augmentation(config, seed: 5);
            using var second = new Augmentation(config, seed: 5);
            using var third = new Augmentation(config, seed: 6);
            using var a = first.Apply(images);
            using var b = second.Apply(images);
            using var c = third.Apply(images);
            Assert.True(Same(a, b), $"{config.Crop}: same seed, different result");
            Assert.False(Same(a, c), $"{config.Crop}: seeds 5 and 6 gave the same result");
            using var again = first.Apply(images);
            Assert.False(Same(a, again), $"{config.Crop}: the second call repeated the first");
        }
    }

    [Fact]
    public void SetRandomState_ContinuesExactlyWhereTheSavedOneWas()
    {
        using var images = Images(8, 16);
        using var original = new Augmentation(AugmentationConfig.ResizedCrops, seed: 5);
        using var first = original.Apply(images);
        var saved = original.GetRandomState();
        using var expected = original.Apply(images);

        using var restored = new Augmentation(AugmentationConfig.ResizedCrops, seed: 77);
        restored.SetRandomState(saved);
        using var got = restored.Apply(images);

        Assert.True(Same(expected, got));
        Assert.False(Same(first, got));
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => restored.SetRandomState([1, 2, 3])).ParamName);
    }

    [Fact]
    public void Apply_None_ReturnsAnEqualCopy()
    {
        using var images = Images(2, 8);
        using var augmentation = new Augmentation(AugmentationConfig.None);
        using var result = augmentation.Apply(images);
        Assert.True(Same(result, images));
        Assert.NotEqual(images.Handle, result.Handle);
    }

    [Fact]
    public void Apply_FlipOnly_GivesEachImageOrItsMirror_BothOccur()
    {
        using var images = Images(32, 8);
        using var augmentation = new Augmentation(new AugmentationConfig(Crop: CropMode.None), seed: 2);
        using var result = augmentation.Apply(images);
        var flipped = 0;
        for (var i = 0; i < 32; i++)
        {
            using var original = images[i];
            using var mirror = original.flip(2);
            using var got = result[i];
            var same = Same(got, original);
            Assert.True(same || Same(got, mirror), $"image {i} is neither itself nor its mirror");
            flipped += same ? 0 : 1;
        }

        Assert.InRange(flipped, 6, 26);
    }

    [Fact]
    public void Apply_PadAndCrop_EachImageIsAWindowOfTheMirrorPaddedImage()
    {
        const int padding = 2;
        using var images = Images(6, 10);
        using var augmentation = new Augmentation(new AugmentationConfig(Padding: padding, HorizontalFlip: false), seed: 3);
        using var result = augmentation.Apply(images);
        using var padded = nn.functional.pad(images, [padding, padding, padding, padding], PaddingModes.Reflect);
        var shifts = new HashSet<(int, int)>();
        for (var i = 0; i < 6; i++)
        {
            using var got = result[i];
            var match = Enumerable.Range(0, 2 * padding + 1)
                .SelectMany(y => Enumerable.Range(0, 2 * padding + 1).Select(x => (y, x)))
                .Where(o =>
                {
                    using var window = padded[i, TensorIndex.Colon, TensorIndex.Slice(o.y, o.y + 10), TensorIndex.Slice(o.x, o.x + 10)];
                    return Same(window, got);
                }).ToList();
            Assert.NotEmpty(match);
            shifts.Add(match[0]);
        }

        Assert.True(shifts.Count > 1, "every image got the same shift");
    }

    [Fact]
    public void Apply_ResizedCropOfTheWholeImage_IsTheIdentity()
    {
        using var images = Images(3, 12);
        using var augmentation = new Augmentation(new AugmentationConfig(Crop: CropMode.ResizedCrop, MinScale: 1, MaxAspectRatio: 1, HorizontalFlip: false));
        using var result = augmentation.Apply(images);
        Assert.True(Same(result, images));
    }

    [Fact]
    public void Apply_LeaksNoTensors()
    {
        using var images = Images(4, 16);
        foreach (var config in new[] { AugmentationConfig.Default, AugmentationConfig.ResizedCrops })
        {
            using var augmentation = new Augmentation(config);
            TensorLeaks.AssertNone(() =>
            {
                using var result = augmentation.Apply(images);
            });
        }
    }

    [Fact]
    public void Apply_WrongRankOrDtype_ThrowsNamingImages()
    {
        using var augmentation = new Augmentation();
        using var single = zeros(3, 16, 16, ScalarType.Byte);
        using var integers = zeros(1, 3, 16, 16, ScalarType.Int32);
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => augmentation.Apply(single)).ParamName);
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => augmentation.Apply(integers)).ParamName);
    }

    [Fact]
    public void Config_BadValues_ThrowNamingTheField()
    {
        Assert.Equal("Padding", Assert.Throws<ArgumentOutOfRangeException>(() => new Augmentation(new AugmentationConfig(Padding: 0))).ParamName);
        Assert.Equal("MinScale", Assert.Throws<ArgumentOutOfRangeException>(() => new Augmentation(new AugmentationConfig(MinScale: 0))).ParamName);
        Assert.Equal("MaxAspectRatio", Assert.Throws<ArgumentOutOfRangeException>(() => new Augmentation(new AugmentationConfig(MaxAspectRatio: 0.5))).ParamName);
    }

    private static bool Same(Tensor a, Tensor b)
    {
        using var equal = a.eq(b);
        using var all = equal.all();
        return a.shape.SequenceEqual(b.shape) && all.item<bool>();
    }

    // Distinct pixel values everywhere, so a wrong window or flip cannot match by accident.
    private static Tensor Images(int count, int size)
    {
        using var scope = NewDisposeScope();
        return TestTensors.Uniform(0, 256, 17, count, 3, size, size).floor_().to_type(ScalarType.Byte).MoveToOuterDisposeScope();
    }
}
