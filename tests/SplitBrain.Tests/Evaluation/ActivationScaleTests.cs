using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Tests.Models;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Evaluation;

[Collection(GlobalGeneratorCollection.Name)]
public class ActivationScaleTests
{
    [Fact]
    public void Of_RandomInitShrinksWithDepth_ReestimatedStatisticsKeepEveryLayerNearOne()
    {
        using var scope = NewDisposeScope();
        using var like = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Unlabeled, 16);
        using var batch = shapes.ReadBatch([.. Enumerable.Range(0, 16)]);
        using var random = RandomNetworks.Random(like, 1);
        using var renormalized = RandomNetworks.RandomWithBatchNorm(like, 1, shapes);

        var raw = ActivationScale.Of(random, batch.Images);
        var normalised = ActivationScale.Of(renormalized, batch.Images);

        Assert.Equal(Enum.GetValues<FeatureLayer>(), normalised.Select(s => s.Layer));
        // Each channel normalised to mean 0 and variance 1 on these very images, then ReLU: for a normal variable the
        // standard deviation of its positive part is 0.58; any zero-mean, unit-variance channel gives between 0 and 1.
        Assert.All(normalised, s => Assert.InRange(s.Std, 0.3, 1.0));
        // At initialisation (statistics 0 and 1) nothing rescales: the deepest layer is far smaller (measured 20x).
        Assert.True(normalised[^1].Std > 3 * raw[^1].Std, $"fc7: {raw[^1].Std:G3} at initialisation, {normalised[^1].Std:G3} re-estimated");
        Assert.True(random.training, "the mode is restored (a new network trains)");
    }
}
