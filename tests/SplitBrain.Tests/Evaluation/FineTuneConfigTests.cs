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
}
