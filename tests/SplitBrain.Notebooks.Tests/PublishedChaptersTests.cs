using System.Text.RegularExpressions;

namespace SplitBrain.Notebooks.Tests;

/// <summary>
/// The pages under docs/chapters/ (what a reader on GitHub sees) match the committed chapters. Fast: reads files,
/// executes nothing.
/// </summary>
public class PublishedChaptersTests
{
    private const string Fix =
        "run the course (dotnet run --project tools/SplitBrain.Notebooks -- course), then publish it " +
        "(dotnet run --project tools/SplitBrain.Notebooks -- publish) and commit docs/chapters/";

    public static TheoryData<string> Chapters => ChapterRunTests.Chapters;

    [Theory]
    [MemberData(nameof(Chapters))]
    public void Chapter_HasAPublishedPage_ThatMatchesItsSource(string chapter)
    {
        var page = Path.Combine(Repository.Root, "docs", "chapters", chapter + ".md");
        // A chapter not published yet is reported, not failed (publishing needs the full course run); a page published
        // from another version of its chapter fails, since it would show a reader what the chapter no longer does.
        Assert.SkipUnless(File.Exists(page), $"docs/chapters/{chapter}.md is not published yet: {Fix}.");
        var text = File.ReadAllText(page);
        var expected = ChapterHash.Of(Notebook.Load(Path.Combine(Repository.Root, "notebooks", chapter + ".ipynb")));
        var recorded = ChapterHash.ReadFrom(text);
        Assert.True(recorded == expected,
            $"docs/chapters/{chapter}.md was published from another version of notebooks/{chapter}.ipynb (hash {recorded ?? "none"}, the chapter's is {expected}): {Fix}.");
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void PublishedPage_EveryFigure_IsBesideIt(string chapter)
    {
        var page = Path.Combine(Repository.Root, "docs", "chapters", chapter + ".md");
        Assert.SkipUnless(File.Exists(page), $"docs/chapters/{chapter}.md is missing (the test above says how to publish it).");
        var figures = Regex.Matches(File.ReadAllText(page), @"!\[[^\]]*\]\(([^)]+\.png)\)").Select(m => m.Groups[1].Value).ToList();
        var missing = figures.Where(f => !File.Exists(Path.Combine(Path.GetDirectoryName(page)!, f))).ToList();
        Assert.True(missing.Count == 0, $"docs/chapters/{chapter}.md links figures that are not there ({string.Join(", ", missing)}): {Fix}.");
    }
}
