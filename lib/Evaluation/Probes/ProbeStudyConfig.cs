using SplitBrain.Models;

namespace SplitBrain.Evaluation;

/// <summary>
/// What <see cref="ProbeStudy.Run"/> compares and how: the seeds, the layers, the probes, the labels, and which
/// baselines (random init, random+BN, supervised) go beside the network studied.
/// </summary>
/// <param name="Seeds">The seeds, each at least 0, distinct: each seed draws the random baselines' weights, the supervised
/// baseline's training, the labeled subset and the probes' shuffles; [0] when null.</param>
/// <param name="Layers">The layers to probe; conv1 to fc7 (<see cref="LinearProbes.AllLayers"/>) when null.</param>
/// <param name="Probes">How features are pooled and probes trained (its <c>Seed</c> is replaced by each seed);
/// <see cref="LinearProbeConfig.Default"/> when null.</param>
/// <param name="LabelsPerClass">Labeled training images per class the probes (and the supervised baseline) train on, a
/// <see cref="LabeledSubset.PerClass"/> subset drawn per seed; <see cref="LabeledSubset.All"/> (the default) for every
/// training image.</param>
/// <param name="NetworkName">The studied network's column, e.g. "pretrained"; null to probe only the baselines (the
/// network then only gives their architecture).</param>
/// <param name="RandomInit">Probe the architecture at a random initialisation (<see cref="RandomNetworks.Random"/>);
/// true.</param>
/// <param name="RandomBatchNorm">Probe that initialisation with BatchNorm statistics re-estimated on the training images,
/// without their labels (<see cref="RandomNetworks.RandomWithBatchNorm"/>); true.</param>
/// <param name="BatchNormImages">How many training images the re-estimation averages over, at least 1;
/// <see cref="BatchNormStatistics.DefaultImages"/>.</param>
/// <param name="SupervisedSteps">Optimizer steps of the supervised baseline (<see cref="SupervisedBaseline"/>); 0 (the
/// default) for none.</param>
/// <param name="Supervised">How the supervised baseline trains (its epochs and seed are replaced);
/// <see cref="ClassifierTrainingConfig.Default"/> when null.</param>
public sealed record ProbeStudyConfig(
    IReadOnlyList<int>? Seeds = null,
    IReadOnlyList<FeatureLayer>? Layers = null,
    LinearProbeConfig? Probes = null,
    int LabelsPerClass = LabeledSubset.All,
    string? NetworkName = ProbeStudy.PretrainedName,
    bool RandomInit = true,
    bool RandomBatchNorm = true,
    int BatchNormImages = BatchNormStatistics.DefaultImages,
    int SupervisedSteps = 0,
    ClassifierTrainingConfig? Supervised = null)
{
    /// <summary>The seeds.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = Seeds ?? [0];

    /// <summary>The layers to probe.</summary>
    public IReadOnlyList<FeatureLayer> Layers { get; init; } = Layers ?? LinearProbes.AllLayers;

    /// <summary>How features are pooled and probes trained.</summary>
    public LinearProbeConfig Probes { get; init; } = Probes ?? LinearProbeConfig.Default;

    /// <summary>How the supervised baseline trains.</summary>
    public ClassifierTrainingConfig Supervised { get; init; } = Supervised ?? ClassifierTrainingConfig.Default;

    /// <summary>The columns of the table, in order: the studied network (when named), random init, random+BN,
    /// supervised, as chosen.</summary>
    public IReadOnlyList<string> Networks =>
    [
        .. NetworkName is null ? Array.Empty<string>() : [NetworkName],
        .. RandomInit ? [RandomNetworks.RandomName] : Array.Empty<string>(),
        .. RandomBatchNorm ? [RandomNetworks.RandomBatchNormName] : Array.Empty<string>(),
        .. SupervisedSteps > 0 ? [SupervisedBaseline.Name] : Array.Empty<string>(),
    ];

    /// <summary>Checks every field, naming the first bad one.</summary>
    /// <returns>These options, for use inline.</returns>
    /// <exception cref="ArgumentException">A field is out of range, or nothing would be probed.</exception>
    public ProbeStudyConfig Validate()
    {
        const string record = nameof(ProbeStudyConfig);
        if (Seeds.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(Seeds), Seeds.Count, $"{record}.{nameof(Seeds)} must name at least one seed.");
        foreach (var seed in Seeds.Where(s => s < 0))
            throw new ArgumentOutOfRangeException(nameof(Seeds), seed, $"{record}.{nameof(Seeds)} must be at least 0; got {seed}.");
        if (Seeds.Distinct().Count() != Seeds.Count)
            throw new ArgumentOutOfRangeException(nameof(Seeds), string.Join(", ", Seeds), $"{record}.{nameof(Seeds)} repeats a seed: {string.Join(", ", Seeds)}.");
        if (Layers.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(Layers), 0, $"{record}.{nameof(Layers)} must name at least one layer.");
        foreach (var layer in Layers.Where(l => !Enum.IsDefined(l)))
            throw new ArgumentOutOfRangeException(nameof(Layers), layer, $"{record}.{nameof(Layers)} has {layer}, which is not a {nameof(FeatureLayer)}.");
        Probes.Validate();
        ConfigChecks.AtLeast(record, LabelsPerClass, 1, nameof(LabelsPerClass));
        if (NetworkName is { } name && string.IsNullOrWhiteSpace(name))
            throw new ArgumentOutOfRangeException(nameof(NetworkName), name, $"{record}.{nameof(NetworkName)} must be a name, or null to probe only the baselines.");
        ConfigChecks.AtLeast(record, BatchNormImages, 1, nameof(BatchNormImages));
        ConfigChecks.AtLeast(record, SupervisedSteps, 0, nameof(SupervisedSteps));
        Supervised.Validate();
        if (Networks.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(NetworkName), null, $"{record}.{nameof(NetworkName)} is null and every baseline is off: nothing to probe; name the network, or keep a baseline.");
        if (Networks.Distinct().Count() != Networks.Count)
            throw new ArgumentOutOfRangeException(nameof(NetworkName), NetworkName, $"{record}.{nameof(NetworkName)} '{NetworkName}' is a baseline's name; give the network another.");
        return this;
    }
}
