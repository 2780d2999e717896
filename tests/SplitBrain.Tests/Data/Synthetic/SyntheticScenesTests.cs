using SplitBrain.Color;
using SplitBrain.Data;
using SplitBrain.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Data;

/// <summary>The harder <see cref="SyntheticStyle.Scenes"/> style of <see cref="SyntheticShapes"/>.</summary>
public sealed class SyntheticScenesTests
{
    private static readonly SyntheticShapesConfig Tiny =
        new(UnlabeledCount: 64, TrainCount: 40, TestCount: 30, Seed: 7, Style: SyntheticStyle.Scenes);

    [Fact]
    public void ReadBatch_Train_GivesUint8ImagesAndLabelsIndexModTen()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Train);
        using var batch = data.ReadBatch([0, 13, 39]);

        Assert.Equal(ScalarType.Byte, batch.Images.dtype);
        Assert.Equal([3L, 3, 96, 96], batch.Images.shape);
        Assert.Equal([0L, 3, 9], batch.LabelArray());
        Assert.Equal(10, data.Classes.Count);
        Assert.Equal("synthetic scenes train (seed 7)", data.Name);
    }

    [Fact]
    public void Labels_AreBalancedAndInRange()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Train);
        using var batch = data.ReadBatch([.. Enumerable.Range(0, data.Count)]);
        var labels = batch.LabelArray();

        Assert.All(labels, l => Assert.InRange(l, 0, 9));
        var counts = labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, counts.Count);
        Assert.All(counts.Values, n => Assert.Equal(4, n));
    }

    [Fact]
    public void Scenes_DifferFromShapes_AndBetweenSeedsAndSplits_InImagesAndFingerprints()
    {
        using var scenes = new SyntheticShapes(Tiny, DatasetSplit.Train);
        using var shapes = new SyntheticShapes(Tiny with { Style = SyntheticStyle.Shapes }, DatasetSplit.Train);
        using var seed = new SyntheticShapes(Tiny with { Seed = 8 }, DatasetSplit.Train);
        using var test = new SyntheticShapes(Tiny, DatasetSplit.Test);
        using var a = scenes.ReadBatch([4]);
        using var b = shapes.ReadBatch([4]);
        using var c = seed.ReadBatch([4]);
        using var d = test.ReadBatch([4]);

        Assert.False(a.Images.eq(b.Images).all().item<bool>(), "the two styles drew the same image");
        Assert.False(a.Images.eq(c.Images).all().item<bool>(), "seeds 7 and 8 drew the same scene");
        Assert.False(a.Images.eq(d.Images).all().item<bool>(), "train and test drew the same scene");
        Assert.Equal(4, new[] { scenes.Fingerprint, shapes.Fingerprint, seed.Fingerprint, test.Fingerprint }.Distinct().Count());
        Assert.Equal(scenes.Fingerprint, new SyntheticShapes(Tiny, DatasetSplit.Train).Fingerprint);
    }

    [Fact]
    public void ClassObject_IsDrawn_OverMuchOfItsArea()
    {
        // Each scene against the same scene with its class object moved out of the image: the pixels that change are
        // the object's, less what a distractor in front hides. At least a third of the object's radius squared must
        // change (a disc covers 2.5 r², the thinnest shape, the bar, 1.3 r²).
        const int size = 96;
        var indices = Enumerable.Range(0, 60).ToArray();
        var scenes = indices.Select(i => SceneParameters.Draw(3, DatasetSplit.Train, i, i % 10, size)).ToArray();
        var empty = indices.Select(i => SceneParameters.Draw(3, DatasetSplit.Train, i, i % 10, size)).ToArray();
        foreach (var scene in empty)
        {
            scene.Objects[0].CenterX = -10 * size;
        }

        using var scope = NewDisposeScope();
        var with = SceneRenderer.Render(scenes, size).to_type(ScalarType.Int32);
        var without = SceneRenderer.Render(empty, size).to_type(ScalarType.Int32);
        var changed = (with - without).abs().sum(1).gt(6).sum([1, 2]).data<long>().ToArray();
        for (var i = 0; i < indices.Length; i++)
        {
            var radius = scenes[i].Objects[0].Radius;
            Assert.True(changed[i] > radius * radius / 3,
                $"scene {i} (class {i % 10}): only {changed[i]} pixels change with its class object (radius {radius:F1} px)");
        }
    }

    [Fact]
    public void Draw_HueIsAWeakCue_TextureAStrongOne_DistractorsSmallerAndOfOtherShapes()
    {
        const int count = 2000;
        int preferredHue = 0, classTexture = 0, distractors = 0;
        for (var i = 0; i < count; i++)
        {
            var label = i % 10;
            var scene = SceneParameters.Draw(0, DatasetSplit.Unlabeled, i, label, 96);
            var target = scene.Objects[0];
            Assert.Equal(label, target.Shape);
            var hue = target.Hue * 180 / Math.PI;
            preferredHue += Math.Abs(Math.IEEERemainder(hue - SyntheticShapes.HueOf(label), 360)) <= 12.5 ? 1 : 0;
            classTexture += SceneParameters.TextureNames[target.Texture] == SyntheticShapes.TextureOf(label) ? 1 : 0;

            var others = scene.Objects.Skip(1).Where(o => o.Shape >= 0).ToList();
            Assert.InRange(others.Count, 1, SceneParameters.MaxDistractors);
            Assert.All(others, o =>
            {
                Assert.NotEqual(label, o.Shape);
                Assert.InRange(o.Shape, 0, SceneParameters.ShapeCount - 1);
                Assert.True(o.Radius < target.Radius, $"scene {i}: a distractor of radius {o.Radius:F1} beside a class object of {target.Radius:F1}");
            });
            distractors += others.Count;
        }

        // Expected: 30% + 70% x 25/360 = 35% within the family's ±12.5°; 75% + 25% / 5 = 80% wearing the class's texture.
        Assert.InRange(preferredHue / (double)count, 0.30, 0.40);
        Assert.InRange(classTexture / (double)count, 0.76, 0.84);
        Assert.InRange(distractors / (double)count, 1.9, 2.1);
    }

    [Fact]
    public void Draw_BackgroundLightnessIsApartFromTheObjects()
    {
        for (var i = 0; i < 500; i++)
        {
            var scene = SceneParameters.Draw(1, DatasetSplit.Train, i, i % 10, 96);
            var gap = Math.Abs(scene.Lightness - scene.Objects[0].Lightness);
            Assert.True(gap >= 10 || scene.Lightness is 14 or 92, $"scene {i}: background L {scene.Lightness:F1}, object L {scene.Objects[0].Lightness:F1}");
        }
    }

    [Theory]
    [InlineData(25, 35, 62)]    // the red family's hue and range
    [InlineData(300, 26, 52)]   // violet
    [InlineData(55, 49.5, 74)]  // halfway between red (25) and yellow (85)
    [InlineData(342.5, 30.5, 57)] // halfway between violet (300) and red (25, i.e. 385)
    public void LightnessRange_InterpolatesTheHueFamiliesAroundTheCircle(double hue, double low, double high)
    {
        var (l, h) = SceneParameters.LightnessRange(hue);
        Assert.Equal(low, l, 1e-9);
        Assert.Equal(high, h, 1e-9);
        Assert.Equal((l, h), SceneParameters.LightnessRange(hue - 360));
    }

    [Fact]
    public void Images_ClassObjectHueFollowsTheClassOnlySometimes()
    {
        // The hue of the class object's own pixels (those that change when it is removed): in the Shapes style always
        // within 25° of the class's hue (SyntheticShapesTests), here in only a minority of scenes.
        const int size = 96;
        var scenes = Enumerable.Range(0, 40).Select(i => SceneParameters.Draw(5, DatasetSplit.Test, i, i % 10, size)).ToArray();
        var hues = scenes.Select(s => s.Objects[0].Hue).ToArray();
        using var scope = NewDisposeScope();
        using var lab = Lab.FromRgb(SceneRenderer.Render(scenes, size));
        var near = 0;
        for (var i = 0; i < scenes.Length; i++)
        {
            var o = scenes[i].Objects[0];
            var (cx, cy) = ((int)o.CenterX, (int)o.CenterY);
            // The mean ab over a small square at the centre, inside every shape but the ring and the crescent.
            var a = lab[i, 1, TensorIndex.Slice(cy - 2, cy + 3), TensorIndex.Slice(cx - 2, cx + 3)].mean().item<float>();
            var b = lab[i, 2, TensorIndex.Slice(cy - 2, cy + 3), TensorIndex.Slice(cx - 2, cx + 3)].mean().item<float>();
            var hue = Math.Atan2(b, a) * 180 / Math.PI;
            near += Math.Abs(Math.IEEERemainder(hue - SyntheticShapes.HueOf(i % 10), 360)) < 25 ? 1 : 0;
        }

        Assert.InRange(near, 2, 24);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    public void ImageSize_OtherThan96_Works(int size)
    {
        using var data = new SyntheticShapes(Tiny with { ImageSize = size }, DatasetSplit.Train);
        using var batch = data.ReadBatch([0, 1, 2, 3]);
        Assert.Equal([4L, 3, size, size], batch.Images.shape);
        Assert.True(batch.Images.@float().std().item<float>() > 5, "the images are (almost) flat");
    }

    [Fact]
    public void DistractorWindow_HoldsTheLargestDistractor()
    {
        foreach (var size in new[] { 16, 32, 96, 200 })
        {
            var reach = 0.16 * size * Math.Exp(0.3) * 1.05 + 1;   // radius x aspect x the shapes' reach, plus the edge
            var window = SceneRenderer.DistractorWindow(size);
            Assert.True(window == size || window >= 2 * reach, $"size {size}: window {window} for a reach of {reach:F1}");
        }
    }

    [Fact]
    public void ReadBatch_DisposesItsTemporaries()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Train);
        TensorLeaks.AssertNone(() =>
        {
            using var batch = data.ReadBatch([0, 1, 2, 3, 4, 5, 6, 7]);
        });
    }
}
