namespace SplitBrain.Training.Objectives;

/// <summary>How a prediction of channel values is scored (Zhang, Isola, Efros 2017, sec. 3.1 and table 2: "cl" and "reg").</summary>
public enum LossKind
{
    /// <summary>"cl": logits over the channels' quantized bins, scored by the (optionally rebalanced) cross-entropy against
    /// the bin targets (<see cref="SplitBrainLoss.CrossEntropy"/>).</summary>
    Classification,

    /// <summary>"reg": the channels' normalised values themselves, scored by an L2 loss (<see cref="RegressionLoss"/>).</summary>
    Regression,
}
