using System.Text.Json.Nodes;
using SplitBrain.Course;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Tests.Course;

/// <summary>The knob records of chapters 05 and 06.</summary>
public class ChapterKnobsTests
{
    [Theory]
    [InlineData(0, 240, "BatchNormImages")]
    [InlineData(100, 0, "SupervisedSteps")]
    public void EvaluationKnobs_OutOfRange_NameTheKnob(int batchNormImages, int steps, string knob)
    {
        var knobs = new EvaluationChapterConfig(BatchNormImages: batchNormImages, SupervisedSteps: steps);

        Assert.Equal(knob, Assert.Throws<ArgumentException>(knobs.Validate).ParamName);
    }

    [Fact]
    public void RunConfig_OfTheFineTuningKnobs_NamesThePretrainingRun_AndTrainsForTheSteps()
    {
        var knobs = new FineTuningChapterConfig(PretrainRun: "pretrain-20", Steps: 160, Layer: FeatureLayer.Fc7, Seed: 2);

        var config = knobs.RunConfig(ClassifierConfig.Frozen, perClass: 10, classes: 10, evaluateEveryEpoch: true);

        Assert.Equal("pretrain-20", config.Pretrained);
        Assert.Equal(ClassifierMode.Frozen, config.Classifier.Mode);
        Assert.Equal(FeatureLayer.Fc7, config.Classifier.Layer);
        Assert.Equal(10, config.TrainPerClass);
        Assert.Equal(160, config.Training.Steps);                  // a step budget: 100 images are 2 batches of 64, 80 epochs
        Assert.True(config.Training.EvaluateEveryEpoch);
        Assert.Equal(2, config.SubsetSeed);
        config.Validate();
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[0, 10]")]
    [InlineData("[30, 10]")]
    public void FineTuningKnobs_BadBudgets_NameTheKnob(string budgets)
    {
        var knobs = new FineTuningChapterConfig(LabelsPerClass: JsonNode.Parse(budgets)!.AsArray().Select(n => (int)n!).ToArray());

        Assert.Equal(nameof(FineTuningChapterConfig.LabelsPerClass), Assert.Throws<ArgumentException>(knobs.Validate).ParamName);
    }
}
