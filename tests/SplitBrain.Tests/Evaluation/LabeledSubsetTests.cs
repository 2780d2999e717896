using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Tests.Data;
using SplitBrain.Tests.Support;

namespace SplitBrain.Tests.Evaluation;

public class LabeledSubsetTests
{
    private static readonly string[] Names = ["a", "b", "c"];

    // 30 items: class i % 3, except that class c (2) has only 4 items (the others of its positions are relabeled a).
    private static long[] Labels() =>
        [.. Enumerable.Range(0, 30).Select(i => i % 3 == 2 && i >= 12 ? 0L : i % 3)];

    [Fact]
    public void ChooseIndices_KPerClassAscending()
    {
        var labels = Labels();
        var chosen = LabeledSubset.ChooseIndices(labels, Names, 3, seed: 7);

        Assert.Equal(9, chosen.Length);
        Assert.Equal(chosen.Order(), chosen);
        Assert.All(new[] { 0L, 1, 2 }, c => Assert.Equal(3, chosen.Count(i => labels[i] == c)));
    }

    [Fact]
    public void ChooseIndices_SameSeedSameChoiceOtherSeedOther()
    {
        var labels = Labels();

        Assert.Equal(LabeledSubset.ChooseIndices(labels, Names, 3, 1), LabeledSubset.ChooseIndices(labels, Names, 3, 1));
        Assert.NotEqual(LabeledSubset.ChooseIndices(labels, Names, 3, 1), LabeledSubset.ChooseIndices(labels, Names, 3, 2));
    }

    [Fact]
    public void ChooseIndices_SmallerKIsNestedInLarger()
    {
        var labels = Labels();
        var small = LabeledSubset.ChooseIndices(labels, Names, 2, 5);
        var large = LabeledSubset.ChooseIndices(labels, Names, 4, 5);

        Assert.Subset(large.ToHashSet(), small.ToHashSet());
    }

    [Fact]
    public void ChooseIndices_All_TakesEverything() =>
        Assert.Equal(Enumerable.Range(0, 30), LabeledSubset.ChooseIndices(Labels(), Names, LabeledSubset.All, 0));

    [Fact]
    public void ChooseIndices_ClassTooSmall_SaysWhichAndHowMany()
    {
        var error = Assert.Throws<ArgumentException>(() => LabeledSubset.ChooseIndices(Labels(), Names, 5, 0));

        Assert.Equal("perClass", error.ParamName);
        Assert.StartsWith("Class 2 ('c') has 4 examples, fewer than the 5 per class asked for.", error.Message);
    }

    [Fact]
    public void ChooseIndices_LabelOutOfRange_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => LabeledSubset.ChooseIndices([0, 3], Names, 1, 0));
        Assert.Contains("labels[1] = 3", error.Message);
    }

    [Fact]
    public void PerClass_Shapes_ReadsTheChosenImagesWithSubsetIndices()
    {
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 40);
        var subset = LabeledSubset.PerClass(shapes, 2, seed: 3);

        Assert.Equal(20, subset.Count);
        Assert.Equal(shapes.Classes, subset.Classes);
        Assert.Contains("2 per class, seed 3", subset.Name);
        using var batch = subset.ReadBatch([0, 19, 5]);
        using var direct = shapes.ReadBatch([subset.Indices[0], subset.Indices[19], subset.Indices[5]]);
        Assert.Equal([0, 19, 5], batch.Indices);
        using (var same = batch.Images.equal(direct.Images))
        using (var all = same.all())
            Assert.True(all.item<bool>());
        Assert.Equal(direct.LabelArray(), batch.LabelArray());
        Assert.Equal(Enumerable.Range(0, 10).SelectMany(c => new long[] { c, c }).Order(),
            LabeledSubset.ReadLabels(subset).Order());
    }

    [Fact]
    public void ReadLabels_DatasetWithoutShortcut_ReadsBatches()
    {
        using var shapes = EvaluationData.Shapes(DatasetSplit.Test, 12);
        var wrapped = new FailingDataset(shapes, failOnCall: int.MaxValue); // a dataset the shortcut does not know

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)(i % 10)), LabeledSubset.ReadLabels(wrapped));
    }

    [Fact]
    public void PerClass_UnlabeledDataset_Throws()
    {
        using var shapes = EvaluationData.Shapes(DatasetSplit.Unlabeled, 10);
        var error = Assert.Throws<ArgumentException>(() => LabeledSubset.PerClass(shapes, 1));
        Assert.Contains("no labels", error.Message);
    }

    [Fact]
    public void Constructor_RepeatedIndex_Throws()
    {
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 10);
        var error = Assert.Throws<ArgumentException>(() => new LabeledSubset(shapes, [1, 2, 1]));
        Assert.Contains("indices[2] = 1 is repeated", error.Message);
    }

    [Fact]
    public void Fingerprint_DependsOnTheIndices()
    {
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 10);

        Assert.Equal(new LabeledSubset(shapes, [1, 2]).Fingerprint, new LabeledSubset(shapes, [1, 2]).Fingerprint);
        Assert.NotEqual(new LabeledSubset(shapes, [1, 2]).Fingerprint, new LabeledSubset(shapes, [1, 3]).Fingerprint);
    }

    [Fact]
    public void ReadBatch_LeavesNoTensorsBehind() => TensorLeaks.AssertNone(() =>
    {
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 10);
        using var batch = new LabeledSubset(shapes, [4, 2]).ReadBatch([1]);
    });
}
