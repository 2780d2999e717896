using System.Net;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Quantization;

namespace SplitBrain.Notebooks;

/// <summary>What publishing one chapter wrote.</summary>
/// <param name="Page">The markdown page.</param>
/// <param name="Figures">How many PNG files sit beside it.</param>
/// <param name="Bytes">The size of the page and its figures together.</param>
public sealed record PublishedChapter(string Page, int Figures, long Bytes);

/// <summary>
/// Turns an executed chapter into a markdown page that GitHub shows as it is: the chapter's text, its code, and every
/// output, with pictures and charts as PNG files in a folder beside the page (<c>NN-name/</c>). GitHub draws neither
/// plotly charts nor data-URI images, so charts and image grids are drawn in headless Chromium, offline, with the
/// plotly.js the course embeds; tables stay HTML. The page records <see cref="ChapterHash"/> of the committed chapter.
/// </summary>
/// <remarks>
/// The prose comes from the committed chapter and the outputs from its executed copy, matched by code cell: an edit of
/// the text needs no new run, an edit of the code does (the publisher refuses a copy whose code cells differ).
/// </remarks>
public sealed partial class ChapterPublisher(string repositoryRoot, HeadlessChromium? chromium)
{
    /// <summary>The command that publishes every chapter, as pages say it.</summary>
    public const string Command = "dotnet run --project tools/SplitBrain.Notebooks -- publish";

    /// <summary>The widest a figure is stored (pixels); wider ones are scaled down.</summary>
    public const int MaxFigureWidth = 820;

    private const int MaxStreamLines = 40;
    private static readonly PngEncoder Encoder =
        new() { CompressionLevel = PngCompressionLevel.BestCompression, ColorType = PngColorType.Palette, Quantizer = new WuQuantizer() };
    private string? _plotlyScript;

    /// <summary>Writes <c>NN-name.md</c> and its figures into <paramref name="outDir"/>, replacing an earlier publication.</summary>
    public PublishedChapter Publish(Notebook chapter, Notebook executed, string outDir)
    {
        var codeCells = chapter.Cells.Where(c => c.Kind == "code").ToList();
        var executedCode = executed.Cells.Where(c => c.Kind == "code").ToList();
        for (var i = 0; i < Math.Max(codeCells.Count, executedCode.Count); i++)
        {
            if (i < codeCells.Count && i < executedCode.Count && Normalise(codeCells[i].Source) == Normalise(executedCode[i].Source)) continue;
            throw new InvalidDataException(
                $"{executed.Path} was executed from another version of {chapter.Path} (code cell {i + 1} differs): run the chapter again " +
                $"(dotnet run --project tools/SplitBrain.Notebooks -- course, or run {Path.GetRelativePath(repositoryRoot, chapter.Path)} --out DIR), then publish.");
        }
        if (executedCode.SelectMany(c => c.Outputs.OfType<JsonObject>()).FirstOrDefault(o => o["output_type"]?.GetValue<string>() == "error") is { } error)
            throw new InvalidDataException($"{executed.Path} holds an error ({error["ename"]}: {error["evalue"]}): publish only a chapter that ran to its end.");

        Directory.CreateDirectory(outDir);
        var name = chapter.Name;
        var figureDir = Path.Combine(outDir, name);
        var staging = Path.Combine(outDir, $".{name}.publishing");
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);

        var notebooksDir = Path.GetDirectoryName(Path.GetFullPath(chapter.Path))!;
        var page = new StringBuilder();
        var chapterLink = Link(outDir, chapter.Path);
        page.Append($"<!-- Published by `{Command}` from {Path.GetRelativePath(repositoryRoot, chapter.Path).Replace('\\', '/')} and its executed copy; ");
        page.Append($"do not edit: edit the chapter and publish again. {ChapterHash.Marker}{ChapterHash.Of(chapter)} -->\n\n");
        page.Append($"> This page is the chapter [{Path.GetFileName(chapter.Path)}]({chapterLink}) as the course's main job executed it, ");
        page.Append("with its pictures and charts saved as images. To run it yourself, open the notebook ");
        page.Append($"(see [Ways to open the course]({Link(outDir, Path.Combine(repositoryRoot, "README.md"))}#ways-to-open-the-course)).\n\n");

