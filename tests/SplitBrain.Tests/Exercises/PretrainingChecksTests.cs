using SplitBrain.Data;
using SplitBrain.Exercises;
using SplitBrain.Models;
using SplitBrain.Training;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Exercises;

[Collection(ExerciseCollection.Name)]
public class PretrainingChecksTests
{
    [Fact]
    public void LearningRate_TheLibraryPasses_ALinearDecayFails()
    {
        Assert.Equal(ExerciseOutcome.Passed, PretrainingChecks.LearningRate((step, total, warmup, peak) =>
            (PretrainConfig.Small with { LearningRate = peak, WarmupSteps = warmup }).LearningRateAt(step, 1, total)).Outcome);
        var linear = PretrainingChecks.LearningRate((step, total, warmup, peak) =>
            step < warmup ? peak * (step + 1) / warmup : peak * (1 - (double)(step - warmup) / (total - warmup)));
        Assert.Equal(ExerciseOutcome.Failed, linear.Outcome);
        Assert.Contains("learning rate at step", linear.Message);
    }

    private static double Step(SplitBrainNet net, optim.Optimizer optimizer, SplitBrainTargets batch, bool weighted = true, bool zeroGrad = true)
    {
        using var scope = NewDisposeScope();
        net.train();
        if (zeroGrad) optimizer.zero_grad();
        var losses = SplitBrainLoss.Compute(net.call(batch.LInput, batch.AbInput), batch.AbTarget, batch.LTarget,
            weighted ? batch.AbWeights : null, weighted ? batch.LWeights : null);
        losses.Total.backward();
        optimizer.step();
        return losses.Total.item<float>();
    }

    [Fact]
    public void TrainingStep_TheLibrarysLossPasses()
    {
        Assert.Equal(ExerciseOutcome.Passed, PretrainingChecks.TrainingStep((net, optimizer, batch) => Step(net, optimizer, batch)).Outcome);
    }

    [Fact]
    public void TrainingStep_WithoutWeightsOrWithoutZeroGrad_Fails()
    {
        var unweighted = PretrainingChecks.TrainingStep((net, optimizer, batch) => Step(net, optimizer, batch, weighted: false));
        Assert.Equal(ExerciseOutcome.Failed, unweighted.Outcome);
        Assert.Contains("loss of step 1", unweighted.Message);

        var accumulating = PretrainingChecks.TrainingStep((net, optimizer, batch) => Step(net, optimizer, batch, zeroGrad: false));
        Assert.Equal(ExerciseOutcome.Failed, accumulating.Outcome);
        // Both losses are right (each is computed before its step); the first step's gradient leaks into the second's change.
        Assert.Contains("change of the parameters", accumulating.Message);
    }
}
