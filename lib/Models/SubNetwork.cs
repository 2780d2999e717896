using SplitBrain.Quantization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SplitBrain.Models;

/// <summary>
/// One half of the split-brain autoencoder (Zhang, Isola, Efros 2017, sec. 3): a half-AlexNet that sees one channel
/// subset (e.g. L) and predicts, at every position of a grid 8 times coarser than its input, a distribution over the bins
/// of the other subset (e.g. the 313 ab bins). The layers are described by <see cref="ModelConfig"/>.
/// </summary>
/// <remarks>
/// <para>Children, in order (their names are the state_dict prefixes): <c>conv1</c>, <c>pool1</c>, <c>conv2</c>,
/// <c>conv3</c>, <c>conv4</c>, <c>conv5</c>, <c>fc6</c>, <c>fc7</c> (each a <see cref="ConvBlock"/> but pool1, a max-pool)
/// and <c>pred</c> (a 1 x 1 convolution, one output per bin). Keys read e.g. <c>conv1.conv.weight</c>,
/// <c>conv1.bn.running_mean</c>, <c>pred.weight</c>.</para>
/// <para>Inputs are normalised channel values (L and ab scaled to about unit range; see <c>SplitBrain.Color</c>),
/// floating point, on the network's device.</para>
/// </remarks>
public sealed class SubNetwork : Module<Tensor, Tensor>
{
    // Fields in network order: RegisterComponents registers them in declaration order, which is the child order.
    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> pool1;
    private readonly Module<Tensor, Tensor> conv2;
    private readonly Module<Tensor, Tensor> conv3;
    private readonly Module<Tensor, Tensor> conv4;
    private readonly Module<Tensor, Tensor> conv5;
    private readonly Module<Tensor, Tensor> fc6;
    private readonly Module<Tensor, Tensor> fc7;
    private readonly Conv2d pred;

    // The same modules with their table rows, in network order (an array field is not registered as a child).
    private readonly (LayerSpec Spec, Module<Tensor, Tensor> Module)[] _layers;

    private SubNetwork(string name, int inChannels, int bins, ModelConfig config) : base(name)
    {
        Config = config;
        InChannels = inChannels;
        Bins = bins;
        var specs = LayerSpec.HalfAlexNet(config, inChannels, bins);
        var built = specs.ToDictionary(s => s.Name, s => Build(s, config.BatchNorm));
        conv1 = built[nameof(conv1)];
        pool1 = built[nameof(pool1)];
        conv2 = built[nameof(conv2)];
        conv3 = built[nameof(conv3)];
        conv4 = built[nameof(conv4)];
        conv5 = built[nameof(conv5)];
        fc6 = built[nameof(fc6)];
        fc7 = built[nameof(fc7)];
        pred = (Conv2d)built[nameof(pred)];
        _layers = specs.Select(s => (s, built[s.Name])).ToArray();
        RegisterComponents();
    }

    /// <summary>
    /// Creates a sub-network with the factory's initialisation (<see cref="WeightInit.Apply(SubNetwork)"/>, drawn from
    /// torch's global generator: call <c>torch.manual_seed</c> first for reproducible weights).
    /// </summary>
    /// <param name="name">Module name for displays, e.g. <c>"F1 L->ab"</c>.</param>
    /// <param name="inChannels">Channels of the input subset (1 for L, 2 for ab).</param>
    /// <param name="bins">Bins Q of the predicted subset (313 for ab, 100 for L): the output channels.</param>
    /// <param name="config">The architecture; validated.</param>
    /// <param name="device">Where to put the weights, after initialising them on the CPU (so a seed gives the same weights
    /// on every device); the CPU when null.</param>
    /// <exception cref="ArgumentException">An argument or a field of <paramref name="config"/> is invalid.</exception>
    public static SubNetwork Create(string name, int inChannels, int bins, ModelConfig config, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(config);
        if (inChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, $"{nameof(inChannels)} must be at least 1; got {inChannels}.");
        if (bins < 1)
            throw new ArgumentOutOfRangeException(nameof(bins), bins, $"{nameof(bins)} must be at least 1; got {bins}.");
        config.Validate();
        var network = new SubNetwork(name, inChannels, bins, config);
        WeightInit.Apply(network);
        if (device is not null)
            network.to(device);
        return network;
    }

    /// <summary>The module name given to <see cref="Create"/>.</summary>
    public string Name => GetName();

    /// <summary>The architecture.</summary>
    public ModelConfig Config { get; }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Number of bins Q predicted at each position (output channels).</summary>
    public int Bins { get; }

    /// <summary>The convolution blocks conv1..conv5, fc6, fc7, in order.</summary>
    public IReadOnlyList<ConvBlock> Blocks => _layers.Select(l => l.Module).OfType<ConvBlock>().ToArray();

    /// <summary>The 1 x 1 prediction convolution (<c>pred</c>): fc7 features to one logit per bin.</summary>
    public Conv2d Prediction => pred;

