using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Tests.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Evaluation;

[Collection(GlobalGeneratorCollection.Name)]
public class PredictionTests
{
    [Fact]
    public void Predict_GivesOneClassPerImage_AndLeavesTheModeAsItWas()
    {
        using var data = EvaluationData.Shapes(DatasetSplit.Test, 6);
        using var network = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(network, 10, ClassifierConfig.FineTune);
        using var batch = data.ReadBatch([0, 1, 2, 3, 4, 5]);
        classifier.train();

        var first = classifier.Predict(batch.Images);
        var second = classifier.Predict(batch.Images);

        Assert.Equal(6, first.Length);
        Assert.All(first, c => Assert.InRange(c, 0, 9));
        Assert.Equal(first, second); // evaluation mode: no dropout, running BatchNorm statistics
        Assert.True(classifier.training);
    }

    [Fact]
    public void PredictionGrid_MarksWrongGuesses_WithTheTrueClass_AndCountsTheRightOnes()
    {
        using var data = EvaluationData.Shapes(DatasetSplit.Test, 10);
        using var network = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(network, 10, ClassifierConfig.FineTune);
        using (no_grad())
        {
            classifier.Head.weight!.zero_();   // every image gets the same logits: class 0 ("disc") for all
            classifier.Head.bias!.zero_();
            classifier.Head.bias![0] = 1;
        }

        var grid = PredictionGrid.Show(classifier, data, count: 10);

        var text = grid.ToHtml();
        Assert.Contains("1 of 10 right", text);                  // labels are index mod 10: only image 0 is a disc
        Assert.Contains("✗ disc (square)", text);
    }

    [Fact]
    public void PredictionGrid_OfUnlabeledImages_SaysWhy()
    {
        using var data = EvaluationData.Shapes(DatasetSplit.Unlabeled, 4);
        using var network = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(network, 10, ClassifierConfig.FineTune);

        Assert.Contains("no labels", Assert.Throws<ArgumentException>(() => PredictionGrid.Show(classifier, data)).Message);
    }

    [Fact]
    public void CreateLike_HasTheSameArchitecture_FreshWeights_ReproducibleBySeed()
    {
        manual_seed(1);
        using var network = EvaluationData.SmallNet();

        using var a = SplitBrainNet.CreateLike(network, seed: 7);
        using var b = SplitBrainNet.CreateLike(network, seed: 7);

        var shapes = network.parameters().Select(p => string.Join("x", p.shape)).ToList();
        Assert.Equal(shapes, a.parameters().Select(p => string.Join("x", p.shape)));
        Assert.All(a.parameters().Zip(b.parameters()), p => Assert.True(p.First.equal(p.Second).all().item<bool>()));
        Assert.Contains(a.parameters().Zip(network.parameters()), p => !p.First.equal(p.Second).all().item<bool>());
    }
}
