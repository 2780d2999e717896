using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Quantization;
using static TorchSharp.torch;

namespace SplitBrain.Training.Objectives;

/// <summary>
/// The paper's alternative to splitting (Zhang, Isola, Efros 2017, sec. 4.1 and table 2, "(L, ab, Lab) -&gt; (ab, L, Lab)"):
/// one full-width network (<see cref="FullWidthNet"/>) that is given L, ab or the whole Lab image, the missing channels
/// zeroed, and predicts ab, L or Lab in turn. Its features are read from the whole Lab image.
/// </summary>
/// <remarks>
/// <para>The turn is the step's number modulo 3 (<see cref="ObjectiveStep.Index"/>), so every task gets a third of the
/// steps, in a fixed order that a resumed run continues exactly: step 3k: L in (ab zeroed), ab's bins out, rebalanced
/// cross-entropy, as F1 of the split network; 3k + 1: ab in (L zeroed), L's bins out, as F2; 3k + 2: Lab in, Lab out,
/// regression (<see cref="RegressionLoss"/>), as the autoencoder.</para>
/// <para>One prediction layer serves the three tasks: its outputs are ab's bins, then L's bins, then the three Lab values
/// (313 + 100 + 3 by default); a step scores only its task's slice.</para>
/// <para>Metric: <c>loss</c>, the loss of the step's task (so an epoch's mean mixes the three). The prediction layer's
/// slices are fixed when <see cref="CreateNetwork"/> makes the network, so an instance computes the loss of its own network.</para>
/// </remarks>
public sealed class AlternativeAggregationObjective : PretrainObjective
{
    /// <summary>Its name in <see cref="PretrainObjectives"/>.</summary>
    public const string Name = "alternative-aggregation";

    private static readonly string[] Names = ["loss"];

    // The prediction layer's slices, fixed by CreateNetwork from the quantizers.
    private (int AbBins, int LBins)? _bins;

    /// <inheritdoc/>
    public override IReadOnlyList<string> MetricNames => Names;

    /// <summary>The task of a step: 0 L -&gt; ab, 1 ab -&gt; L, 2 Lab -&gt; Lab.</summary>
    /// <param name="step">The step.</param>
    public static int TaskOf(ObjectiveStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return (int)(step.Index % 3);
    }

    /// <inheritdoc/>
    public override FeatureNetwork CreateNetwork(ModelConfig model, Quantizer first, Quantizer second, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        _bins = (second.Bins, first.Bins);
        return FullWidthNet.Create(model, NetworkInput.Both, first.Channels, second.Channels,
            second.Bins + first.Bins + first.Channels + second.Channels, device);
    }

    /// <inheritdoc/>
    public override ObjectiveOutput Compute(FeatureNetwork network, SplitBrainTargets batch, ObjectiveStep step)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var net = Expect<FullWidthNet>(network);
        var (l, ab) = (batch.LInput, batch.AbInput);                                           // [B, 1, H, W], [B, 2, H, W]
        var (abBins, lBins) = _bins ?? throw new InvalidOperationException(
            $"{nameof(AlternativeAggregationObjective)} computes the loss of the network its {nameof(CreateNetwork)} made: call that first.");
        Tensor loss;
        switch (TaskOf(step))
        {
            case 0:
                loss = SplitBrainLoss.CrossEntropy(net.call(cat([l, zeros_like(ab)], 1)).narrow(1, 0, abBins), batch.AbTarget, batch.AbWeights);
                break;
            case 1:
                loss = SplitBrainLoss.CrossEntropy(net.call(cat([zeros_like(l), ab], 1)).narrow(1, abBins, lBins), batch.LTarget, batch.LWeights);
                break;
            default:
                var lab = cat([l, ab], 1);                                                      // [B, 3, H, W]
                var values = net.call(lab).narrow(1, abBins + lBins, lab.shape[1]);             // [B, 3, h, w]
                loss = RegressionLoss.Compute(values, RegressionLoss.Target(lab, batch.AbTarget));
                break;
        }
        return new ObjectiveOutput(loss, [loss]);
    }
}
