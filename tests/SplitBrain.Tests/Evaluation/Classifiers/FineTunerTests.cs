using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Tests.Models;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Evaluation;

[Collection(GlobalGeneratorCollection.Name)] // epochs seed torch's global generator (dropout)
public class FineTunerTests(ITestOutputHelper output)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // One step per epoch on 8 images, nothing random but the shuffle: each parameter's first AdamW step is then
    // lr * g / (|g| + eps), i.e. the group's learning rate for every parameter with a gradient.
    // In float32, for the tests that compare exact values.
    private static readonly ClassifierTrainingConfig OneStep = new(Epochs: 1, BatchSize: 8, WeightDecay: 0, Precision: Precision.Float32);
    private static readonly ClassifierConfig NoDropout = ClassifierConfig.FineTune with { Dropout = 0 };

    private static Dictionary<string, Tensor> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    private static double MaxChange(Dictionary<string, Tensor> before, nn.Module module, Func<string, bool> which)
    {
        var after = module.state_dict();
        return before.Where(kv => which(kv.Key) && kv.Value.is_floating_point())
            .Select(kv => (after[kv.Key] - kv.Value).abs().max().item<float>()).DefaultIfEmpty(0).Max();
    }

    [Fact]
    public void Frozen_Epoch_HeadLearnsBackboneUnchangedBatchNormStatisticsIncluded()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.Frozen);
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 16);
        using var tuner = new FineTuner(classifier, OneStep with { BatchSize = 8 });
        using var scope = NewDisposeScope();
        var before = Snapshot(classifier);

        tuner.Fit(shapes, progress: TrainingProgress.None, cancellationToken: Token);

        Assert.Equal(0, MaxChange(before, classifier, k => k.StartsWith("backbone.", StringComparison.Ordinal)));
        Assert.True(MaxChange(before, classifier, k => k.StartsWith("head.", StringComparison.Ordinal)) > 1e-4);
        Assert.Null(tuner.BackboneLearningRate);
    }

    [Fact]
    public void FineTune_FirstStep_PretrainedLayersMoveAtTheReducedRate()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(pretrained, 10, NoDropout);
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 8);
        using var tuner = new FineTuner(classifier, OneStep);
        using var scope = NewDisposeScope();
        var before = Snapshot(classifier);

        tuner.Fit(shapes, progress: TrainingProgress.None, cancellationToken: Token);

        Assert.Equal(5e-4, tuner.BackboneLearningRate!.Value, 12);
        static bool Used(string key) =>
            key.StartsWith("backbone.", StringComparison.Ordinal) && key.EndsWith("weight", StringComparison.Ordinal)
            && !key.Contains(".fc6.") && !key.Contains(".fc7.") && !key.Contains(".pred.");
        var backbone = MaxChange(before, classifier, Used);
        var head = MaxChange(before, classifier, k => k == "head.weight");
        output.WriteLine($"largest change: backbone {backbone:G4}, head {head:G4}");
        Assert.InRange(backbone, 4.5e-4, 5.001e-4); // float32 rounding of the updated weights: 1e-8 on weights near 1
        Assert.InRange(head, 0.9e-3, 1.001e-3);
        // Layers past conv5 get no gradient, so AdamW leaves them alone.
        Assert.Equal(0, MaxChange(before, classifier, k => k.Contains(".fc7.") || k.Contains(".pred.")));
    }

    [Theory]
    [InlineData(ClassifierMode.Frozen, null)]
    [InlineData(ClassifierMode.FineTune, 1e-3)]
    [InlineData(ClassifierMode.Scratch, 2e-3)]
    public void BackboneLearningRate_FollowsTheMode(ClassifierMode mode, double? expected)
    {
        using var pretrained = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(pretrained, 10, new ClassifierConfig(mode));
        using var tuner = new FineTuner(classifier, new ClassifierTrainingConfig(LearningRate: 2e-3));

        Assert.Equal(expected, tuner.BackboneLearningRate);
        Assert.Equal(2e-3, tuner.HeadLearningRate);
        Assert.Equal(expected is null ? 1 : 2, tuner.Optimizer.ParamGroups.Count());
    }

    [Fact]
    public void Fit_SameSeed_SameRun()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 12);
        var config = ClassifierTrainingConfig.Fast with { BatchSize = 6, Augmentation = AugmentationConfig.Default };

        double[] Losses()
        {
            using var classifier = SplitBrainClassifier.Create(pretrained, 10, seed: 1);
            using var tuner = new FineTuner(classifier, config);
            return [.. tuner.Fit(shapes, progress: TrainingProgress.None, cancellationToken: Token).Epochs.Select(e => e.Loss)];
        }

        Assert.Equal(Losses(), Losses());
    }

    [Fact]
    public void ClassifierTask_AnEpochsRandomness_FollowsFromTheSeedAndTheEpochAlone()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 12);
        var config = ClassifierTrainingConfig.Fast with { Epochs = 1, BatchSize = 6, Augmentation = AugmentationConfig.Default };
        using var scope = NewDisposeScope();

        // A classifier after one epoch, and a second one given the first's weights (as a checkpoint restores them): the
        // first step of epoch 2 sees the same batch, augmentation and dropout mask in both, whatever ran before.
        using var first = SplitBrainClassifier.Create(pretrained, 10, seed: 4);
        using var tuner = new FineTuner(first, config);
        tuner.Fit(shapes, progress: TrainingProgress.None, cancellationToken: Token);
        using var resumed = SplitBrainClassifier.Create(pretrained, 10, seed: 4);
        resumed.load_state_dict(first.state_dict());
        using var resumedTuner = new FineTuner(resumed, config);
        manual_seed(12345); // another state of the global generator: the epoch's start must not depend on it

        double FirstLossOfEpochTwo(FineTuner fineTuner)
        {
            using var task = fineTuner.CreateTask(shapes, null);
            task.BeginEpoch(1, 0, Token);
            return task.Forward().Loss.item<float>();
        }

        Assert.Equal(FirstLossOfEpochTwo(tuner), FirstLossOfEpochTwo(resumedTuner), 5);
    }

    [Fact]
    public void Fit_SmallRandomNetOnShapes_BeatsChanceClearly()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var train = EvaluationData.Shapes(DatasetSplit.Train, 240);
        using var test = EvaluationData.Shapes(DatasetSplit.Test, 100);
        using var classifier = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.Scratch, seed: 2);
        using var tuner = new FineTuner(classifier, new ClassifierTrainingConfig(Epochs: 3, BatchSize: 32, LearningRate: 3e-3));
        var reports = new List<TrainingProgress>();

        var result = tuner.Fit(train, test, new ProgressRelay<TrainingProgress>(p => { if (p.Status is null) reports.Add(p); }), name: "scratch",
            cancellationToken: Token);
        output.WriteLine(string.Join("\n", result.Epochs));
        output.WriteLine(result.ToString());

        Assert.Equal(3, result.Epochs.Count);
        Assert.Equal([null, null, result.Test!.Top1], result.Epochs.Select(e => e.TestAccuracy));
        Assert.Equal(100, result.Test.Count);
        Assert.True(result.Test.Top1 > 0.3, $"test accuracy {result.Test.Top1} (chance is 0.1)");
        Assert.True(result.Epochs[^1].Loss < result.Epochs[0].Loss);
        Assert.Equal(3 * 8, reports.Count); // eight batches of up to 32 per epoch
        Assert.Equal((3, 8, 8), (reports[^1].Epoch, reports[^1].Batch, reports[^1].BatchesPerEpoch));
    }

    [Fact]
    public void Fit_EvaluateEveryEpoch_TestAccuracyOfEachEpoch()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 10);
        using var classifier = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.Frozen);
        using var tuner = new FineTuner(classifier, ClassifierTrainingConfig.Fast with { BatchSize = 5, EvaluateEveryEpoch = true });

        var result = tuner.Fit(shapes, shapes, TrainingProgress.None, name: "frozen", cancellationToken: Token);

        Assert.All(result.Epochs, e => Assert.InRange(e.TestAccuracy!.Value, 0, 1));
        Assert.Equal(result.Test!.Top1, result.Epochs[^1].TestAccuracy);
        Assert.Equal(("frozen", ClassifierMode.Frozen), (result.Name, result.Mode));
    }

    [Fact]
    public void Fit_StepBudget_EndsMidEpoch_AndScoresAfterTheLastStep()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 10);
        using var classifier = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.Frozen);
        using var tuner = new FineTuner(classifier, ClassifierTrainingConfig.Fast with { BatchSize = 4, Steps = 4 }); // 3 batches an epoch
        var reports = new List<TrainingProgress>();

        var result = tuner.Fit(shapes, shapes, new ProgressRelay<TrainingProgress>(p => { if (p.Status is null) reports.Add(p); }), name: "budget",
            cancellationToken: Token);

        Assert.Equal([1L, 2, 3, 4], reports.Select(r => r.Step));
        Assert.Equal((2, 2, 1, 4L), (reports[^1].Epoch, reports[^1].Epochs, reports[^1].Batch, reports[^1].TotalSteps));
        Assert.Equal([1, 2], result.Epochs.Select(e => e.Epoch));
        Assert.Equal([null, result.Test!.Top1], result.Epochs.Select(e => e.TestAccuracy));
    }

    [Fact]
    public void RecalibrateBatchNorm_FineTune_RunningStatisticsAreTheDataAveragesWeightsUnchanged()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(pretrained, 10);
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 6);
        using var tuner = new FineTuner(classifier, OneStep with { EvaluationBatchSize = 6 }); // one batch: a plain mean
        using var scope = NewDisposeScope();
        var before = Snapshot(classifier);
        classifier.eval();

        tuner.RecalibrateBatchNorm(shapes, Token);

        var f1 = Assert.IsType<SplitBrainNet>(classifier.Backbone).F1;
        var bn = f1.Blocks[0].Norm!;
        using var batch = shapes.ReadBatch([.. Enumerable.Range(0, 6)]);
        var (l, _) = NetworkInputs.FromImages(batch.Images);
        var conv1 = f1.Blocks[0].Conv.call(l);                    // [6, 16, 12, 12] before BatchNorm
        // BatchNorm's own reduction against torch's mean: summation order only; the momentum-0.1 average it replaces
        // would be off by most of the scale.
        TensorAssert.Close(bn.running_mean!, conv1.mean([0, 2, 3]), 1e-4, "running mean");
        Assert.Equal(0.1, bn.momentum);
        Assert.False(classifier.training, "the mode is restored");
        Assert.Equal(0, MaxChange(before, classifier, k => !k.Contains("running_") && !k.Contains("num_batches")));
        Assert.True(MaxChange(before, classifier, k => k == "norm.running_var") > 0);
    }

    [Fact]
    public void RecalibrateBatchNorm_Frozen_LeavesTheBackboneStatistics()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(pretrained, 10, ClassifierConfig.Frozen);
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 4);
        using var tuner = new FineTuner(classifier, OneStep);
        using var scope = NewDisposeScope();
        var before = Snapshot(classifier);

        tuner.RecalibrateBatchNorm(shapes, Token);

        Assert.Equal(0, MaxChange(before, classifier, k => k.StartsWith("backbone.", StringComparison.Ordinal)));
        Assert.True(MaxChange(before, classifier, k => k == "norm.running_mean") > 0);
    }

    [Fact]
    public void EpochAndEvaluate_LeaveNoTensorsAndRestoreTheMode()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(pretrained, 10);
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 8);
        using var tuner = new FineTuner(classifier, OneStep with { Augmentation = AugmentationConfig.Default });
        tuner.Fit(shapes, progress: TrainingProgress.None, cancellationToken: Token); // the first step creates the gradients, which live on with the parameters

        TensorLeaks.AssertNone(() =>
        {
            tuner.Fit(shapes, progress: TrainingProgress.None, cancellationToken: Token);
            tuner.Evaluate(shapes, cancellationToken: Token);
        });
        Assert.True(classifier.training);
    }

    [Fact]
    public void Fit_OtherNumberOfClasses_Throws()
    {
        using var pretrained = EvaluationData.SmallNet();
        using var classifier = SplitBrainClassifier.Create(pretrained, 3);
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 8);
        using var tuner = new FineTuner(classifier, OneStep);

        var error = Assert.Throws<ArgumentException>(() => tuner.Fit(shapes, cancellationToken: Token));

        Assert.Equal("train", error.ParamName);
        Assert.Contains("10 classes but the classifier has 3", error.Message);
    }
}
