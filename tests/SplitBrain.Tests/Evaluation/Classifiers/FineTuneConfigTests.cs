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

    [Fact]
    public void Validate_BadBudget_ThrowsNamingIt()
    {
        ConfigAssert.RejectsField(() => new FineTuneConfig(Steps: 0).Validate(), nameof(FineTuneConfig), "Steps");
        ConfigAssert.RejectsField(() => new FineTuneConfig(Minutes: 0).Validate(), nameof(FineTuneConfig), "Minutes");
        var both = Assert.Throws<ArgumentException>(() => new FineTuneConfig(Steps: 160, Minutes: 2).Validate());
        Assert.Contains("FineTuneConfig.Steps (160) and FineTuneConfig.Minutes (2) are both set", both.Message);
        Assert.Equal(160, new FineTuneConfig(Steps: 160).Validate().Steps);
    }

    [Theory]
    [InlineData(160, 100)]
    [InlineData(7, 128)]
    public void ForSteps_IsAStepBudget_TheSameWordsAsPretraining(int steps, int images)
    {
        var config = FineTuneConfig.Default with { BatchSize = 64, LearningRate = 0.01, Minutes = 3 };

        var forSteps = config.ForSteps(steps, images);

        Assert.Equal(config with { Steps = steps, Minutes = null }, forSteps);
        Assert.Equal(config.Epochs, forSteps.Epochs);
    }

    [Fact]
    public void ForSteps_NoStepsOrNoImages_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FineTuneConfig.Default.ForSteps(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => FineTuneConfig.Default.ForSteps(10, 0));
    }

    [Fact]
    public void RunConfig_BudgetRoundTripsThroughJson()
    {
        var config = FineTuneRunConfig.Default with { Training = FineTuneConfig.Default with { Steps = 200 } };
        Assert.Equal(config, FineTuneRunConfig.FromJson(config.ToJson()));
        var minutes = FineTuneRunConfig.FromJson("""{ "Training": { "Minutes": 1.5 } }""");
        Assert.Equal(1.5, minutes.Training.Minutes);
        Assert.Null(minutes.Training.Steps);
        Assert.Equal(FineTuneConfig.Default.Epochs, minutes.Training.Epochs);
    }
}
