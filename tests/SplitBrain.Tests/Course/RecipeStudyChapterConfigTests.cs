using System.Text.Json.Nodes;
using SplitBrain.Course;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Tests.Course;

/// <summary>The knobs of chapter 07's recipe study.</summary>
public class RecipeStudyKnobsTests
{
    // The dotted keys whose values differ, as the runs registry finds them.
    private static string[] Differences(PretrainConfig a, PretrainConfig b) =>
        [.. FlatJson.DifferingKeys([.. new[] { a, b }.Select(c => (IReadOnlyDictionary<string, JsonNode?>)FlatJson.Flatten(JsonNode.Parse(c.ToJson())).ToDictionary())])];

    [Fact]
    public void AllVariants_AreTheBaselineAtTheBudget_AndRecipesThatEachChangeOneSettingOfIt()
    {
        var knobs = new RecipeStudyChapterConfig(RunMinutes: 1.5);

        var variants = knobs.AllVariants();

        var baseline = variants[0].Config;
        Assert.Equal(("baseline", 1.5, null, 0), (variants[0].Name, baseline.Minutes, baseline.Steps, baseline.PreviewImages));
        Assert.Equal(variants.Count, variants.Select(v => v.Name).Distinct().Count());
        Assert.All(variants.Skip(1), v =>
        {
            var keys = Differences(baseline, v.Config);
            Assert.NotEmpty(keys);
            Assert.Single(keys.Select(k => k.Split('.')[0]).Distinct()); // one setting (a record counts as one)
            Assert.Equal(1.5, v.Config.Minutes);
        });
        Assert.Equal(["Rebalance", "Targets.Soft", "LearningRate", "LearningRate", "WarmupSteps", "BatchSize", "BatchSize"],
            variants.Skip(1).Take(7).Select(v => Differences(baseline, v.Config).Single()));
        Assert.Contains(variants, v => Differences(baseline, v.Config).SequenceEqual(["Precision"]));
        Assert.All(variants, v => v.Config.Validate());
        Assert.Equal("recipe-soft-s2", variants.Single(v => v.Name == "soft").RunName(2));
    }

    [Fact]
    public void Chosen_TheBaselineAndTheNamedVariants_AnUnknownNameListsTheVariants()
    {
        var knobs = new RecipeStudyChapterConfig(Variants: ["l20", "soft"]);

        Assert.Equal(["baseline", "soft", "l20"], knobs.Chosen().Select(v => v.Name));
        var error = Assert.Throws<ArgumentException>(() => (knobs with { Variants = ["sotf"] }).Chosen());
        Assert.Contains("sotf", error.Message);
        Assert.Contains("no-rebalance", error.Message);
    }

    [Theory]
    [InlineData(0.0, new[] { 0 }, "RunMinutes")]
    [InlineData(1.0, new int[0], "Seeds")]
    [InlineData(1.0, new[] { 1, 1 }, "Seeds")]
    public void Validate_OutOfRange_NamesTheKnob(double minutes, int[] seeds, string knob)
    {
        var knobs = new RecipeStudyChapterConfig(RunMinutes: minutes, Seeds: seeds);

        Assert.Equal(knob, Assert.Throws<ArgumentException>(knobs.Validate).ParamName);
    }
}
