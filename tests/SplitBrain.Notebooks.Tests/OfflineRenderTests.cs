using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SplitBrain.Notebooks.Tests;

/// <summary>
/// An executed chapter, exported to HTML, opened in headless Chromium with no network: its charts draw and its
/// page is not blank. The screenshots stay in artifacts/screenshots/ for a person to look at.
/// </summary>
[Collection(FrontEndCollection.Name)]
public class OfflineRenderTests
{
    public static TheoryData<string> Chapters => ChapterRunTests.Chapters;

    [Theory]
    [MemberData(nameof(Chapters))]
    public void ExecutedChapter_InABrowserWithNoNetwork_DrawsEveryChart(string chapter)
    {
        Assert.SkipWhen(Tools.Chromium is null, $"Chromium is not installed: {Tools.InstallHint}.");
        var run = ExecutedChapters.Get(chapter);
        Assert.True(run.ExitCode == 0, $"{chapter} failed:\n{run.Log}");

        var page = File.ReadAllText(run.HtmlPath);
        var charts = page.Split("class=\"splitbrain-chart\"").Length - 1;
        var dom = Browser.DumpDom(run.HtmlPath);

        // plotly.js marks each div it drew into and renders its axes as SVG.
        Assert.Equal(charts, dom.Split("splitbrain-chart js-plotly-plot").Length - 1);
        if (charts > 0) Assert.Contains("class=\"main-svg\"", dom);
        Assert.DoesNotContain(">plotly.js is not on this page", dom); // the fallback text a chart writes into its div

        var screenshot = Path.Combine(Repository.Root, "artifacts", "screenshots", chapter + ".png");
        Browser.Screenshot(run.HtmlPath, screenshot);
        AssertNotBlank(screenshot);
    }

    /// <summary>A page that drew shows many colors over a good part of its area.</summary>
    internal static void AssertNotBlank(string png)
    {
        using var image = Image.Load<Rgb24>(png);
        var colors = new HashSet<Rgb24>();
        long inked = 0;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y += 2)
                foreach (var pixel in rows.GetRowSpan(y))
                {
                    if (pixel.R < 240 || pixel.G < 240 || pixel.B < 240) inked++;
                    if (colors.Count < 10_000) colors.Add(pixel);
                }
        });
        var share = inked / (image.Width * image.Height / 2.0);
        Assert.True(share > 0.02, $"{png} is almost blank: {share:P1} of its pixels are not white.");
        Assert.True(colors.Count > 200, $"{png} shows only {colors.Count} colors: its pictures did not draw.");
    }
}
