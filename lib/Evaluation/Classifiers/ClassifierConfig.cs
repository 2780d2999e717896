using SplitBrain.Models;

namespace SplitBrain.Evaluation;

/// <summary>
/// A <see cref="SplitBrainClassifier"/>: what it trains (<see cref="Mode"/>) and the head it puts on the split-brain
/// features. Plain values, so it saves as JSON with a run.
/// </summary>
/// <param name="Mode">Frozen, fine-tuned or from scratch; <see cref="ClassifierMode.FineTune"/>.</param>
/// <param name="Layer">The layer whose concatenated F1 | F2 features feed the head; conv5 (see the remarks of
/// <see cref="SplitBrainClassifier"/> for why not fc7).</param>
/// <param name="PoolSide">The features are average-pooled to PoolSide x PoolSide before the head, at least 1; 1 (global
/// average pooling: 256 inputs for the default network's conv5). Larger grids keep where things are, at
/// <c>PoolSide^2</c> times the head's weights.</param>
/// <param name="Dropout">Dropout probability on the pooled features during training, in [0, 1); 0.5 (AlexNet's
/// classifier).</param>
public sealed record ClassifierConfig(
    ClassifierMode Mode = ClassifierMode.FineTune,
    FeatureLayer Layer = FeatureLayer.Conv5,
    int PoolSide = 1,
    double Dropout = 0.5)
{
    /// <summary>Only the head trains, on the frozen pretrained conv5.</summary>
    public static ClassifierConfig Frozen { get; } = new(ClassifierMode.Frozen);

    /// <summary>Everything trains, the pretrained layers at a lower learning rate (the defaults).</summary>
    public static ClassifierConfig FineTune { get; } = new();

    /// <summary>The same network freshly initialised, everything trained: the baseline.</summary>
    public static ClassifierConfig Scratch { get; } = new(ClassifierMode.Scratch);

    /// <summary>Checks every field, naming the first bad one.</summary>
    /// <returns>This configuration, for use inline.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of its range.</exception>
    public ClassifierConfig Validate()
    {
        if (!Enum.IsDefined(Mode))
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, $"{nameof(ClassifierConfig)}.{nameof(Mode)} {Mode} is not a {nameof(ClassifierMode)}.");
        if (!Enum.IsDefined(Layer))
            throw new ArgumentOutOfRangeException(nameof(Layer), Layer, $"{nameof(ClassifierConfig)}.{nameof(Layer)} {Layer} is not a {nameof(FeatureLayer)}.");
        ConfigChecks.AtLeast(nameof(ClassifierConfig), PoolSide, 1, nameof(PoolSide));
        ConfigChecks.InRange(nameof(ClassifierConfig), Dropout, 0, 1, nameof(Dropout), highOpen: true);
        return this;
    }
}

/// <summary>What a <see cref="SplitBrainClassifier"/> trains, and from where it starts.</summary>
public enum ClassifierMode
{
    /// <summary>Pretrained backbone, frozen (eval mode, no gradients, parameters not trainable): only the head learns.
    /// Measures the representation as it is, like a linear probe on one layer but with pooling, dropout and
    /// augmentation.</summary>
    Frozen,

    /// <summary>Pretrained backbone, trained along with the head, at a lower learning rate
    /// (<see cref="ClassifierTrainingConfig.BackboneLearningRateMultiplier"/>): the paper's fine-tuning (sec. 4.3).</summary>
    FineTune,

    /// <summary>The same architecture freshly initialised, everything trained at the full learning rate: the supervised
    /// baseline that tells what pretraining adds.</summary>
    Scratch,
}
