namespace SplitBrain.Evaluation;

/// <summary>What a <see cref="SplitBrainClassifier"/> trains, and from where it starts.</summary>
public enum ClassifierMode
{
    /// <summary>Pretrained backbone, frozen (eval mode, no gradients, parameters not trainable): only the head learns.
    /// Measures the representation as it is, like a linear probe on one layer but with pooling, dropout and
    /// augmentation.</summary>
    Frozen,

    /// <summary>Pretrained backbone, trained along with the head, at a lower learning rate
    /// (<see cref="FineTuneConfig.BackboneLearningRateMultiplier"/>): the paper's fine-tuning (sec. 4.3).</summary>
    FineTune,

    /// <summary>The same architecture freshly initialised, everything trained at the full learning rate: the supervised
    /// baseline that tells what pretraining adds.</summary>
    Scratch,
}
