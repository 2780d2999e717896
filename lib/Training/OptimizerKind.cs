namespace SplitBrain.Training;

/// <summary>The optimizer of a pretraining run (<see cref="PretrainConfig.Optimizer"/>).</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma and Ba 2015) with beta1 = <see cref="PretrainConfig.Momentum"/>, beta2 = 0.999 and L2
    /// weight decay: forgiving of the learning rate, the usual choice for a short run.</summary>
    Adam,

    /// <summary>Stochastic gradient descent with momentum <see cref="PretrainConfig.Momentum"/> and L2 weight decay, as
    /// the original Caffe solvers.</summary>
    Sgd,
}
