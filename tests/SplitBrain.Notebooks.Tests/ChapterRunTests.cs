using System.Text.Json.Nodes;

namespace SplitBrain.Notebooks.Tests;

/// <summary>
/// Every chapter runs top to bottom headless, with its knobs turned down, and shows what a reader expects to see.
/// </summary>
public class ChapterRunTests
{
    /// <summary>Knobs turned down so that each chapter runs in seconds; the chapters' defaults stay as a reader gets them.</summary>
    private static readonly Dictionary<string, string> Overrides = new()
    {
        ["01-color-spaces"] = """{"ImageSize": 96, "SyntheticImages": 4}""",
        ["02-quantization"] = """{"PriorImages": 250, "ShowImages": 3}""",
    };

    /// <summary>The least each chapter must show: (images, charts).</summary>
    private static readonly Dictionary<string, (int Images, int Charts)> Expected = new()
    {
        ["01-color-spaces"] = (20, 0),
        ["02-quantization"] = (10, 4),
    };

    public static TheoryData<string> Chapters => new(Repository.Chapters.Select(Path.GetFileNameWithoutExtension)!);

    [Theory]
    [MemberData(nameof(Chapters))]
    public void Chapter_RunsHeadless_EveryCellSucceedsAndShowsItsPictures(string chapter)
    {
        var output = Repository.TempFolder(chapter);
        try
        {
            var overrides = Overrides.GetValueOrDefault(chapter, "{}");
            var (exitCode, log) = Repository.Run("dotnet",
                [Repository.RunnerDll, "run", Path.Combine(Repository.Root, "notebooks", chapter + ".ipynb"), "--out", output, "--quiet",
                 .. JsonNode.Parse(overrides)!.AsObject().SelectMany(kv => new[] { "--set", $"{kv.Key}={kv.Value!.ToJsonString()}" })],
                Repository.Root, TimeSpan.FromMinutes(5));

            Assert.True(exitCode == 0, $"{chapter} failed (exit {exitCode}):\n{log}");
            var executed = JsonNode.Parse(File.ReadAllText(Path.Combine(output, chapter + ".ipynb")))!;
            var codeCells = executed["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").ToList();
            Assert.All(codeCells, c => Assert.NotNull(c!["execution_count"]));
            var outputs = codeCells.SelectMany(c => c!["outputs"]!.AsArray()).ToList();
            Assert.DoesNotContain(outputs, o => (string?)o!["output_type"] == "error");

            var html = string.Concat(outputs.Select(o => o!["data"]?["text/html"] is { } h ? string.Concat(h.AsArray().Select(l => (string?)l)) : ""));
            var (images, charts) = Expected.GetValueOrDefault(chapter, (0, 0));
            var shownImages = html.Split("src=\"data:image/png;base64,").Length - 1;
            var shownCharts = html.Split("class=\"splitbrain-chart\"").Length - 1;
            Assert.True(shownImages >= images, $"{chapter} shows {shownImages} images; expected at least {images}.");
            Assert.True(shownCharts >= charts, $"{chapter} draws {shownCharts} charts; expected at least {charts}.");
            if (shownCharts > 0) Assert.Contains("plotly.js v", html); // drawn offline: the library is in the page

            if (overrides != "{}")
            {
                var applied = File.ReadAllLines(Path.Combine(output, "overrides.jsonl")).Select(l => (string)JsonNode.Parse(l)!["Key"]!).ToHashSet();
                Assert.Equal(JsonNode.Parse(overrides)!.AsObject().Select(kv => kv.Key).ToHashSet(), applied);
            }
            Assert.True(File.Exists(Path.Combine(output, chapter + ".html")), "the runner writes an HTML copy");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void Chapters_AreNumberedInOrderWithoutGaps()
    {
        var numbers = Repository.Chapters.Select(p => int.Parse(Path.GetFileName(p)[..2])).ToList();

        Assert.NotEmpty(numbers);
        Assert.Equal(Enumerable.Range(1, numbers.Count), numbers);
    }
}
