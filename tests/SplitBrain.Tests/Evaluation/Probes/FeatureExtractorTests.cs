using SplitBrain.Color;
using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Evaluation;

public class FeatureExtractorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(96, 24, 9600, 10)]  // conv1 of the default network: 96 x 10 x 10 = 9,600 exactly
    [InlineData(256, 12, 9600, 6)]  // 9,216 (7 x 7 would be 12,544)
    [InlineData(384, 12, 9600, 5)]  // 9,600 exactly
    [InlineData(1024, 12, 9600, 3)] // 9,216 (4 x 4 would be 16,384)
    [InlineData(16, 3, 9600, 3)]    // capped at the map's side
    [InlineData(2, 4, 5, 1)]        // 2 and 8 are both 3 away from 5: the smaller grid
    [InlineData(4096, 6, 9600, 1)]  // 4,096 is nearer than 16,384
    public void GridSide_ClosestDimensionToTheTarget(int channels, int mapSide, int target, int expected) =>
        Assert.Equal(expected, FeatureExtractor.GridSide(channels, mapSide, target));

    [Fact]
    public void Plan_DefaultNetwork96_AboutPaperDimensionEveryLayer()
    {
        using var net = SplitBrainNet.Create(ModelConfig.Default, 1, 2, 100, 313);

        var plan = FeatureExtractor.Plan(net, 96, LinearProbes.AllLayers);

        Assert.Equal([9600, 9216, 9600, 9600, 9216, 9216, 9216], plan.Select(g => g.Dimension));
        Assert.Equal([24, 12, 12, 12, 12, 12, 12], plan.Select(g => g.MapSide));
        Assert.Equal([96, 256, 384, 384, 256, 1024, 1024], plan.Select(g => g.Channels));
    }

    [Fact]
    public void Plan_PerLayerTargets_EachLayerNearItsOwn()
    {
        using var net = SplitBrainNet.Create(ModelConfig.Default, 1, 2, 100, 313);
        var targets = new TargetDimensions(4096, new Dictionary<FeatureLayer, int> { [FeatureLayer.Conv1] = 9600, [FeatureLayer.Fc7] = 1024 });

        var plan = FeatureExtractor.Plan(net, 96, LinearProbes.AllLayers, targets);

        // conv1 96 x 10 x 10 at its own 9,600; conv2..conv5 and fc6 nearest 4,096: 256 x 4 x 4, 384 x 3 x 3 (3,456; 4 x 4
        // is 6,144), 384 x 3 x 3, 256 x 4 x 4, 1,024 x 2 x 2; fc7 at its own 1,024: 1,024 x 1 x 1.
        Assert.Equal([9600, 4096, 3456, 3456, 4096, 4096, 1024], plan.Select(g => g.Dimension));
        Assert.Equal([10, 4, 3, 3, 4, 2, 1], plan.Select(g => g.GridSide));
    }

    [Fact]
    public void Plan_OneNumber_SameAsTargetsWithoutExceptions()
    {
        using var net = EvaluationData.SmallNet();

        Assert.Equal(FeatureExtractor.Plan(net, EvaluationData.Side, LinearProbes.AllLayers, 300),
            FeatureExtractor.Plan(net, EvaluationData.Side, LinearProbes.AllLayers, new TargetDimensions(300)));
    }

    [Fact]
    public void Plan_PerLayerTargetBelowOne_Throws()
    {
        using var net = EvaluationData.SmallNet();
        var targets = TargetDimensions.Paper.With(FeatureLayer.Conv2, 0);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => FeatureExtractor.Plan(net, 48, [FeatureLayer.Conv2], targets));

        Assert.Contains("PerLayer[conv2]", error.Message);
    }

    [Fact]
    public void Plan_DuplicatesAndDisorder_DistinctInNetworkOrder()
    {
        using var net = EvaluationData.SmallNet();

        var plan = FeatureExtractor.Plan(net, EvaluationData.Side, [FeatureLayer.Fc7, FeatureLayer.Conv1, FeatureLayer.Fc7], 200);

        Assert.Equal([FeatureLayer.Conv1, FeatureLayer.Fc7], plan.Select(g => g.Layer));
    }

    [Fact]
    public void Plan_NoLayers_Throws()
    {
        using var net = EvaluationData.SmallNet();
        var error = Assert.Throws<ArgumentException>(() => FeatureExtractor.Plan(net, 48, []));
        Assert.Equal("layers", error.ParamName);
    }

    [Fact]
    public void Extract_SmallNet48_PooledFlattenedFeaturesPerLayerOnTheCpu()
    {
        using var net = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 12);
        var reports = new List<PassProgress>();

        using var features = FeatureExtractor.Extract(net, shapes, [FeatureLayer.Conv1, FeatureLayer.Conv3, FeatureLayer.Fc7],
            targetDimension: 200, batchSize: 5, progress: new ProgressRelay<PassProgress>(reports.Add), cancellationToken: Token);

        // Small: conv1 16 + 16 channels on 12 x 12 -> 2 x 2 (128; 3 x 3 = 288 is further from 200); conv3 96 on 6 x 6 ->
        // 1 x 1 (96; 2 x 2 = 384 is further); fc7 128 -> 1 x 1.
        Assert.Equal([128, 96, 128], features.Grids.Select(g => g.Dimension));
        Assert.Equal([12L, 128], features[FeatureLayer.Conv1].shape);
        Assert.Equal(ScalarType.Float32, features[FeatureLayer.Fc7].dtype);
        Assert.Equal(DeviceType.CPU, features[FeatureLayer.Fc7].device_type);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)(i % 10)), TestTensors.ReadLong(features.Labels));
        Assert.Equal([5, 10, 12], reports.Select(r => r.Images));
        Assert.All(reports, r => Assert.Equal(12, r.Total));
    }

    [Fact]
    public void Extract_AFullWidthNetwork_PoolsLikeTheSplitNetwork()
    {
        using var split = EvaluationData.SmallNet();
        using var full = FullWidthNet.Create(ModelConfig.Small, NetworkInput.Both, 1, 2, outputs: 3); // an autoencoder's
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 4);

        using var features = FeatureExtractor.Extract(full, shapes, [FeatureLayer.Conv1, FeatureLayer.Fc7], targetDimension: 200,
            cancellationToken: Token);

        Assert.Equal(FeatureExtractor.Plan(split, EvaluationData.Side, [FeatureLayer.Conv1, FeatureLayer.Fc7], 200), features.Grids);
        Assert.Equal([4L, 128], features[FeatureLayer.Conv1].shape);
    }

    [Fact]
    public void Extract_PerLayerTargets_FeaturesOfEachLayersPlannedWidth()
    {
        using var net = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 3);
        var targets = new TargetDimensions(200, new Dictionary<FeatureLayer, int> { [FeatureLayer.Fc7] = 512 });

        using var features = FeatureExtractor.Extract(net, shapes, [FeatureLayer.Conv1, FeatureLayer.Fc7], targets, cancellationToken: Token);

        // conv1 32 channels on 12 x 12 near 200: 2 x 2 (128); fc7 128 channels on 6 x 6 near its own 512: 2 x 2 (512).
        Assert.Equal([3L, 128], features[FeatureLayer.Conv1].shape);
        Assert.Equal([3L, 512], features[FeatureLayer.Fc7].shape);
    }

    [Fact]
    public void Extract_MatchesTheNetworksFeaturesPooledInEvalMode()
    {
        using var net = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Test, 4);
        net.train(); // BatchNorm in training mode would use the batch's statistics: extraction must not

        using var features = FeatureExtractor.Extract(net, shapes, [FeatureLayer.Conv2], targetDimension: 300, cancellationToken: Token);

        Assert.True(net.training, "the network's mode is restored");
        using var scope = NewDisposeScope();
        net.eval();
        using var batch = shapes.ReadBatch([0, 1, 2, 3]);
        var (l, ab) = NetworkInputs.FromImages(batch.Images);
        var grid = features.Grids[0].GridSide; // 64 channels: 2 x 2 = 256 is nearest 300
        Assert.Equal(2, grid);
        var expected = nn.functional.adaptive_avg_pool2d(net.Features(l, ab, FeatureLayer.Conv2), [grid, grid]).flatten(1);
        // Same network and batch, pooled per half rather than after the concatenation: rounding only. Train-mode BatchNorm
        // or another layer would differ by the scale.
        TensorAssert.Close(features[FeatureLayer.Conv2], expected, 1e-4, "extracted conv2 features");
    }

    [Fact]
    public void Extract_ANetworkOfTheYCbCrSplit_SeesYCbCrInputs()
    {
        using var targets = new TargetBuilder(split: ColorSplit.YCbCr);
        using var net = SplitBrainNet.Create(ModelConfig.Small, targets.LightnessQuantizer, targets.AbQuantizer);
        net.Split = ColorSplit.YCbCr;
        using var shapes = EvaluationData.Shapes(DatasetSplit.Test, 4);

        using var features = FeatureExtractor.Extract(net, shapes, [FeatureLayer.Conv2], targetDimension: 300, cancellationToken: Token);

        using var scope = NewDisposeScope();
        net.eval();
        using var batch = shapes.ReadBatch([0, 1, 2, 3]);
        var (y, cbcr) = NetworkInputs.FromImages(batch.Images, ColorSplit.YCbCr);
        var grid = features.Grids[0].GridSide;
        var expected = nn.functional.adaptive_avg_pool2d(net.Features(y, cbcr, FeatureLayer.Conv2), [grid, grid]).flatten(1);
        TensorAssert.Close(features[FeatureLayer.Conv2], expected, 1e-4, "conv2 features of YCbCr inputs");
    }

    [Fact]
    public void Release_FreesOneLayerOthersStay()
    {
        using var net = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 2);
        using var features = FeatureExtractor.Extract(net, shapes, [FeatureLayer.Conv1, FeatureLayer.Conv2], 100, cancellationToken: Token);

        features.Release(FeatureLayer.Conv1);

        Assert.Contains("Conv1 is not held", Assert.Throws<ArgumentException>(() => features[FeatureLayer.Conv1]).Message);
        Assert.Equal(2, features[FeatureLayer.Conv2].shape[0]);
    }

    [Fact]
    public void Extract_Cancelled_ThrowsAndFreesWhatItMade()
    {
        using var net = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 6);
        using var cancel = new CancellationTokenSource();
        TensorLeaks.AssertNone(() => Assert.Throws<OperationCanceledException>(() => FeatureExtractor.Extract(net, shapes,
            [FeatureLayer.Conv1], 100, batchSize: 2, new ProgressRelay<PassProgress>(_ => cancel.Cancel()), cancellationToken: cancel.Token)));
    }

    [Fact]
    public void Extract_LeavesOnlyTheResult() 
    {
        using var net = EvaluationData.SmallNet();
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 3);
        TensorLeaks.AssertNone(() =>
        {
            using var features = FeatureExtractor.Extract(net, shapes, LinearProbes.AllLayers, 100, batchSize: 2, cancellationToken: Token);
        });
    }
}
