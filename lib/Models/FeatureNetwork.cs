using SplitBrain.Color;
using SplitBrain.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Models;

/// <summary>
/// A network that pretraining trains and evaluation reads: whatever its objective, it turns an image's two channel
/// subsets (normalised L and ab by default) into a representation at each <see cref="FeatureLayer"/>. Probes, classifiers,
/// the random baselines and the tools read every network through this contract, so that any objective's run is evaluated
/// the same way.
/// </summary>
/// <remarks>
/// <para>Two kinds: <see cref="SplitBrainNet"/>, two half-width towers whose features are concatenated (the paper's
/// split-brain autoencoder), and <see cref="FullWidthNet"/>, one tower as wide as the two halves together (the paper's
/// autoencoders, single cross-channel encoders and alternative aggregation; Zhang, Isola, Efros 2017, sec. 4.1). At every
/// layer both give features of the same width, so their probes compare like with like.</para>
/// <para>Each tower is a <see cref="SubNetwork"/>; the towers' activations at a layer, in order, concatenated along the
/// channels, are the network's features there.</para>
/// </remarks>
public abstract class FeatureNetwork : nn.Module
{
    /// <summary>A module named <paramref name="name"/>.</summary>
    /// <param name="name">The module name.</param>
    protected FeatureNetwork(string name) : base(name)
    {
    }

    /// <summary>The architecture the network was created from (the run's <c>ModelConfig</c>: the widths of one half).</summary>
    public abstract ModelConfig Config { get; }

    /// <summary>The colour split the network takes its inputs in: that of the pretraining run that built or loaded it
    /// (<c>PretrainConfig.Split</c>), kept by <see cref="CreateLike"/>'s copies; <see cref="ColorSplit.Lab"/>, the paper's,
    /// unless set. Code that feeds it images converts them with it (<c>NetworkInputs.FromImages(images, network)</c>).</summary>
    public ColorSplit Split { get; internal set; }

    /// <summary>The towers, in the order their features are concatenated. They share the geometry (kernels, strides).</summary>
    public abstract IReadOnlyList<SubNetwork> Towers { get; }

    /// <summary>Channels of the features at <paramref name="layer"/>: the towers' widths together.</summary>
    /// <param name="layer">The layer.</param>
    public int FeatureChannels(FeatureLayer layer) => Towers.Sum(t => t.FeatureChannels(layer));

    /// <summary>
    /// Each tower's activations (after ReLU) from conv1 up to <paramref name="upTo"/>, in <see cref="Towers"/>' order; later
    /// layers are not computed. Runs with autograd as the caller has it (wrap in <c>no_grad</c> and call <c>eval()</c> for a
    /// probe). Pooling each tower's maps before concatenating them gives the same values as pooling <see cref="Features"/>.
    /// </summary>
    /// <param name="first">[N, C1, H, W] normalised first subset (L).</param>
    /// <param name="second">[N, C2, H, W] normalised second subset (ab), same N, H, W.</param>
    /// <param name="upTo">The deepest layer wanted.</param>
    /// <returns>One <see cref="FeatureMaps"/> per tower; the caller owns them.</returns>
    /// <exception cref="ArgumentException">An input has the wrong rank, channel count or dtype, or the two differ in N, H or W.</exception>
    public abstract IReadOnlyList<FeatureMaps> TowerFeatures(Tensor first, Tensor second, FeatureLayer upTo);

    /// <summary>
    /// The representation at <paramref name="layer"/>: the towers' activations concatenated along the channels (for
    /// <see cref="SplitBrainNet"/> F1's then F2's, the paper's feature of an image, sec. 3).
    /// </summary>
    /// <param name="first">[N, C1, H, W] normalised first subset (L).</param>
    /// <param name="second">[N, C2, H, W] normalised second subset (ab), same N, H, W.</param>
    /// <param name="layer">The layer.</param>
    /// <returns>[N, <see cref="FeatureChannels"/>(layer), h, w].</returns>
    /// <exception cref="ArgumentException">An input has the wrong rank, channel count or dtype, or the two differ in N, H or W.</exception>
    public Tensor Features(Tensor first, Tensor second, FeatureLayer layer)
    {
        using var scope = NewDisposeScope();
        var maps = TowerFeatures(first, second, layer);
        try
        {
            return (maps.Count == 1 ? maps[0].Last.alias() : cat([.. maps.Select(m => m.Last)], 1)).MoveToOuterDisposeScope();
        }
        finally
        {
            foreach (var m in maps)
                m.Dispose();
        }
    }

    /// <summary>
    /// A network of the same kind and architecture as <paramref name="network"/>, at a fresh random initialisation, on the
    /// same device: the "random init" baseline of every evaluation, and the copy a classifier loads pretrained weights into.
    /// </summary>
    /// <param name="network">The network to copy the architecture of (not changed).</param>
    /// <param name="seed">Seeds torch's global generator before the weights are drawn; null draws from it as it is.</param>
    /// <returns>The new network; the caller owns it.</returns>
    public static FeatureNetwork CreateLike(FeatureNetwork network, long? seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (seed is { } value)
            torch.manual_seed(value);
        var copy = network.CreateFresh(network.parameters().First().device);
        copy.Split = network.Split;
        return copy;
    }

    /// <summary>A freshly initialised network of this kind and architecture on <paramref name="device"/>.</summary>
    /// <param name="device">Where to put the weights.</param>
    protected abstract FeatureNetwork CreateFresh(Device device);

    /// <summary>Throws unless <paramref name="value"/> is at least 1, naming <paramref name="paramName"/>.</summary>
    private protected static void RequirePositive(int value, string paramName)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be at least 1; got {value}.");
    }

    /// <summary>Throws unless <paramref name="first"/> and <paramref name="second"/> agree in N, H and W.</summary>
    private protected static void RequireSameGrid(Tensor first, Tensor second)
    {
        if (first.shape[0] != second.shape[0] || first.shape[2] != second.shape[2] || first.shape[3] != second.shape[3])
            throw new ArgumentException(
                $"{nameof(second)} {TensorArguments.Describe(second)} must have the batch size, height and width of " +
                $"{nameof(first)} {TensorArguments.Describe(first)}: the two subsets belong to the same images.",
                nameof(second));
    }
}
