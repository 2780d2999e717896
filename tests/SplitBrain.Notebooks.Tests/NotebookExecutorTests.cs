using System.Text.Json.Nodes;

namespace SplitBrain.Notebooks.Tests;

/// <summary>The runner's executor, in-process, on small notebooks the tests write.</summary>
[Collection(ExecutorCollection.Name)]
public sealed class NotebookExecutorTests : IDisposable
{
    private readonly string _folder = Repository.TempFolder("executor");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Notebook Write(params string[] codeCells)
    {
        var cells = new JsonArray(codeCells.Select(source => (JsonNode?)new JsonObject
        {
            ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["source"] = source, ["outputs"] = new JsonArray(), ["execution_count"] = null,
        }).ToArray());
        var path = Path.Combine(_folder, $"n{Guid.NewGuid():N}.ipynb");
        File.WriteAllText(path, new JsonObject { ["cells"] = cells, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString());
        return Notebook.Load(path);
    }

    private static JsonArray Outputs(ExecutionResult result, int cell) => result.Executed.Cells[cell].Outputs;

    [Fact]
    public async Task Execute_CollectsResultsStreamsAndCounts()
    {
        var result = await NotebookExecutor.ExecuteAsync(Write("var x = 20;", "Console.Write(\"a\"); Console.WriteLine(\"b\"); x + 1"), new ExecutionConfig());

        Assert.True(result.Succeeded);
        Assert.Equal(2, (int)result.Executed.Cells[1].Json["execution_count"]!);
        var outputs = Outputs(result, 1);
        Assert.Equal("stream", (string?)outputs[0]!["output_type"]);
        Assert.Equal("ab\n", Notebook.JoinText(outputs[0]!["text"]));                // consecutive writes form one stream output
        Assert.Equal("execute_result", (string?)outputs[1]!["output_type"]);
        Assert.Contains("21", Notebook.JoinText(outputs[1]!["data"]!["text/html"]));
    }

    [Fact]
    public async Task Execute_FailingCell_StopsAndRecordsTheError()
    {
        var result = await NotebookExecutor.ExecuteAsync(Write("1", "throw new InvalidOperationException(\"boom\");", "2"), new ExecutionConfig());

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.FirstFailure!.Index);
        Assert.Contains("boom", result.FirstFailure.Error);
        Assert.Equal("error", (string?)Outputs(result, 1)[0]!["output_type"]);
        Assert.Null(result.Executed.Cells[2].Json["execution_count"]);              // not run
    }

    [Fact]
    public async Task Execute_KeepGoing_RunsTheCellsAfterAFailure()
    {
        var result = await NotebookExecutor.ExecuteAsync(Write("undefinedName", "2 + 2"), new ExecutionConfig(KeepGoing: true));

        Assert.False(result.Succeeded);
        Assert.Contains("CS0103", result.FirstFailure!.Error);                       // a compile error is a failure too
        Assert.Contains("4", Notebook.JoinText(Outputs(result, 1)[0]!["data"]!["text/html"]));
    }

    [Fact]
    public async Task Execute_SourceNotebookIsNotModified()
    {
        var notebook = Write("1 + 1");

        await NotebookExecutor.ExecuteAsync(notebook, new ExecutionConfig());

        Assert.Empty(notebook.Cells[0].Outputs);
    }

    [Fact]
    public async Task Execute_PassesOverridesAndRunFolderThroughTheEnvironment()
    {
        var runs = Path.Combine(_folder, "runs");
        var overrides = JsonNode.Parse("""{"Epochs": 1}""")!.AsObject();

        var result = await NotebookExecutor.ExecuteAsync(
            Write("""Environment.GetEnvironmentVariable("SPLITBRAIN_SET") + "|" + Environment.GetEnvironmentVariable("SPLITBRAIN_RUN_DIR")"""),
            new ExecutionConfig(overrides, runs));

        Assert.Equal($"{{\"Epochs\":1}}|{runs}", Notebook.JoinText(Outputs(result, 0)[0]!["data"]!["text/plain"]));
        Assert.Null(Environment.GetEnvironmentVariable("SPLITBRAIN_SET"));         // restored afterwards
    }

    [Fact]
    public async Task Execute_LibraryViews_RenderWithTheLibrarysFormatters()
    {
        var lib = Path.Combine(Repository.Root, "artifacts", "lib");
        var result = await NotebookExecutor.ExecuteAsync(Write(
            $"#r \"{lib}/SplitBrain.Lib.dll\"\n#r \"{lib}/TorchSharp.dll\"\nusing SplitBrain.Display;",
            "new Table([\"k\"], [[\"v\"]], \"a table\")",
            "var live = FrontEnd.Live(new Table([\"step\"], [[0]])); for (var i = 1; i <= 3; i++) live.Update(new Table([\"step\"], [[i]]));",
            "TensorFormatting.Register(); TorchSharp.torch.arange(3)"), new ExecutionConfig());

        Assert.True(result.Succeeded, result.FirstFailure?.Error);
        var table = Outputs(result, 1)[0]!["data"]!;
        Assert.Contains("splitbrain-table", Notebook.JoinText(table["text/html"]));
        Assert.Contains("a table", Notebook.JoinText(table["text/plain"]));
        var live = Outputs(result, 2);
        Assert.Single(live);                                                          // updated in place, not appended
        Assert.Contains(">3</td>", Notebook.JoinText(live[0]!["data"]!["text/html"]));
        Assert.Contains("tensor [3] Int64 on cpu", Notebook.JoinText(Outputs(result, 3)[0]!["data"]!["text/html"]));
    }
}

/// <summary>Executors change the process's working folder and environment: one at a time, apart from other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExecutorCollection
{
    public const string Name = "Notebook executor";
}
