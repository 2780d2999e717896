using System.Text.Json.Nodes;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SplitBrain.Notebooks.Tests;

/// <summary>
/// Publishing a small executed notebook the test writes: the page holds the text, the code and the outputs, its
/// figures are PNG files beside it, and it records the chapter's hash.
/// </summary>
public class ChapterPublisherTests
{
    [Fact]
    public void Publish_ExecutedNotebook_WritesPageWithFiguresAndHash()
    {
        var root = Repository.TempFolder("publish");
        try
        {
            var (chapter, executed) = Write(root, Outputs(
                Stream("hello from the cell\n"),
                Display("image/png", Convert.ToBase64String(Png(1200, 300))),
                Display("text/html", "<table><tr><th>layer</th><th>size</th></tr>\n\n<tr><td>conv1</td><td>23</td></tr></table>"),
                Display("text/html", "<script>var plotlyLibrary = 1;</script>")));
            var outDir = Path.Combine(root, "docs", "chapters");

            var published = new ChapterPublisher(root, chromium: null).Publish(chapter, executed, outDir);

            var page = File.ReadAllText(published.Page);
            Assert.Equal(ChapterHash.Of(chapter), ChapterHash.ReadFrom(page));
            Assert.Contains("# 99. A test chapter", page);
            Assert.Contains("[the glossary](../glossary.md#knob)", page);             // links still lead where they did from notebooks/
            Assert.Contains("```csharp\nvar x = 1 + 1;\n```", page);
            Assert.Contains("hello from the cell", page);
            Assert.Contains("<tr><td>conv1</td><td>23</td></tr>", page);
            Assert.DoesNotContain("plotlyLibrary", page);                              // script-only outputs show nothing
            Assert.DoesNotContain("\n\n<tr>", page);                                   // a blank line would end GitHub's HTML block
            Assert.Equal(1, published.Figures);
            Assert.Contains("](99-test/cell01-2.png)", page);
            using var figure = Image.Load<Rgb24>(Path.Combine(outDir, "99-test", "cell01-2.png"));
            Assert.Equal(ChapterPublisher.MaxFigureWidth, figure.Width);               // scaled down, aspect kept
            Assert.Equal(205, figure.Height);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Publish_ExecutedCopyOfOtherCode_RefusesNamingTheCell()
    {
        var root = Repository.TempFolder("publish");
        try
        {
            var (chapter, executed) = Write(root, Outputs(Stream("x\n")));
            executed.Cells.Single(c => c.Kind == "code").Json["source"] = "var x = 3;";

            var error = Assert.Throws<InvalidDataException>(() => new ChapterPublisher(root, null).Publish(chapter, executed, Path.Combine(root, "out")));

            Assert.Contains("code cell 1 differs", error.Message);
            Assert.Contains("run the chapter again", error.Message);
            Assert.False(File.Exists(Path.Combine(root, "out", "99-test.md")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Publish_MarkdownEditedAfterTheRun_TakesTheNewTextAndHash()
    {
        var root = Repository.TempFolder("publish");
        try
        {
            var (chapter, executed) = Write(root, Outputs(Stream("x\n")));
            chapter.Cells[0].Json["source"] = "# 99. A retitled chapter\n";

            var published = new ChapterPublisher(root, null).Publish(chapter, executed, Path.Combine(root, "out"));

            var page = File.ReadAllText(published.Page);
            Assert.Contains("# 99. A retitled chapter", page);
            Assert.Equal(ChapterHash.Of(chapter), ChapterHash.ReadFrom(page));
            Assert.NotEqual(ChapterHash.Of(executed), ChapterHash.Of(chapter));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Publish_PlotlyChart_IsDrawnAsAPicture()
    {
        var chromium = HeadlessChromium.Find();
        Assert.SkipWhen(chromium is null, $"Chromium is not installed: {Tools.InstallHint}.");
        var root = Repository.TempFolder("publish");
        try
        {
            // The HTML a lib/Display Chart writes (without plotly.js, which the setup cell carries): a div and a drawing script.
            const string chart = """
                <div id="c1" class="splitbrain-chart" style="width:100%;height:300px" title="Loss per step"></div>
                <script type="text/javascript">
                (function () { function draw() { var div = document.getElementById('c1');
                  if (window.Plotly && div) { window.Plotly.newPlot(div, [{ x: [1, 2, 3, 4], y: [5, 3, 2, 1.5], type: 'scatter', name: 'F1' },
                    { x: [1, 2, 3, 4], y: [4, 3.5, 3, 2.8], type: 'scatter', name: 'F2' }], { title: { text: 'Loss per step' } }); }
                  else { setTimeout(draw, 50); } } draw(); })();
                </script>
                """;
            var (chapter, executed) = Write(root, Outputs(Display("text/html", chart)));
            var outDir = Path.Combine(root, "docs", "chapters");

            var published = new ChapterPublisher(Repository.Root, chromium).Publish(chapter, executed, outDir);

            Assert.Contains("![Loss per step](99-test/cell01-1.png)", File.ReadAllText(published.Page));
            var png = Path.Combine(outDir, "99-test", "cell01-1.png");
            using var image = Image.Load<Rgb24>(png);
            Assert.InRange(image.Height, 200, 340);
            // plotly's first two trace colors (#1f77b4, #ff7f0e): the lines were drawn, not only the axes.
            Assert.True(CountNear(image, new Rgb24(0x1f, 0x77, 0xb4)) > 100, "the chart's first line is not in the picture");
            Assert.True(CountNear(image, new Rgb24(0xff, 0x7f, 0x0e)) > 100, "the chart's second line is not in the picture");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static (Notebook Chapter, Notebook Executed) Write(string root, JsonArray outputs)
    {
        var source = new JsonObject
        {
            ["cells"] = new JsonArray
            {
                new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = "# 99. A test chapter\n\nSee [the glossary](../docs/glossary.md#knob)." },
                new JsonObject { ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["source"] = "var x = 1 + 1;", ["outputs"] = new JsonArray() },
            },
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var chapterPath = Path.Combine(root, "notebooks", "99-test.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(chapterPath)!);
        File.WriteAllText(chapterPath, source.ToJsonString());
        source["cells"]![1]!["outputs"] = outputs;
        var executedPath = Path.Combine(root, "runs", "course", "99-test.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(executedPath)!);
        File.WriteAllText(executedPath, source.ToJsonString());
        return (Notebook.Load(chapterPath), Notebook.Load(executedPath));
    }

    private static JsonArray Outputs(params JsonObject[] outputs) => new(outputs);

    private static JsonObject Stream(string text) => new() { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = text };

    private static JsonObject Display(string mime, string value) =>
        new() { ["output_type"] = "display_data", ["data"] = new JsonObject { [mime] = value }, ["metadata"] = new JsonObject() };

    private static int CountNear(Image<Rgb24> image, Rgb24 color)
    {
        var count = 0;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
                foreach (var p in rows.GetRowSpan(y))
                    if (Math.Abs(p.R - color.R) + Math.Abs(p.G - color.G) + Math.Abs(p.B - color.B) < 40) count++;
        });
        return count;
    }

    private static byte[] Png(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++) row[x] = new Rgb24((byte)(x % 256), (byte)(y % 256), 128);
            }
        });
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
