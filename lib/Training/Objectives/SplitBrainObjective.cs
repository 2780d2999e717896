using SplitBrain.Data;
using SplitBrain.Models;

namespace SplitBrain.Training.Objectives;

/// <summary>
/// The paper's objective (Zhang, Isola, Efros 2017, section 3): each half predicts the other's channels as a distribution
/// over quantized bins, by (optionally rebalanced) cross-entropy (<see cref="SplitBrainLoss"/>); the loss is the sum of both
/// halves'. Metrics: <c>lossF1</c>, <c>lossF2</c>, and each half's pixel accuracy <c>accF1</c>, <c>accF2</c>.
/// </summary>
public sealed class SplitBrainObjective : PretrainObjective
{
    /// <summary>Its name in <see cref="PretrainObjectives"/> and <see cref="PretrainConfig.Objective"/>.</summary>
    public const string Name = "split-brain";

    private static readonly string[] Names = ["lossF1", "lossF2", "accF1", "accF2"];

    /// <inheritdoc/>
    public override IReadOnlyList<string> MetricNames => Names;

    /// <inheritdoc/>
    public override int LossCount => 2;

    /// <inheritdoc/>
    public override ObjectiveOutput Compute(SplitBrainNet network, SplitBrainTargets batch)
    {
        var (abLogits, lLogits) = network.call(batch.LInput, batch.AbInput);                              // [B, 313, h, w], [B, 100, h, w]
        var losses = SplitBrainLoss.Compute((abLogits, lLogits), batch.AbTarget, batch.LTarget, batch.AbWeights, batch.LWeights);
        return new ObjectiveOutput(losses.Total,
            [losses.F1, losses.F2, SplitBrainLoss.PixelAccuracy(abLogits, batch.AbTarget), SplitBrainLoss.PixelAccuracy(lLogits, batch.LTarget)]);
    }
}
