using SplitBrain.Models;

namespace SplitBrain.Evaluation;

/// <summary>
/// How <see cref="LinearProbes.Run"/> extracts features and trains one linear classifier per layer.
/// </summary>
/// <remarks>
/// The probe is multinomial logistic regression (one linear layer, softmax cross-entropy) on standardised features
/// (mean and standard deviation of the training features): a linear classifier on frozen features, the paper's
/// protocol (Zhang, Isola, Efros 2017, sec. 4.2). Probes train on the network's device. Plain values only, so the
/// options save as JSON with a run. (Record equality compares <see cref="LayerTargetDimensions"/> by reference, as C#
/// records do for collections; compare <see cref="Targets"/> for what the pooling does.)
/// </remarks>
/// <param name="TargetDimension">Values per layer after pooling (<see cref="FeatureExtractor.GridSide"/>), for every layer
/// without a target of its own in <paramref name="LayerTargetDimensions"/>; 9,600 as in the paper
/// (<see cref="FeatureExtractor.PaperDimension"/>).</param>
/// <param name="ExtractionBatchSize">Images per forward pass of the network; 64.</param>
/// <param name="Epochs">Passes over the training features, at least 1; 30 (measured: on the synthetic shapes with
/// 1,000 training images, test accuracy has levelled off by then for every layer).</param>
/// <param name="BatchSize">Examples per step, at least 1; 0 for full-batch steps. 128: mini-batches reach a good
/// solution in fewer passes than full batches, and a step of 128 x 9,600 costs about a millisecond.</param>
/// <param name="LearningRate">Adam's learning rate, &gt; 0; 1e-3.</param>
/// <param name="WeightDecay">L2 penalty <c>WeightDecay / 2 * |W|^2</c> on the weights (not the bias) added to the mean
/// cross-entropy, &gt;= 0; 1e-3. With about as many dimensions as examples the classes are usually separable, so the
/// penalty is what keeps the weights (and the test error) from growing without bound.</param>
/// <param name="ValidationFraction">Part of the training set held out (stratified by class) to stop early at the
/// epoch of best held-out accuracy, in [0, 0.5]; 0 (the default) trains for <see cref="Epochs"/> on everything.</param>
/// <param name="Patience">With a validation split: epochs without improvement before stopping, at least 1; 5.</param>
/// <param name="Seed">Seeds the shuffles and the validation split (the weights start at zero); 0.</param>
/// <param name="Precision">The precision of the feature extraction and of the probes' training
/// (<see cref="Models.Autocast"/>); <see cref="Precision.Auto"/>: bfloat16 where the hardware has it. Features are kept in
/// float32 either way.</param>
/// <param name="LayerTargetDimensions">Targets of particular layers, overriding <paramref name="TargetDimension"/> for
/// them (e.g. <c>{ [FeatureLayer.Fc7] = 2048 }</c>); null (the default) for one target everywhere. Both together are
/// <see cref="Targets"/>; <see cref="WithTargets"/> sets both from a <see cref="TargetDimensions"/>.</param>
public sealed record LinearProbeConfig(
    int TargetDimension = FeatureExtractor.PaperDimension,
    int ExtractionBatchSize = FeatureExtractor.DefaultBatchSize,
    int Epochs = 30,
    int BatchSize = 128,
    double LearningRate = 1e-3,
    double WeightDecay = 1e-3,
    double ValidationFraction = 0,
    int Patience = 5,
    int Seed = 0,
    Precision Precision = Precision.Auto,
    IReadOnlyDictionary<FeatureLayer, int>? LayerTargetDimensions = null)
{
    /// <summary>The defaults: 9,600 values per layer, 30 epochs of Adam on batches of 128, L2 1e-3, no early stopping.</summary>
    public static LinearProbeConfig Default { get; } = new();

    /// <summary>For tests and quick looks: 1,000 values per layer, 10 epochs.</summary>
    public static LinearProbeConfig Fast { get; } = new(TargetDimension: 1000, Epochs: 10);

    /// <summary>The pooling target of every layer: <see cref="TargetDimension"/>, overridden per layer by
    /// <see cref="LayerTargetDimensions"/>.</summary>
    /// <returns>The targets (a method, so that it is not saved with the options' JSON beside the fields it is made of).</returns>
    public TargetDimensions Targets() => new(TargetDimension, LayerTargetDimensions);

    /// <summary>These options with <paramref name="targets"/> as the pooling targets.</summary>
    /// <param name="targets">One target for every layer, and optionally some of their own.</param>
    /// <returns>A new record.</returns>
    public LinearProbeConfig WithTargets(TargetDimensions targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return this with
        {
            TargetDimension = targets.Default,
            LayerTargetDimensions = targets.PerLayer is { Count: > 0 } perLayer ? new Dictionary<FeatureLayer, int>(perLayer) : null,
        };
    }

    /// <summary>Checks every field, naming the first bad one.</summary>
    /// <returns>These options, for use inline.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of its range.</exception>
    public LinearProbeConfig Validate()
    {
        const string record = nameof(LinearProbeConfig);
        ConfigChecks.AtLeast(record, TargetDimension, 1, nameof(TargetDimension));
        ConfigChecks.AtLeast(record, ExtractionBatchSize, 1, nameof(ExtractionBatchSize));
        ConfigChecks.AtLeast(record, Epochs, 1, nameof(Epochs));
        ConfigChecks.AtLeast(record, BatchSize, 0, nameof(BatchSize));
        ConfigChecks.Positive(record, LearningRate, nameof(LearningRate));
        ConfigChecks.NonNegative(record, WeightDecay, nameof(WeightDecay));
        ConfigChecks.InRange(record, ValidationFraction, 0, 0.5, nameof(ValidationFraction));
        ConfigChecks.AtLeast(record, Patience, 1, nameof(Patience));
        ConfigChecks.AtLeast(record, Seed, 0, nameof(Seed));
        if (!Enum.IsDefined(Precision))
            throw new ArgumentOutOfRangeException(nameof(Precision), Precision, $"{record}.{nameof(Precision)} must be one of {string.Join(", ", Enum.GetNames<Precision>())}; got {Precision}.");
        foreach (var (layer, target) in LayerTargetDimensions ?? new Dictionary<FeatureLayer, int>())
        {
            if (!Enum.IsDefined(layer) || target < 1)
                throw new ArgumentOutOfRangeException(nameof(LayerTargetDimensions), target,
                    $"{record}.{nameof(LayerTargetDimensions)}[{layer}] must be a layer's target of at least 1; got {target}.");
        }
        return this;
    }
}
