using SplitBrain.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Models;

/// <summary>
/// One network as wide as the two halves of a <see cref="SplitBrainNet"/> together: the network of the paper's
/// objectives that do not split (an autoencoder, a denoising autoencoder, a single cross-channel encoder L -&gt; ab or
/// ab -&gt; L, the alternative aggregation; Zhang, Isola, Efros 2017, sec. 4.1 and table 2). It sees the channels of
/// <see cref="Input"/> and predicts <see cref="Outputs"/> values at every position of the coarse grid (bins' logits,
/// regressed channel values, or both side by side: the objective decides).
/// </summary>
/// <remarks>
/// <para>One child, <c>net</c>, a <see cref="SubNetwork"/> of <see cref="ModelConfig.FullWidth"/> (every width doubled),
/// so state_dict keys read <c>net.conv1.conv.weight</c>, <c>net.pred.bias</c>. Its features at each layer are as wide as
/// the split network's concatenated features, which is how the paper compares the two.</para>
/// <para>For features (<see cref="FeatureNetwork.Features"/>) it takes the same two inputs as the split network and uses
/// those of <see cref="Input"/>; a probe therefore reads both kinds alike.</para>
/// </remarks>
public sealed class FullWidthNet : FeatureNetwork
{
    private readonly SubNetwork net;

    private FullWidthNet(SubNetwork tower, ModelConfig config, NetworkInput input, int firstChannels, int secondChannels)
        : base(nameof(FullWidthNet))
    {
        net = tower;
        Config = config;
        Input = input;
        FirstChannels = firstChannels;
        SecondChannels = secondChannels;
        RegisterComponents();
    }

    /// <summary>
    /// Creates the network with the factory's initialisation (<see cref="WeightInit"/>, drawn from torch's global
    /// generator: call <c>torch.manual_seed</c> first for reproducible weights).
    /// </summary>
    /// <param name="config">The architecture of one half (the run's <c>ModelConfig</c>); the network is
    /// <see cref="ModelConfig.FullWidth"/> of it. Validated.</param>
    /// <param name="input">Which subsets the network sees.</param>
    /// <param name="firstChannels">Channels of the first subset (1 for L).</param>
    /// <param name="secondChannels">Channels of the second subset (2 for ab).</param>
    /// <param name="outputs">Output channels of the prediction layer.</param>
    /// <param name="device">Where to put the weights, after initialising them on the CPU; the CPU when null.</param>
    /// <exception cref="ArgumentException">A count is below 1, <paramref name="input"/> is undefined, or a field of
    /// <paramref name="config"/> is invalid.</exception>
    public static FullWidthNet Create(ModelConfig config, NetworkInput input, int firstChannels, int secondChannels, int outputs,
        Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (!Enum.IsDefined(input))
            throw new ArgumentOutOfRangeException(nameof(input), input, $"{nameof(input)} is not a {nameof(NetworkInput)}.");
        RequirePositive(firstChannels, nameof(firstChannels));
        RequirePositive(secondChannels, nameof(secondChannels));
        var inChannels = input switch
        {
            NetworkInput.First => firstChannels,
            NetworkInput.Second => secondChannels,
            _ => firstChannels + secondChannels,
        };
        var tower = SubNetwork.Create($"full {input}", inChannels, outputs, config.FullWidth(), device);
        return new FullWidthNet(tower, config, input, firstChannels, secondChannels);
    }

    /// <summary>The architecture of one half it was created from (its tower is <see cref="ModelConfig.FullWidth"/> of it).</summary>
    public override ModelConfig Config { get; }

    /// <summary>Which subsets it sees.</summary>
    public NetworkInput Input { get; }

    /// <summary>Channels of the first subset (1 for L).</summary>
    public int FirstChannels { get; }

    /// <summary>Channels of the second subset (2 for ab).</summary>
    public int SecondChannels { get; }

    /// <summary>Output channels of the prediction layer.</summary>
    public int Outputs => net.Bins;

    /// <summary>The one full-width tower.</summary>
    public SubNetwork Tower => net;

    /// <inheritdoc/>
    public override IReadOnlyList<SubNetwork> Towers => [net];

    /// <summary>The network's input made of the two subsets: the one <see cref="Input"/> names, or both concatenated.</summary>
    /// <param name="first">[N, <see cref="FirstChannels"/>, H, W] normalised first subset.</param>
    /// <param name="second">[N, <see cref="SecondChannels"/>, H, W] normalised second subset, same N, H, W.</param>
    /// <returns>[N, Tower.InChannels, H, W]: a view of one input or a new concatenation.</returns>
    public Tensor InputOf(Tensor first, Tensor second)
    {
        TensorArguments.RequireNchw(first, FirstChannels, "the normalised first subset", nameof(first));
        TensorArguments.RequireNchw(second, SecondChannels, "the normalised second subset", nameof(second));
        RequireSameGrid(first, second);
        return Input switch
        {
            NetworkInput.First => first.alias(),
            NetworkInput.Second => second.alias(),
            _ => cat([first, second], 1),
        };
    }

    /// <summary>The prediction at every position of the coarse grid.</summary>
    /// <param name="input">[N, Tower.InChannels, H, W] normalised values (<see cref="InputOf"/>).</param>
    /// <returns>[N, <see cref="Outputs"/>, h, w], float32.</returns>
    public Tensor call(Tensor input) => net.call(input);

    /// <inheritdoc/>
    public override IReadOnlyList<FeatureMaps> TowerFeatures(Tensor first, Tensor second, FeatureLayer upTo)
    {
        using var scope = NewDisposeScope();
        var maps = net.Features(InputOf(first, second), upTo);
        foreach (var (_, activation) in maps)
            activation.MoveToOuterDisposeScope();
        return [maps];
    }

    /// <inheritdoc/>
    protected override FeatureNetwork CreateFresh(Device device) =>
        Create(Config, Input, FirstChannels, SecondChannels, Outputs, device);
}
