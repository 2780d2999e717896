using SplitBrain.Data;
using SplitBrain.Evaluation;

namespace SplitBrain.Tests.Evaluation;

public class FineTuneConfigTests
{
    [Fact]
    public void Presets_AreValid()
    {
        Assert.Equal(AugmentationConfig.Default, FineTuneConfig.Default.Validate().Augmentation);
        Assert.Null(FineTuneConfig.Fast.Validate().Augmentation);
        Assert.Equal(0.5, FineTuneConfig.Default.BackboneLearningRateMultiplier);
    }

    public static TheoryData<FineTuneConfig, string> Invalid => new()
    {
        { new(Epochs: 0), "Epochs" },
        { new(BatchSize: 1), "BatchSize" },
        { new(LearningRate: -1), "LearningRate" },
        { new(BackboneLearningRateMultiplier: 0), "BackboneLearningRateMultiplier" },
        { new(BackboneLearningRateMultiplier: 1.5), "BackboneLearningRateMultiplier" },
        { new(WeightDecay: double.PositiveInfinity), "WeightDecay" },
        { new(Seed: -1), "Seed" },
        { new(EvaluationBatchSize: 0), "EvaluationBatchSize" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_BadField_ThrowsNamingIt(FineTuneConfig config, string field) =>
        ConfigAssert.RejectsField(() => config.Validate(), nameof(FineTuneConfig), field);

    [Fact]
    public void Validate_BadAugmentation_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FineTuneConfig(Augmentation: new AugmentationConfig(Padding: 0)).Validate());

    [Theory]
    [InlineData(160, 100, 64, 80)]   // 2 batches an epoch
    [InlineData(160, 1000, 64, 10)]  // 16 batches
    [InlineData(5, 10, 64, 5)]       // one short batch
    [InlineData(7, 128, 64, 4)]      // rounded up: at least the steps asked for
    public void ForSteps_HasTheEpochsThatMakeTheSteps(int steps, int images, int batchSize, int epochs)
    {
        var config = FineTuneConfig.Default with { BatchSize = batchSize, LearningRate = 0.01 };

        var forSteps = config.ForSteps(steps, images);

        Assert.Equal(epochs, forSteps.Epochs);
        Assert.Equal(config with { Epochs = epochs }, forSteps);
    }

    [Fact]
    public void ForSteps_NoStepsOrNoImages_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FineTuneConfig.Default.ForSteps(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => FineTuneConfig.Default.ForSteps(10, 0));
    }
}
