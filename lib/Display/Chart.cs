using System.Net;
using Plotly.NET;

namespace SplitBrain.Display;

/// <summary>
/// A Plotly.NET chart as a <see cref="View"/>: interactive HTML that draws with the embedded plotly.js
/// (no CDN, so it renders offline), and a one-line text summary in a console.
/// </summary>
/// <remarks>
/// Build charts with Plotly.NET (<c>Plotly.NET.CSharp.Chart</c>) or with the course's shortcuts in
/// <see cref="Plots"/>, then wrap them: <c>new Chart(chart, "Loss")</c>. Plotly.NET's own notebook extension
/// (Plotly.NET.Interactive) is not used: it loads plotly.js from a CDN, which leaves charts blank offline.
/// </remarks>
public sealed class Chart : View
{
    private static int _counter;

    /// <summary>Wraps a Plotly.NET chart.</summary>
    /// <param name="chart">The chart.</param>
    /// <param name="title">What the text rendering says the chart shows.</param>
    /// <param name="height">Height in pixels.</param>
    public Chart(GenericChart chart, string title, int height = 380)
        : this(GenericChart.toJson(chart ?? throw new ArgumentNullException(nameof(chart))), title, height)
    {
    }

    /// <summary>A chart from a plotly figure in JSON (<c>{"data": [...], "layout": {...}, "config": {...}}</c>).</summary>
    /// <param name="figureJson">The figure, as plotly.js's <c>newPlot</c> takes it.</param>
    /// <param name="title">What the text rendering says the chart shows.</param>
    /// <param name="height">Height in pixels.</param>
    public Chart(string figureJson, string title, int height = 380)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(figureJson);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 50);
        Title = title;
        Height = height;
        FigureJson = figureJson;
    }

    /// <summary>What the chart shows, for text renderings.</summary>
    public string Title { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The plotly figure: <c>{"data": [...], "layout": {...}, "config": {...}}</c>.</summary>
    public string FigureJson { get; }

    /// <inheritdoc />
    public override string ToHtml() => ToHtml(includePlotlyJs: !PlotlyJs.Emitted);

    /// <summary>The chart's HTML, with or without the plotly.js library in front of it.</summary>
    /// <param name="includePlotlyJs">Whether to embed plotly.js (needed once per page).</param>
    public string ToHtml(bool includePlotlyJs)
    {
        var id = $"splitbrain-chart-{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}";
        var library = includePlotlyJs ? PlotlyJs.ScriptElement() : "";
        // The layout's fixed size is dropped so that the chart fills the output's width; the div sets the height.
        return $$"""
            {{library}}<div id="{{id}}" class="splitbrain-chart" style="width:100%;height:{{Height}}px" title="{{WebUtility.HtmlEncode(Title)}}"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{FigureJson}};
              delete figure.layout.width; delete figure.layout.height;
              figure.config = Object.assign({ responsive: true, displaylogo: false }, figure.config || {});
              var tries = 0;
              function draw() {
                var div = document.getElementById('{{id}}');
                if (window.Plotly && div) { window.Plotly.newPlot(div, figure.data, figure.layout, figure.config); }
                else if (++tries < 400) { setTimeout(draw, 50); }
                else if (div) { div.textContent = 'plotly.js is not on this page: run the chapter\'s setup cell, then this cell again.'; }
              }
              draw();
            })();
            </script>
            """;
    }

    /// <inheritdoc />
    public override string ToText() => $"[chart: {Title}]";
}
