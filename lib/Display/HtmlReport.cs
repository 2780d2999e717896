using System.Net;
using System.Text;

namespace SplitBrain.Display;

/// <summary>
/// An HTML page that collects what a program shows outside a notebook: headings, images, charts, tables, text, in
/// order. It embeds plotly.js once in its head, so it opens offline, and is rewritten (atomically) after every
/// addition, so that it is complete whenever the program stops.
/// </summary>
public sealed class HtmlReport
{
    private readonly List<string> _body = new();
    private readonly object _gate = new();

    /// <summary>A report written to <paramref name="path"/>.</summary>
    /// <param name="path">The .html file (its folder is created).</param>
    /// <param name="title">The page title.</param>
    public HtmlReport(string path, string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        Title = title;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        PlotlyJs.MarkEmitted(); // the head carries it: charts added later need not
        Write();
    }

    /// <summary>The report's file.</summary>
    public string Path { get; }

    /// <summary>The page title.</summary>
    public string Title { get; }

    /// <summary>Number of items added.</summary>
    public int Count
    {
        get { lock (_gate) return _body.Count; }
    }

    /// <summary>Adds a value: a <see cref="View"/> as its HTML, anything else as preformatted text.</summary>
    /// <param name="value">What to add.</param>
    /// <returns>The item's position, to <see cref="Replace"/> it later.</returns>
    public int Add(object value)
    {
        var html = Render(value);
        lock (_gate)
        {
            _body.Add(html);
            Write();
            return _body.Count - 1;
        }
    }

    /// <summary>Replaces an item added earlier (a live display's latest value).</summary>
    /// <param name="item">What <see cref="Add"/> returned.</param>
    /// <param name="value">The new value.</param>
    public void Replace(int item, object value)
    {
        var html = Render(value);
        lock (_gate)
        {
            if (item < 0 || item >= _body.Count) throw new ArgumentOutOfRangeException(nameof(item), item, $"The report has {_body.Count} items.");
            _body[item] = html;
            Write();
        }
    }

    private static string Render(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var html = value switch
        {
            Chart chart => chart.ToHtml(includePlotlyJs: false),
            View view => view.ToHtml(),
            _ => $"<pre>{WebUtility.HtmlEncode(value.ToString())}</pre>",
        };
        return $"<div class=\"item\">{html}</div>";
    }

    /// <summary>Adds a heading (e.g. a chapter section).</summary>
    public void AddHeading(string text, int level = 2)
    {
        level = Math.Clamp(level, 1, 4);
        lock (_gate)
        {
            _body.Add($"<h{level}>{WebUtility.HtmlEncode(text)}</h{level}>");
            Write();
        }
    }

    private void Write()
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(WebUtility.HtmlEncode(Title)).Append("</title>\n")
            .Append("<style>body{font:15px/1.5 system-ui,sans-serif;max-width:1000px;margin:0 auto;padding:16px 28px;color:#1b1b1b}")
            .Append(".item{margin:14px 0}pre{font:13px/1.4 ui-monospace,monospace;white-space:pre-wrap}</style>\n")
            .Append(PlotlyJs.ScriptElement()).Append("\n</head>\n<body>\n<h1>").Append(WebUtility.HtmlEncode(Title)).Append("</h1>\n");
        foreach (var item in _body) page.Append(item).Append('\n');
        page.Append("</body>\n</html>\n");
        var temp = Path + ".tmp";
        File.WriteAllText(temp, page.ToString(), new UTF8Encoding(false));
        File.Move(temp, Path, overwrite: true);
    }
}
