using SplitBrain.Quantization;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SplitBrain.Models;

/// <summary>
/// The split-brain autoencoder (Zhang, Isola, Efros 2017, sec. 3): two disjoint sub-networks, F1 seeing the first
/// channel subset (L) and predicting the second's bins (313 ab bins), F2 seeing the second (ab) and predicting the
/// first's bins (100 L bins). Their concatenated features are the learned representation.
/// </summary>
/// <remarks>
/// <para>Children <c>f1</c> and <c>f2</c> (two <see cref="SubNetwork"/>s of the same <see cref="ModelConfig"/>), so
/// state_dict keys read <c>f1.conv1.conv.weight</c>, <c>f2.pred.bias</c>.</para>
/// <para><see cref="call"/> takes the two inputs as separate arguments because each half has its own input (a channel
/// split of the image, normalised), and the two outputs come back as a named tuple that deconstructs into the two logits,
/// <c>var (abLogits, lLogits) = net.call(l, ab);</c>. A single Lab input split inside the module would tie the network to
/// one colour space and one normalisation, which belong to <c>SplitBrain.Color</c>.</para>
/// <para>A <see cref="FeatureNetwork"/>, so probes and classifiers read it as they read the full-width networks of the
/// paper's other objectives (<see cref="FullWidthNet"/>).</para>
/// </remarks>
public sealed class SplitBrainNet : FeatureNetwork
{
    private readonly SubNetwork f1;
    private readonly SubNetwork f2;

    private SplitBrainNet(SubNetwork first, SubNetwork second) : base(nameof(SplitBrainNet))
    {
        f1 = first;
        f2 = second;
        RegisterComponents();
    }

    /// <summary>
    /// Creates the network with the factory's initialisation (<see cref="WeightInit"/>, drawn from torch's global
    /// generator: call <c>torch.manual_seed</c> first for reproducible weights; F1 is drawn before F2).
    /// </summary>
    /// <param name="config">The architecture of both halves; validated.</param>
    /// <param name="firstChannels">Channels of the first subset (1 for L): F1's input.</param>
    /// <param name="secondChannels">Channels of the second subset (2 for ab): F2's input.</param>
    /// <param name="firstBins">Bins of the first subset (100 L bins): F2's output channels.</param>
    /// <param name="secondBins">Bins of the second subset (313 ab bins): F1's output channels.</param>
    /// <param name="device">Where to put the weights, after initialising them on the CPU; the CPU when null.</param>
    /// <exception cref="ArgumentException">A count is below 1 or a field of <paramref name="config"/> is invalid.</exception>
    public static SplitBrainNet Create(ModelConfig config, int firstChannels, int secondChannels, int firstBins, int secondBins,
        Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        RequirePositive(firstChannels, nameof(firstChannels));
        RequirePositive(secondChannels, nameof(secondChannels));
        RequirePositive(firstBins, nameof(firstBins));
        RequirePositive(secondBins, nameof(secondBins));
        var first = SubNetwork.Create("F1", firstChannels, secondBins, config, device);
        var second = SubNetwork.Create("F2", secondChannels, firstBins, config, device);
        return new SplitBrainNet(first, second);
    }

    /// <summary>
    /// <see cref="Create(ModelConfig, int, int, int, int, Device?)"/> with the channel and bin counts of two quantizers:
    /// <c>SplitBrainNet.Create(cfg, Quantizer.Lightness(), Quantizer.AbGamut())</c> is the paper's L | ab network.
    /// </summary>
    /// <param name="config">The architecture of both halves; validated.</param>
    /// <param name="first">The quantizer of the first subset (L): its <see cref="Quantizer.Channels"/> are F1's input,
    /// its <see cref="Quantizer.Bins"/> F2's output.</param>
    /// <param name="second">The quantizer of the second subset (ab): its channels are F2's input, its bins F1's output.</param>
    /// <param name="device">Where to put the weights; the CPU when null.</param>
    public static SplitBrainNet Create(ModelConfig config, Quantizer first, Quantizer second, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return Create(config, first.Channels, second.Channels, first.Bins, second.Bins, device);
    }

    /// <summary>
    /// A network of the same architecture as <paramref name="network"/> (widths, channels, bins), at a fresh random
    /// initialisation, on the same device: the "random init" baseline of every evaluation, and the copy a classifier
    /// loads the pretrained weights into.
    /// </summary>
    /// <param name="network">The network to copy the architecture of (not changed).</param>
    /// <param name="seed">Seeds torch's global generator before the weights are drawn; null draws from it as it is.</param>
    /// <returns>The new network; the caller owns it.</returns>
    public static SplitBrainNet CreateLike(SplitBrainNet network, long? seed) => (SplitBrainNet)FeatureNetwork.CreateLike(network, seed);

    /// <inheritdoc/>
    protected override FeatureNetwork CreateFresh(Device device) =>
        Create(Config, f1.InChannels, f2.InChannels, f2.Bins, f1.Bins, device);

    /// <summary>F1: first subset in, second subset's bins out (L -&gt; ab).</summary>
    public SubNetwork F1 => f1;

    /// <summary>F2: second subset in, first subset's bins out (ab -&gt; L).</summary>
    public SubNetwork F2 => f2;

    /// <summary>The architecture of both halves.</summary>
    public override ModelConfig Config => f1.Config;

    /// <summary>F1 and F2, in that order.</summary>
    public override IReadOnlyList<SubNetwork> Towers => [f1, f2];

    /// <summary>Both halves' logits (<see cref="forward"/>).</summary>
    /// <param name="first">[N, F1.InChannels, H, W] normalised first subset (L).</param>
    /// <param name="second">[N, F2.InChannels, H, W] normalised second subset (ab).</param>
    public (Tensor F1, Tensor F2) call(Tensor first, Tensor second) => forward(first, second);

    /// <summary>Both halves' logits.</summary>
    /// <param name="first">[N, F1.InChannels, H, W] normalised first subset (L).</param>
    /// <param name="second">[N, F2.InChannels, H, W] normalised second subset (ab).</param>
    /// <returns>F1: [N, F1.Bins, h, w] logits over the second subset's bins; F2: [N, F2.Bins, h, w] logits over the
    /// first's.</returns>
    /// <exception cref="ArgumentException">An input has the wrong rank, channel count or dtype.</exception>
    public (Tensor F1, Tensor F2) forward(Tensor first, Tensor second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        using var scope = NewDisposeScope(); // frees F1's logits if F2 throws
        var logits1 = f1.call(first);
        var logits2 = f2.call(second);
        return (logits1.MoveToOuterDisposeScope(), logits2.MoveToOuterDisposeScope());
    }

    /// <summary>F1's maps of <paramref name="first"/> and F2's of <paramref name="second"/> (see
    /// <see cref="FeatureNetwork.TowerFeatures"/>); each half's alone: <c>net.F1.Features(...)</c>.</summary>
    /// <param name="first">[N, F1.InChannels, H, W] normalised first subset.</param>
    /// <param name="second">[N, F2.InChannels, H, W] normalised second subset, same N, H, W.</param>
    /// <param name="upTo">The deepest layer wanted.</param>
    public override IReadOnlyList<FeatureMaps> TowerFeatures(Tensor first, Tensor second, FeatureLayer upTo)
    {
        f1.CheckInput(first, nameof(first));
        f2.CheckInput(second, nameof(second));
        RequireSameGrid(first, second);
        var a = f1.Features(first, upTo);
        try
        {
            return [a, f2.Features(second, upTo)];
        }
        catch
        {
            a.Dispose();
            throw;
        }
    }
}
