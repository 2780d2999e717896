using SplitBrain.Exercises;
using SplitBrain.Training;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Exercises;

[Collection(ExerciseCollection.Name)]
public class SubNetworkChecksTests
{
    [Fact]
    public void OutputSize_TheFormulaPasses_WithoutDilationFails()
    {
        Assert.Equal(ExerciseOutcome.Passed,
            SubNetworkChecks.OutputSize((size, kernel, stride, padding, dilation) => (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1).Outcome);
        var undilated = SubNetworkChecks.OutputSize((size, kernel, stride, padding, _) => (size + 2 * padding - kernel) / stride + 1);
        Assert.Equal(ExerciseOutcome.Failed, undilated.Outcome);
        Assert.Contains("output size: yours", undilated.Message);
        Assert.Equal(ExerciseOutcome.NotDone, SubNetworkChecks.OutputSize((_, _, _, _, _) => throw new NotImplementedException()).Outcome);
    }

    [Fact]
    public void RebalancedCrossEntropy_TheLibraryPasses_UnweightedFailsAfterTheLossAtInitialisation()
    {
        Assert.Equal(ExerciseOutcome.Passed, SubNetworkChecks.RebalancedCrossEntropy((logits, target, weights) => SplitBrainLoss.CrossEntropy(logits, target, weights)).Outcome);
        var unweighted = SubNetworkChecks.RebalancedCrossEntropy((logits, target, _) => SplitBrainLoss.CrossEntropy(logits, target));
        Assert.Equal(ExerciseOutcome.Failed, unweighted.Outcome);
        Assert.Contains("On input 2 of 3", unweighted.Message);   // input 1, all weights 1, is the loss at initialisation
        var constant = SubNetworkChecks.RebalancedCrossEntropy((_, _, _) => tensor(1f));
        Assert.Contains("log 313", constant.Message);
    }
}
