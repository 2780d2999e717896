using SplitBrain.Data;
using SplitBrain.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SplitBrain.Evaluation;

/// <summary>
/// An image classifier on a split-brain network: both halves see their channels of the image (L and ab), their features
/// at one layer are concatenated, average-pooled, normalised, dropped out and mapped to class logits by one linear
/// layer. Trained by <see cref="FineTuner"/> in one of three modes (<see cref="ClassifierMode"/>).
/// </summary>
/// <remarks>
/// <para>Children (the state_dict prefixes): <c>backbone</c> (a <see cref="FeatureNetwork"/> of the pretrained network's
/// kind, so keys read <c>backbone.f1.conv1.conv.weight</c> for a split network, <c>backbone.net.conv1.conv.weight</c> for a
/// full-width one: the pretrained network's keys with a prefix), <c>norm</c> (a BatchNorm1d without
/// scale and shift: <c>norm.running_mean</c>, <c>norm.running_var</c>, <c>norm.num_batches_tracked</c>), <c>dropout</c>
/// and <c>head</c> (<c>head.weight</c> [classes, C * PoolSide^2], <c>head.bias</c>).</para>
/// <para>Why the normalisation: the scale of pooled features differs by orders of magnitude between layers, networks and
/// training stages (a randomly initialised network's conv5 averages about 0.05), and a new head under one learning rate
/// learns from small features far too slowly (measured: a frozen random network's head stayed at loss 2.30 for six
/// epochs). Standardising each feature over the batch (running statistics at evaluation) is what the linear probes do
/// with fixed statistics, and what MAE's linear evaluation does with the same parameter-free BatchNorm before the head
/// (He et al. 2022, appendix A.2). It is part of the head: it trains in every mode.</para>
/// <para>The backbone is a copy: <see cref="Create"/> never changes the network it is given, so one pretrained network
/// serves a frozen, a fine-tuned and a scratch classifier in turn. Its layers past <see cref="ClassifierConfig.Layer"/>
/// (and the prediction layer) are kept, unused, so that its state_dict stays the pretrained network's.</para>
/// <para>Why conv5 by default rather than fc7. In this fully convolutional half-AlexNet, fc6 and fc7 are 1 x 1
/// convolutions applied at each of the 12 x 12 positions and trained only to feed the per-position colour (or
/// lightness) prediction: they are the most pretext-specific layers. The paper's linear-probe tables of the
/// split-brain features stop at conv5, near their best layer (Zhang, Isola, Efros 2017, tables 2 and 3). conv5 is the
/// deepest layer that is still a general spatial feature map, and its receptive field (99 pixels) already covers a
/// 96-pixel image, so global average pooling loses little. Stopping there also skips fc6 and fc7 in the forward pass
/// (about a quarter of the default network's multiply-adds). <c>with { Layer = FeatureLayer.Fc7 }</c> tries the other
/// choice; <see cref="LinearProbes"/> shows which layer holds the most.</para>
/// <para>In <see cref="ClassifierMode.Frozen"/> the backbone's parameters do not require gradients, it runs under
/// <c>no_grad</c>, and it stays in eval mode even when the classifier is put in training mode (<see cref="train"/>),
/// so BatchNorm keeps the pretrained statistics.</para>
/// </remarks>
public sealed class SplitBrainClassifier : Module<Tensor, Tensor>
{
    // Field names are the state_dict keys; declaration order is the child order.
    private readonly FeatureNetwork backbone;
    private readonly BatchNorm1d norm;
    private readonly Dropout dropout;
    private readonly Linear head;

    private SplitBrainClassifier(FeatureNetwork network, int classes, ClassifierConfig config, long seed)
        : base(nameof(SplitBrainClassifier))
    {
        Config = config;
        backbone = network;
        var inputs = network.FeatureChannels(config.Layer) * config.PoolSide * config.PoolSide;
        var device = FeatureExtractor.DeviceOf(network);
        norm = BatchNorm1d(inputs, affine: false, device: device);
        dropout = Dropout(config.Dropout);
        head = Linear(inputs, classes, device: device);
        // A new classifier layer as TorchVision initialises one (and as WeightInit does the prediction layer): small normal
        // weights, zero bias; from a private generator so that the seed alone fixes it. (Tensor.normal_, because
        // nn.init.normal_ of TorchSharp 0.107 ignores its generator argument.)
        using (var generator = new Generator(unchecked((ulong)seed)))
        using (no_grad())
        {
            head.weight!.normal_(0, WeightInit.PredictionStd, generator);
            head.bias!.zero_();
        }
        RegisterComponents();
        if (config.Mode == ClassifierMode.Frozen)
        {
            foreach (var parameter in backbone.parameters())
                parameter.requires_grad = false;
            backbone.eval();
        }
    }

