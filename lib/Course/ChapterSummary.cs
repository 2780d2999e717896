using SplitBrain.Display;

namespace SplitBrain.Course;

/// <summary>
/// One chapter's summary (<see cref="CourseSummary"/>): a title and a table of plain values. Shown as the title and the
/// table; its text is what the chapter's <c>.txt</c> file holds.
/// </summary>
public sealed class ChapterSummary : View
{
    internal ChapterSummary(string chapter, string title, Table table, DateTime saved)
    {
        Chapter = chapter;
        Title = title;
        Table = table;
        Saved = saved;
    }

    /// <summary>The chapter's name, e.g. <c>06-experiments</c>.</summary>
    public string Chapter { get; }

    /// <summary>What the table shows.</summary>
    public string Title { get; }

    /// <summary>The table (numbers, strings, booleans and empty cells), without a caption.</summary>
    public Table Table { get; }

    /// <summary>When it was saved (UTC).</summary>
    public DateTime Saved { get; }

    /// <summary>The heading line: <c>06-experiments: L bins: 100 against 20</c>.</summary>
    public string Heading => $"{Chapter}: {Title}";

    /// <inheritdoc/>
    public override string ToHtml() =>
        $"<div class=\"splitbrain-summary\"><div style=\"font-weight:600;margin:6px 0 2px\">{System.Net.WebUtility.HtmlEncode(Heading)}</div>{Table.ToHtml()}</div>";

    /// <summary>The heading line, then the table's aligned columns (the <c>.txt</c> file).</summary>
    public override string ToText() => Heading + Environment.NewLine + Table.ToText();
}
