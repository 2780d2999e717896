using SplitBrain.Evaluation;
using SplitBrain.Training;

namespace SplitBrain.Course;

/// <summary>The knobs of chapter 06 (evaluation and experiments).</summary>
/// <param name="Pretrain">The pretraining run to evaluate: chapter 04's knob; <see cref="PretrainConfig.Small"/> when null.</param>
/// <param name="PretrainRun">The pretraining run's folder name (trained first if missing).</param>
/// <param name="Probes">How the linear probes are fitted; <see cref="LinearProbeOptions.Default"/> (9,600 values per
/// layer, as in the paper) when null.</param>
/// <param name="ProbeLabelsPerClass">Labeled images per class the probes are fitted on (the whole training split when
/// larger).</param>
/// <param name="Supervised">How the supervised reference network trains (from scratch, on the probes' labels);
/// <see cref="FineTuneConfig.Default"/> when null. Its <c>Epochs</c> is replaced to make
/// <paramref name="SupervisedSteps"/> steps.</param>
/// <param name="SupervisedSteps">Optimizer steps of the supervised reference network.</param>
/// <param name="AblationEpochs">Epochs of every ablation run (short: each run is a baseline of its own, so the
/// comparison is fair, but the absolute numbers are below chapter 04's).</param>
/// <param name="AblationImages">Unlabeled images of every ablation run (0: all of <paramref name="Pretrain"/>'s).</param>
/// <param name="Seed">Seed of the subsets, the supervised network and the probes.</param>
public sealed record EvaluationKnobs(
    PretrainConfig? Pretrain = null,
    string PretrainRun = CourseRuns.Pretrain,
    LinearProbeOptions? Probes = null,
    int ProbeLabelsPerClass = 100,
    FineTuneConfig? Supervised = null,
    int SupervisedSteps = 240,
    int AblationEpochs = 3,
    int AblationImages = 4000,
    int Seed = 0)
{
    /// <summary>The pretraining run to evaluate.</summary>
    public PretrainConfig Pretrain { get; init; } = Pretrain ?? PretrainConfig.Small;

    /// <summary>How the linear probes are fitted.</summary>
    public LinearProbeOptions Probes { get; init; } = Probes ?? LinearProbeOptions.Default;

    /// <summary>How the supervised reference network trains.</summary>
    public FineTuneConfig Supervised { get; init; } = Supervised ?? FineTuneConfig.Default;

    /// <summary>
    /// The ablation study: a short baseline (<see cref="Pretrain"/> cut to <see cref="AblationEpochs"/> epochs of
    /// <see cref="AblationImages"/> images) and four runs that each change one thing of the paper's recipe: soft
    /// instead of hard targets, no class rebalancing, 20 L bins instead of 100, no BatchNorm.
    /// </summary>
    /// <returns>The runs, the baseline first.</returns>
    public IReadOnlyList<Ablation> Ablations()
    {
        var baseline = Pretrain with
        {
            Epochs = AblationEpochs,
            Data = Pretrain.Data with { MaxImages = AblationImages },
            PreviewImages = 0,
        };
        return
        [
            new("ablation-baseline", "baseline", baseline),
            new("ablation-soft", "soft targets", baseline with { Targets = baseline.Targets with { Soft = true } }),
            new("ablation-no-rebalance", "no rebalancing", baseline with { Rebalance = false }),
            new("ablation-l20", "20 L bins", baseline with { Targets = baseline.Targets with { LightnessBins = 20 } }),
            new("ablation-no-batchnorm", "no BatchNorm", baseline with { Model = baseline.Model with { BatchNorm = false } }),
        ];
    }

    /// <summary>How the supervised reference network trains on <paramref name="images"/> labeled images:
    /// <see cref="Supervised"/> with as many epochs as make <see cref="SupervisedSteps"/> steps.</summary>
    /// <param name="images">Labeled training images.</param>
    /// <returns>The training settings.</returns>
    public FineTuneConfig SupervisedTraining(int images) => Supervised.ForSteps(SupervisedSteps, images) with { Seed = Seed };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first knob out of range.</summary>
    public void Validate()
    {
        Pretrain.Validate();
        Probes.Validate();
        Supervised.Validate();
        ArgumentException.ThrowIfNullOrWhiteSpace(PretrainRun);
        if (ProbeLabelsPerClass < 1) throw new ArgumentException($"{nameof(ProbeLabelsPerClass)} must be at least 1; got {ProbeLabelsPerClass}.", nameof(ProbeLabelsPerClass));
        if (SupervisedSteps < 1) throw new ArgumentException($"{nameof(SupervisedSteps)} must be at least 1; got {SupervisedSteps}.", nameof(SupervisedSteps));
        if (AblationEpochs < 1) throw new ArgumentException($"{nameof(AblationEpochs)} must be at least 1; got {AblationEpochs}.", nameof(AblationEpochs));
        if (AblationImages < 0) throw new ArgumentException($"{nameof(AblationImages)} must be 0 (all) or positive; got {AblationImages}.", nameof(AblationImages));
        foreach (var ablation in Ablations())
            ablation.Config.Validate();
    }
}
