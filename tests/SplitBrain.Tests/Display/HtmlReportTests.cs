using SplitBrain.Display;

namespace SplitBrain.Tests.Display;

public sealed class HtmlReportTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"report-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Constructor_WritesAPageWithPlotlyJsInItsHead()
    {
        var report = new HtmlReport(Path.Combine(_folder, "sub", "r.html"), "Chapter <1>");

        var page = File.ReadAllText(report.Path);
        Assert.StartsWith("<!DOCTYPE html>", page);
        Assert.Contains("<title>Chapter &lt;1&gt;</title>", page);
        Assert.True(page.IndexOf("plotly.js v", StringComparison.Ordinal) < page.IndexOf("</head>", StringComparison.Ordinal));
    }

    [Fact]
    public void Add_ChartsDoNotRepeatTheLibraryAndEveryAdditionIsOnDisk()
    {
        var report = new HtmlReport(Path.Combine(_folder, "r.html"), "r");

        report.AddHeading("Loss");
        report.Add(Plots.Lines("loss", "s", "l", [Series.Of("a", [1, 2])]));
        report.Add(new Table(["x"], [[1]]));
        report.Add("plain <text>");

        var page = File.ReadAllText(report.Path);
        Assert.Equal(1, page.Split("plotly.js v").Length - 1);
        Assert.Contains("<h2>Loss</h2>", page);
        Assert.Contains("splitbrain-chart", page);
        Assert.Contains("<pre>plain &lt;text&gt;</pre>", page);
        Assert.Equal(4, report.Count);
        Assert.False(File.Exists(report.Path + ".tmp"));
    }

    [Fact]
    public void Replace_SwapsOneItemInPlace()
    {
        var report = new HtmlReport(Path.Combine(_folder, "r.html"), "r");
        var first = report.Add("one");
        report.Add("two");

        report.Replace(first, "uno");

        var page = File.ReadAllText(report.Path);
        Assert.True(page.IndexOf("<pre>uno</pre>", StringComparison.Ordinal) < page.IndexOf("<pre>two</pre>", StringComparison.Ordinal));
        Assert.DoesNotContain("<pre>one</pre>", page);
        Assert.Throws<ArgumentOutOfRangeException>(() => report.Replace(5, "x"));
    }
}
