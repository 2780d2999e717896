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
    // The dotted keys whose values differ, as the runs registry finds them.
    private static IEnumerable<string> Differences(PretrainConfig a, PretrainConfig b) =>
        FlatJson.DifferingKeys([.. new[] { a, b }.Select(c => (IReadOnlyDictionary<string, JsonNode?>)FlatJson.Flatten(JsonNode.Parse(c.ToJson())).ToDictionary())]);

    [Fact]
    public void Ablations_AreAShortBaseline_AndFourRuns_EachChangingOneSettingOfIt()
    {
        var knobs = new EvaluationKnobs(AblationEpochs: 2, AblationImages: 500);

        var ablations = knobs.Ablations();

        var baseline = ablations[0].Config;
        Assert.Equal(2, baseline.Epochs);
        Assert.Equal(500, baseline.Data.MaxImages);
        Assert.Equal(["ablation-baseline", "ablation-soft", "ablation-no-rebalance", "ablation-l20", "ablation-no-batchnorm"], ablations.Select(a => a.Run));
        Assert.Equal(
            [[], ["Targets.Soft"], ["Rebalance"], ["Targets.LightnessBins"], ["Model.BatchNorm"]],
            ablations.Select(a => Differences(baseline, a.Config).ToArray()));
        Assert.All(ablations, a => a.Config.Validate());
    }

    [Theory]
    [InlineData(0, 100, 240, "AblationEpochs")]
    [InlineData(1, -1, 240, "AblationImages")]
    [InlineData(1, 100, 0, "SupervisedSteps")]
    public void EvaluationKnobs_OutOfRange_NameTheKnob(int epochs, int images, int steps, string knob)
    {
        var knobs = new EvaluationKnobs(AblationEpochs: epochs, AblationImages: images, SupervisedSteps: steps);

        Assert.Equal(knob, Assert.Throws<ArgumentException>(knobs.Validate).ParamName);
    }

    [Fact]
    public void SupervisedTraining_HasAsManyEpochsAsMakeTheSteps()
    {
        var knobs = new EvaluationKnobs(SupervisedSteps: 100, Seed: 4);

        var training = knobs.SupervisedTraining(images: 1000); // 16 batches of 64

        Assert.Equal(7, training.Epochs);
        Assert.Equal(4, training.Seed);
    }

    [Fact]
    public void RunConfig_OfTheFineTuningKnobs_NamesThePretrainingRun_AndTrainsForTheSteps()
    {
        var knobs = new FineTuningKnobs(PretrainRun: "pretrain-20", Steps: 160, Layer: FeatureLayer.Fc7, Seed: 2);

        var config = knobs.RunConfig(ClassifierConfig.Frozen, perClass: 10, classes: 10, evaluateEveryEpoch: true);

        Assert.Equal("pretrain-20", config.Pretrained);
        Assert.Equal(ClassifierMode.Frozen, config.Classifier.Mode);
        Assert.Equal(FeatureLayer.Fc7, config.Classifier.Layer);
        Assert.Equal(10, config.TrainPerClass);
        Assert.Equal(80, config.Training.Epochs);                  // 100 images are 2 batches of 64: 80 epochs make 160 steps
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
        var knobs = new FineTuningKnobs(LabelsPerClass: JsonNode.Parse(budgets)!.AsArray().Select(n => (int)n!).ToArray());

        Assert.Equal(nameof(FineTuningKnobs.LabelsPerClass), Assert.Throws<ArgumentException>(knobs.Validate).ParamName);
    }
}
