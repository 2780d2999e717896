using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using SplitBrain.Course;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace SplitBrain.Notebooks;

/// <summary>How one notebook is executed.</summary>
/// <param name="Overrides">Knob overrides handed to the notebook's knob cell (see <see cref="CourseEnvironment"/>).</param>
/// <param name="RunDirectory">Where the chapter writes its runs, reports and overrides log.</param>
/// <param name="KeepGoing">Run the remaining cells after a failing one (default: stop at the first failure).</param>
/// <param name="Echo">Where progress and the cells' standard output are echoed live (null: silent).</param>
public sealed record ExecutionConfig(
    JsonObject? Overrides = null,
    string? RunDirectory = null,
    bool KeepGoing = false,
    TextWriter? Echo = null);

/// <summary>What happened to one cell.</summary>
public sealed record CellResult(int Index, bool Succeeded, TimeSpan Elapsed, string? Error);

/// <summary>What one exercise check of a chapter found (from the exercises log, see <see cref="CourseContract.ExercisesLogVariable"/>).</summary>
/// <param name="Id">The exercise's number, e.g. <c>2.1</c>.</param>
/// <param name="Outcome"><c>Passed</c>, <c>Failed</c> or <c>NotDone</c>.</param>
/// <param name="Message">The check's detail.</param>
public sealed record ExerciseRecord(string Id, string Outcome, string Message)
{
    /// <summary>True when the check passed.</summary>
    public bool Passed => Outcome == CourseContract.ExercisePassed;
}

/// <summary>The outcome of executing a notebook.</summary>
/// <param name="Executed">The notebook with its outputs.</param>
/// <param name="Cells">What happened to each executed cell.</param>
/// <param name="Elapsed">The time it took.</param>
/// <param name="Exercises">The exercise checks the notebook ran, in order (none without a run directory).</param>
public sealed record ExecutionResult(Notebook Executed, IReadOnlyList<CellResult> Cells, TimeSpan Elapsed, IReadOnlyList<ExerciseRecord> Exercises)
{
    /// <summary>The exercises whose checks did not pass (not done yet, or failed), by number.</summary>
    public IReadOnlyList<string> Undone => [.. Exercises.Where(e => !e.Passed).Select(e => e.Id)];

    /// <summary>True when every executed cell succeeded and none was skipped.</summary>
    public bool Succeeded => Cells.All(c => c.Succeeded);

    /// <summary>The first failing cell, if any.</summary>
    public CellResult? FirstFailure => Cells.FirstOrDefault(c => !c.Succeeded);
}

