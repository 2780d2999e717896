using System.Globalization;
using System.Net;
using System.Text;

namespace SplitBrain.Display;

/// <summary>
/// A progress bar with numbers: a bar and a counter ("step 120 / 600"), then named values (losses, speed, time left).
/// HTML in a notebook, one line of text in a console. For any long loop: pretraining, fine-tuning, feature extraction.
/// </summary>
/// <remarks>Show it live and redraw it in place with <see cref="LiveProgress{T}"/> (or <see cref="FrontEnd.Live"/>).</remarks>
public sealed class ProgressView : View
{
    private const int TextBarWidth = 20;

    /// <summary>A progress view.</summary>
    /// <param name="title">What is progressing, e.g. "pretraining small-1".</param>
    /// <param name="fraction">Done so far, 0..1 (clamped).</param>
    /// <param name="counter">The counter next to the bar, e.g. "step 120 / 600".</param>
    /// <param name="values">Named values shown after it, in order (already formatted).</param>
    /// <param name="status">A short state shown last, e.g. "done" or "estimating the color prior"; null for none.</param>
    public ProgressView(string title, double fraction, string counter, IReadOnlyList<(string Name, string Value)>? values = null, string? status = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(counter);
        Title = title;
        Fraction = double.IsNaN(fraction) ? 0 : Math.Clamp(fraction, 0, 1);
        Counter = counter;
        Values = values ?? [];
        Status = status;
    }

    /// <summary>What is progressing.</summary>
    public string Title { get; }

    /// <summary>Done so far, 0..1.</summary>
    public double Fraction { get; }

    /// <summary>The counter, e.g. "step 120 / 600".</summary>
    public string Counter { get; }

    /// <summary>The named values.</summary>
    public IReadOnlyList<(string Name, string Value)> Values { get; }

    /// <summary>The state shown last, or null.</summary>
    public string? Status { get; }

    /// <inheritdoc/>
    public override string ToHtml()
    {
        var percent = (Fraction * 100).ToString("0.#", CultureInfo.InvariantCulture);
        var html = new StringBuilder("<div class=\"splitbrain-progress\" style=\"font:13px sans-serif;margin:4px 0\">");
        html.Append("<div style=\"font-weight:600;margin-bottom:2px\">").Append(WebUtility.HtmlEncode(Title)).Append("</div>")
            .Append("<div style=\"display:flex;align-items:center;gap:8px\">")
            .Append("<div style=\"width:260px;height:12px;background:#e6e6e6;border-radius:6px;overflow:hidden\">")
            .Append("<div style=\"width:").Append(percent).Append("%;height:100%;background:#3b7dd8\"></div></div>")
            .Append("<span>").Append(WebUtility.HtmlEncode(Counter)).Append(" (").Append(percent).Append("%)</span></div>");
        if (Values.Count > 0 || Status is not null)
        {
            html.Append("<div style=\"margin-top:2px;color:#333\">");
            foreach (var (name, value) in Values)
            {
                html.Append("<span style=\"margin-right:14px\">").Append(WebUtility.HtmlEncode(name))
                    .Append(" <b>").Append(WebUtility.HtmlEncode(value)).Append("</b></span>");
            }

            if (Status is not null)
            {
                html.Append("<span style=\"color:#777\">").Append(WebUtility.HtmlEncode(Status)).Append("</span>");
            }

            html.Append("</div>");
        }

        return html.Append("</div>").ToString();
    }

    /// <inheritdoc/>
    public override string ToText()
    {
        var filled = (int)Math.Round(Fraction * TextBarWidth);
        var text = new StringBuilder(Title).Append(" [").Append('#', filled).Append('.', TextBarWidth - filled).Append("] ")
            .Append(Counter);
        foreach (var (name, value) in Values)
        {
            text.Append(" | ").Append(name).Append(' ').Append(value);
        }

        if (Status is not null)
        {
            text.Append(" | ").Append(Status);
        }

        return text.ToString();
    }
}
