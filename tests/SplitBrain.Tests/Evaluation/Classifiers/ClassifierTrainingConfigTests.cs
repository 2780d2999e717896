using SplitBrain.Data;
using SplitBrain.Evaluation;

namespace SplitBrain.Tests.Evaluation;

public class FineTuneConfigTests
{
    [Fact]
    public void Presets_AreValid()
    {
        Assert.Equal(AugmentationConfig.Default, ClassifierTrainingConfig.Default.Validate().Augmentation);
        Assert.Null(ClassifierTrainingConfig.Fast.Validate().Augmentation);
        Assert.Equal(0.5, ClassifierTrainingConfig.Default.BackboneLearningRateMultiplier);
    }

    public static TheoryData<ClassifierTrainingConfig, string> Invalid => new()
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
    public void Validate_BadField_ThrowsNamingIt(ClassifierTrainingConfig config, string field) =>
        ConfigAssert.RejectsField(() => config.Validate(), nameof(ClassifierTrainingConfig), field);

    [Fact]
    public void Validate_BadAugmentation_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierTrainingConfig(Augmentation: new AugmentationConfig(Padding: 0)).Validate());

    [Fact]
    public void Validate_BadBudget_ThrowsNamingIt()
    {
        ConfigAssert.RejectsField(() => new ClassifierTrainingConfig(Steps: 0).Validate(), nameof(ClassifierTrainingConfig), "Steps");
        ConfigAssert.RejectsField(() => new ClassifierTrainingConfig(Minutes: 0).Validate(), nameof(ClassifierTrainingConfig), "Minutes");
        var both = Assert.Throws<ArgumentException>(() => new ClassifierTrainingConfig(Steps: 160, Minutes: 2).Validate());
        Assert.Contains("ClassifierTrainingConfig.Steps (160) and ClassifierTrainingConfig.Minutes (2) are both set", both.Message);
        Assert.Equal(160, new ClassifierTrainingConfig(Steps: 160).Validate().Steps);
    }

    [Theory]
    [InlineData(160, 100)]
    [InlineData(7, 128)]
    public void ForSteps_IsAStepBudget_TheSameWordsAsPretraining(int steps, int images)
    {
        var config = ClassifierTrainingConfig.Default with { BatchSize = 64, LearningRate = 0.01, Minutes = 3 };

        var forSteps = config.ForSteps(steps, images);

        Assert.Equal(config with { Steps = steps, Minutes = null }, forSteps);
        Assert.Equal(config.Epochs, forSteps.Epochs);
    }

    [Fact]
    public void ForSteps_NoStepsOrNoImages_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassifierTrainingConfig.Default.ForSteps(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassifierTrainingConfig.Default.ForSteps(10, 0));
    }

    [Fact]
    public void RunConfig_BudgetRoundTripsThroughJson()
    {
        var config = FineTuneRunConfig.Default with { Training = ClassifierTrainingConfig.Default with { Steps = 200 } };
        Assert.Equal(config, FineTuneRunConfig.FromJson(config.ToJson()));
        var minutes = FineTuneRunConfig.FromJson("""{ "Training": { "Minutes": 1.5 } }""");
        Assert.Equal(1.5, minutes.Training.Minutes);
        Assert.Null(minutes.Training.Steps);
        Assert.Equal(ClassifierTrainingConfig.Default.Epochs, minutes.Training.Epochs);
    }
}