/// <summary>
/// Executes a notebook's C# cells in order in a fresh in-process .NET Interactive C# kernel and writes
/// their outputs into a copy of the notebook, the way Jupyter would (display_data, execute_result, stream, error).
/// </summary>
public static class NotebookExecutor
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>Executes <paramref name="notebook"/>; the source notebook is not modified.</summary>
    public static async Task<ExecutionResult> ExecuteAsync(Notebook notebook, ExecutionConfig options)
    {
        // The working directory and the environment are process-wide: one notebook at a time.
        await OneAtATime.WaitAsync();
        if (options.RunDirectory is { } runDirectory) options = options with { RunDirectory = Path.GetFullPath(runDirectory) };
        var previousDirectory = Directory.GetCurrentDirectory();
        var previousEnvironment = CourseEnvironment.Capture();
        try
        {
            // Relative #r paths resolve against the working directory: run where the notebook is, as Jupyter does.
            Directory.SetCurrentDirectory(Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!);
            CourseEnvironment.Apply(notebook.Name, options);
            var log = options.RunDirectory is { } dir ? CourseEnvironment.ExercisesLog(dir) : null;
            var logged = log is not null && File.Exists(log) ? new FileInfo(log).Length : 0;
            var result = await ExecuteInFreshKernelAsync(notebook.Clone(), options);
            return result with { Exercises = ReadExercises(log, logged) };
        }
        finally
        {
            CourseEnvironment.Restore(previousEnvironment);
            Directory.SetCurrentDirectory(previousDirectory);
            OneAtATime.Release();
        }
    }

    private static async Task<ExecutionResult> ExecuteInFreshKernelAsync(Notebook executed, ExecutionConfig options)
    {
        var total = Stopwatch.StartNew();
        Formatter.ResetToDefault();
        // What a browser front end (Jupyter, VS Code) asks for: HTML, strings as plain text.
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);

        using var kernel = new CompositeKernel
        {
            new CSharpKernel().UseKernelHelpers().UseValueSharing(),
        };
        kernel.DefaultKernelName = "csharp";

        var results = new List<CellResult>();
        var codeCells = executed.Cells.Where(c => c.Kind == "code").ToList();
        var executionCount = 0;
        var failed = false;
        foreach (var cell in codeCells)
        {
            var index = executed.Cells.ToList().IndexOf(cell);
            cell.Outputs.Clear();
            cell.Json["execution_count"] = null;
            if (failed && !options.KeepGoing) continue;
            if (cell.Language is not ("csharp" or "C#" or "c#"))
            {
                results.Add(new CellResult(index, false, TimeSpan.Zero, $"cell {index + 1}: language '{cell.Language}' is not run headless (C# only)."));
                failed = true;
                continue;
            }
            if (string.IsNullOrWhiteSpace(cell.Source)) continue;

            executionCount++;
            cell.Json["execution_count"] = executionCount;
            options.Echo?.WriteLine($"[{executed.Name}] cell {index + 1}/{executed.Cells.Count} ...");
            var result = await RunCellAsync(kernel, cell, executionCount, options.Echo);
            results.Add(result with { Index = index });
            if (!result.Succeeded)
            {
                failed = true;
                options.Echo?.WriteLine($"[{executed.Name}] cell {index + 1} FAILED: {result.Error}");
            }
        }
        return new ExecutionResult(executed, results, total.Elapsed, []);
    }

    // The checks recorded in the exercises log after byte offset `from` (what this execution added).
    private static List<ExerciseRecord> ReadExercises(string? log, long from)
    {
        if (log is null || !File.Exists(log)) return [];
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(from, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var records = new List<ExerciseRecord>();
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line) || JsonNode.Parse(line) is not JsonObject entry) continue;
            records.Add(new ExerciseRecord((string?)entry["exercise"] ?? "?", (string?)entry["outcome"] ?? "?", (string?)entry["message"] ?? ""));
        }
        return records;
    }

    private static async Task<CellResult> RunCellAsync(CompositeKernel kernel, NotebookCell cell, int executionCount, TextWriter? echo)
    {
        var outputs = new OutputCollector(cell.Outputs, executionCount);
        var watch = Stopwatch.StartNew();
        var lastEcho = TimeSpan.Zero;
        string? error = null;
        using var subscription = kernel.KernelEvents.Subscribe(new EventObserver(e =>
        {
            switch (e)
            {
                case StandardOutputValueProduced s:
                    echo?.Write(Text(s));
                    outputs.Stream("stdout", Text(s));
                    break;
                case StandardErrorValueProduced s:
                    echo?.Write(Text(s));
                    outputs.Stream("stderr", Text(s));
                    break;
                case DisplayedValueUpdated u:
                    outputs.Update(u.ValueId, u.FormattedValues);
                    // A live display (a training progress bar) shows in the console too, every few seconds.
                    if (echo is not null && watch.Elapsed - lastEcho > EchoInterval && Text(u) is { Length: > 0 and < 400 } progress)
                    {
                        echo.WriteLine("  " + progress.Trim());
                        lastEcho = watch.Elapsed;
                    }
                    break;
                case ReturnValueProduced r:
                    outputs.Result(r.FormattedValues);
                    break;
                case DisplayedValueProduced d:
                    outputs.Display(d.ValueId, d.FormattedValues);
                    break;
                case CommandFailed f when f.Command is SubmitCode:
                    error = f.Message;
                    outputs.Error(f.Exception?.GetType().Name ?? "Error", f.Message);
                    break;
            }
        }));
        var commandResult = await kernel.SendAsync(new SubmitCode(cell.Source));
        if (error is null && commandResult.Events.OfType<CommandFailed>().FirstOrDefault() is { } failure)
        {
            error = failure.Message;
            outputs.Error(failure.Exception?.GetType().Name ?? "Error", failure.Message);
        }
        return new CellResult(0, error is null, watch.Elapsed, error);
    }

    private static readonly TimeSpan EchoInterval = TimeSpan.FromSeconds(10);

    private static string Text(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value
        ?? e.Value?.ToString() ?? "";

    private sealed class EventObserver(Action<KernelEvent> onNext) : IObserver<KernelEvent>
    {
        public void OnCompleted() { }
        public void OnError(Exception error) { }
        public void OnNext(KernelEvent value) => onNext(value);
    }

    /// <summary>Turns kernel events into nbformat outputs, updating displays in place as Jupyter does.</summary>
    private sealed class OutputCollector(JsonArray outputs, int executionCount)
    {
        private readonly Dictionary<string, JsonObject> _displays = new();

        public void Display(string? valueId, IReadOnlyCollection<FormattedValue> values)
        {
            var output = new JsonObject { ["output_type"] = "display_data", ["data"] = Data(values), ["metadata"] = new JsonObject() };
            outputs.Add(output);
            if (valueId is not null) _displays[valueId] = output;
        }

        public void Update(string? valueId, IReadOnlyCollection<FormattedValue> values)
        {
            if (valueId is not null && _displays.TryGetValue(valueId, out var output)) output["data"] = Data(values);
            else Display(valueId, values);
        }

        public void Result(IReadOnlyCollection<FormattedValue> values) => outputs.Add(new JsonObject
        {
            ["output_type"] = "execute_result",
            ["execution_count"] = executionCount,
            ["data"] = Data(values),
            ["metadata"] = new JsonObject(),
        });

        public void Stream(string name, string text)
        {
            // Consecutive writes to one stream form one output, as in Jupyter.
            if (outputs.Count > 0 && outputs[^1] is JsonObject last
                && last["output_type"]?.GetValue<string>() == "stream" && last["name"]?.GetValue<string>() == name)
            {
                last["text"] = Notebook.SplitText(Notebook.JoinText(last["text"]) + text);
                return;
            }
            outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = Notebook.SplitText(text) });
        }

        public void Error(string name, string message) => outputs.Add(new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = name,
            ["evalue"] = message,
            ["traceback"] = new JsonArray(message.Split('\n').Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
        });

        private static JsonObject Data(IReadOnlyCollection<FormattedValue> values)
        {
            var data = new JsonObject();
            foreach (var value in values)
                if (!value.SuppressDisplay) data[value.MimeType] = Notebook.SplitText(value.Value ?? "");
            return data;
        }
    }
}
