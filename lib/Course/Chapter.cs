using System.Text.Json;
using System.Text.Json.Nodes;
using SplitBrain.Display;
using SplitBrain.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Course;

/// <summary>
/// What every chapter does first and where it keeps its files: the setup cell (<see cref="Setup"/>), the knob cell
/// (<see cref="Knobs{T}"/>) and the run folder (<see cref="RunDirectory"/>).
/// </summary>
/// <remarks>
/// A chapter opened in VS Code or Jupyter runs with its defaults. A headless run (the course runner, the tests)
/// talks to it through environment variables, read here and nowhere else:
/// <list type="bullet">
/// <item><c>SPLITBRAIN_SET</c>: a JSON object of knob overrides, e.g. <c>{"Epochs": 1}</c>;</item>
/// <item><c>SPLITBRAIN_RUN_DIR</c>: the folder for runs and reports (default: <c>runs/</c> in the repository);</item>
/// <item><c>SPLITBRAIN_OVERRIDES_LOG</c>: a JSON-lines file where each applied override is recorded;</item>
/// <item><c>SPLITBRAIN_CHAPTER</c>: the chapter's name; <c>SPLITBRAIN_DEVICE</c>: the device (see <see cref="Devices"/>).</item>
/// </list>
/// </remarks>
public static class Chapter
{
    /// <summary>Environment variable: JSON object of knob overrides.</summary>
    public const string OverridesVariable = "SPLITBRAIN_SET";

    /// <summary>Environment variable: the run folder.</summary>
    public const string RunDirectoryVariable = "SPLITBRAIN_RUN_DIR";

    /// <summary>Environment variable: the overrides log (JSON lines).</summary>
    public const string OverridesLogVariable = "SPLITBRAIN_OVERRIDES_LOG";

    /// <summary>Environment variable: the chapter's name.</summary>
    public const string NameVariable = "SPLITBRAIN_CHAPTER";

    /// <summary>The chapter's name (e.g. <c>04-pretraining</c>); <c>notebook</c> when not run headless.</summary>
    public static string Name => Environment.GetEnvironmentVariable(NameVariable) is { Length: > 0 } name ? name : "notebook";

    /// <summary>The device chosen by <see cref="Setup"/> (the CPU before it runs).</summary>
    public static Device Device { get; private set; } = CPU;

    /// <summary>The seed set by <see cref="Setup"/>.</summary>
    public static int Seed { get; private set; }

    /// <summary>
    /// Where runs, checkpoints and reports go: <c>SPLITBRAIN_RUN_DIR</c> when set, else <c>runs/</c> at the root of the
    /// repository (found upwards from the working folder, which is the notebook's folder in Jupyter and VS Code).
    /// </summary>
    public static string RunDirectory =>
        Environment.GetEnvironmentVariable(RunDirectoryVariable) is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "runs");

    /// <summary>
    /// The setup cell: seeds torch, chooses the device, makes tensors display readably in notebooks, and returns a
    /// summary to show (which also carries plotly.js, so every chart of the chapter draws offline).
    /// Outside a notebook it also opens the chapter's HTML report in <see cref="RunDirectory"/>.
    /// </summary>
    /// <param name="seed">Seed of torch's global generator.</param>
    /// <param name="device">Device request (<c>auto</c>, <c>cpu</c>, <c>cuda</c>); <c>SPLITBRAIN_DEVICE</c> wins when set.</param>
    public static View Setup(int seed = 0, string device = "auto")
    {
        Seed = seed;
        manual_seed(seed);
        Device = Devices.Default(device);
        var inKernel = FrontEnd.InKernel;
        if (inKernel) TensorFormatting.Register();
        else FrontEnd.Report ??= new HtmlReport(Path.Combine(RunDirectory, Name + ".report.html"), $"SplitBrain: {Name}");
        return new SetupView(new Table(["", ""],
        [
            ["SplitBrain", typeof(Chapter).Assembly.GetName().Version?.ToString(3)],
            ["TorchSharp", typeof(torch).Assembly.GetName().Version?.ToString(3) + $" ({Devices.Backend} backend)"],
            ["device", Device.ToString()],
            ["threads", get_num_threads()],
            ["seed", seed],
            ["runs", RunDirectory],
            ["front end", inKernel ? ".NET Interactive kernel" : $"console (report: {FrontEnd.Report?.Path})"],
        ], "Chapter setup"));
    }

    /// <summary>
    /// The knob cell: returns <paramref name="defaults"/> with the overrides of a headless run applied (none in a
    /// notebook front end), prints each change, and records it in the run's overrides log.
    /// </summary>
    /// <param name="defaults">Every knob of the chapter, as an immutable record.</param>
    public static T Knobs<T>(T defaults) where T : class
    {
        var overrides = Environment.GetEnvironmentVariable(OverridesVariable) is { Length: > 0 } json
            ? JsonNode.Parse(json) as JsonObject
              ?? throw new ArgumentException($"{OverridesVariable} must hold a JSON object of overrides, e.g. {{\"Epochs\": 1}}; got {json}.")
            : null;
        var (config, applied) = Course.Knobs.Apply(defaults, overrides);
        foreach (var change in applied)
            Console.WriteLine($"override: {change.Path} = {change.Value} (default {change.Default})");
        if (applied.Count > 0 && Environment.GetEnvironmentVariable(OverridesLogVariable) is { Length: > 0 } log)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(log))!);
            File.AppendAllLines(log, applied.Select(a => JsonSerializer.Serialize(new { chapter = Name, a.Key, a.Path, a.Default, a.Value })));
        }
        return config;
    }

    /// <summary>The nearest folder upwards from the working folder that holds SplitBrain.Lib.csproj, or null.</summary>
    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SplitBrain.Lib.csproj"))) return dir.FullName;
        return null;
    }

    /// <summary>The setup summary; its HTML also carries plotly.js for the chapter's charts.</summary>
    private sealed class SetupView(Table table) : View
    {
        // A report carries plotly.js in its head already; a notebook page gets it here, once per chapter.
        public override string ToHtml() => (FrontEnd.Report is null ? PlotlyJs.ScriptElement() : "") + table.ToHtml();

        public override string ToText() => table.ToText();
    }
}
