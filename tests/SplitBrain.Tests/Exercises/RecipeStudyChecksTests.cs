using SplitBrain.Evaluation;
using SplitBrain.Exercises;

namespace SplitBrain.Tests.Exercises;

[Collection(ExerciseCollection.Name)]
public class RecipeStudyChecksTests
{
    private static (double Mean, double Sd) Spread(double[] d, int denominatorOffset)
    {
        var mean = d.Average();
        return (mean, Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - denominatorOffset)));
    }

    [Fact]
    public void PairedDifference_SampleSdPasses_PopulationSdFails()
    {
        Assert.Equal(ExerciseOutcome.Passed, RecipeStudyChecks.PairedDifference((a, b) => Spread([.. a.Zip(b, (x, y) => x - y)], 1)).Outcome);
        var population = RecipeStudyChecks.PairedDifference((a, b) => Spread([.. a.Zip(b, (x, y) => x - y)], 0));
        Assert.Equal(ExerciseOutcome.Failed, population.Outcome);
        Assert.Contains("sd: yours", population.Message);
    }

    [Fact]
    public void ClearsBand_TheLibraryPasses_ANormalBandFails()
    {
        Assert.Equal(ExerciseOutcome.Passed, RecipeStudyChecks.ClearsBand((mean, sd, n) => VariantScores.Clears((mean, sd), n)).Outcome);
        var normal = RecipeStudyChecks.ClearsBand((mean, sd, n) => Math.Abs(mean) > 1.96 * sd / Math.Sqrt(n));
        Assert.Equal(ExerciseOutcome.Failed, normal.Outcome);
        Assert.Contains("clears (mean", normal.Message);
        Assert.Equal(ExerciseOutcome.NotDone, RecipeStudyChecks.ClearsBand((_, _, _) => throw new NotImplementedException()).Outcome);
    }
}
