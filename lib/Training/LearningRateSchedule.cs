namespace SplitBrain.Training;

/// <summary>
/// How the learning rate changes over a run (<see cref="PretrainConfig.Schedule"/>), after a linear warm-up of
/// <see cref="PretrainConfig.WarmupSteps"/> steps; <see cref="PretrainConfig.LearningRateAt"/> computes it.
/// </summary>
public enum LearningRateSchedule
{
    /// <summary><see cref="PretrainConfig.LearningRate"/> throughout.</summary>
    Constant,

    /// <summary>Half a cosine from <see cref="PretrainConfig.LearningRate"/> down to 0 at the last step
    /// (Loshchilov and Hutter 2017, without restarts).</summary>
    Cosine,

    /// <summary>Multiplied by <see cref="PretrainConfig.StepFactor"/> every <see cref="PretrainConfig.StepEpochs"/>
    /// epochs, as the Caffe "step" policy.</summary>
    Step,
}
