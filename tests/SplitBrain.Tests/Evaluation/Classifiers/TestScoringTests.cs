using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Runs;
using SplitBrain.Tests.Models;

namespace SplitBrain.Tests.Evaluation;

/// <summary>Test scoring as an observer of the engine: when it scores, what it adds to the epochs, and its state.</summary>
[Collection(GlobalGeneratorCollection.Name)] // epochs seed torch's global generator (dropout)
public sealed class TestScoringTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Fit_WithoutEvaluateEveryEpoch_ScoresOnlyWhenTrainingEnds()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 10);
        using var classifier = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.Frozen);
        using var tuner = new FineTuner(classifier, ClassifierTrainingConfig.Fast with { Epochs = 3, BatchSize = 5, EvaluateEveryEpoch = false });

        var result = tuner.Fit(shapes, shapes, TrainingProgress.None, cancellationToken: Token);

        Assert.Equal([false, false, true], result.Epochs.Select(e => e.TestAccuracy.HasValue));
        Assert.Equal(result.Test!.Top1, result.Epochs[^1].TestAccuracy);
        Assert.All(result.Epochs, e => Assert.True(double.IsFinite(e.Loss) && e.Seconds > 0));
    }

    [Fact]
    public void State_TheLastTestAccuracy_IsSavedAndGivenBack()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 10);
        using var classifier = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.Frozen);
        using var tuner = new FineTuner(classifier, ClassifierTrainingConfig.Fast with { Epochs = 1, BatchSize = 5 });
        using var task = tuner.CreateTask(shapes, shapes);
        var scoring = new TestScoring(tuner, task, shapes, shapes);
        var trainer = new Trainer("scored", new TrainerConfig(1)).Observe(scoring);
        trainer.Start(task);

        trainer.Fit(TrainingProgress.None, Token);
        var restored = new TestScoring(tuner, task, shapes, shapes);
        restored.LoadState(scoring.SaveState()?.DeepClone());

        Assert.Equal("testScoring", scoring.StateName);
        Assert.Equal(scoring.LastReport!.Top1, scoring.LastTestAccuracy);
        Assert.Equal(scoring.LastTestAccuracy, restored.LastTestAccuracy);
        Assert.Null(new TestScoring(tuner, task, shapes, null).SaveState()); // nothing scored, nothing saved
    }
}
