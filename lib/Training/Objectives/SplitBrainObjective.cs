using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Quantization;
using static TorchSharp.torch;

namespace SplitBrain.Training.Objectives;

/// <summary>
/// The split-brain objectives (Zhang, Isola, Efros 2017, sec. 3 and table 2): two half-width sub-networks, F1 predicting the
/// second subset (ab) from the first (L) and F2 the other way round, each scored by classification or regression
/// (<see cref="LossKind"/>); the loss is the sum of both halves'. The paper's recipe, and the default, is cl,cl
/// (<see cref="Name"/>): rebalanced cross-entropy on both halves (<see cref="SplitBrainLoss"/>).
/// </summary>
/// <remarks>Metrics: <c>lossF1</c>, <c>lossF2</c>, and the pixel accuracy of each half that classifies, <c>accF1</c>,
/// <c>accF2</c>. A regressing half predicts its subset's channels instead of its bins (F1: 2 values, F2: 1).</remarks>
public sealed class SplitBrainObjective : PretrainObjective
{
    /// <summary>cl,cl, the paper's recipe: its name in <see cref="PretrainObjectives"/> and <see cref="PretrainConfig.Objective"/>.</summary>
    public const string Name = "split-brain";

    /// <summary>reg,reg: both halves regress.</summary>
    public const string RegRegName = "split-brain-reg-reg";

    /// <summary>cl,reg: F1 classifies ab, F2 regresses L.</summary>
    public const string ClRegName = "split-brain-cl-reg";

    private readonly string[] _names;

    /// <summary>An objective whose halves are scored by <paramref name="f1"/> and <paramref name="f2"/>.</summary>
    /// <param name="f1">How F1's prediction of the second subset (ab) is scored; classification by default.</param>
    /// <param name="f2">How F2's prediction of the first subset (L) is scored; classification by default.</param>
    public SplitBrainObjective(LossKind f1 = LossKind.Classification, LossKind f2 = LossKind.Classification)
    {
        F1 = f1;
        F2 = f2;
        _names = ["lossF1", "lossF2", .. f1 == LossKind.Classification ? ["accF1"] : Array.Empty<string>(),
            .. f2 == LossKind.Classification ? ["accF2"] : Array.Empty<string>()];
    }

    /// <summary>How F1 (first subset -&gt; second) is scored.</summary>
    public LossKind F1 { get; }

    /// <summary>How F2 (second subset -&gt; first) is scored.</summary>
    public LossKind F2 { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> MetricNames => _names;

    /// <inheritdoc/>
    public override int LossCount => 2;

    /// <inheritdoc/>
    public override FeatureNetwork CreateNetwork(ModelConfig model, Quantizer first, Quantizer second, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return SplitBrainNet.Create(model, first.Channels, second.Channels,
            PredictionLoss.Outputs(F2, first), PredictionLoss.Outputs(F1, second), device);
    }

    /// <inheritdoc/>
    public override ObjectiveOutput Compute(FeatureNetwork network, SplitBrainTargets batch, ObjectiveStep step)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (abOutput, lOutput) = Expect<SplitBrainNet>(network).call(batch.LInput, batch.AbInput);  // [B, 313 or 2, h, w], [B, 100 or 1, h, w]
        var f1 = PredictionLoss.Compute(F1, abOutput, batch.AbTarget, batch.AbWeights, batch.AbInput);
        var f2 = PredictionLoss.Compute(F2, lOutput, batch.LTarget, batch.LWeights, batch.LInput);
        List<Tensor> metrics = [f1, f2];
        if (F1 == LossKind.Classification)
            metrics.Add(SplitBrainLoss.PixelAccuracy(abOutput, batch.AbTarget));
        if (F2 == LossKind.Classification)
            metrics.Add(SplitBrainLoss.PixelAccuracy(lOutput, batch.LTarget));
        return new ObjectiveOutput(f1 + f2, metrics);
    }
}
