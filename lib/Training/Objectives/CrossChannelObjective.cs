using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Quantization;
using static TorchSharp.torch;

namespace SplitBrain.Training.Objectives;

/// <summary>
/// A single cross-channel encoder (Zhang, Isola, Efros 2017, table 2, "L -&gt; ab" and "ab -&gt; L", each cl or reg): one
/// full-width network (<see cref="FullWidthNet"/>) that sees one channel subset and predicts the other, by classification
/// over its bins (rebalanced cross-entropy) or by regression of its values. Its features are compared with the split
/// network's concatenated ones, which have the same width.
/// </summary>
/// <remarks>Metrics are named after the split-brain half that does the same task, so charts line them up: L -&gt; ab
/// reports <c>lossF1</c> (and <c>accF1</c> when it classifies), ab -&gt; L <c>lossF2</c> (and <c>accF2</c>).</remarks>
public sealed class CrossChannelObjective : PretrainObjective
{
    /// <summary>L -&gt; ab, classification.</summary>
    public const string LToAbClName = "l-to-ab-cl";

    /// <summary>L -&gt; ab, regression.</summary>
    public const string LToAbRegName = "l-to-ab-reg";

    /// <summary>ab -&gt; L, classification.</summary>
    public const string AbToLClName = "ab-to-l-cl";

    /// <summary>ab -&gt; L, regression.</summary>
    public const string AbToLRegName = "ab-to-l-reg";

    private readonly string[] _names;

    /// <summary>An encoder that sees <paramref name="input"/> and predicts the other subset, scored by <paramref name="loss"/>.</summary>
    /// <param name="input"><see cref="NetworkInput.First"/> (L -&gt; ab) or <see cref="NetworkInput.Second"/> (ab -&gt; L).</param>
    /// <param name="loss">How the prediction is scored.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is <see cref="NetworkInput.Both"/>.</exception>
    public CrossChannelObjective(NetworkInput input, LossKind loss)
    {
        if (input is not (NetworkInput.First or NetworkInput.Second))
            throw new ArgumentOutOfRangeException(nameof(input), input,
                $"A cross-channel encoder sees one subset, {nameof(NetworkInput.First)} or {nameof(NetworkInput.Second)}; got {input}.");
        Input = input;
        Loss = loss;
        var half = input == NetworkInput.First ? "F1" : "F2";
        _names = loss == LossKind.Classification ? ["loss" + half, "acc" + half] : ["loss" + half];
    }

    /// <summary>The subset the network sees.</summary>
    public NetworkInput Input { get; }

    /// <summary>How its prediction is scored.</summary>
    public LossKind Loss { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> MetricNames => _names;

    /// <inheritdoc/>
    public override FeatureNetwork CreateNetwork(ModelConfig model, Quantizer first, Quantizer second, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var predicted = Input == NetworkInput.First ? second : first;
        return FullWidthNet.Create(model, Input, first.Channels, second.Channels, PredictionLoss.Outputs(Loss, predicted), device);
    }

    /// <inheritdoc/>
    public override ObjectiveOutput Compute(FeatureNetwork network, SplitBrainTargets batch, ObjectiveStep step)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var net = Expect<FullWidthNet>(network);
        var (input, target, weights, values) = Input == NetworkInput.First
            ? (batch.LInput, batch.AbTarget, batch.AbWeights, batch.AbInput)
            : (batch.AbInput, batch.LTarget, batch.LWeights, batch.LInput);
        var output = net.call(input);                                                          // [B, Q or C, h, w]
        var loss = PredictionLoss.Compute(Loss, output, target, weights, values);
        return new ObjectiveOutput(loss,
            Loss == LossKind.Classification ? [loss, SplitBrainLoss.PixelAccuracy(output, target)] : [loss]);
    }
}
