using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Tests.Models;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Evaluation;

[Collection(GlobalGeneratorCollection.Name)] // the baselines seed torch's global generator
public class ProbeStudyTests(ITestOutputHelper output)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly ProbeStudyConfig Tiny = new(
        Seeds: [0, 1],
        Layers: [FeatureLayer.Fc7, FeatureLayer.Conv1],
        Probes: LinearProbeConfig.Fast with { Epochs = 1 },
        LabelsPerClass: 1,
        BatchNormImages: 8,
        SupervisedSteps: 1,
        Supervised: ClassifierTrainingConfig.Fast);

    [Fact]
    public void Run_EveryNetworkEverySeedEveryLayer_NetworkUnchanged()
    {
        using var net = EvaluationData.SmallNet();
        using var train = EvaluationData.Shapes(DatasetSplit.Train, 20);
        using var test = EvaluationData.Shapes(DatasetSplit.Test, 10);
        using var before = RandomNetworks.Random(net, 99);
        before.load_state_dict(net.state_dict());
        net.train();
        var log = new List<string>();

        var table = ProbeStudy.Run(net, train, test, Tiny, log.Add, Token);
        output.WriteLine(table.ToString());
        log.ForEach(output.WriteLine);

        Assert.Equal([ProbeStudy.PretrainedName, RandomNetworks.RandomName, RandomNetworks.RandomBatchNormName, SupervisedBaseline.Name], table.Networks);
        Assert.Equal([0, 1], table.Seeds);
        Assert.Equal([FeatureLayer.Conv1, FeatureLayer.Fc7], table.Layers);
        Assert.Equal(8, table.Curves.Count);
        Assert.All(table.Curves, c => Assert.All(c.Curve.Layers, r => Assert.Equal(10, r.Test.Count))); // the whole test split
        foreach (var network in table.Networks)
            Assert.All(table.Layers, layer => Assert.Equal(2, table.Cell(network, layer)!.Count));
        Assert.Equal(10, log.Count);                                            // 4 curves and 1 supervised line per seed
        Assert.Contains(log, line => line.StartsWith("seed 1, supervised: classifier on fc7", StringComparison.Ordinal)
            && line.Contains("on 10 images", StringComparison.Ordinal));      // one labeled image per class
        Assert.True(net.training, "the network's mode is restored");
        using var scope = NewDisposeScope();
        var after = net.state_dict();
        Assert.All(before.state_dict(), p => Assert.True(p.Value.equal(after[p.Key]).all().item<bool>(), $"{p.Key} changed"));
    }

    [Fact]
    public void Run_TooFewLabelsPerClass_ThrowsBeforeAnyWork()
    {
        using var net = EvaluationData.SmallNet();
        using var train = EvaluationData.Shapes(DatasetSplit.Train, 20);   // 2 per class
        using var test = EvaluationData.Shapes(DatasetSplit.Test, 10);
        var log = new List<string>();

        var error = Assert.Throws<ArgumentException>(() => ProbeStudy.Run(net, train, test, Tiny with { LabelsPerClass = 3 }, log.Add, Token));

        Assert.Contains("fewer than the 3 per class", error.Message);
        Assert.Empty(log);
    }

    [Fact]
    public void Run_TestWithoutLabels_ThrowsNamingIt()
    {
        using var net = EvaluationData.SmallNet();
        using var train = EvaluationData.Shapes(DatasetSplit.Train, 20);
        using var test = EvaluationData.Shapes(DatasetSplit.Unlabeled, 10);

        Assert.Equal("test", Assert.Throws<ArgumentException>(() => ProbeStudy.Run(net, train, test, Tiny, cancellationToken: Token)).ParamName);
    }
}
