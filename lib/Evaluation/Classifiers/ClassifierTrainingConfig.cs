using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Runs;

namespace SplitBrain.Evaluation;

/// <summary>
/// How <see cref="FineTuner"/> trains a <see cref="SplitBrainClassifier"/> (what trains is the classifier's
/// <see cref="ClassifierConfig.Mode"/>). Plain values, so it saves as JSON with a run.
/// </summary>
/// <param name="Epochs">Passes over the training set for <see cref="FineTuner.Fit"/>, at least 1; 10. What ends training
/// unless <paramref name="Steps"/> or <paramref name="Minutes"/> is set.</param>
/// <param name="BatchSize">Images per step, at least 2 (BatchNorm needs two); 64.</param>
/// <param name="LearningRate">AdamW's learning rate for the head and, in <see cref="ClassifierMode.Scratch"/>, for
/// everything, &gt; 0; 1e-3 (Adam's usual default, which trains the scratch baseline well in a few epochs).</param>
/// <param name="BackboneLearningRateMultiplier">In <see cref="ClassifierMode.FineTune"/>, the pretrained layers learn at
/// <c>LearningRate * BackboneLearningRateMultiplier</c>, in (0, 1]; 0.5: lower than the new head's, so that the head's
/// first large gradients do not wash out what pretraining learned, but not the usual tenth, which here kept the
/// pretrained layers from adapting (measured on the synthetic shapes with the Small network pretrained for 10 epochs,
/// 10 labeled images per class: 0.1 gave 57.8% test accuracy, 0.3 62.1%, 0.5 64.7%, 1.0 67.2%, against 58.6% from
/// scratch; 100 per class: 81.6%, 89.2%, 92.5%, 93.4% against 86.9%).</param>
/// <param name="WeightDecay">AdamW's decoupled weight decay, &gt;= 0; 1e-4.</param>
/// <param name="Augmentation">Random crops and flips of the training images; <see cref="AugmentationConfig.Default"/>
/// (pad-and-crop by up to 8 pixels, horizontal flips). Null for none.</param>
/// <param name="Seed">Seeds the shuffles, the augmentation and dropout (torch's global generator is seeded with
/// (Seed, epoch) at the start of every epoch, so an epoch replays the same whether or not earlier ones ran in this
/// process); 0.</param>
/// <param name="EvaluateEveryEpoch">Score the test set after every epoch (a learning curve, at the cost of a forward
/// pass over it each time), not only at the end; false.</param>
/// <param name="EvaluationBatchSize">Images per forward pass when scoring, at least 1; 128.</param>
/// <param name="RecalibrateBatchNorm">Before scoring a classifier whose backbone trains (fine-tune, scratch), recompute
/// every trained BatchNorm's running statistics as plain averages over one pass of the training images
/// (<see cref="FineTuner.RecalibrateBatchNorm"/>); true. Why: running statistics are exponential averages (momentum
/// 0.1) that trail the weights, and they start at mean 0, variance 1, far from the small activations of a freshly
/// initialised network; after a short schedule they are still off, by a factor that compounds through the seven
/// BatchNorm layers (measured: 12% test accuracy, chance level, after two epochs from a random initialisation, against
/// 66% training accuracy). The pass costs about a third of an epoch. ("Precise BatchNorm", Wu and Johnson 2021,
/// "Rethinking 'Batch' in BatchNorm".)</param>
/// <param name="Precision">The precision of training and scoring (<see cref="Autocast"/>): <see cref="Precision.Auto"/>,
/// bfloat16 where the hardware has it, float32 elsewhere; float32 master weights either way.</param>
/// <param name="Steps">A budget of optimizer steps, at least 1, or null (the default) for none: as
/// <c>PretrainConfig.Steps</c>, the classifier trains exactly this many steps whatever <paramref name="Epochs"/> says (the
/// last epoch may end part-way; the test set is scored after the last step), so that classifiers trained on different
/// numbers of labels get the same training. At most one of <paramref name="Steps"/> and <paramref name="Minutes"/>.</param>
/// <param name="Minutes">A budget of minutes of training steps (finite, &gt; 0), or null (the default) for none: as
/// <c>PretrainConfig.Minutes</c>, the run times its first steps and then trains the step count that fits
/// (<see cref="TrainingBudget"/>; a fine-tuning run keeps the count when it resumes). The classifier's learning rate is
/// constant, so no schedule depends on the count.</param>
public sealed record ClassifierTrainingConfig(
    int Epochs = 10,
    int BatchSize = 64,
    double LearningRate = 1e-3,
    double BackboneLearningRateMultiplier = 0.5,
    double WeightDecay = 1e-4,
    AugmentationConfig? Augmentation = null,
    int Seed = 0,
    bool EvaluateEveryEpoch = false,
    int EvaluationBatchSize = 128,
    bool RecalibrateBatchNorm = true,
    Precision Precision = Precision.Auto,
    long? Steps = null,
    double? Minutes = null)
{
    /// <summary>The defaults, with the default augmentation.</summary>
    public static ClassifierTrainingConfig Default { get; } = new(Augmentation: AugmentationConfig.Default);

    /// <summary>For tests and quick looks on a CPU: 2 epochs of 32 images, no augmentation.</summary>
    public static ClassifierTrainingConfig Fast { get; } = new(Epochs: 2, BatchSize: 32);

    /// <summary>
    /// These settings with a budget of exactly <paramref name="steps"/> optimizer steps (<see cref="Steps"/>; any
    /// <see cref="Minutes"/> cleared), so that classifiers trained on different numbers of labels get the same training:
    /// the same as <c>config with { Steps = steps, Minutes = null }</c>. Before budgets it picked the whole epochs that make
    /// at least the steps, which is the same run when the steps fill whole epochs (the course's label budgets do).
    /// </summary>
    /// <param name="steps">Optimizer steps, at least 1.</param>
    /// <param name="images">Training images, at least 1: no longer needed (the engine counts the steps), kept so that
    /// existing callers compile.</param>
    /// <returns>The settings with the step budget.</returns>
    public ClassifierTrainingConfig ForSteps(int steps, int images)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(images, 1);
        return this with { Steps = steps, Minutes = null };
    }

    /// <summary>The budget of <see cref="Steps"/> or <see cref="Minutes"/>, or null for whole epochs (what the engine gets).</summary>
    internal TrainingBudget? Budget => TrainingBudget.Of(Steps, Minutes);

    /// <summary>Checks every field, naming the first bad one.</summary>
    /// <returns>This configuration, for use inline.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of its range.</exception>
    /// <exception cref="ArgumentException"><see cref="Steps"/> and <see cref="Minutes"/> are both set, or one is out of range.</exception>
    public ClassifierTrainingConfig Validate()
    {
        const string record = nameof(ClassifierTrainingConfig);
        ConfigChecks.AtLeast(record, Epochs, 1, nameof(Epochs));
        ConfigChecks.AtLeast(record, BatchSize, 2, nameof(BatchSize));
        ConfigChecks.Positive(record, LearningRate, nameof(LearningRate));
        ConfigChecks.InRange(record, BackboneLearningRateMultiplier, 0, 1, nameof(BackboneLearningRateMultiplier), lowOpen: true);
        ConfigChecks.NonNegative(record, WeightDecay, nameof(WeightDecay));
        Augmentation?.Validate();
        ConfigChecks.AtLeast(record, Seed, 0, nameof(Seed));
        ConfigChecks.AtLeast(record, EvaluationBatchSize, 1, nameof(EvaluationBatchSize));
        if (!Enum.IsDefined(Precision))
            throw new ArgumentOutOfRangeException(nameof(Precision), Precision, $"{record}.{nameof(Precision)} must be one of {string.Join(", ", Enum.GetNames<Precision>())}; got {Precision}.");
        if (TrainingBudget.Problem(Steps, Minutes, record) is { } budget)
            throw Steps is not null && Minutes is not null
                ? new ArgumentException(budget.Message, budget.Field)
                : new ArgumentOutOfRangeException(budget.Field, budget.Field == nameof(Steps) ? Steps : Minutes, budget.Message);
        return this;
    }
}