    /// <summary>
    /// A classifier on a copy of <paramref name="network"/>: its weights (<see cref="ClassifierMode.Frozen"/>,
    /// <see cref="ClassifierMode.FineTune"/>) or fresh ones of the same architecture (<see cref="ClassifierMode.Scratch"/>).
    /// </summary>
    /// <param name="network">The pretrained network; not changed, not owned. Its device is the classifier's.</param>
    /// <param name="classes">Number of classes, at least 2.</param>
    /// <param name="config">Mode, layer, pooling, dropout; <see cref="ClassifierConfig.FineTune"/> when null.</param>
    /// <param name="seed">Seeds the head's weights; in <see cref="ClassifierMode.Scratch"/> also the backbone's, through
    /// <c>torch.manual_seed</c> (the network factory draws from torch's global generator).</param>
    /// <returns>The classifier, in training mode; the caller owns it.</returns>
    /// <exception cref="ArgumentException">An argument or a field of <paramref name="config"/> is out of range.</exception>
    public static SplitBrainClassifier Create(FeatureNetwork network, int classes, ClassifierConfig? config = null, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        config = (config ?? ClassifierConfig.FineTune).Validate();
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"{nameof(classes)} must be at least 2; got {classes}.");
        var copy = FeatureNetwork.CreateLike(network, config.Mode == ClassifierMode.Scratch ? seed : null);
        try
        {
            if (config.Mode != ClassifierMode.Scratch)
                copy.load_state_dict(network.state_dict());
            var classifier = new SplitBrainClassifier(copy, classes, config, seed);
            classifier.train();
            return classifier;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>The mode, layer, pooling and dropout.</summary>
    public ClassifierConfig Config { get; }

    /// <summary>Number of classes.</summary>
    public int Classes => (int)head.weight!.shape[0];

    /// <summary>Inputs of the head: the layer's channels (F1's plus F2's) times <c>PoolSide^2</c>.</summary>
    public int HeadInputs => (int)head.weight!.shape[1];

    /// <summary>The split-brain network inside (a copy of the one given to <see cref="Create"/>).</summary>
    public FeatureNetwork Backbone => backbone;

    /// <summary>The final linear layer.</summary>
    public Linear Head => head;

    /// <summary>The backbone's parameters (trained only in <see cref="ClassifierMode.FineTune"/> and
    /// <see cref="ClassifierMode.Scratch"/>).</summary>
    public IEnumerable<Parameter> BackboneParameters() => backbone.parameters();

    /// <summary>The head's weight and bias (its normalisation has no parameters).</summary>
    public IEnumerable<Parameter> HeadParameters() => head.parameters();

    /// <summary>Class logits of sRGB images.</summary>
    /// <param name="images">[N, 3, H, W] sRGB, uint8 (0..255) or floating (0..1), on the classifier's device.</param>
    /// <returns>[N, <see cref="Classes"/>] logits.</returns>
    /// <exception cref="ArgumentException">The images have the wrong shape or dtype.</exception>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var (l, ab) = NetworkInputs.FromImages(images, backbone);
        return Logits(l, ab).MoveToOuterDisposeScope();
    }

    /// <summary>The predicted class of each image: evaluation mode, no gradients (the mode is restored afterwards).</summary>
    /// <param name="images">[N, 3, H, W] sRGB, uint8 or floating, on any device.</param>
    /// <returns>The class index of each image.</returns>
    public long[] Predict(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var wasTraining = training;
        eval();
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            return forward(images.to(FeatureExtractor.DeviceOf(backbone))).argmax(1).cpu().data<long>().ToArray();
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>Class logits of the two normalised inputs (as <see cref="Data.TargetBuilder"/> makes them).</summary>
    /// <param name="first">[N, 1, H, W] normalised L.</param>
    /// <param name="second">[N, 2, H, W] normalised ab.</param>
    /// <returns>[N, <see cref="Classes"/>] logits.</returns>
    /// <exception cref="ArgumentException">An input has the wrong shape or dtype.</exception>
    public Tensor Logits(Tensor first, Tensor second)
    {
        using var scope = NewDisposeScope();
        Tensor features;                                                      // [N, C, h, w]
        if (Config.Mode == ClassifierMode.Frozen)
        {
            using var _ = no_grad();
            features = backbone.Features(first, second, Config.Layer);
        }
        else
            features = backbone.Features(first, second, Config.Layer);
        var pooled = functional.adaptive_avg_pool2d(features, [Config.PoolSide, Config.PoolSide]).flatten(1); // [N, C * p * p]
        // The head in the compute type (Autocast), its normalisation's statistics in float32; logits in float32 for the loss.
        return Autocast.Full(Autocast.Linear(head, dropout.call(norm.call(pooled)))).MoveToOuterDisposeScope();
    }

    /// <summary>Sets training or evaluation mode; a frozen backbone stays in evaluation mode.</summary>
    /// <param name="train">True for training mode.</param>
    public override void train(bool train = true)
    {
        base.train(train);
        if (Config.Mode == ClassifierMode.Frozen)
            backbone.eval();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"SplitBrainClassifier: {Config.Mode}, {EvaluationPlots.LayerName(Config.Layer)} pooled to {Config.PoolSide}x{Config.PoolSide} " +
        $"({HeadInputs} inputs), dropout {Config.Dropout}, {Classes} classes";
}
