using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Tests.Models;
using SplitBrain.Tests.Support;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Evaluation;

[Collection(GlobalGeneratorCollection.Name)]
public class BatchNormStatisticsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // conv1 of a half before its BatchNorm, on the given images: what the running statistics must summarise.
    private static Tensor Conv1(SubNetwork half, Tensor input) => half.Blocks[0].Conv.call(input);

    private static Dictionary<string, Tensor> Snapshot(SplitBrainNet net) =>
        net.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());

    [Fact]
    public void Reestimate_OneBatch_TheStatisticsAreTheDataMeanAndVariance_WeightsModeAndMomentumKept()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var net = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Unlabeled, 6);
        var before = Snapshot(net);
        net.eval();

        var used = BatchNormStatistics.Reestimate(net, shapes, images: 6, batchSize: 6, cancellationToken: Token);

        Assert.Equal(6, used);
        using var batch = shapes.ReadBatch([.. Enumerable.Range(0, 6)]);
        var (l, ab) = NetworkInputs.FromImages(batch.Images);
        foreach (var (half, input) in new[] { (net.F1, l), (net.F2, ab) })
        {
            var x = Conv1(half, input);                                                   // [6, C, h, w]
            var norm = half.Blocks[0].Norm!;
            // BatchNorm's own reductions against torch's: summation order only. The running statistics of a network at
            // initialisation (0 and 1) or an exponential average (momentum 0.1) are off by most of the scale.
            TensorAssert.Close(norm.running_mean!, x.mean([0, 2, 3]), 1e-4, "running mean");
            TensorAssert.Close(norm.running_var!, x.var([0, 2, 3], unbiased: true), 1e-4, "running variance");
            Assert.Equal(0.1, norm.momentum);
        }
        Assert.False(net.training, "the mode is restored");
        foreach (var (name, value) in net.state_dict().Where(p => !p.Key.Contains("running_") && !p.Key.Contains("num_batches")))
            Assert.True(value.equal(before[name]).all().item<bool>(), $"{name} changed");
    }

    [Fact]
    public void Reestimate_SeveralBatches_AveragesThemEqually()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var net = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Unlabeled, 6);

        BatchNormStatistics.Reestimate(net, shapes, images: 6, batchSize: 3, cancellationToken: Token);

        var variances = new List<Tensor>();
        foreach (var start in new[] { 0, 3 })
        {
            using var batch = shapes.ReadBatch([start, start + 1, start + 2]);
            var (l, _) = NetworkInputs.FromImages(batch.Images);
            variances.Add(Conv1(net.F1, l).var([0, 2, 3], unbiased: true));
        }
        // A cumulative average counts both batches 1/2; an exponential one (or the variance of all six) would not.
        TensorAssert.Close(net.F1.Blocks[0].Norm!.running_var!, (variances[0] + variances[1]) / 2, 1e-4, "running variance");
    }

    [Fact]
    public void Reestimate_General_LeavesTheNormsNotChosenAlone()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var net = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Unlabeled, 4);
        var f1Norms = net.F1.modules().OfType<NormBase>().ToList();
        var before = Snapshot(net);

        BatchNormStatistics.Reestimate(net, f1Norms, 1, _ =>
        {
            using var batch = shapes.ReadBatch([0, 1, 2, 3]);
            var (l, ab) = NetworkInputs.FromImages(batch.Images);
            net.call(l, ab); // runs F2 in training mode too
        }, ScalarType.Float32, Token);

        foreach (var (name, value) in net.state_dict().Where(p => p.Key.Contains("running_")))
        {
            var changed = !value.equal(before[name]).all().item<bool>();
            Assert.True(changed == name.StartsWith("f1.", StringComparison.Ordinal), $"{name}: changed {changed}");
        }
        Assert.All(net.modules().OfType<NormBase>(), n => Assert.Equal(0.1, n.momentum));
    }

    [Fact]
    public void Reestimate_BadInput_SaysWhatWasWrong()
    {
        using var net = EvaluationData.SmallNet();
        using var empty = EvaluationData.Shapes(DatasetSplit.Unlabeled, 0);
        using var shapes = EvaluationData.Shapes(DatasetSplit.Unlabeled, 2);

        Assert.Contains("is empty", Assert.Throws<ArgumentException>(() => BatchNormStatistics.Reestimate(net, empty)).Message);
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => BatchNormStatistics.Reestimate(net, shapes, images: 0)).ParamName);
        Assert.Equal("batchSize", Assert.Throws<ArgumentException>(() => BatchNormStatistics.Reestimate(net, shapes, batchSize: 0)).ParamName);
    }

    [Fact]
    public void RandomNetworks_SameSeed_SameWeights_OnlyTheStatisticsDiffer()
    {
        using var scope = NewDisposeScope();
        using var like = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Unlabeled, 4);

        using var random = RandomNetworks.Random(like, 7);
        using var renormalized = RandomNetworks.RandomWithBatchNorm(like, 7, shapes);

        var a = random.state_dict();
        foreach (var (name, value) in renormalized.state_dict())
        {
            var same = value.equal(a[name]).all().item<bool>();
            if (name.Contains("running_mean") || name.Contains("running_var"))
                Assert.False(same, $"{name} was not re-estimated");
            else if (!name.Contains("num_batches"))
                Assert.True(same, $"{name} differs between the two baselines of one seed");
        }
        Assert.True(a["f1.conv1.bn.running_mean"].eq(0).all().item<bool>(), "random init keeps the statistics it was created with");
    }
}
