namespace SplitBrain.Models;

/// <summary>
/// The layers of a sub-network whose activations (after ReLU) serve as features: the five convolutions and the two
/// fully connected layers of AlexNet, here 1x1 convolutions. Declared in network order, so comparisons follow depth
/// (<c>FeatureLayer.Conv2 &lt; FeatureLayer.Fc6</c>).
/// </summary>
/// <remarks>The paper evaluates representations at each of these layers with linear probes (Zhang, Isola, Efros 2017,
/// sec. 4.2, fig. 4 and table 1).</remarks>
public enum FeatureLayer
{
    /// <summary>conv1 (stride <see cref="ModelConfig.Conv1Stride"/>, 4 by default), before pool1.</summary>
    Conv1,

    /// <summary>conv2 (stride 8 by default).</summary>
    Conv2,

    /// <summary>conv3 (stride 8 by default).</summary>
    Conv3,

    /// <summary>conv4 (stride 8 by default).</summary>
    Conv4,

    /// <summary>conv5 (stride 8 by default).</summary>
    Conv5,

    /// <summary>fc6, a 1x1 convolution of width <see cref="ModelConfig.Fc"/>.</summary>
    Fc6,

    /// <summary>fc7, a 1x1 convolution of width <see cref="ModelConfig.Fc"/>.</summary>
    Fc7,
}
