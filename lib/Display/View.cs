namespace SplitBrain.Display;

/// <summary>
/// Something a chapter shows: an image grid, a chart, a table, a progress bar. One value renders the same way in
/// every front end: as HTML in a notebook (Jupyter, VS Code, the headless runner) and in an HTML report, as text in a
/// console.
/// </summary>
/// <remarks>
/// Subclasses implement <see cref="ToHtml"/> and <see cref="ToText"/>; nothing else. How a value reaches a reader is
/// decided elsewhere (<see cref="FrontEnd"/>), so tests can inspect a view's output directly.
/// </remarks>
[TypeFormatterSource(typeof(ViewFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public abstract class View
{
    /// <summary>A self-contained HTML fragment (images inline, no network needed).</summary>
    public abstract string ToHtml();

    /// <summary>A short plain-text rendering for consoles and logs.</summary>
    public abstract string ToText();

    /// <summary>The plain-text rendering.</summary>
    public override string ToString() => ToText();
}
