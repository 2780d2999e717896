using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Course;

/// <summary>The knobs of chapter 07 (what makes the features good: a recipe study at a fixed budget).</summary>
/// <param name="Pretrain">The baseline recipe: chapter 04's knob; <see cref="PretrainConfig.Small"/> when null. Every
/// variant changes one setting of it, and every run gets the same budget of <paramref name="RunMinutes"/>.</param>
/// <param name="RunMinutes">Minutes of training steps every run gets (<see cref="PretrainConfig.Minutes"/>): the
/// learning-rate schedule spans them, and a faster recipe makes more steps in them.</param>
/// <param name="Seeds">The seeds every variant runs with (its pretraining, its random+BN floor and its probe); the spread
/// over them is the noise a difference must clear. Default 0 and 1.</param>
/// <param name="Variants">The names of the variants to run (<see cref="AllVariants"/>); all when null. The baseline always
/// runs.</param>
/// <param name="Layers">The layers probed; conv5 when null.</param>
/// <param name="Probes">How the probes are fitted; <see cref="LinearProbeConfig.Default"/> when null.</param>
/// <param name="ProbeLabelsPerClass">Labeled images per class the probes are fitted on.</param>
/// <param name="RunSteps">A budget of optimizer steps for every run instead of <paramref name="RunMinutes"/>; null (the
/// default) for minutes. Steps make a study's runs the same on every machine and in every shard (minutes buy steps at the
/// speed measured), which tests of sharded studies need.</param>
public sealed record RecipeStudyChapterConfig(
    PretrainConfig? Pretrain = null,
    double RunMinutes = 0.25,
    int[]? Seeds = null,
    string[]? Variants = null,
    FeatureLayer[]? Layers = null,
    LinearProbeConfig? Probes = null,
    int ProbeLabelsPerClass = 100,
    int? RunSteps = null)
{
    /// <summary>The baseline recipe.</summary>
    public PretrainConfig Pretrain { get; init; } = Pretrain ?? PretrainConfig.Small;

    /// <summary>The seeds.</summary>
    public int[] Seeds { get; init; } = Seeds ?? [0, 1];

    /// <summary>The layers probed.</summary>
    public FeatureLayer[] Layers { get; init; } = Layers ?? [FeatureLayer.Conv5];

    /// <summary>How the probes are fitted.</summary>
    public LinearProbeConfig Probes { get; init; } = Probes ?? LinearProbeConfig.Default;

    /// <summary>
    /// Every variant of the study, the baseline first: <see cref="Pretrain"/> with a budget of <see cref="RunMinutes"/> and
    /// no previews, and one run per change of it: class rebalancing off, soft targets, half and twice the learning rate,
    /// no warm-up, half and twice the batch size, no augmentation, 20 L bins instead of 100, the default (wider)
    /// network, and the other precision than the one <c>Auto</c> picks here.
    /// </summary>
    /// <returns>The variants.</returns>
    public IReadOnlyList<RecipeVariant> AllVariants()
    {
        var baseline = Pretrain with { Minutes = RunSteps is null ? RunMinutes : null, Steps = RunSteps, PreviewImages = 0 };
        var device = Devices.Resolve(baseline.Device);
        var other = Precisions.Resolve(baseline.Precision, device) == TorchSharp.torch.ScalarType.BFloat16 ? Precision.Float32 : Precision.BFloat16;
        return
        [
            new("baseline", "baseline", baseline),
            new("no-rebalance", "no class rebalancing", baseline with { Rebalance = false }),
            new("soft", "soft targets", baseline with { Targets = baseline.Targets with { Soft = true } }),
            new("lr-half", $"learning rate {baseline.LearningRate / 2:G3}", baseline with { LearningRate = baseline.LearningRate / 2 }),
            new("lr-double", $"learning rate {baseline.LearningRate * 2:G3}", baseline with { LearningRate = baseline.LearningRate * 2 }),
            new("no-warmup", "no warm-up", baseline with { WarmupSteps = 0 }),
            new("batch-half", $"batches of {baseline.BatchSize / 2}", baseline with { BatchSize = Math.Max(2, baseline.BatchSize / 2) }),
            new("batch-double", $"batches of {baseline.BatchSize * 2}", baseline with { BatchSize = baseline.BatchSize * 2 }),
            new("no-augmentation", "no augmentation", baseline with { Augmentation = AugmentationConfig.None }),
            new("l20", "20 L bins", baseline with { Targets = baseline.Targets with { LightnessBins = 20 } }),
            new("wide", "the wider network (ModelConfig.Default)", baseline with { Model = ModelConfig.Default }),
            new(other == Precision.Float32 ? "float32" : "bfloat16", $"{Precisions.Name(Precisions.Resolve(other, device))} compute", baseline with { Precision = other }),
        ];
    }

    /// <summary>The variants this study runs: the baseline and those named in <see cref="Variants"/> (all when null).</summary>
    /// <returns>The variants, the baseline first.</returns>
    /// <exception cref="ArgumentException">A name in <see cref="Variants"/> is not a variant.</exception>
    public IReadOnlyList<RecipeVariant> Chosen()
    {
        var all = AllVariants();
        if (Variants is null)
            return all;
        var unknown = Variants.Where(v => all.All(a => a.Name != v)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException(
                $"{nameof(Variants)} names {string.Join(", ", unknown)}, which are not variants; the variants are {string.Join(", ", all.Select(a => a.Name))}.",
                nameof(Variants));
        return [.. all.Where(a => a.Name == "baseline" || Variants.Contains(a.Name))];
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first knob out of range.</summary>
    public void Validate()
    {
        Pretrain.Validate();
        Probes.Validate();
        if (!(RunMinutes > 0)) throw new ArgumentException($"{nameof(RunMinutes)} must be positive; got {RunMinutes}.", nameof(RunMinutes));
        if (Seeds.Length == 0 || Seeds.Distinct().Count() != Seeds.Length || Seeds.Any(s => s < 0))
            throw new ArgumentException($"{nameof(Seeds)} must hold distinct seeds, at least 0; got [{string.Join(", ", Seeds)}].", nameof(Seeds));
        if (Layers.Length == 0) throw new ArgumentException($"{nameof(Layers)} must name at least one layer.", nameof(Layers));
        if (RunSteps is < 1) throw new ArgumentException($"{nameof(RunSteps)} must be at least 1 when set; got {RunSteps}.", nameof(RunSteps));
        if (ProbeLabelsPerClass < 1) throw new ArgumentException($"{nameof(ProbeLabelsPerClass)} must be at least 1; got {ProbeLabelsPerClass}.", nameof(ProbeLabelsPerClass));
        foreach (var variant in Chosen())
            variant.Config.Validate();
    }
}