    /// <summary>The table the layers were built from, in order (for <see cref="ModelSummary"/>).</summary>
    internal IReadOnlyList<LayerSpec> Specs => _layers.Select(l => l.Spec).ToArray();

    /// <summary>The module of each layer, in order (for <see cref="ModelSummary"/>).</summary>
    internal IReadOnlyList<Module<Tensor, Tensor>> Layers => _layers.Select(l => l.Module).ToArray();

    /// <summary>Output channels of <paramref name="layer"/>.</summary>
    /// <param name="layer">A feature layer.</param>
    public int FeatureChannels(FeatureLayer layer) => Config.Width(layer);

    /// <summary>The logits over the bins at every position of the coarse grid.</summary>
    /// <param name="input">[N, <see cref="InChannels"/>, H, W] normalised values, floating point.</param>
    /// <returns>[N, <see cref="Bins"/>, h, w] logits with h = ceil(H / (2 * Conv1Stride)): 12 x 12 for 96 x 96 by default.
    /// Inside <see cref="Autocast.Enter"/> with bfloat16 every layer computes in bfloat16 (see
    /// <see cref="LayerSpec.ComputeType"/>); the logits come back float32 for the softmax.</returns>
    /// <exception cref="ArgumentException"><paramref name="input"/> has the wrong rank, channel count or dtype.</exception>
    /// <remarks>On the CPU the layers work on channels-last activations, the 1 x 1 ones as matrix products, which makes
    /// training steps faster (see <c>ChannelsLast</c>, <c>PointwiseConvolution</c>); the logits come back as a contiguous
    /// NCHW tensor all the same.</remarks>
    public override Tensor forward(Tensor input)
    {
        CheckInput(input, nameof(input));
        using var scope = NewDisposeScope();
        var y = input;
        foreach (var layer in _layers)
            y = Apply(layer, y);
        return Autocast.Full(y).contiguous().MoveToOuterDisposeScope(); // logits in float32 for the loss, also from bfloat16
    }

    /// <summary>
    /// The activations (after ReLU) of every feature layer from conv1 up to and including <paramref name="upTo"/>, in
    /// order; later layers are not computed. Runs with autograd as the caller has it: wrap in <c>torch.no_grad()</c>
    /// (and call <c>eval()</c>) to extract features for a probe.
    /// </summary>
    /// <param name="input">[N, <see cref="InChannels"/>, H, W] normalised values, floating point.</param>
    /// <param name="upTo">The deepest layer wanted.</param>
    /// <returns>The maps, [N, <see cref="FeatureChannels"/>(layer), h, w] each, in the compute type
    /// (<see cref="Autocast.ComputeType"/>); the caller owns them.</returns>
    /// <exception cref="ArgumentException"><paramref name="input"/> has the wrong rank, channel count or dtype.</exception>
    public FeatureMaps Features(Tensor input, FeatureLayer upTo)
    {
        CheckInput(input, nameof(input));
        if (!Enum.IsDefined(upTo))
            throw new ArgumentOutOfRangeException(nameof(upTo), upTo, $"{nameof(upTo)} is not a {nameof(FeatureLayer)}.");
        using var scope = NewDisposeScope();
        var maps = new List<(FeatureLayer, Tensor)>();
        var y = input;
        foreach (var (spec, module) in _layers)
        {
            y = Apply((spec, module), y);
            if (spec.Feature is not { } layer)
                continue;
            maps.Add((layer, y.contiguous()));
            if (layer == upTo)
                break;
        }
        foreach (var (_, activation) in maps)
            activation.MoveToOuterDisposeScope();
        return new FeatureMaps(maps);
    }

    // One layer in its layout (ChannelsLast) and compute type (LayerSpec.ComputeType).
    private Tensor Apply((LayerSpec Spec, Module<Tensor, Tensor> Module) layer, Tensor y)
    {
        var input = ChannelsLast.ForLayer(y, layer.Spec.Kernel);
        return layer.Spec.Kind == LayerKind.Prediction
            ? Autocast.Conv2dIn(pred, input, layer.Spec.ComputeType(Autocast.ComputeType)) // float32 unless LayerSpec.ComputeType says
            : layer.Module.call(input);
    }

    /// <summary>Throws unless <paramref name="input"/> is [N, <see cref="InChannels"/>, H, W] floating point.</summary>
    internal void CheckInput(Tensor input, string paramName) =>
        TensorArguments.RequireNchw(input, InChannels, $"the normalised input of {Name}", paramName);

    private static Module<Tensor, Tensor> Build(LayerSpec s, bool batchNorm) => s.Kind switch
    {
        LayerKind.ConvBlock => new ConvBlock(s.InChannels, s.OutChannels, s.Kernel, s.Stride, s.Padding, batchNorm),
        LayerKind.MaxPool => MaxPool2d(s.Kernel, stride: s.Stride, padding: s.Padding),
        LayerKind.Prediction => Conv2d(s.InChannels, s.OutChannels, s.Kernel, stride: s.Stride, padding: s.Padding),
        _ => throw new InvalidOperationException($"Unknown layer kind {s.Kind}."),
    };
}
