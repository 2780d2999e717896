using System.Text.Json;
using System.Text.Json.Nodes;

namespace SplitBrain.Course;

/// <summary>
/// The names the course's headless runner (<c>tools/SplitBrain.Notebooks</c>) and its chapters share: the environment
/// variables through which a run talks to a chapter, the folder names of a course run, where the repository is, and how
/// a <c>--set KEY=VALUE</c> override reads. Written once: this file is compiled into the library and, as a linked source
/// file, into the runner (which does not reference the library, so that a headless run loads it as a reader does).
/// </summary>
/// <remarks>
/// A chapter opened in VS Code or Jupyter sees none of the variables and uses its defaults.
/// </remarks>
public static class CourseContract
{
    /// <summary>Environment variable: a JSON object of knob overrides, e.g. <c>{"Epochs": 1}</c>.</summary>
    public const string OverridesVariable = "SPLITBRAIN_SET";

    /// <summary>Environment variable: the runs folder of a headless run (default <c>runs/</c> in the repository).</summary>
    public const string RunDirectoryVariable = "SPLITBRAIN_RUN_DIR";

    /// <summary>Environment variable: a JSON-lines file where each override a chapter applied is recorded.</summary>
    public const string OverridesLogVariable = "SPLITBRAIN_OVERRIDES_LOG";

    /// <summary>Environment variable: a JSON-lines file where every exercise check a chapter runs records its outcome, one
    /// object per check: <c>{"chapter": "02-quantization", "exercise": "2.1", "outcome": "NotDone", "message": "..."}</c>
    /// (outcomes <see cref="ExercisePassed"/>, <c>Failed</c>, <c>NotDone</c>).</summary>
    public const string ExercisesLogVariable = "SPLITBRAIN_EXERCISES_LOG";

    /// <summary>The outcome of a check that passed, as the exercises log writes it.</summary>
    public const string ExercisePassed = "Passed";

    /// <summary>The first line of an exercise cell starts with this, then the exercise's number and a colon:
    /// <c>// Exercise 2.1: the nearest-bin encoding</c>. The next code cell is its check.</summary>
    public const string ExerciseMarker = "// Exercise ";

    /// <summary>Environment variable: the chapter's name (e.g. <c>04-pretraining</c>).</summary>
    public const string ChapterVariable = "SPLITBRAIN_CHAPTER";

    /// <summary>Environment variable: the device of every chapter (e.g. <c>cpu</c>): it overrides every <c>Device</c>
    /// knob.</summary>
    public const string DeviceVariable = "SPLITBRAIN_DEVICE";

    /// <summary>The folder of the chapters' summary tables in the runs folder.</summary>
    public const string SummaryFolder = "summary";

    /// <summary>The folder of the shared tensor caches in the runs folder (kept when a course folder is cleared).</summary>
    public const string CacheFolder = "cache";

    /// <summary>The file that marks the repository's root.</summary>
    public const string RootMarker = "SplitBrain.Lib.csproj";

    /// <summary>The nearest folder upwards from <paramref name="start"/> that holds <see cref="RootMarker"/>, or null.</summary>
    /// <param name="start">Where to start, e.g. the working folder.</param>
    public static string? RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, RootMarker)))
                return dir.FullName;
        return null;
    }

    /// <summary>One <c>--set KEY=VALUE</c> override: the key, and the value read as JSON when it parses (numbers,
    /// <c>true</c>, <c>"text"</c>, objects), else as a string (an enum name, a path).</summary>
    /// <param name="pair">E.g. <c>Pretrain.Epochs=2</c>.</param>
    /// <returns>The key and the value.</returns>
    /// <exception cref="ArgumentException">The text has no <c>=</c> or no key.</exception>
    public static (string Key, JsonNode? Value) ParseOverride(string pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var eq = pair.IndexOf('=');
        if (eq <= 0)
            throw new ArgumentException($"--set takes KEY=VALUE, got '{pair}'.", nameof(pair));
        var text = pair[(eq + 1)..];
        if (text.Trim() == "null")
            return (pair[..eq].Trim(), null); // clears an optional setting, e.g. Pretrain.Minutes=null
        JsonNode? value;
        try
        {
            value = JsonNode.Parse(text) ?? JsonValue.Create(text);
        }
        catch (JsonException)
        {
            value = JsonValue.Create(text);
        }
        return (pair[..eq].Trim(), value);
    }
}
