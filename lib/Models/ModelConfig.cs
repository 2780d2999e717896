namespace SplitBrain.Models;

/// <summary>
/// The architecture of one sub-network of the split-brain autoencoder: a half-width AlexNet adapted to 96 x 96
/// inputs, the network the PyTorch peer (<c>shared/peers/pytorch_splitbrain.py</c>) benchmarks.
/// </summary>
/// <remarks>
/// <para>Layers, each convolution followed by BatchNorm (when <see cref="BatchNorm"/>) and ReLU:
/// conv1 <see cref="Conv1Kernel"/> x <see cref="Conv1Kernel"/> stride <see cref="Conv1Stride"/> (11 / 4, padding 5:
/// 96 -&gt; 24), pool1 3 x 3 max stride 2 padding 1 (24 -&gt; 12), conv2 5 x 5 padding 2, conv3-5 3 x 3 padding 1,
/// fc6 and fc7 as 1 x 1 convolutions of width <see cref="Fc"/>, then a 1 x 1 prediction convolution with one output per
/// bin (no BatchNorm, no ReLU). The total stride is <c>2 * Conv1Stride</c> (8): a 96 x 96 input gives 12 x 12 logits.</para>
/// <para>The widths are half of AlexNet's (Zhang, Isola, Efros 2017, sec. 3: each sub-network has half the channels, so
/// the concatenated features are as wide as AlexNet's). Unlike AlexNet there is no pool2 or pool5 and fc6 is 1 x 1, so
/// the prediction keeps a 12 x 12 grid, the resolution of the targets.</para>
/// <para>The number of input channels and of bins are not part of the configuration: they come from the channel split
/// and the quantizers (see <see cref="SplitBrainNet"/>).
/// Plain values only, so a configuration saves as JSON in a run folder.</para>
/// </remarks>
/// <param name="Conv1">Output channels of conv1; 48 (half of AlexNet's 96).</param>
/// <param name="Conv2">Output channels of conv2; 128 (half of 256).</param>
/// <param name="Conv3">Output channels of conv3; 192 (half of 384).</param>
/// <param name="Conv4">Output channels of conv4; 192 (half of 384).</param>
/// <param name="Conv5">Output channels of conv5; 128 (half of 256).</param>
/// <param name="Fc">Output channels of fc6 and fc7; 512 like the peer (the paper's half-AlexNet has 2048, see
/// <see cref="Paper"/>).</param>
/// <param name="BatchNorm">Whether every convolution but the prediction is followed by BatchNorm; true (the paper trains
/// with batch normalisation, sec. 4.1). Convolutions followed by BatchNorm have no bias: BatchNorm subtracts the
/// per-channel mean, so a bias there would get a zero gradient and change nothing.</param>
/// <param name="Conv1Kernel">Kernel size of conv1, odd (the padding is <c>(Conv1Kernel - 1) / 2</c>); 11 as in AlexNet.</param>
/// <param name="Conv1Stride">Stride of conv1; 4 as in AlexNet. The output grid is <c>ceil(H / (2 * Conv1Stride))</c>.</param>
public sealed record ModelConfig(
    int Conv1 = 48,
    int Conv2 = 128,
    int Conv3 = 192,
    int Conv4 = 192,
    int Conv5 = 128,
    int Fc = 512,
    bool BatchNorm = true,
    int Conv1Kernel = 11,
    int Conv1Stride = 4)
{
    /// <summary>
    /// The peer's network: widths 48, 128, 192, 192, 128, fc 512, BatchNorm, conv1 11 x 11 stride 4. The record's default, used by
    /// the benchmarks; not the network the course trains, which is <see cref="Small"/> (<c>PretrainConfig.Small</c>).
    /// </summary>
    public static ModelConfig Default { get; } = new();

    /// <summary>The paper's half-AlexNet widths: <see cref="Default"/> with fc6 and fc7 of width 2048 (a GPU run).</summary>
    public static ModelConfig Paper { get; } = new(Fc: 2048);

    /// <summary>
    /// A narrow network for fast CPU runs and tests: widths 16, 32, 48, 48, 32, fc 64 (a third to a quarter of the
    /// default's convolution widths, an eighth of its fc width: the L | ab network has 168,525 parameters instead of
    /// 2,746,989), with the same depth, kernels and strides, so shapes, receptive fields and the training code path are
    /// those of <see cref="Default"/>.
    /// </summary>
    public static ModelConfig Small { get; } = new(16, 32, 48, 48, 32, Fc: 64);

    /// <summary>
    /// The architecture of one network as wide as two halves of this one together (every width doubled, the geometry
    /// unchanged): the paper's full network for the objectives that train a single network (an autoencoder, a single
    /// cross-channel encoder; Zhang, Isola, Efros 2017, sec. 4.1), whose features are as wide as the split network's
    /// concatenated ones (<c>FullWidthNet</c>).
    /// </summary>
    public ModelConfig FullWidth() =>
        this with { Conv1 = 2 * Conv1, Conv2 = 2 * Conv2, Conv3 = 2 * Conv3, Conv4 = 2 * Conv4, Conv5 = 2 * Conv5, Fc = 2 * Fc };

    /// <summary>Padding of conv1: <c>(Conv1Kernel - 1) / 2</c>, which keeps each output centred on its input pixel.</summary>
    public int Conv1Padding() => (Conv1Kernel - 1) / 2;

    /// <summary>Output channels of a feature layer (<see cref="Fc"/> for fc6 and fc7).</summary>
    /// <param name="layer">The layer.</param>
    public int Width(FeatureLayer layer) => layer switch
    {
        FeatureLayer.Conv1 => Conv1,
        FeatureLayer.Conv2 => Conv2,
        FeatureLayer.Conv3 => Conv3,
        FeatureLayer.Conv4 => Conv4,
        FeatureLayer.Conv5 => Conv5,
        FeatureLayer.Fc6 or FeatureLayer.Fc7 => Fc,
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, $"{nameof(layer)} is not a {nameof(FeatureLayer)}."),
    };

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the first invalid field: widths and <see cref="Conv1Stride"/>
    /// must be at least 1, <see cref="Conv1Kernel"/> odd and at least 1.
    /// </summary>
    /// <returns>This configuration, so that <c>cfg.Validate()</c> can be used inline.</returns>
    public ModelConfig Validate()
    {
        RequireAtLeastOne(Conv1, nameof(Conv1));
        RequireAtLeastOne(Conv2, nameof(Conv2));
        RequireAtLeastOne(Conv3, nameof(Conv3));
        RequireAtLeastOne(Conv4, nameof(Conv4));
        RequireAtLeastOne(Conv5, nameof(Conv5));
        RequireAtLeastOne(Fc, nameof(Fc));
        RequireAtLeastOne(Conv1Kernel, nameof(Conv1Kernel));
        if (Conv1Kernel % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(Conv1Kernel), Conv1Kernel,
                $"{nameof(ModelConfig)}.{nameof(Conv1Kernel)} must be odd, so that the padding (k - 1) / 2 centres each " +
                $"output on its input pixel; got {Conv1Kernel}.");
        RequireAtLeastOne(Conv1Stride, nameof(Conv1Stride));
        return this;
    }

    private static void RequireAtLeastOne(int value, string field)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(field, value,
                $"{nameof(ModelConfig)}.{field} must be at least 1; got {value}.");
    }
}
