namespace SplitBrain.Display;

/// <summary>
/// The notebook helpers a chapter uses, for a chapter run as a console program (a .NET 10 file-based app exported
/// from its notebook): <c>using static SplitBrain.Display.ConsoleNotebook;</c> makes <c>display(x)</c> mean the same
/// as in a .NET Interactive kernel, with the output going to the console and the chapter's HTML report.
/// </summary>
/// <remarks>The lower-case names match the kernel's helpers, so exported cells compile unchanged.</remarks>
public static class ConsoleNotebook
{
    /// <summary>Shows a value (its text on the console, its HTML in the report); returns a handle to redraw it.</summary>
    /// <param name="value">What to show.</param>
    /// <param name="mimeTypes">Ignored: accepted so that cells written for a kernel compile.</param>
#pragma warning disable IDE1006 // the kernel's helper is lower-case
    public static LiveDisplay display(object? value, params string[] mimeTypes)
#pragma warning restore IDE1006
    {
        _ = mimeTypes;
        return FrontEnd.Live(value ?? "null");
    }

    /// <summary>Starts a section: a heading in the report and on the console (from the notebook's markdown headings).</summary>
    /// <param name="title">The heading's text.</param>
    /// <param name="level">1 for the chapter's title, 2 for a section.</param>
#pragma warning disable IDE1006
    public static void section(string title, int level = 2)
#pragma warning restore IDE1006
    {
        Console.WriteLine();
        Console.WriteLine(level == 1 ? $"# {title}" : $"## {title}");
        FrontEnd.Report?.AddHeading(title, level);
    }
}
