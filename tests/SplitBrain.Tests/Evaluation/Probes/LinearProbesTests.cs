using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Tests.Support;

namespace SplitBrain.Tests.Evaluation;

public class LinearProbesTests(ITestOutputHelper output)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Run_RandomSmallNetOnShapes_OneResultPerLayerInOrderAndBeatsChance()
    {
        using var net = EvaluationData.SmallNet();
        using var train = EvaluationData.Shapes(DatasetSplit.Train, 200);
        using var test = EvaluationData.Shapes(DatasetSplit.Test, 200);
        var stages = new List<ProbeProgress>();

        var curve = LinearProbes.Run(net, train, test, [FeatureLayer.Fc7, FeatureLayer.Conv1, FeatureLayer.Conv3],
            LinearProbeConfig.Fast, new ProgressRelay<ProbeProgress>(stages.Add), name: "random", cancellationToken: Token);
        output.WriteLine(curve.ToTable().ToText());

        Assert.Equal("random", curve.Network);
        Assert.Equal([FeatureLayer.Conv1, FeatureLayer.Conv3, FeatureLayer.Fc7], curve.Layers.Select(r => r.Layer));
        Assert.All(curve.Layers, r => Assert.Equal(200, r.Test.Count));
        // Even random features separate these shapes far above chance (10%): their colour alone narrows ten classes to two.
        Assert.True(curve.Best.TestAccuracy > 0.3, curve.ToString());
        Assert.Equal([ProbeStage.Extract, ProbeStage.Fit, ProbeStage.Test], stages.Select(s => s.Stage).Distinct());
        Assert.Equal([1, 2, 3], stages.Where(s => s.Stage == ProbeStage.Fit).Select(s => s.Done));
        Assert.Equal(200, stages.Last().Done);
    }

    [Fact]
    public void Run_LeavesNetworkModeAndNoTensors()
    {
        using var net = EvaluationData.SmallNet();
        using var train = EvaluationData.Shapes(DatasetSplit.Train, 20);
        using var test = EvaluationData.Shapes(DatasetSplit.Test, 10);
        net.train();

        TensorLeaks.AssertNone(() => LinearProbes.Run(net, train, test, [FeatureLayer.Conv2],
            LinearProbeConfig.Fast with { Epochs = 1 }, cancellationToken: Token));

        Assert.True(net.training);
    }

    [Fact]
    public void Run_PerLayerTargets_EachLayerProbedAtItsOwnDimension()
    {
        using var net = EvaluationData.SmallNet();
        using var train = EvaluationData.Shapes(DatasetSplit.Train, 20);
        using var test = EvaluationData.Shapes(DatasetSplit.Test, 10);
        var options = LinearProbeConfig.Fast.WithTargets(TargetDimensions.Parse("100,conv2=1000")) with { Epochs = 1 };

        var curve = LinearProbes.Run(net, train, test, [FeatureLayer.Conv1, FeatureLayer.Conv2], options, cancellationToken: Token);

        // conv1: 32 channels near 100 -> 2 x 2 = 128; conv2: 64 channels on 6 x 6 near its own 1,000 -> 4 x 4 = 1,024.
        Assert.Equal([128, 1024], curve.Layers.Select(r => r.Grid.Dimension));
    }

    [Fact]
    public void Run_UnlabeledTrain_Throws()
    {
        using var net = EvaluationData.SmallNet();
        using var train = EvaluationData.Shapes(DatasetSplit.Unlabeled, 10);
        using var test = EvaluationData.Shapes(DatasetSplit.Test, 10);

        var error = Assert.Throws<ArgumentException>(() => LinearProbes.Run(net, train, test, [FeatureLayer.Conv1], cancellationToken: Token));

        Assert.Equal("train", error.ParamName);
    }

    [Fact]
    public void AllLayers_Conv1ToFc7() =>
        Assert.Equal(Enum.GetValues<FeatureLayer>(), LinearProbes.AllLayers);
}
