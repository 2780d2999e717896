using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;

namespace SplitBrain.Display;

/// <summary>A table of values: an HTML table in notebooks and reports, aligned columns in a console.</summary>
public sealed class Table : View
{
    /// <summary>A table with the given columns and rows.</summary>
    /// <param name="columns">Column headers.</param>
    /// <param name="rows">Rows, each with one value per column.</param>
    /// <param name="title">An optional caption.</param>
    public Table(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        Columns = columns;
        Rows = rows.ToList();
        Title = title;
        for (var i = 0; i < Rows.Count; i++)
            if (Rows[i].Count != Columns.Count)
                throw new ArgumentException($"Row {i} has {Rows[i].Count} values but the table has {Columns.Count} columns ({string.Join(", ", Columns)}).", nameof(rows));
    }

    /// <summary>Column headers.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows.</summary>
    public IReadOnlyList<IReadOnlyList<object?>> Rows { get; }

    /// <summary>The caption, if any.</summary>
    public string? Title { get; }

    /// <summary>One row per item, one column per public readable property (in declaration order).</summary>
    /// <param name="items">The items, e.g. records of metrics.</param>
    /// <param name="title">An optional caption.</param>
    public static Table From<T>(IEnumerable<T> items, string? title = null)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToArray();
        return new Table(properties.Select(p => p.Name).ToList(),
            items.Select(item => (IReadOnlyList<object?>)properties.Select(p => p.GetValue(item)).ToList()), title);
    }

    /// <summary>A two-column table (name, value) of an object's public properties, e.g. a config record.</summary>
    /// <param name="value">The object.</param>
    /// <param name="title">An optional caption; the type's name when null.</param>
    public static Table Of(object value, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        var properties = value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract");
        return new Table(["name", "value"],
            properties.Select(p => (IReadOnlyList<object?>)[p.Name, p.GetValue(value)]), title ?? value.GetType().Name);
    }

    /// <summary>How a cell value is written: numbers invariantly and briefly, null as empty.</summary>
    public static string FormatValue(object? value) => value switch
    {
        null => "",
        double d => FormatNumber(d),
        float f => FormatNumber(f),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable sequence when value is not string =>
            "[" + string.Join(", ", sequence.Cast<object?>().Select(FormatValue)) + "]",
        _ => value.ToString() ?? "",
    };

    private static string FormatNumber(double value) =>
        double.IsNaN(value) || double.IsInfinity(value) ? value.ToString(CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 1e5 || (Math.Abs(value) < 1e-3 && value != 0) ? value.ToString("0.###e0", CultureInfo.InvariantCulture)
        : value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToHtml()
    {
        var html = new StringBuilder("<table class=\"splitbrain-table\" style=\"border-collapse:collapse;font-size:13px\">");
        if (Title is not null) html.Append("<caption style=\"text-align:left;font-weight:600;padding:2px 0\">").Append(WebUtility.HtmlEncode(Title)).Append("</caption>");
        html.Append("<thead><tr>");
        foreach (var column in Columns)
            html.Append("<th style=\"border-bottom:1px solid #999;padding:2px 10px;text-align:left\">").Append(WebUtility.HtmlEncode(column)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in Rows)
        {
            html.Append("<tr>");
            foreach (var value in row)
            {
                var numeric = value is double or float or int or long or decimal;
                html.Append("<td style=\"padding:2px 10px;border-bottom:1px solid #eee;text-align:").Append(numeric ? "right" : "left")
                    .Append("\">").Append(value is View view ? view.ToHtml() : WebUtility.HtmlEncode(FormatValue(value))).Append("</td>");
            }
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <inheritdoc />
    public override string ToText()
    {
        var cells = Rows.Select(r => r.Select(v => v is View view ? view.ToText() : FormatValue(v)).ToArray()).ToList();
        var widths = Columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        if (Title is not null) text.AppendLine(Title);
        text.AppendLine(string.Join("  ", Columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
            text.AppendLine(string.Join("  ", row.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
        return text.ToString().TrimEnd('\n', '\r');
    }
}
