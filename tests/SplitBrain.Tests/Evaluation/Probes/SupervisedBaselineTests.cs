using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Tests.Models;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Evaluation;

[Collection(GlobalGeneratorCollection.Name)] // a scratch classifier seeds torch's global generator
public class SupervisedBaselineTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static bool Same(FeatureNetwork a, FeatureNetwork b, string key)
    {
        using var scope = NewDisposeScope();
        return a.state_dict()[key].equal(b.state_dict()[key]).all().item<bool>();
    }

    [Fact]
    public void Train_FreshWeightsTrainedUpToFc7_LikeUnchanged()
    {
        using var like = EvaluationData.SmallNet();
        using var train = EvaluationData.Shapes(DatasetSplit.Train, 20);
        using var test = EvaluationData.Shapes(DatasetSplit.Test, 10);
        using var likeBefore = RandomNetworks.Random(like, 99); // a copy to compare with: same architecture, other weights
        likeBefore.load_state_dict(like.state_dict());
        using var initial = RandomNetworks.Random(like, 1);     // the weights a scratch classifier of seed 1 starts from

        using var supervised = SupervisedBaseline.Train(like, train, steps: 3, seed: 1, ClassifierTrainingConfig.Fast, test, cancellationToken: Token);

        Assert.Equal(FeatureLayer.Fc7, supervised.Classifier.Config.Layer);
        Assert.Equal(ClassifierMode.Scratch, supervised.Classifier.Config.Mode);
        Assert.Equal(3, supervised.Result.Epochs.Count);           // 20 images in batches of 32: one step per epoch
        Assert.Equal(10, supervised.Result.Test!.Count);
        Assert.False(Same(supervised.Backbone, initial, "f1.fc7.conv.weight"), "fc7 trained with the head on it");
        Assert.False(Same(supervised.Backbone, initial, "f2.conv1.conv.weight"), "conv1 trained");
        Assert.True(Same(like, likeBefore, "f1.conv1.conv.weight"), "the network given is not changed");
    }

    [Fact]
    public void Train_HeadOnConv5_LeavesFc7AtItsInitialisation()
    {
        // Why the baseline's head sits on fc7: with chapter 05's conv5 head, fc6 and fc7 never train.
        using var like = EvaluationData.SmallNet();
        using var train = EvaluationData.Shapes(DatasetSplit.Train, 20);
        using var initial = RandomNetworks.Random(like, 2);

        using var supervised = SupervisedBaseline.Train(like, train, steps: 2, seed: 2, ClassifierTrainingConfig.Fast,
            classifier: ClassifierConfig.Scratch, cancellationToken: Token);

        Assert.True(Same(supervised.Backbone, initial, "f1.fc7.conv.weight"));
        Assert.False(Same(supervised.Backbone, initial, "f1.conv5.conv.weight"));
    }

    [Fact]
    public void Train_BadArguments_ThrowNamingThem()
    {
        using var like = EvaluationData.SmallNet();
        using var train = EvaluationData.Shapes(DatasetSplit.Train, 4);
        using var unlabeled = EvaluationData.Shapes(DatasetSplit.Unlabeled, 4);

        Assert.Equal("classifier", Assert.Throws<ArgumentException>(
            () => SupervisedBaseline.Train(like, train, 1, classifier: ClassifierConfig.Frozen, cancellationToken: Token)).ParamName);
        Assert.Equal("train", Assert.Throws<ArgumentException>(
            () => SupervisedBaseline.Train(like, unlabeled, 1, cancellationToken: Token)).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(
            () => SupervisedBaseline.Train(like, train, 0, cancellationToken: Token)).ParamName);
    }
}
