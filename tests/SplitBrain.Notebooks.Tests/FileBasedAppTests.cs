namespace SplitBrain.Notebooks.Tests;

/// <summary>
/// Every chapter exported to a .NET 10 file-based app and run with <c>dotnet run</c>, with no notebook front end: it
/// writes the same pictures, charts and tables into an HTML report.
/// </summary>
[Collection(FrontEndCollection.Name)]
public class FileBasedAppTests
{
    public static TheoryData<string> Chapters => ChapterRunTests.Chapters;

    [Theory]
    [MemberData(nameof(Chapters))]
    public void Chapter_ExportedAndRunAsApp_WritesAReportWithItsPictures(string chapter)
    {
        // Under artifacts/ (ignored by git), where export-app writes apps by default.
        var folder = Path.Combine(Repository.Root, "artifacts", "test-apps", Guid.NewGuid().ToString("N"));
        try
        {
            var (exported, exportLog) = Repository.Run("dotnet",
                [Repository.RunnerDll, "export-app", Path.Combine("notebooks", chapter + ".ipynb"), "--out", folder], Repository.Root, TimeSpan.FromMinutes(1));
            Assert.True(exported == 0, exportLog);
            var app = Path.Combine(folder, chapter + ".cs");
            var source = File.ReadAllText(app);
            Assert.StartsWith("#:project ", source);
            Assert.DoesNotContain("#r \"", source);

            var runs = Path.Combine(folder, "runs");
            var (exitCode, log) = Repository.Run("dotnet", ["run", app], folder, TimeSpan.FromMinutes(10), new Dictionary<string, string?>
            {
                ["SPLITBRAIN_SET"] = ExecutedChapters.Overrides.GetValueOrDefault(chapter, "{}"),
                ["SPLITBRAIN_RUN_DIR"] = runs,
            });
            Assert.True(exitCode == 0, $"the app of {chapter} failed (exit {exitCode}):\n{log}");

            var report = File.ReadAllText(Path.Combine(runs, chapter + ".report.html"));
            var (images, charts) = ChapterRunTests.Expected.GetValueOrDefault(chapter);
            if (images > 0) Assert.Contains("src=\"data:image/png;base64,", report);
            if (charts > 0) Assert.Contains("class=\"splitbrain-chart\"", report);
            Assert.Contains("<h2>", report);                                       // the notebook's sections
            Assert.Contains("Chapter setup", log);                                 // tables print as text
            if (Tools.Chromium is not null)
            {
                var screenshot = Path.Combine(Repository.Root, "artifacts", "screenshots", chapter + ".app.png");
                Browser.Screenshot(Path.Combine(runs, chapter + ".report.html"), screenshot);
                OfflineRenderTests.AssertNotBlank(screenshot);
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
