using SplitBrain.Color;
using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Tests.Models;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Evaluation;

[Collection(GlobalGeneratorCollection.Name)] // Scratch seeds torch's global generator
public class SplitBrainClassifierTests
{
    private static bool SameParameters(nn.Module a, nn.Module b) =>
        a.named_parameters().Zip(b.named_parameters()).All(p => p.First.name == p.Second.name
            && p.First.parameter.equal(p.Second.parameter).all().item<bool>());

    [Fact]
    public void Create_FineTune_CopiesThePretrainedWeightsWithoutSharingThem()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(pretrained, 10);

        Assert.True(SameParameters(pretrained, classifier.Backbone));
        using (no_grad())
            Assert.IsType<SplitBrainNet>(classifier.Backbone).F1.Blocks[0].Conv.weight!.add_(1);
        Assert.False(SameParameters(pretrained, classifier.Backbone)); // the pretrained network is untouched
    }

    [Fact]
    public void Create_AFullWidthNetwork_CopiesItsKind_AndPutsTheHeadOnFeaturesOfTheSplitWidth()
    {
        using var split = EvaluationData.SmallNet();
        using var pretrained = FullWidthNet.Create(ModelConfig.Small, NetworkInput.First, 1, 2, outputs: 313); // L -> ab cl
        using var classifier = SplitBrainClassifier.Create(pretrained, 10);
        using var reference = SplitBrainClassifier.Create(split, 10);
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 4);
        using var batch = shapes.ReadBatch([0, 1, 2, 3]);
        using var scope = NewDisposeScope();

        Assert.IsType<FullWidthNet>(classifier.Backbone);
        Assert.True(SameParameters(pretrained, classifier.Backbone));
        Assert.Equal(reference.HeadInputs, classifier.HeadInputs);
        Assert.Equal([4L, 10], classifier.call(batch.Images).shape);
    }

    [Fact]
    public void StateDict_BackbonePrefixedNormAndHead()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(pretrained, 10);
        var keys = classifier.state_dict().Keys.ToList();

        Assert.Equal(pretrained.state_dict().Keys.Select(k => "backbone." + k),
            keys.Where(k => k.StartsWith("backbone.", StringComparison.Ordinal)));
        Assert.Equal(["head.bias", "head.weight", "norm.num_batches_tracked", "norm.running_mean", "norm.running_var"],
            keys.Where(k => !k.StartsWith("backbone.", StringComparison.Ordinal)).Order());
        Assert.Equal(["backbone", "norm", "dropout", "head"], classifier.named_children().Select(c => c.name));
    }

    [Theory]
    [InlineData(1, 64)]      // Small conv5: 32 + 32 channels, global average
    [InlineData(2, 256)]     // a 2 x 2 grid
    public void Forward_Uint8Images_LogitsPerClass(int poolSide, int headInputs)
    {
        using var pretrained = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(pretrained, 7, ClassifierConfig.FineTune with { PoolSide = poolSide });
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 3);
        using var batch = shapes.ReadBatch([0, 1, 2]);

        using var logits = classifier.call(batch.Images);

        Assert.Equal([3L, 7], logits.shape);
        Assert.Equal(headInputs, classifier.HeadInputs);
    }

    [Fact]
    public void Logits_SameAsForwardFromImages()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.FineTune with { Layer = FeatureLayer.Fc7 });
        classifier.eval();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Test, 2);
        using var batch = shapes.ReadBatch([0, 1]);
        using var scope = NewDisposeScope();

        var (l, ab) = NetworkInputs.FromImages(batch.Images);

        TensorAssert.Close(classifier.Logits(l, ab), classifier.call(batch.Images), 1e-5, "logits"); // the same computation twice
        Assert.Equal(128, classifier.HeadInputs); // Small fc7: 64 + 64
    }

    [Fact]
    public void Create_FromAYCbCrNetwork_TakesYCbCrInputsFromImages()
    {
        using var targets = new TargetBuilder(split: ColorSplit.YCbCr);
        using var pretrained = SplitBrainNet.Create(ModelConfig.Small, targets.LightnessQuantizer, targets.AbQuantizer);
        pretrained.Split = ColorSplit.YCbCr;
        using var classifier = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.FineTune with { Layer = FeatureLayer.Fc7 });
        classifier.eval();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Test, 2);
        using var batch = shapes.ReadBatch([0, 1]);
        using var scope = NewDisposeScope();

        var (y, cbcr) = NetworkInputs.FromImages(batch.Images, ColorSplit.YCbCr);

        Assert.Equal(ColorSplit.YCbCr, classifier.Backbone.Split);
        TensorAssert.Close(classifier.call(batch.Images), classifier.Logits(y, cbcr), 1e-5, "logits from YCbCr inputs");
    }

    [Fact]
    public void Frozen_BackboneNotTrainableAndStaysInEvalMode()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.Frozen);

        classifier.train();

        Assert.All(classifier.BackboneParameters(), p => Assert.False(p.requires_grad));
        Assert.All(classifier.HeadParameters(), p => Assert.True(p.requires_grad));
        Assert.False(classifier.Backbone.training);
        Assert.True(classifier.training);
        Assert.Equal(64 * 10 + 10, ModelSummary.CountParameters(classifier)); // trainable: the head's alone
    }

    [Fact]
    public void Scratch_ReinitialisesTheBackboneReproducibly()
    {
        using var pretrained = EvaluationData.SmallNet();
        using (no_grad())
            foreach (var p in pretrained.parameters())
                p.fill_(0.5); // far from any initialisation

        using var a = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.Scratch, seed: 3);
        using var b = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.Scratch, seed: 3);

        Assert.False(SameParameters(pretrained, a.Backbone));
        Assert.True(SameParameters(a, b));
        var conv = Assert.IsType<SplitBrainNet>(a.Backbone).F1.Blocks[0].Conv.weight!;
        Assert.InRange(conv.std().item<float>(), 0.005f, 0.05f); // Kaiming fan-out for 48 x 11 x 11 is about 0.018
    }

    [Fact]
    public void Create_SameSeed_SameHeadInEveryMode()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var frozen = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.Frozen, seed: 9);
        using var tuned = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.FineTune, seed: 9);

        Assert.True(SameParameters(frozen.Head, tuned.Head));
        Assert.InRange(tuned.Head.weight!.std().item<float>(), 0.008f, 0.012f); // WeightInit.PredictionStd
    }

    [Fact]
    public void Create_BadConfig_ThrowsNamingTheField()
    {
        using var pretrained = EvaluationData.SmallNet();
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.FineTune with { Dropout = 1 }));
        Assert.Equal("Dropout", error.ParamName);
    }

    [Fact]
    public void Forward_LeavesOnlyTheLogits()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.Frozen);
        using var images = zeros([2, 3, 48, 48], ScalarType.Byte);
        TensorLeaks.AssertNone(() =>
        {
            using var logits = classifier.call(images);
        });
    }
}
