namespace SplitBrain.Models;

/// <summary>
/// One layer of a <see cref="SubNetwork"/> as <see cref="ModelSummary"/> describes it for a given input size: what it
/// is, the shape it outputs, its parameters, and how much of the input each of its outputs sees.
/// </summary>
/// <param name="Name">The layer's name and state_dict prefix (<c>conv1</c>, <c>pool1</c>, ..., <c>pred</c>).</param>
/// <param name="Kind"><c>"conv+bn+relu"</c>, <c>"conv+relu"</c>, <c>"max-pool"</c> or <c>"conv"</c> (the prediction).</param>
/// <param name="Kernel">Square kernel size.</param>
/// <param name="Stride">The layer's own stride.</param>
/// <param name="Padding">Padding on each side.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="OutChannels">Output channels (C of the output shape).</param>
/// <param name="Height">Output height h for the summary's input height.</param>
/// <param name="Width">Output width w for the summary's input width.</param>
/// <param name="Parameters">Trainable parameters of the layer (weights, biases, BatchNorm scale and shift; not the
/// running statistics, which are buffers).</param>
/// <param name="ReceptiveField">Side, in input pixels, of the window one output of this layer depends on.</param>
/// <param name="EffectiveStride">Input pixels between neighbouring outputs of this layer (product of the strides so far).</param>
/// <param name="FirstCenter">Input coordinate (pixel i at i, 0-based) of the centre of the first output's window; output
/// k is centred at <c>FirstCenter + k * EffectiveStride</c>. Negative or off-centre values show padding at work.</param>
/// <param name="Feature">The feature layer this layer produces, or null for pool1 and pred.</param>
public sealed record LayerInfo(
    string Name,
    string Kind,
    int Kernel,
    int Stride,
    int Padding,
    int InChannels,
    int OutChannels,
    int Height,
    int Width,
    long Parameters,
    int ReceptiveField,
    int EffectiveStride,
    double FirstCenter,
    FeatureLayer? Feature);
