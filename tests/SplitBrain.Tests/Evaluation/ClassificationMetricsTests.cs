using SplitBrain.Evaluation;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Evaluation;

public class ClassificationMetricsTests
{
    // Four examples of three classes, worked by hand (top-2 = the two highest scores):
    //   scores     label  top-1  top-2    hit@1 hit@2
    //   [3, 1, 2]  0      0      {0, 2}   yes   yes
    //   [1, 3, 2]  2      1      {1, 2}   no    yes
    //   [2, 1, 3]  1      2      {2, 0}   no    no
    //   [0, 5, 1]  1      1      {1, 2}   yes   yes
    // top-1 2/4, top-2 3/4; confusion (rows true): [1 0 0], [0 1 1], [0 1 0]; per class 1, 1/2, 0.
    private static readonly float[] Scores = [3, 1, 2, 1, 3, 2, 2, 1, 3, 0, 5, 1];
    private static readonly long[] Labels = [0, 2, 1, 1];

    private static ClassificationMetrics AddHandExample(int batches)
    {
        var metrics = new ClassificationMetrics(3, topK: 2, classNames: ["a", "b", "c"]);
        using var flat = tensor(Scores);
        using var logits = flat.view(4, 3);
        using var labels = tensor(Labels);
        var size = 4 / batches;
        for (var start = 0; start < 4; start += size)
        {
            using var l = logits.narrow(0, start, size);
            using var y = labels.narrow(0, start, size);
            metrics.Add(l, y);
        }
        return metrics;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)] // accumulated over two batches: the same counts
    [InlineData(4)]
    public void Add_HandComputedScores_Top1TopKConfusionPerClass(int batches)
    {
        var report = AddHandExample(batches).Report();

        Assert.Equal(4, report.Count);
        Assert.Equal(0.5, report.Top1);
        Assert.Equal(2, report.K);
        Assert.Equal(0.75, report.TopK);
        Assert.Equal([[1L, 0, 0], [0L, 1, 1], [0L, 1, 0]], report.Confusion.Select(r => r.ToArray()));
        Assert.Equal([1.0, 0.5, 0.0], report.PerClassAccuracy.Select(a => a!.Value));
        Assert.Equal(0.5, report.MeanPerClassAccuracy);
        Assert.Equal(["a", "b", "c"], report.ClassNames);
    }

    [Fact]
    public void AddPredictions_TensorsAndArrays_SameConfusionNoTopK()
    {
        var fromTensors = new ClassificationMetrics(3);
        using (var predictions = tensor(new long[] { 0, 1, 2, 1 }))
        using (var labels = tensor(Labels))
            fromTensors.AddPredictions(predictions, labels);
        var fromArrays = new ClassificationMetrics(3);
        fromArrays.AddPredictions([0, 1, 2, 1], Labels);

        Assert.Equal(fromTensors.Report().Confusion.Select(r => r.ToArray()), fromArrays.Report().Confusion.Select(r => r.ToArray()));
        Assert.Equal(0.5, fromArrays.Report().Top1);
        Assert.Null(fromArrays.Report().TopK); // hard predictions carry no ranking
    }

    [Fact]
    public void Report_LogitsThenPredictions_TopKUnknown()
    {
        var metrics = AddHandExample(1);
        metrics.AddPredictions([0], [0]);

        Assert.Null(metrics.Report().TopK);
        Assert.Equal(5, metrics.Report().Count);
    }

    [Fact]
    public void TopK_LargerThanClasses_CappedAndPerfect()
    {
        var metrics = new ClassificationMetrics(3, topK: 5);
        using var flat = tensor(Scores);
        using var logits = flat.view(4, 3);
        using var labels = tensor(Labels);
        metrics.Add(logits, labels);

        Assert.Equal(3, metrics.TopK);
        Assert.Equal(1.0, metrics.Report().TopK);
    }

    [Fact]
    public void Add_UnlabeledImages_ThrowsNamingLabelsAndMinusOne()
    {
        var metrics = new ClassificationMetrics(3);
        using var logits = zeros(2, 3);
        using var labels = tensor(new long[] { -1, 0 });

        var error = Assert.Throws<ArgumentException>(() => metrics.Add(logits, labels));

        Assert.Equal("labels", error.ParamName);
        Assert.Contains("0..2", error.Message);
        Assert.Contains("unlabeled", error.Message);
    }

    [Fact]
    public void Add_WrongClassCount_ThrowsWithShape()
    {
        var metrics = new ClassificationMetrics(3);
        using var logits = zeros(2, 4);
        using var labels = zeros(2, ScalarType.Int64);

        var error = Assert.Throws<ArgumentException>(() => metrics.Add(logits, labels));

        Assert.Equal("logits", error.ParamName);
        Assert.Contains("[N, 3]", error.Message);
        Assert.Contains("[2, 4]", error.Message);
    }

    [Fact]
    public void Report_NothingAdded_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new ClassificationMetrics(2).Report());

    [Fact]
    public void Reset_ForgetsEverything()
    {
        var metrics = AddHandExample(1);
        metrics.Reset();
        metrics.AddPredictions([1], [1]);

        Assert.Equal(1, metrics.Count);
        Assert.Equal(1.0, metrics.Report().Top1);
    }

    [Fact]
    public void Constructor_NamesNotOnePerClass_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClassificationMetrics(3, classNames: ["a", "b"]));
        Assert.Equal("classNames", error.ParamName);
    }

    [Fact]
    public void Add_LeavesNoTensors() => TensorLeaks.AssertNone(() =>
    {
        using var flat = tensor(Scores);
        using var logits = flat.view(4, 3);
        using var labels = tensor(Labels);
        new ClassificationMetrics(3, topK: 2).Add(logits, labels);
    });
}
