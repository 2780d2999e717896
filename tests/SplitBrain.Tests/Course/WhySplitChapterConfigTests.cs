using SplitBrain.Course;
using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Training.Objectives;

namespace SplitBrain.Tests.Course;

/// <summary>The knobs of chapter 08 (why split the brain?).</summary>
public class WhySplitKnobsTests
{
    private const string StandIn = "why-split-knobs-stand-in";   // a toy name: registering the real names could clash with their tests

    public WhySplitKnobsTests() => PretrainObjectives.Register(StandIn, () => throw new NotSupportedException("a stand-in, never trained"));

    [Fact]
    public void Defaults_AreThePapersRowsOverThreeSeedsAtConv1ToConv5_OnShapesAndScenes()
    {
        var knobs = new WhySplitChapterConfig();

        Assert.Equal(WhySplitChapterConfig.PaperRows, knobs.Objectives);
        Assert.Equal(PretrainObjectives.Default, knobs.Objectives[0]);
        Assert.Equal(10, knobs.Objectives.Length);
        Assert.Equal([0, 1, 2], knobs.Seeds);
        Assert.Equal([FeatureLayer.Conv1, FeatureLayer.Conv2, FeatureLayer.Conv3, FeatureLayer.Conv4, FeatureLayer.Conv5], knobs.Layers);
        Assert.Equal([SyntheticStyle.Shapes, SyntheticStyle.Scenes], knobs.Styles);
        Assert.True(knobs.BudgetSteps.Length >= 4);
        Assert.Contains(knobs.Steps, knobs.BudgetSteps);          // the study's runs are one point of the budget axis
        knobs.Validate();
    }

    [Fact]
    public void Chosen_KeepsTheRegisteredNamesInOrder_MissingListsTheOthers()
    {
        var knobs = new WhySplitChapterConfig(Objectives: [StandIn, "no-such-objective-here", PretrainObjectives.Default],
            BudgetObjectives: [PretrainObjectives.Default, "another-missing-one"]);

        Assert.Equal([StandIn, PretrainObjectives.Default], knobs.Chosen());
        Assert.Equal([PretrainObjectives.Default], knobs.ChosenForBudgets());
        Assert.Equal(["no-such-objective-here", "another-missing-one"], knobs.Missing());
    }

    [Fact]
    public void Validate_NoRegisteredObjective_NamesTheFieldAndTheObjectivesThatExist()
    {
        var error = Assert.Throws<ArgumentException>(() => new WhySplitChapterConfig(Objectives: ["nothing-like-this"]).Validate());

        Assert.Equal("Objectives", error.ParamName);
        Assert.Contains(PretrainObjectives.Default, error.Message);
        Assert.Equal("BudgetSteps", Assert.Throws<ArgumentException>(() => new WhySplitChapterConfig(BudgetSteps: [0, 10]).Validate()).ParamName);
        Assert.Equal("Seeds", Assert.Throws<ArgumentException>(() => new WhySplitChapterConfig(Seeds: [1, 1]).Validate()).ParamName);
    }

    [Fact]
    public void Test_IsSmallerThanTheFullSize_AndValid()
    {
        var full = new WhySplitChapterConfig();
        var test = WhySplitChapterConfig.Test;

        test.Validate();
        Assert.True(test.Steps < full.Steps / 10);
        Assert.Single(test.Seeds);
        Assert.Single(test.Styles);
        Assert.True(test.Pretrain.Data.Synthetic.UnlabeledCount < full.Pretrain.Data.Synthetic.UnlabeledCount);
        Assert.Contains(test.Steps, test.BudgetSteps);
    }

    [Fact]
    public void On_ChangesOnlyTheDataStyle()
    {
        var knobs = new WhySplitChapterConfig();

        var scenes = knobs.On(SyntheticStyle.Scenes);

        Assert.Equal(SyntheticStyle.Scenes, scenes.Data.Synthetic.Style);
        Assert.Equal(knobs.Pretrain with { Data = scenes.Data }, scenes);
        Assert.Equal([SyntheticStyle.Shapes, SyntheticStyle.Scenes], knobs.DataStyles());
    }
}
