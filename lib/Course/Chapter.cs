using System.Text.Json;
using System.Text.Json.Nodes;
using SplitBrain.Display;
using SplitBrain.Exercises;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Course;

/// <summary>
/// What every chapter does first and where it keeps its files: the setup cell (<see cref="Setup"/>), the knob cell
/// (<see cref="Knobs{T}"/>) and the course's workspace (<see cref="Workspace"/>: the runs folder, the shared caches, and
/// where relative data paths start).
/// </summary>
/// <remarks>
/// A chapter opened in VS Code or Jupyter runs with its defaults. A headless run (the course runner, the tests) talks to it
/// through the environment variables of <see cref="CourseContract"/>, read here and nowhere else in the library: the
/// layers below the course take the workspace, the device and the seed as arguments.
/// </remarks>
public static class Chapter
{
    /// <summary>The chapter's name (e.g. <c>04-pretraining</c>); <c>notebook</c> when not run headless.</summary>
    public static string Name =>
        Environment.GetEnvironmentVariable(CourseContract.ChapterVariable) is { Length: > 0 } name ? name : "notebook";

    /// <summary>
    /// The course's workspace: relative data paths start at the repository's root (found upwards from the working folder,
    /// which is the notebook's folder in Jupyter and VS Code; the working folder itself outside the repository), and runs
    /// go to <c>SPLITBRAIN_RUN_DIR</c> when set, else to <c>runs/</c> at that root.
    /// </summary>
    public static Workspace Workspace
    {
        get
        {
            var root = CourseContract.RepositoryRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();
            var runs = Environment.GetEnvironmentVariable(CourseContract.RunDirectoryVariable) is { Length: > 0 } dir ? Path.GetFullPath(dir) : null;
            return Workspace.At(root, runs);
        }
    }

    /// <summary>The run called <paramref name="nameOrPath"/> in the course's workspace (<see cref="Workspace.Run"/>): a
    /// plain name is a folder in the runs folder.</summary>
    /// <param name="nameOrPath">E.g. <c>"pretrain"</c>.</param>
    /// <returns>The run folder.</returns>
    public static RunFolder Run(string nameOrPath) => Workspace.Run(nameOrPath);

    /// <summary>The device of the chapters: <c>SPLITBRAIN_DEVICE</c> when set, else <paramref name="request"/>
    /// (<see cref="Devices.Resolve"/>).</summary>
    /// <param name="request">The chapter's own request.</param>
    public static Device ResolveDevice(string request = "auto") =>
        Devices.Resolve(Environment.GetEnvironmentVariable(CourseContract.DeviceVariable) is { Length: > 0 } device ? device : request);

    /// <summary>
    /// The setup cell: seeds torch, shows the device and the precision <see cref="Precision.Auto"/> computes in there, makes
    /// tensors display readably in notebooks, and returns a
    /// summary to show (which also carries plotly.js, so every chart of the chapter draws offline).
    /// Outside a notebook it also opens the chapter's HTML report in the runs folder.
    /// </summary>
    /// <param name="seed">Seed of torch's global generator.</param>
    /// <param name="device">Device request (<c>auto</c>, <c>cpu</c>, <c>cuda</c>); <c>SPLITBRAIN_DEVICE</c> wins when set.</param>
    public static View Setup(int seed = 0, string device = "auto")
    {
        manual_seed(seed);
        var chosen = ResolveDevice(device);
        var workspace = Workspace;
        var inKernel = FrontEnd.InKernel;
        ExerciseCheck.Reported = Environment.GetEnvironmentVariable(CourseContract.ExercisesLogVariable) is { Length: > 0 } log
            ? result => RecordExercise(log, result)
            : null;
        if (inKernel) TensorFormatting.Register();
        else FrontEnd.Report ??= new HtmlReport(Path.Combine(workspace.Runs, Name + ".report.html"), $"SplitBrain: {Name}");
        return new SetupView(new Table(["", ""],
        [
            ["SplitBrain", typeof(Chapter).Assembly.GetName().Version?.ToString(3)],
            ["TorchSharp", typeof(torch).Assembly.GetName().Version?.ToString(3) + $" ({Devices.Backend} backend)"],
            ["device", chosen.ToString()],
            ["precision", $"{Precisions.Name(Precisions.Resolve(Precision.Auto, chosen))} for evaluation (Precision.Auto); pretraining times float32 and bfloat16 once and keeps the faster"],
            ["threads", get_num_threads()],
            ["seed", seed],
            ["runs", workspace.Runs],
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
        var overrides = Environment.GetEnvironmentVariable(CourseContract.OverridesVariable) is { Length: > 0 } json
            ? JsonNode.Parse(json) as JsonObject
              ?? throw new ArgumentException($"{CourseContract.OverridesVariable} must hold a JSON object of overrides, e.g. {{\"Epochs\": 1}}; got {json}.")
            : null;
        var (config, applied) = Course.Knobs.Apply(defaults, overrides);
        // The course's device, for every run of every chapter: each Device knob, however deep, is overridden alike, so that
        // a network trained in chapter 04 is loaded onto the same device in chapters 05 and 06.
        if (Environment.GetEnvironmentVariable(CourseContract.DeviceVariable) is { Length: > 0 } device)
        {
            var (everywhere, set) = Course.Knobs.ApplyToAll(config, nameof(PretrainConfig.Device), JsonValue.Create(device));
            (config, applied) = (everywhere, [.. applied, .. set]);
        }
        foreach (var change in applied)
            Console.WriteLine($"override: {change.Path} = {change.Value} (default {change.Default})");
        if (applied.Count > 0 && Environment.GetEnvironmentVariable(CourseContract.OverridesLogVariable) is { Length: > 0 } log)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(log))!);
            File.AppendAllLines(log, applied.Select(a => JsonSerializer.Serialize(new { chapter = Name, a.Key, a.Path, a.Default, a.Value })));
        }
        return config;
    }

    // One line of the exercises log (see CourseContract.ExercisesLogVariable).
    private static void RecordExercise(string log, CheckResult result)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(log))!);
        File.AppendAllLines(log, [JsonSerializer.Serialize(new { chapter = Name, exercise = result.Id, outcome = result.Outcome.ToString(), message = result.Message })]);
    }

    /// <summary>The setup summary; its HTML also carries plotly.js for the chapter's charts.</summary>
    private sealed class SetupView(Table table) : View
    {
        // A report carries plotly.js in its head already; a notebook page gets it here, once per chapter.
        public override string ToHtml() => (FrontEnd.Report is null ? PlotlyJs.ScriptElement() : "") + table.ToHtml();

        public override string ToText() => table.ToText();
    }
}
