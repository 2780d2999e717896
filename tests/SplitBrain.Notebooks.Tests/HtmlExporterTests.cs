using System.Text.Json.Nodes;

namespace SplitBrain.Notebooks.Tests;

public class HtmlExporterTests
{
    [Fact]
    public void ToHtml_RendersMarkdownCodeAndEachKindOfOutput()
    {
        var folder = Repository.TempFolder("html");
        try
        {
            var path = Path.Combine(folder, "c.ipynb");
            File.WriteAllText(path, new JsonObject
            {
                ["cells"] = new JsonArray(
                    new JsonObject { ["cell_type"] = "markdown", ["source"] = "# Title\n\nSome *text*." },
                    new JsonObject
                    {
                        ["cell_type"] = "code", ["execution_count"] = 1, ["source"] = "x < 1",
                        ["outputs"] = new JsonArray(
                            new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "<out>" },
                            new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = "<b>shown</b>" } },
                            new JsonObject { ["output_type"] = "execute_result", ["data"] = new JsonObject { ["image/png"] = "iVBOR" } },
                            new JsonObject { ["output_type"] = "error", ["ename"] = "E", ["evalue"] = "bad <thing>" }),
                    }),
                ["metadata"] = new JsonObject(), ["nbformat"] = 4,
            }.ToJsonString());

            var html = HtmlExporter.ToHtml(Notebook.Load(path));

            Assert.Contains("<h1 id=\"title\">Title</h1>", html);
            Assert.Contains("<em>text</em>", html);
            Assert.Contains("<code>x &lt; 1</code>", html);
            Assert.Contains("&lt;out&gt;", html);
            Assert.Contains("<b>shown</b>", html);
            Assert.Contains("src=\"data:image/png;base64,iVBOR\"", html);
            Assert.Contains("E: bad &lt;thing&gt;", html);
            Assert.DoesNotContain("http", html);                                   // nothing to fetch
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
