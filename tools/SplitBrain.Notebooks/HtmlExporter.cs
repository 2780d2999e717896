using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Markdig;

namespace SplitBrain.Notebooks;

/// <summary>
/// Renders an executed notebook as one self-contained HTML page: markdown as text, code as code, and the
/// outputs as the notebook holds them. Needs no network: the chapters' outputs already embed their images
/// and plotly.js (see lib/Display).
/// </summary>
public static class HtmlExporter
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>The page's HTML.</summary>
    public static string ToHtml(Notebook notebook)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<title>").Append(WebUtility.HtmlEncode(notebook.Name)).Append("</title>\n");
        html.Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n");
        foreach (var cell in notebook.Cells)
        {
            switch (cell.Kind)
            {
                case "markdown":
                    html.Append("<section class=\"md\">").Append(Markdig.Markdown.ToHtml(cell.Source, Markdown)).Append("</section>\n");
                    break;
                case "code":
                    html.Append("<section class=\"code\">");
                    var count = cell.Json["execution_count"]?.ToString();
                    html.Append("<div class=\"prompt\">[").Append(count ?? " ").Append("]</div>");
                    html.Append("<pre class=\"source\"><code>").Append(WebUtility.HtmlEncode(cell.Source)).Append("</code></pre>");
                    foreach (var output in cell.Outputs.OfType<JsonObject>()) AppendOutput(html, output);
                    html.Append("</section>\n");
                    break;
            }
        }
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Writes the page next to nothing else: one file, atomically.</summary>
    public static void Save(Notebook notebook, string path)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, ToHtml(notebook), new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    private static void AppendOutput(StringBuilder html, JsonObject output)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                html.Append("<pre class=\"out stream\">").Append(WebUtility.HtmlEncode(Notebook.JoinText(output["text"]))).Append("</pre>");
                break;
            case "error":
                html.Append("<pre class=\"out error\">").Append(WebUtility.HtmlEncode(
                    output["ename"] + ": " + output["evalue"])).Append("</pre>");
                break;
            case "display_data" or "execute_result":
                var data = output["data"] as JsonObject ?? [];
                html.Append("<div class=\"out\">");
                if (data["text/html"] is { } h) html.Append(Notebook.JoinText(h));
                else if (data["image/svg+xml"] is { } svg) html.Append(Notebook.JoinText(svg));
                else if (data["image/png"] is { } png)
                    html.Append("<img src=\"data:image/png;base64,").Append(Notebook.JoinText(png).Trim()).Append("\">");
                else if (data["text/markdown"] is { } md) html.Append(Markdig.Markdown.ToHtml(Notebook.JoinText(md), Markdown));
                else if (data["text/plain"] is { } text)
                    html.Append("<pre>").Append(WebUtility.HtmlEncode(Notebook.JoinText(text))).Append("</pre>");
                html.Append("</div>");
                break;
        }
    }

    private const string Css = """
        body { margin: 0; background: #fafafa; color: #1b1b1b; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
        main { max-width: 980px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
        section { margin: 14px 0; }
        section.md h1 { font-size: 1.9em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
        section.md code { background: #f1f1f1; padding: 1px 4px; border-radius: 3px; font-size: .92em; }
        section.code { position: relative; }
        .prompt { position: absolute; left: -3.4em; top: .5em; width: 3em; text-align: right; color: #999; font: 12px monospace; }
        pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 13px/1.45 ui-monospace, "Cascadia Mono", Menlo, monospace; }
        pre.source { background: #f5f7fa; border: 1px solid #e1e5ea; border-radius: 4px; padding: 8px 10px; }
        .out { margin-top: 6px; overflow-x: auto; }
        pre.out.stream { color: #333; }
        pre.out.error { color: #b00020; background: #fff0f0; padding: 6px 8px; border-radius: 4px; }
        table { border-collapse: collapse; font-size: 14px; }
        th, td { border: 1px solid #ddd; padding: 3px 8px; }
        """;
}
