using System.Text.Json;
using SplitBrain.Evaluation;

namespace SplitBrain.Tests.Evaluation;

public class ClassificationReportTests
{
    // Class "c" has no examples; "a" 3 of 4 right, "b" 1 of 2.
    private static ClassificationReport Sample() =>
        new(["a", "b", "c"], [[3L, 1, 0], [1L, 1, 0], [0L, 0, 0]], 2, 0.9);

    [Fact]
    public void Derived_CountsAndAccuracies()
    {
        var report = Sample();

        Assert.Equal(6, report.Count);
        Assert.Equal(4, report.Correct);
        Assert.Equal(4.0 / 6, report.Top1, 12);
        Assert.Equal([4L, 2, 0], report.ClassCounts);
        Assert.Equal([0.75, 0.5, null], report.PerClassAccuracy);
        Assert.Equal(0.625, report.MeanPerClassAccuracy, 12); // classes without examples are left out
    }

    [Fact]
    public void RowNormalized_RowsSumToOneEmptyRowStaysZero()
    {
        var rows = Sample().RowNormalized();

        Assert.Equal([0.75, 0.25, 0], rows[0]);
        Assert.Equal(1.0, rows[1].Sum(), 12);
        Assert.Equal([0.0, 0, 0], rows[2]);
    }

    [Fact]
    public void ToString_SummarisesInvariantly() =>
        Assert.Equal("top-1 66.7% (4/6), top-2 90.0%, mean per class 62.5%", Sample().ToString());

    [Fact]
    public void Json_RoundTrip_KeepsTheMatrix()
    {
        var json = JsonSerializer.Serialize(Sample());
        var back = JsonSerializer.Deserialize<ClassificationReport>(json)!;

        Assert.Equal(Sample().Confusion.Select(r => r.ToArray()), back.Confusion.Select(r => r.ToArray()));
        Assert.Equal(Sample().ClassNames, back.ClassNames);
        Assert.Equal(0.9, back.TopK);
        Assert.Contains("\"Top1\":", json); // derived values are written for readers of the run folder
    }
}
