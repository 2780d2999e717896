using SplitBrain.Course;
using SplitBrain.Display;
using SplitBrain.Tests.Display;

namespace SplitBrain.Tests.Course;

[Collection(ConsoleCollection.Name)]
public sealed class ChapterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"chapter-{Guid.NewGuid():N}");
    private readonly TextWriter _console = Console.Out;
    private readonly StringWriter _captured = new();

    public ChapterTests()
    {
        Console.SetOut(_captured);
        Environment.SetEnvironmentVariable(Chapter.RunDirectoryVariable, _folder);
        Environment.SetEnvironmentVariable(Chapter.OverridesLogVariable, Path.Combine(_folder, "overrides.jsonl"));
        Environment.SetEnvironmentVariable(Chapter.NameVariable, "99-test");
    }

    public void Dispose()
    {
        Console.SetOut(_console);
        foreach (var name in new[] { Chapter.RunDirectoryVariable, Chapter.OverridesLogVariable, Chapter.NameVariable, Chapter.OverridesVariable })
            Environment.SetEnvironmentVariable(name, null);
        FrontEnd.Report = null;
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Knobs_WithEnvironmentOverrides_AppliesPrintsAndLogsThem()
    {
        Environment.SetEnvironmentVariable(Chapter.OverridesVariable, """{"ShowImages": 2, "Epochs": 1}""");

        var knobs = Chapter.Knobs(new QuantizationKnobs());

        Assert.Equal(2, knobs.ShowImages);
        Assert.Contains("override: QuantizationKnobs.ShowImages = 2 (default 6)", _captured.ToString());
        var log = File.ReadAllLines(Path.Combine(_folder, "overrides.jsonl"));
        Assert.Equal("""{"chapter":"99-test","Key":"ShowImages","Path":"QuantizationKnobs.ShowImages","Default":"6","Value":"2"}""", log.Single());
    }

    [Fact]
    public void Knobs_OverridesNotAnObject_ThrowsSayingWhatIsExpected()
    {
        Environment.SetEnvironmentVariable(Chapter.OverridesVariable, "[1, 2]");

        var error = Assert.Throws<ArgumentException>(() => Chapter.Knobs(new QuantizationKnobs()));

        Assert.Contains("SPLITBRAIN_SET must hold a JSON object", error.Message);
    }

    [Fact]
    public void Setup_OutsideAKernel_OpensTheChapterReportInTheRunFolder()
    {
        var view = Chapter.Setup(seed: 3, device: "cpu");

        Assert.Equal(Path.Combine(_folder, "99-test.report.html"), FrontEnd.Report!.Path);
        Assert.True(File.Exists(FrontEnd.Report.Path));
        Assert.Equal(3, Chapter.Seed);
        Assert.Equal("cpu", Chapter.Device.ToString());
        Assert.Contains("TorchSharp", view.ToText());
        Assert.DoesNotContain("plotly.js v", view.ToHtml()); // the report's head already carries it
    }

    [Fact]
    public void RunDirectory_FollowsTheEnvironment() => Assert.Equal(_folder, Chapter.RunDirectory);

    [Fact]
    public void RepositoryRoot_FromTheTestFolder_IsNullOrHoldsTheLibraryProject()
    {
        var root = Chapter.RepositoryRoot();

        Assert.True(root is null || File.Exists(Path.Combine(root, "SplitBrain.Lib.csproj")));
    }
}
