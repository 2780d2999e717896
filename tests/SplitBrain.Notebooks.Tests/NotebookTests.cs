using System.Text.Json.Nodes;

namespace SplitBrain.Notebooks.Tests;

public class NotebookTests
{
    [Fact]
    public void SplitText_KeepsNewlinesAndJoinTextInvertsIt()
    {
        var lines = Notebook.SplitText("a\nb\n\nc");

        Assert.Equal(["a\n", "b\n", "\n", "c"], lines.Select(l => (string)l!));
        Assert.Equal("a\nb\n\nc", Notebook.JoinText(lines));
        Assert.Equal("x", Notebook.JoinText(JsonValue.Create("x")));
    }

    [Fact]
    public void LoadAndSave_KeepFieldsTheRunnerDoesNotTouch()
    {
        var folder = Repository.TempFolder("nb");
        try
        {
            var path = Path.Combine(folder, "a.ipynb");
            File.WriteAllText(path, """{"cells":[{"cell_type":"markdown","metadata":{"x":1},"source":["# T"]}],"metadata":{"kernelspec":{"name":".net-csharp"}},"nbformat":4,"nbformat_minor":5}""");

            var notebook = Notebook.Load(path);
            notebook.Save(Path.Combine(folder, "b.ipynb"));

            var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "b.ipynb")))!;
            Assert.Equal(".net-csharp", (string?)saved["metadata"]!["kernelspec"]!["name"]);
            Assert.Equal(1, (int)saved["cells"]![0]!["metadata"]!["x"]!);
            Assert.Equal("markdown", notebook.Cells.Single().Kind);
            Assert.Equal("a", notebook.Name);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_NotANotebook_ThrowsNamingTheFile()
    {
        var folder = Repository.TempFolder("nb");
        try
        {
            var path = Path.Combine(folder, "bad.ipynb");
            File.WriteAllText(path, "{ not json");

            var error = Assert.Throws<InvalidDataException>(() => Notebook.Load(path));

            Assert.Contains(path, error.Message);
            Assert.Throws<FileNotFoundException>(() => Notebook.Load(Path.Combine(folder, "missing.ipynb")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Language_ReadsPolyglotAndDotnetInteractiveMetadata()
    {
        var polyglot = new NotebookCell(JsonNode.Parse("""{"cell_type":"code","metadata":{"polyglot_notebook":{"kernelName":"fsharp"}}}""")!.AsObject());
        var jupyter = new NotebookCell(JsonNode.Parse("""{"cell_type":"code","metadata":{"dotnet_interactive":{"language":"pwsh"}}}""")!.AsObject());
        var plain = new NotebookCell(JsonNode.Parse("""{"cell_type":"code"}""")!.AsObject());

        Assert.Equal(("fsharp", "pwsh", "csharp"), (polyglot.Language, jupyter.Language, plain.Language));
    }
}
