using SplitBrain.Course;
using SplitBrain.Data;
using SplitBrain.Runs;
using SplitBrain.Training.Objectives;

namespace SplitBrain.Tests.Course;

/// <summary>Chapter 08's study plan (the runs; training and probing are chapter 07's, tested there and by the chapter).</summary>
public sealed class WhySplitTests : IDisposable
{
    private const string StandIn = "why-split-plan-stand-in";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "why-split-" + Guid.NewGuid().ToString("N"));

    public WhySplitTests() => PretrainObjectives.Register(StandIn, () => throw new NotSupportedException("a stand-in, never trained"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Plan_EveryObjectiveAtTheBudget_ThenTheBudgetAxis_ABudgetEqualToTheStudysIsTheSameRun()
    {
        var knobs = new WhySplitChapterConfig(Objectives: [PretrainObjectives.Default, StandIn, "not-registered-yet"], Steps: 20, Seeds: [0, 1],
            Styles: [SyntheticStyle.Shapes, SyntheticStyle.Scenes], BudgetObjectives: [PretrainObjectives.Default], BudgetSteps: [10, 20, 40]);

        var plan = WhySplit.Plan(knobs, Workspace.At(_folder));

        // Per style: 2 objectives at 20 steps, then the default at 10 and 40 (20 is already there); 2 seeds each.
        Assert.Equal(2 * (2 + 2) * 2, plan.Count);
        Assert.Equal(plan.Count, plan.Select(r => r.Run.Folder.Name).Distinct().Count());
        Assert.Equal("why-shapes-split-brain-20-s0", plan[0].Run.Folder.Name);
        Assert.Contains(plan, r => r.Run.Folder.Name == $"why-scenes-{StandIn}-20-s1");
        Assert.DoesNotContain(plan, r => r.Objective == "not-registered-yet");
        Assert.All(plan, r =>
        {
            Assert.Equal(r.Steps, r.Run.Variant.Config.Steps);
            Assert.Null(r.Run.Variant.Config.Minutes);
            Assert.Equal(r.Style, r.Run.Variant.Config.Data.Synthetic.Style);
            Assert.Equal(r.Objective == PretrainObjectives.Default ? null : r.Objective, r.Run.Variant.Config.Objective);
            Assert.Equal(WhySplit.Label(r.Objective, r.Steps), r.Run.Variant.Change);
        });
    }
}
