using SplitBrain.Evaluation;
using SplitBrain.Training;

namespace SplitBrain.Course;

/// <summary>The knobs of chapter 06 (evaluation and experiments).</summary>
/// <param name="Pretrain">The pretraining run to evaluate: chapter 04's knob; <see cref="PretrainConfig.Small"/> when null.</param>
/// <param name="PretrainRun">The pretraining run's folder name (trained first if missing).</param>
/// <param name="Probes">How the linear probes are fitted; <see cref="LinearProbeConfig.Default"/> (9,600 values per
/// layer, as in the paper) when null.</param>
/// <param name="ProbeLabelsPerClass">Labeled images per class the probes are fitted on (the whole training split when
/// larger).</param>
/// <param name="Supervised">How the supervised reference network trains (from scratch, on the probes' labels);
/// <see cref="ClassifierTrainingConfig.Default"/> when null. Its budget becomes <paramref name="SupervisedSteps"/> steps
/// (<see cref="SupervisedBaseline.Train"/>).</param>
/// <param name="SupervisedSteps">Optimizer steps of the supervised reference network.</param>
/// <param name="BatchNormImages">Unlabeled images the random+BN baseline's BatchNorm statistics are averaged over
/// (<see cref="BatchNormStatistics.DefaultImages"/>).</param>
/// <param name="Seed">Seed of the subsets, the random networks, the supervised network and the probes.</param>
public sealed record EvaluationChapterConfig(
    PretrainConfig? Pretrain = null,
    string PretrainRun = CourseRuns.Pretrain,
    LinearProbeConfig? Probes = null,
    int ProbeLabelsPerClass = 100,
    ClassifierTrainingConfig? Supervised = null,
    int SupervisedSteps = 240,
    int BatchNormImages = BatchNormStatistics.DefaultImages,
    int Seed = 0)
{
    /// <summary>The pretraining run to evaluate.</summary>
    public PretrainConfig Pretrain { get; init; } = Pretrain ?? PretrainConfig.Small;

    /// <summary>How the linear probes are fitted.</summary>
    public LinearProbeConfig Probes { get; init; } = Probes ?? LinearProbeConfig.Default;

    /// <summary>How the supervised reference network trains.</summary>
    public ClassifierTrainingConfig Supervised { get; init; } = Supervised ?? ClassifierTrainingConfig.Default;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first knob out of range.</summary>
    public void Validate()
    {
        Pretrain.Validate();
        Probes.Validate();
        Supervised.Validate();
        ArgumentException.ThrowIfNullOrWhiteSpace(PretrainRun);
        if (ProbeLabelsPerClass < 1) throw new ArgumentException($"{nameof(ProbeLabelsPerClass)} must be at least 1; got {ProbeLabelsPerClass}.", nameof(ProbeLabelsPerClass));
        if (SupervisedSteps < 1) throw new ArgumentException($"{nameof(SupervisedSteps)} must be at least 1; got {SupervisedSteps}.", nameof(SupervisedSteps));
        if (BatchNormImages < 1) throw new ArgumentException($"{nameof(BatchNormImages)} must be at least 1; got {BatchNormImages}.", nameof(BatchNormImages));
    }
}
