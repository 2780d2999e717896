using SplitBrain.Evaluation;
using SplitBrain.Exercises;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Exercises;

[Collection(ExerciseCollection.Name)]
public class WhySplitChecksTests
{
    [Fact]
    public void HolmAdjust_TheLibraryPasses_PlainBonferroniAndNoRunningMaximumFail()
    {
        Assert.Equal(ExerciseOutcome.Passed, WhySplitChecks.HolmAdjust(p => HolmBonferroni.Adjust(p)).Outcome);
        var bonferroni = WhySplitChecks.HolmAdjust(p => [.. p.Select(x => Math.Min(1, p.Length * x))]);
        Assert.Equal(ExerciseOutcome.Failed, bonferroni.Outcome);
        Assert.Contains("adjusted p[", bonferroni.Message);
        Assert.Equal(ExerciseOutcome.Failed, WhySplitChecks.HolmAdjust(NoRunningMaximum).Outcome);
        Assert.Equal(ExerciseOutcome.NotDone, WhySplitChecks.HolmAdjust(_ => throw new NotImplementedException()).Outcome);
    }

    [Fact]
    public void RegressionLoss_PooledMeanSquaredErrorPasses_TheSumAndTheNearestPixelFail()
    {
        Assert.Equal(ExerciseOutcome.Passed, WhySplitChecks.RegressionLoss((y, t) => (y - Pool(y, t)).pow(2).mean()).Outcome);
        Assert.Equal(ExerciseOutcome.Failed, WhySplitChecks.RegressionLoss((y, t) => (y - Pool(y, t)).pow(2).sum()).Outcome);
        var nearest = WhySplitChecks.RegressionLoss((y, t) => (y - nn.functional.interpolate(t, [y.shape[2], y.shape[3]], mode: InterpolationMode.Nearest)).pow(2).mean());
        Assert.Equal(ExerciseOutcome.Failed, nearest.Outcome);
        Assert.Equal(ExerciseOutcome.NotDone, WhySplitChecks.RegressionLoss((_, _) => throw new NotImplementedException()).Outcome);
    }

    private static Tensor Pool(Tensor predicted, Tensor truth) => nn.functional.avg_pool2d(truth, truth.shape[2] / predicted.shape[2]);

    // Holm's multipliers without the step-down's running maximum: wrong wherever a later value would fall.
    private static double[] NoRunningMaximum(double[] p)
    {
        var order = Enumerable.Range(0, p.Length).OrderBy(i => p[i]).ToList();
        var adjusted = new double[p.Length];
        for (var k = 0; k < order.Count; k++)
            adjusted[order[k]] = Math.Min(1, (p.Length - k) * p[order[k]]);
        return adjusted;
    }
}
