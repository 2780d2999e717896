namespace SplitBrain.Evaluation;

/// <summary>
/// One way of training a classifier in the label-efficiency experiment: what trains (<see cref="Mode"/>) and from which
/// weights (<see cref="Start"/>).
/// </summary>
/// <param name="Name">The line's name on charts and tables, e.g. "frozen, pretrained".</param>
/// <param name="Mode">What trains: the head only, everything, or everything from fresh weights.</param>
/// <param name="Start">The weights the classifier starts from. Irrelevant for <see cref="ClassifierMode.Scratch"/>, which
/// always starts from fresh weights.</param>
public sealed record LabelEfficiencyWay(string Name, ClassifierMode Mode, StartingWeights Start)
{
    /// <summary>The pretrained network frozen, a head trained on its features.</summary>
    public static LabelEfficiencyWay FrozenPretrained { get; } = new("frozen, pretrained", ClassifierMode.Frozen, StartingWeights.Pretrained);

    /// <summary>The control of <see cref="FrozenPretrained"/>: the same architecture at random initialisation, its
    /// BatchNorm statistics re-estimated on unlabeled images (<see cref="RandomNetworks"/>), frozen, a head trained on
    /// its features. The gap between the two is what pretraining's weights put into the features.</summary>
    public static LabelEfficiencyWay FrozenRandomBatchNorm { get; } = new("frozen, random+BN", ClassifierMode.Frozen, StartingWeights.RandomWithBatchNorm);

    /// <summary>The weaker control: the random network with the statistics it was created with (0 and 1). The gap to
    /// <see cref="FrozenRandomBatchNorm"/> is what normalisation alone buys.</summary>
    public static LabelEfficiencyWay FrozenRandom { get; } = new("frozen, random init", ClassifierMode.Frozen, StartingWeights.Random);

    /// <summary>The pretrained network and a head, all trained (the backbone at a lower learning rate).</summary>
    public static LabelEfficiencyWay FineTuned { get; } = new("fine-tuned, pretrained", ClassifierMode.FineTune, StartingWeights.Pretrained);

    /// <summary>The baseline of <see cref="FineTuned"/>: the same network from random weights, all trained.</summary>
    public static LabelEfficiencyWay Scratch { get; } = new("from scratch", ClassifierMode.Scratch, StartingWeights.Random);

    /// <summary>The five ways, in the order of the summary table.</summary>
    public static IReadOnlyList<LabelEfficiencyWay> All { get; } = [FrozenPretrained, FrozenRandomBatchNorm, FrozenRandom, FineTuned, Scratch];
}

/// <summary>The weights a classifier of the label-efficiency experiment starts from.</summary>
public enum StartingWeights
{
    /// <summary>The pretrained network's.</summary>
    Pretrained,

    /// <summary>A random initialisation of the same architecture (<see cref="RandomNetworks.Random"/>).</summary>
    Random,

    /// <summary>That initialisation with BatchNorm statistics re-estimated on unlabeled images
    /// (<see cref="RandomNetworks.RandomWithBatchNorm"/>).</summary>
    RandomWithBatchNorm,
}
