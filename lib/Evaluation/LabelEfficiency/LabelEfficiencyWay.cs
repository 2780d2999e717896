namespace SplitBrain.Evaluation;

/// <summary>
/// One way of training a classifier in the label-efficiency experiment: what trains (<see cref="Mode"/>) and from which
/// weights (<see cref="Pretrained"/>).
/// </summary>
/// <param name="Name">The line's name on charts and tables, e.g. "frozen, pretrained".</param>
/// <param name="Mode">What trains: the head only, everything, or everything from fresh weights.</param>
/// <param name="Pretrained">Start from the pretrained network (true) or from the same architecture at random
/// initialisation (false). Irrelevant for <see cref="ClassifierMode.Scratch"/>, which always starts from fresh weights.</param>
public sealed record LabelEfficiencyWay(string Name, ClassifierMode Mode, bool Pretrained)
{
    /// <summary>The pretrained network frozen, a head trained on its features.</summary>
    public static LabelEfficiencyWay FrozenPretrained { get; } = new("frozen, pretrained", ClassifierMode.Frozen, true);

    /// <summary>The control of <see cref="FrozenPretrained"/>: a randomly initialised network frozen, a head trained on
    /// its features. The gap between the two is what pretraining put into the features.</summary>
    public static LabelEfficiencyWay FrozenRandom { get; } = new("frozen, random init", ClassifierMode.Frozen, false);

    /// <summary>The pretrained network and a head, all trained (the backbone at a lower learning rate).</summary>
    public static LabelEfficiencyWay FineTuned { get; } = new("fine-tuned, pretrained", ClassifierMode.FineTune, true);

    /// <summary>The baseline of <see cref="FineTuned"/>: the same network from random weights, all trained.</summary>
    public static LabelEfficiencyWay Scratch { get; } = new("from scratch", ClassifierMode.Scratch, false);

    /// <summary>The four ways, in the order of the summary table.</summary>
    public static IReadOnlyList<LabelEfficiencyWay> All { get; } = [FrozenPretrained, FrozenRandom, FineTuned, Scratch];
}
