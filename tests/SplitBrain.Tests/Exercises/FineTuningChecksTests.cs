using SplitBrain.Exercises;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Exercises;

[Collection(ExerciseCollection.Name)]
public class FineTuningChecksTests
{
    [Fact]
    public void TopKAccuracy_RightPasses_TopOneOnlyFails()
    {
        static double TopK(Tensor logits, Tensor labels, int k) =>
            logits.topk(k, dim: 1).indexes.eq(labels.unsqueeze(1)).any(1).to_type(ScalarType.Float64).mean().item<double>();

        Assert.Equal(ExerciseOutcome.Passed, FineTuningChecks.TopKAccuracy(TopK).Outcome);
        var topOne = FineTuningChecks.TopKAccuracy((logits, labels, _) => TopK(logits, labels, 1));
        Assert.Equal(ExerciseOutcome.Failed, topOne.Outcome);
        Assert.Contains("top-", topOne.Message);
        Assert.Equal(ExerciseOutcome.NotDone, FineTuningChecks.TopKAccuracy((_, _, _) => throw new NotImplementedException()).Outcome);
    }

    [Fact]
    public void ConfusionMatrix_RowsAreTrueClasses_TransposedFails()
    {
        static Tensor Counts(Tensor rows, Tensor columns, int classes) =>
            (rows * classes + columns).bincount(null, classes * classes).reshape(classes, classes);

        Assert.Equal(ExerciseOutcome.Passed, FineTuningChecks.ConfusionMatrix((predicted, labels, classes) => Counts(labels, predicted, classes)).Outcome);
        var transposed = FineTuningChecks.ConfusionMatrix((predicted, labels, classes) => Counts(predicted, labels, classes));
        Assert.Equal(ExerciseOutcome.Failed, transposed.Outcome);
        Assert.Contains("confusion matrix: relative error", transposed.Message);
    }
}
