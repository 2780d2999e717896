using SplitBrain.Evaluation;
using SplitBrain.Exercises;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Exercises;

[Collection(ExerciseCollection.Name)]
public class EvaluationChecksTests
{
    [Fact]
    public void BatchNormReestimation_TheLibraryPasses()
    {
        var result = EvaluationChecks.BatchNormReestimation((model, batches) =>
            BatchNormStatistics.Reestimate(model, [.. model.modules().OfType<NormBase>()], batches.Count, b => model.call(batches[b]), ScalarType.Float32));

        Assert.Equal(ExerciseOutcome.Passed, result.Outcome);
    }

    [Fact]
    public void BatchNormReestimation_AnExponentialAverageOrTheWrongMode_Fails()
    {
        var exponential = EvaluationChecks.BatchNormReestimation((model, batches) =>
        {
            model.train();
            using (no_grad()) foreach (var batch in batches) model.call(batch);
            model.eval();
        });
        Assert.Equal(ExerciseOutcome.Failed, exponential.Outcome);
        Assert.Contains("running mean", exponential.Message);

        var leftTraining = EvaluationChecks.BatchNormReestimation((model, batches) =>
        {
            BatchNormStatistics.Reestimate(model, [.. model.modules().OfType<NormBase>()], batches.Count, b => model.call(batches[b]), ScalarType.Float32);
            model.train();
        });
        Assert.Equal(ExerciseOutcome.Failed, leftTraining.Outcome);
        Assert.Contains("mode afterwards", leftTraining.Message);
    }

    [Fact]
    public void LinearProbeAccuracy_TheLibrarysProbePasses_RandomScoresFail()
    {
        Assert.Equal(ExerciseOutcome.Passed, EvaluationChecks.LinearProbeAccuracy((x, y, classes, test) =>
        {
            using var probe = LinearProbe.Fit(x, y, classes, LinearProbeConfig.Default with { Precision = SplitBrain.Models.Precision.Float32 });
            using var _ = no_grad();
            return probe.call(test);
        }).Outcome);
        var random = EvaluationChecks.LinearProbeAccuracy((_, _, classes, test) => randn(test.shape[0], classes));
        Assert.Equal(ExerciseOutcome.Failed, random.Outcome);
        Assert.Contains("test accuracy: yours", random.Message);
        Assert.Contains("shape", EvaluationChecks.LinearProbeAccuracy((_, _, classes, test) => randn(classes, test.shape[0])).Message);
    }
}
