using System.Text.Json.Nodes;

namespace SplitBrain.Notebooks.Tests;

/// <summary>
/// Every chapter runs top to bottom headless, with its knobs turned down, and shows what a reader expects to see.
/// </summary>
[Collection(FrontEndCollection.Name)]
public class ChapterRunTests
{
    /// <summary>The least each chapter must show: (images, charts).</summary>
    internal static readonly Dictionary<string, (int Images, int Charts)> Expected = new()
    {
        ["01-color-spaces"] = (20, 0),
        ["02-quantization"] = (10, 4),
        ["03-sub-networks"] = (10, 1),
        ["04-pretraining"] = (20, 4),
        ["05-fine-tuning"] = (30, 4),
        ["06-evaluation"] = (0, 2),
        ["07-recipe-study"] = (0, 2),
        ["08-why-split"] = (0, 3),
    };

    public static TheoryData<string> Chapters => new(Repository.Chapters.Select(Path.GetFileNameWithoutExtension)!);

    [Theory]
    [MemberData(nameof(Chapters))]
    public void Chapter_RunsHeadless_EveryCellSucceedsAndShowsItsPictures(string chapter)
    {
        var run = ExecutedChapters.Get(chapter);
        var overrides = ExecutedChapters.Overrides.GetValueOrDefault(chapter, "{}");
        Assert.True(run.ExitCode == 0, $"{chapter} failed (exit {run.ExitCode}):\n{run.Log}");
        var executed = run.Notebook;
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
            var applied = File.ReadAllLines(Path.Combine(run.OutputFolder, "overrides.jsonl")).Select(l => (string)JsonNode.Parse(l)!["Key"]!).ToHashSet();
            Assert.Equal(JsonNode.Parse(overrides)!.AsObject().Select(kv => kv.Key).ToHashSet(), applied);
        }
        Assert.True(File.Exists(run.HtmlPath), "the runner writes an HTML copy");
    }

    [Theory]
    [InlineData("05-fine-tuning", 3, "frozen vs random+BN (pts)")]        // one row per label budget of its overrides
    [InlineData("06-evaluation", 7, "random+BN")]   // one row per layer, conv1 to fc7
    [InlineData("07-recipe-study", 3, "conv5 vs random+BN (pts)")] // baseline, soft targets, the random+BN floor
    public void Chapter_SavesItsSummaryTable_ForTheMainJob(string chapter, int rows, string column)
    {
        var run = ExecutedChapters.Get(chapter);
        Assert.True(run.ExitCode == 0, $"{chapter} failed (exit {run.ExitCode}):\n{run.Log}");

        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(run.OutputFolder, "summary", chapter + ".json")))!;
        Assert.Equal(rows, summary["rows"]!.AsArray().Count);
        Assert.Contains(column, summary["columns"]!.AsArray().Select(c => (string?)c));
        Assert.True(File.Exists(Path.Combine(run.OutputFolder, "summary", chapter + ".txt")));
    }

    [Fact]
    public void WhySplit_SavesItsTable_TheDefaultFirst_OneRowPerRegisteredObjective_AndTheFloor()
    {
        var run = ExecutedChapters.Get("08-why-split");
        Assert.True(run.ExitCode == 0, $"08-why-split failed (exit {run.ExitCode}):\n{run.Log}");

        // The test size names split-brain and autoencoder; the second runs where this build registers it.
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(run.OutputFolder, "summary", "08-why-split.json")))!;
        var rows = summary["rows"]!.AsArray().Select(r => (string?)r![1]).ToList();
        Assert.InRange(rows.Count, 2, 3);
        Assert.Equal("split-brain", rows[0]);
        Assert.Equal("random+BN (no pretraining)", rows[^1]);
        Assert.Contains("conv5 (%) (vs random+BN, pts)", summary["columns"]!.AsArray().Select(c => (string?)c));
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void Chapter_StudentEdition_RunsToTheEndAndReportsItsUndoneExercises(string chapter)
    {
        // The committed chapters hold the exercises' stubs: their checks say "not done yet" and the chapter runs on.
        var run = ExecutedChapters.Get(chapter);
        Assert.True(run.ExitCode == 0, $"{chapter} failed (exit {run.ExitCode}):\n{run.Log}");
        var ids = ChapterExercise.Find(Notebook.Load(Path.Combine(Repository.Root, "notebooks", chapter + ".ipynb")), new Dictionary<string, string>())
            .Select(e => e.Id).ToList();

        Assert.NotEmpty(ids);
        Assert.Contains($"exercises undone: {string.Join(", ", ids)} (0 of {ids.Count} pass)", run.Log);
        var logged = File.ReadAllLines(Path.Combine(run.OutputFolder, "exercises.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(ids, logged.Select(l => (string)l["exercise"]!));
        Assert.All(logged, l => Assert.Equal("NotDone", (string?)l["outcome"]));
    }

    [Fact]
    public void FineTuning_WritesItsRunsAsFolders_ThatTheRegistryOfChapter06Reads()
    {
        var run = ExecutedChapters.Get("05-fine-tuning");
        Assert.True(run.ExitCode == 0, run.Log);

        // The middle budget of the overrides, three ways: each a run folder with config, metrics and result.
        foreach (var mode in new[] { "frozen", "finetune", "scratch" })
        {
            var folder = Path.Combine(run.OutputFolder, $"finetune-10-{mode}");
            Assert.True(File.Exists(Path.Combine(folder, "config.json")), folder);
            Assert.True(File.Exists(Path.Combine(folder, "metrics.jsonl")), folder);
            Assert.True(File.Exists(Path.Combine(folder, "result.json")), folder);
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
