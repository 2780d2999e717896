using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Training;

namespace SplitBrain.Course;

/// <summary>The knobs of chapter 05 (fine-tuning).</summary>
/// <param name="Pretrain">The pretraining run to evaluate: the same knob as chapter 04's, so that both chapters mean the
/// same run; <see cref="PretrainConfig.Small"/> when null.</param>
/// <param name="PretrainRun">The pretraining run's folder name (chapter 04 writes it; if it is missing it is trained).</param>
/// <param name="FineTune">How classifiers train; <see cref="ClassifierTrainingConfig.Default"/> (with augmentation) when null. Its
/// budget becomes <paramref name="Steps"/> optimizer steps (<see cref="ClassifierTrainingConfig.ForSteps"/>), the same for every label
/// budget.</param>
/// <param name="LabelsPerClass">The label budgets of the label-efficiency curve, in labeled images per class.</param>
/// <param name="Steps">Optimizer steps of every classifier, whatever its budget, so that budgets compare fairly.</param>
/// <param name="Layer">The layer whose concatenated features the classifier's head reads.</param>
/// <param name="Seed">Seed of the labeled subsets, the heads and the fine-tuning.</param>
public sealed record FineTuningChapterConfig(
    PretrainConfig? Pretrain = null,
    string PretrainRun = CourseRuns.Pretrain,
    ClassifierTrainingConfig? FineTune = null,
    int[]? LabelsPerClass = null,
    int Steps = 160,
    FeatureLayer Layer = FeatureLayer.Conv5,
    int Seed = 0)
{
    /// <summary>The pretraining run to evaluate.</summary>
    public PretrainConfig Pretrain { get; init; } = Pretrain ?? PretrainConfig.Small;

    /// <summary>How classifiers train.</summary>
    public ClassifierTrainingConfig FineTune { get; init; } = FineTune ?? ClassifierTrainingConfig.Default;

    /// <summary>The label budgets, ascending.</summary>
    public int[] LabelsPerClass { get; init; } = LabelsPerClass ?? [10, 30, 100];

    /// <summary>
    /// The settings of a fine-tuning run (<see cref="FineTuneRun"/>) of these knobs: the pretraining run, the head on
    /// <see cref="Layer"/> in <paramref name="mode"/>'s mode, <paramref name="perClass"/> labels per class, and as many
    /// epochs as make <see cref="Steps"/> optimizer steps.
    /// </summary>
    /// <param name="mode">What trains (its layer is replaced by <see cref="Layer"/>).</param>
    /// <param name="perClass">Labeled training images per class.</param>
    /// <param name="classes">Classes of the labeled data.</param>
    /// <param name="evaluateEveryEpoch">Score the test split after every epoch (a learning curve), not only at the end; also
    /// when the <see cref="FineTune"/> knob says so.</param>
    /// <returns>The run's settings.</returns>
    public FineTuneRunConfig RunConfig(ClassifierConfig mode, int perClass, int classes, bool evaluateEveryEpoch = false)
    {
        ArgumentNullException.ThrowIfNull(mode);
        return new FineTuneRunConfig
        {
            Pretrained = PretrainRun,
            Classifier = mode with { Layer = Layer },
            Training = FineTune.ForSteps(Steps, perClass * classes) with { Seed = Seed, EvaluateEveryEpoch = evaluateEveryEpoch || FineTune.EvaluateEveryEpoch },
            TrainPerClass = perClass,
            SubsetSeed = Seed,
            Device = Pretrain.Device,
        };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first knob out of range.</summary>
    public void Validate()
    {
        Pretrain.Validate();
        FineTune.Validate();
        ArgumentException.ThrowIfNullOrWhiteSpace(PretrainRun);
        if (LabelsPerClass.Length == 0 || LabelsPerClass.Any(k => k < 1))
            throw new ArgumentException($"{nameof(LabelsPerClass)} must hold at least one budget, each at least 1; got [{string.Join(", ", LabelsPerClass)}].", nameof(LabelsPerClass));
        if (!LabelsPerClass.SequenceEqual(LabelsPerClass.Order()))
            throw new ArgumentException($"{nameof(LabelsPerClass)} must be ascending; got [{string.Join(", ", LabelsPerClass)}].", nameof(LabelsPerClass));
        if (Steps < 1) throw new ArgumentException($"{nameof(Steps)} must be at least 1; got {Steps}.", nameof(Steps));
    }
}
