using SplitBrain.Display;

namespace SplitBrain.Tests.Display;

[Collection(ConsoleCollection.Name)]
public sealed class FrontEndTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"frontend-{Guid.NewGuid():N}");
    private readonly TextWriter _console = Console.Out;
    private readonly StringWriter _captured = new();

    public FrontEndTests()
    {
        Console.SetOut(_captured);
        FrontEnd.Report = new HtmlReport(Path.Combine(_folder, "r.html"), "r");
    }

    public void Dispose()
    {
        Console.SetOut(_console);
        FrontEnd.Report = null;
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void InKernel_InATest_IsFalse() => Assert.False(FrontEnd.InKernel);

    [Fact]
    public void Show_OutsideAKernel_PrintsTextAndAddsHtmlToTheReport()
    {
        FrontEnd.Show(new Table(["k"], [["v"]], "shown"));

        Assert.Contains("shown", _captured.ToString());
        Assert.Contains("<caption", File.ReadAllText(FrontEnd.Report!.Path));
    }

    [Fact]
    public void Live_OutsideAKernel_ThrottlesWritesAndTheReportKeepsOnlyTheLatestValue()
    {
        var previous = LiveDisplay.ConsoleInterval;
        LiveDisplay.ConsoleInterval = TimeSpan.FromHours(1);
        try
        {
            var live = FrontEnd.Live("step 0");
            live.Update("step 1");
            live.Update("step 2");
            live.Complete();

            var printed = _captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["step 0", "step 2"], printed.Select(l => l.TrimEnd('\r')));
            Assert.Equal("step 2", live.Value);
            var page = File.ReadAllText(FrontEnd.Report!.Path);
            Assert.Contains("step 2", page);
            Assert.DoesNotContain("step 1", page);
            Assert.DoesNotContain("step 0", page);
            Assert.Equal(1, FrontEnd.Report.Count);
        }
        finally
        {
            LiveDisplay.ConsoleInterval = previous;
        }
    }
}

/// <summary>Tests that redirect the console or set process-wide state run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console and environment";
}
