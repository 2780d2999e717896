using System.Text.Json.Nodes;

namespace SplitBrain.Notebooks.Tests;

/// <summary>
/// Every chapter executed through Jupyter's own machinery (nbconvert and nbclient) with the pinned .NET kernel,
/// as a reader of JupyterLab or VS Code's Jupyter extension runs them.
/// </summary>
[Collection(FrontEndCollection.Name)]
public class JupyterTests
{
    public static TheoryData<string> Chapters => ChapterRunTests.Chapters;

    [Theory]
    [MemberData(nameof(Chapters))]
    public void Chapter_ExecutedByJupyter_EveryCellRanAndShowsImagesAndCharts(string chapter)
    {
        Assert.SkipWhen(Tools.NbConvert is null, $"Jupyter (nbconvert) is not installed: {Tools.InstallHint}.");
        var output = Repository.TempFolder("jupyter");
        try
        {
            var (exitCode, log) = Repository.Run(Path.Combine(Repository.Root, "environment", "run-in-jupyter.sh"),
                [output, Path.Combine("notebooks", chapter + ".ipynb")], Repository.Root, TimeSpan.FromMinutes(10),
                new Dictionary<string, string?>
                {
                    ["SPLITBRAIN_SET"] = ExecutedChapters.Overrides.GetValueOrDefault(chapter, "{}"),
                    ["SPLITBRAIN_RUN_DIR"] = Path.Combine(output, "runs"), // not the reader's runs/
                });
            Assert.True(exitCode == 0, $"Jupyter could not execute {chapter} (exit {exitCode}):\n{log}");

            var cells = JsonNode.Parse(File.ReadAllText(Path.Combine(output, chapter + ".ipynb")))!["cells"]!.AsArray()
                .Where(c => (string?)c!["cell_type"] == "code").ToList();
            Assert.All(cells, c => Assert.NotNull(c!["execution_count"]));
            var outputs = cells.SelectMany(c => c!["outputs"]!.AsArray()).ToList();
            Assert.DoesNotContain(outputs, o => (string?)o!["output_type"] == "error");
            var html = string.Concat(outputs.Select(o => o!["data"]?["text/html"] is { } h ? h is JsonArray a ? string.Concat(a.Select(l => (string?)l)) : (string?)h : ""));
            var (images, charts) = ChapterRunTests.Expected.GetValueOrDefault(chapter);
            if (images > 0) Assert.Contains("src=\"data:image/png;base64,", html);
            if (charts > 0) Assert.Contains("class=\"splitbrain-chart\"", html);

            // Jupyter's own HTML export draws offline too.
            if (Tools.Chromium is not null)
            {
                var page = Path.Combine(output, chapter + ".html");
                var inPage = File.ReadAllText(page).Split("class=\"splitbrain-chart\"").Length - 1;
                Assert.Equal(inPage, Browser.DumpDom(page).Split("splitbrain-chart js-plotly-plot").Length - 1);
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
