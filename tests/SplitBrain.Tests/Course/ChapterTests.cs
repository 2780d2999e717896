using SplitBrain.Course;
using ClassifierConfigForTest = SplitBrain.Evaluation.ClassifierConfig;
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
        Environment.SetEnvironmentVariable(CourseContract.RunDirectoryVariable, _folder);
        Environment.SetEnvironmentVariable(CourseContract.OverridesLogVariable, Path.Combine(_folder, "overrides.jsonl"));
        Environment.SetEnvironmentVariable(CourseContract.ChapterVariable, "99-test");
    }

    public void Dispose()
    {
        Console.SetOut(_console);
        foreach (var name in new[] { CourseContract.RunDirectoryVariable, CourseContract.OverridesLogVariable, CourseContract.ChapterVariable, CourseContract.OverridesVariable, CourseContract.DeviceVariable })
            Environment.SetEnvironmentVariable(name, null);
        FrontEnd.Report = null;
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Knobs_WithEnvironmentOverrides_AppliesPrintsAndLogsThem()
    {
        Environment.SetEnvironmentVariable(CourseContract.OverridesVariable, """{"ShowImages": 2, "Epochs": 1}""");

        var knobs = Chapter.Knobs(new QuantizationChapterConfig());

        Assert.Equal(2, knobs.ShowImages);
        Assert.Contains("override: QuantizationChapterConfig.ShowImages = 2 (default 6)", _captured.ToString());
        var log = File.ReadAllLines(Path.Combine(_folder, "overrides.jsonl"));
        Assert.Equal("""{"chapter":"99-test","Key":"ShowImages","Path":"QuantizationChapterConfig.ShowImages","Default":"6","Value":"2"}""", log.Single());
    }

    [Fact]
    public void Knobs_OverridesNotAnObject_ThrowsSayingWhatIsExpected()
    {
        Environment.SetEnvironmentVariable(CourseContract.OverridesVariable, "[1, 2]");

        var error = Assert.Throws<ArgumentException>(() => Chapter.Knobs(new QuantizationChapterConfig()));

        Assert.Contains("SPLITBRAIN_SET must hold a JSON object", error.Message);
    }

    [Fact]
    public void Setup_OutsideAKernel_OpensTheChapterReportInTheRunFolder()
    {
        var view = Chapter.Setup(seed: 3, device: "cpu");

        Assert.Equal(Path.Combine(_folder, "99-test.report.html"), FrontEnd.Report!.Path);
        Assert.True(File.Exists(FrontEnd.Report.Path));
        Assert.Contains("TorchSharp", view.ToText());
        Assert.Matches(@"device\s+cpu", view.ToText());
        Assert.Matches(@"seed\s+3", view.ToText());
        Assert.DoesNotContain("plotly.js v", view.ToHtml()); // the report's head already carries it
    }

    [Fact]
    public void Workspace_RunsFollowTheEnvironment_RelativePathsStartAtTheRepository()
    {
        var workspace = Chapter.Workspace;

        Assert.Equal(_folder, workspace.Runs);
        Assert.Equal(Path.Combine(_folder, "pretrain"), Chapter.Run("pretrain").Path);
        Assert.Equal(Path.Combine(_folder, CourseContract.CacheFolder), workspace.Cache);
        Assert.Equal(CourseContract.RepositoryRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory(), workspace.Root);
    }

    [Fact]
    public void RepositoryRoot_FromTheTestFolder_IsNullOrHoldsTheLibraryProject()
    {
        var root = CourseContract.RepositoryRoot(AppContext.BaseDirectory);

        Assert.True(root is null || File.Exists(Path.Combine(root, CourseContract.RootMarker)));
    }

    [Fact]
    public void Knobs_DeviceFromTheEnvironment_SetsEveryDeviceKnobAlike()
    {
        Environment.SetEnvironmentVariable(CourseContract.DeviceVariable, "cpu");

        var fineTuning = Chapter.Knobs(new FineTuningChapterConfig(Pretrain: SplitBrain.Training.PretrainConfig.Small with { Device = "auto" }));
        var evaluation = Chapter.Knobs(new EvaluationChapterConfig());

        Assert.Equal("cpu", fineTuning.Pretrain.Device);
        Assert.Equal("cpu", fineTuning.RunConfig(ClassifierConfigForTest.Frozen, 10, 10).Device);
        Assert.Equal("cpu", evaluation.Pretrain.Device);
        Assert.Contains("override: FineTuningChapterConfig.Pretrain.Device = cpu (default auto)", _captured.ToString());
    }

    [Fact]
    public void DeviceFromTheEnvironment_ReachesChapter04sTrainerAndThe05And06NetworkAlike()
    {
        // Before: chapter 04's trainer read SPLITBRAIN_DEVICE, but CourseRuns.LoadOrPretrain (chapters 05, 06) did not, so
        // SPLITBRAIN_DEVICE=cpu on a GPU machine trained on the CPU and loaded the network onto CUDA. Now both take the
        // device from the knob, which the environment sets: asking for CUDA where there is none fails in both alike.
        Environment.SetEnvironmentVariable(CourseContract.DeviceVariable, "cuda");
        var knobs = Chapter.Knobs(new FineTuningChapterConfig());
        Assert.Equal("cuda", knobs.Pretrain.Device);
        Assert.SkipWhen(SplitBrain.Runs.Devices.CudaAvailable, "this machine has CUDA: the failing case needs a machine without");

        var training = Assert.Throws<ArgumentException>(() => new SplitBrain.Training.Pretrainer(knobs.Pretrain, Chapter.Run("device-check")));
        var loading = Assert.Throws<ArgumentException>(() => CourseRuns.LoadOrPretrain(knobs.Pretrain, "device-check"));

        Assert.Contains("sees no CUDA GPU", training.Message);
        Assert.Equal(training.Message, loading.Message);
        Assert.False(Directory.Exists(Chapter.Run("device-check").Path));
    }
}