        var figures = 0;
        var code = 0;
        foreach (var cell in chapter.Cells)
        {
            if (cell.Kind == "markdown")
            {
                page.Append(RewriteLinks(cell.Source.TrimEnd(), notebooksDir, outDir)).Append("\n\n");
                continue;
            }
            if (cell.Kind != "code") continue;
            var outputs = executedCode[code].Outputs.OfType<JsonObject>().ToList();
            code++;
            page.Append("```csharp\n").Append(cell.Source.TrimEnd()).Append("\n```\n\n");
            var index = 0;
            foreach (var output in outputs)
            {
                index++;
                var rendered = RenderOutput(output, () => $"cell{code:D2}-{index}.png", staging, name, ref figures);
                if (rendered is { Length: > 0 }) page.Append(rendered).Append("\n\n");
            }
        }

        if (Directory.Exists(figureDir)) Directory.Delete(figureDir, recursive: true);
        if (figures > 0) Directory.Move(staging, figureDir);
        else Directory.Delete(staging, recursive: true);
        var pagePath = Path.Combine(outDir, name + ".md");
        File.WriteAllText(pagePath + ".tmp", page.ToString().TrimEnd() + "\n", new UTF8Encoding(false));
        File.Move(pagePath + ".tmp", pagePath, overwrite: true);
        var bytes = new FileInfo(pagePath).Length
                    + (Directory.Exists(figureDir) ? Directory.EnumerateFiles(figureDir).Sum(f => new FileInfo(f).Length) : 0);
        return new PublishedChapter(pagePath, figures, bytes);
    }

    /// <summary>An index of the published pages, in chapter order.</summary>
    public static void WriteIndex(string outDir, IEnumerable<Notebook> chapters)
    {
        var index = new StringBuilder();
        index.Append("# The chapters, executed\n\n");
        index.Append("Every chapter as the course's main job ran it, with its figures as images, readable on GitHub without running anything.\n");
        index.Append($"Made by `{Command}` from the executed chapters in `runs/course/` (after `dotnet run --project tools/SplitBrain.Notebooks -- course`); ");
        index.Append("a test checks that every page matches its committed chapter.\n\n");
        foreach (var chapter in chapters)
        {
            var title = chapter.Cells.FirstOrDefault(c => c.Kind == "markdown")?.Source.Split('\n')[0].TrimStart('#', ' ') ?? chapter.Name;
            index.Append($"* [{title}]({chapter.Name}.md)\n");
        }
        File.WriteAllText(Path.Combine(outDir, "README.md"), index.ToString(), new UTF8Encoding(false));
    }

    private string? RenderOutput(JsonObject output, Func<string> figureName, string staging, string chapterName, ref int figures) =>
        // Paths of this checkout say nothing to a reader elsewhere: runs/course, not /home/someone/SplitBrain/runs/course.
        RenderOutputAsIs(output, figureName, staging, chapterName, ref figures)?.Replace(repositoryRoot.TrimEnd('/', '\\') + "/", "", StringComparison.Ordinal);

    private string? RenderOutputAsIs(JsonObject output, Func<string> figureName, string staging, string chapterName, ref int figures)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                return Fence(Shorten(Notebook.JoinText(output["text"])));
            case "error":
                return Fence($"{output["ename"]}: {output["evalue"]}");
            case "display_data" or "execute_result":
                var data = output["data"] as JsonObject ?? [];
                if (data["image/png"] is { } png)
                {
                    using var image = Image.Load<Rgb24>(Convert.FromBase64String(Notebook.JoinText(png).Trim()));
                    return Figure(image, "figure", figureName(), staging, chapterName, ref figures);
                }
                if (data["text/html"] is { } htmlNode)
                {
                    var html = Notebook.JoinText(htmlNode);
                    var isChart = html.Contains("class=\"splitbrain-chart\"", StringComparison.Ordinal);
                    var visible = ScriptOrStyle().Replace(html, "");
                    if (isChart || ImageTag().IsMatch(visible))
                    {
                        var title = WebUtility.HtmlDecode(isChart ? ChartTitle().Match(html).Groups[1].Value : Tag().Replace(visible, " ")).Trim();
                        title = Spaces().Replace(title, " ");
                        if (title.Length > 100) title = title[..100] + "...";
                        using var image = Rasterise(html, isChart);
                        return Figure(image, title.Length > 0 ? title : "figure", figureName(), staging, chapterName, ref figures);
                    }
                    if (WebUtility.HtmlDecode(Tag().Replace(visible, "")).Trim().Length == 0) return null;   // e.g. the setup cell's plotly.js
                    return BlankLines().Replace(visible.Trim(), "\n");   // a blank line would end GitHub's HTML block
                }
                if (data["text/markdown"] is { } md) return Notebook.JoinText(md).Trim();
                if (data["text/plain"] is { } text) return Fence(Shorten(Notebook.JoinText(text)));
                return null;
            default:
                return null;
        }
    }

    private static string Figure(Image<Rgb24> image, string alt, string file, string staging, string chapterName, ref int figures)
    {
        if (image.Width > MaxFigureWidth)
            image.Mutate(x => x.Resize(MaxFigureWidth, (int)Math.Round(image.Height * (double)MaxFigureWidth / image.Width), KnownResamplers.Lanczos3));
        // A 256-color palette (Wu's quantizer, dithered) halves the size of a grid of pictures with no difference a reader
        // sees side by side (checked on chapter 01's grids), and keeps charts sharp.
        image.Save(Path.Combine(staging, file), Encoder);
        figures++;
        return $"![{alt.Replace("]", ")", StringComparison.Ordinal).Replace("[", "(", StringComparison.Ordinal)}]({chapterName}/{file})";
    }

    private Image<Rgb24> Rasterise(string html, bool isChart)
    {
        var browser = chromium ?? throw new InvalidOperationException(
            "Publishing draws charts and image grids in headless Chromium, which is not installed: run environment/install-tools.sh.");
        const string style = "<style>body{margin:0;padding:8px;background:#fff;color:#1b1b1b;font:14px/1.4 system-ui,sans-serif}" +
                             "table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:2px 6px}.modebar{display:none!important}</style>";
        var head = style + (isChart ? PlotlyScript(html) : "");
        var height = isChart ? ChartHeight().Matches(html).Sum(m => int.Parse(m.Groups[1].Value)) + 60 : 4000;
        return browser.Render(head, html, width: 900, height: Math.Max(height, 200));
    }

    /// <summary>plotly.js: the copy a chart output carries, else the one embedded in Plotly.NET in artifacts/lib/.</summary>
    private string PlotlyScript(string html)
    {
        if (html.Contains("typeof window.Plotly === 'undefined'", StringComparison.Ordinal)) return "";
        if (_plotlyScript is not null) return _plotlyScript;
        var dll = Path.Combine(repositoryRoot, "artifacts", "lib", "Plotly.NET.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"Charts need the plotly.js embedded in {dll}: build the library first (dotnet build SplitBrain.Lib.csproj).", dll);
        var context = new AssemblyLoadContext("plotly-js", isCollectible: true);
        try
        {
            var assembly = context.LoadFromAssemblyPath(dll);
            var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".min.js", StringComparison.Ordinal));
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            // As the library writes it (lib/Display/PlotlyJs.cs): AMD and CommonJS hidden so that the bundle sets window.Plotly.
            _plotlyScript = "<script>(function () { var define, module, exports;\n" + reader.ReadToEnd() + "\n}).call(window);</script>";
        }
        finally
        {
            context.Unload();
        }
        return _plotlyScript;
    }

    private static string RewriteLinks(string markdown, string notebooksDir, string outDir) =>
        MarkdownLink().Replace(markdown, m =>
        {
            var target = m.Groups["target"].Value;
            if (target.StartsWith('#') || target.StartsWith('/') || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                return m.Value;
            var hash = target.IndexOf('#');
            var (path, anchor) = hash < 0 ? (target, "") : (target[..hash], target[hash..]);
            return $"]({Link(outDir, Path.Combine(notebooksDir, path))}{anchor}{m.Groups["title"].Value})";
        });

    private static string Link(string fromDir, string to) =>
        Path.GetRelativePath(Path.GetFullPath(fromDir), Path.GetFullPath(to)).Replace('\\', '/');

    private static string Shorten(string text)
    {
        var lines = text.TrimEnd().Split('\n');
        if (lines.Length <= MaxStreamLines) return string.Join('\n', lines);
        return string.Join('\n', [.. lines[..10], $"... ({lines.Length - 35} lines left out) ...", .. lines[^25..]]);
    }

    private static string Fence(string text) => $"```text\n{text.TrimEnd()}\n```";

    private static string Normalise(string source) => source.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(?<title>\s+""[^""]*"")?\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"<(img|svg|canvas)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ImageTag();

    [GeneratedRegex(@"<(script|style)\b.*?</\1>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"class=""splitbrain-chart""[^>]*?height:(\d+)px")]
    private static partial Regex ChartHeight();

    [GeneratedRegex(@"class=""splitbrain-chart""[^>]*?title=""([^""]*)""")]
    private static partial Regex ChartTitle();
}
