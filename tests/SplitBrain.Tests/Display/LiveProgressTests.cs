using SplitBrain.Display;

namespace SplitBrain.Tests.Display;

[Collection(ConsoleCollection.Name)]
public sealed class LiveProgressTests : IDisposable
{
    private readonly TextWriter _console = Console.Out;
    private readonly StringWriter _captured = new();
    private readonly TimeSpan _interval = LiveDisplay.ConsoleInterval;

    public LiveProgressTests()
    {
        Console.SetOut(_captured);
        LiveDisplay.ConsoleInterval = TimeSpan.Zero; // the console shows every update the progress lets through
    }

    public void Dispose()
    {
        Console.SetOut(_console);
        LiveDisplay.ConsoleInterval = _interval;
    }

    private string[] Printed => _captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    [Fact]
    public void Report_FasterThanTheInterval_ShowsTheFirst_AndCompleteShowsTheLast()
    {
        var progress = new LiveProgress<int>(i => new ProgressView("t", i / 10.0, $"{i} / 10"), TimeSpan.FromHours(1));
        for (var i = 1; i <= 10; i++)
            progress.Report(i);
        progress.Complete();

        Assert.Equal(2, Printed.Length);
        Assert.EndsWith("1 / 10", Printed[0]);
        Assert.EndsWith("10 / 10", Printed[1]);
        Assert.Equal("t [####################] 10 / 10", progress.Display!.Value.ToString());
    }

    [Fact]
    public void Report_SlowerThanTheInterval_ShowsEach_AndCompleteAddsNothing()
    {
        var progress = new LiveProgress<int>(i => new ProgressView("t", 0, $"{i}"), TimeSpan.Zero);
        progress.Report(1);
        progress.Report(2);
        progress.Complete();

        Assert.Equal(["t [....................] 1", "t [....................] 2"], Printed);
    }

    [Fact]
    public void Report_OfAFinishedBar_IsShownAtOnce_EvenWithoutComplete()
    {
        var progress = new LiveProgress<int>(i => new ProgressView("t", i / 10.0, $"{i} / 10"), TimeSpan.FromHours(1));
        for (var i = 1; i <= 10; i++)
            progress.Report(i);

        Assert.Equal(["t [##..................] 1 / 10", "t [####################] 10 / 10"], Printed);
    }
}
