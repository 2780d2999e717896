using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Tests.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Evaluation;

[Collection(GlobalGeneratorCollection.Name)] // the random-init network and the scratch classifiers seed torch's generator
public class LabelEfficiencyTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ClassificationReport Report(double top1)
    {
        // Ten classes of 10 test images; the first round(top1 * 100) examples right, the rest predicted as class 0 or 1.
        var right = (int)Math.Round(top1 * 100);
        var confusion = Enumerable.Range(0, 10).Select(t => Enumerable.Range(0, 10).Select(_ => 0L).ToArray()).ToArray();
        for (var i = 0; i < 100; i++)
        {
            var truth = i % 10;
            confusion[truth][i < right ? truth : (truth == 0 ? 1 : 0)]++;
        }
        return new ClassificationReport([.. Enumerable.Range(0, 10).Select(c => $"c{c}")], confusion, 5, null);
    }

    private static LabelEfficiencyPoint Point(LabelEfficiencyWay way, int perClass, double top1) =>
        new(way, perClass, new FineTuneResult(way.Name, way.Mode, [], Report(top1), 1));

    [Fact]
    public void Summary_OneRowPerBudget_WithEachWaysAccuracy_AndTheGainsOfPretrainingInPoints()
    {
        var result = new LabelEfficiencyResult(
        [
            Point(LabelEfficiencyWay.FrozenPretrained, 10, 0.56), Point(LabelEfficiencyWay.FrozenRandomBatchNorm, 10, 0.41),
            Point(LabelEfficiencyWay.FrozenRandom, 10, 0.26), Point(LabelEfficiencyWay.FineTuned, 10, 0.65),
            Point(LabelEfficiencyWay.Scratch, 10, 0.61),
            Point(LabelEfficiencyWay.FrozenPretrained, 100, 0.75), Point(LabelEfficiencyWay.FrozenRandomBatchNorm, 100, 0.77),
            Point(LabelEfficiencyWay.FrozenRandom, 100, 0.47), Point(LabelEfficiencyWay.FineTuned, 100, 0.92),
            Point(LabelEfficiencyWay.Scratch, 100, 0.90),
        ], testImages: 100);

        var table = result.Summary();

        Assert.Equal(["labels per class", "frozen, pretrained (%)", "frozen, random+BN (%)", "frozen, random init (%)",
            "fine-tuned, pretrained (%)", "from scratch (%)", "frozen vs random+BN (pts)", "frozen vs random init (pts)",
            "fine-tuned vs scratch (pts)"], table.Columns);
        Assert.Equal(new object?[] { 10, 56.0, 41.0, 26.0, 65.0, 61.0, 15.0, 30.0, 4.0 }, table.Rows[0]);
        Assert.Equal(new object?[] { 100, 75.0, 77.0, 47.0, 92.0, 90.0, -2.0, 28.0, 2.0 }, table.Rows[1]); // a loss shows as one
        Assert.Contains("100 images", table.Title);
        var chart = System.Text.RegularExpressions.Regex.Unescape(result.Chart().FigureJson); // JSON escapes '+'

        Assert.All(LabelEfficiencyWay.All, way => Assert.Contains(way.Name, chart));
    }

    [Fact]
    public void Accuracy_OfAClassifierNotTrained_SaysWhichOne()
    {
        var result = new LabelEfficiencyResult([Point(LabelEfficiencyWay.FineTuned, 10, 0.5)], 100);

        var error = Assert.Throws<KeyNotFoundException>(() => result.Accuracy(LabelEfficiencyWay.Scratch, 10));

        Assert.Contains("'from scratch' with 10 labels per class", error.Message);
        Assert.True(double.IsNaN(result.Gain(10, LabelEfficiencyWay.FineTuned, LabelEfficiencyWay.Scratch)));
        Assert.Equal(["labels per class", "fine-tuned, pretrained (%)"], result.Summary().Columns); // no gain without its baseline
    }

    [Fact]
    public void Run_TrainsEveryWayAtEveryBudget_AndLeavesThePretrainedNetworkAsItWas()
    {
        using var train = EvaluationData.Shapes(DatasetSplit.Train, 40);
        using var test = EvaluationData.Shapes(DatasetSplit.Test, 20);
        manual_seed(3);
        using var network = EvaluationData.SmallNet();
        var before = network.parameters().Select(p => p.detach().clone()).ToList();
        var reports = new List<LabelEfficiencyProgress>();

        var result = LabelEfficiency.Run(network, train, test, [2, 1], steps: 2, new ClassifierTrainingConfig(BatchSize: 10),
            progress: new Progress(reports.Add), cancellationToken: Token);

        Assert.Equal([1, 2], result.Budgets);
        Assert.Equal(LabelEfficiencyWay.All, result.Ways);
        Assert.Equal(10, result.Points.Count);
        Assert.All(result.Points, p => Assert.Equal(20, p.Result.Test!.Count));
        // 1 per class = 10 images = one batch, so two epochs make the two steps; 2 per class = two batches, one epoch.
        Assert.All(result.Points.Where(p => p.PerClass == 1), p => Assert.Equal(2, p.Result.Epochs.Count));
        Assert.All(result.Points.Where(p => p.PerClass == 2), p => Assert.Single(p.Result.Epochs));
        Assert.Equal(Enumerable.Range(1, 10), reports.Select(r => r.Run).Distinct());
        Assert.Equal(1.0, reports[^1].Fraction, 6);
        Assert.All(network.parameters().Zip(before), pair => Assert.True(pair.First.equal(pair.Second).all().item<bool>()));
        before.ForEach(t => t.Dispose());
    }

    [Fact]
    public void Run_BadBudgetsOrSteps_AreRejectedNamingThem()
    {
        using var train = EvaluationData.Shapes(DatasetSplit.Train, 10);
        using var network = EvaluationData.SmallNet();

        Assert.Contains("labelsPerClass", Assert.Throws<ArgumentException>(() => LabelEfficiency.Run(network, train, train, [0], 1, ClassifierTrainingConfig.Fast, cancellationToken: Token)).Message);
        Assert.Contains("labelsPerClass", Assert.Throws<ArgumentException>(() => LabelEfficiency.Run(network, train, train, [], 1, ClassifierTrainingConfig.Fast, cancellationToken: Token)).Message);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => LabelEfficiency.Run(network, train, train, [1], 0, ClassifierTrainingConfig.Fast, cancellationToken: Token)).ParamName);
    }

    private sealed class Progress(Action<LabelEfficiencyProgress> report) : IProgress<LabelEfficiencyProgress>
    {
        public void Report(LabelEfficiencyProgress value) => report(value);
    }
}
