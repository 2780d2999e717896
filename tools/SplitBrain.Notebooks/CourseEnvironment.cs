namespace SplitBrain.Notebooks;

/// <summary>
/// The environment variables through which a headless run talks to a chapter. The library reads the same
/// names (SplitBrain.Display.Course in lib/); a chapter opened in VS Code or Jupyter sees none of them and
/// uses its defaults.
/// </summary>
public static class CourseEnvironment
{
    /// <summary>JSON object of knob overrides, e.g. <c>{"Epochs": 1, "Images": 64}</c>.</summary>
    public const string Overrides = "SPLITBRAIN_SET";

    /// <summary>Folder where the chapter writes its runs and reports.</summary>
    public const string RunDirectory = "SPLITBRAIN_RUN_DIR";

    /// <summary>JSON-lines file where the library records every override it applied.</summary>
    public const string OverridesLog = "SPLITBRAIN_OVERRIDES_LOG";

    /// <summary>The name of the chapter being run (e.g. <c>04-pretraining</c>).</summary>
    public const string Chapter = "SPLITBRAIN_CHAPTER";

    /// <summary>Set to 1 for a headless run.</summary>
    public const string Headless = "SPLITBRAIN_HEADLESS";

    private static readonly string[] Names = [Overrides, RunDirectory, OverridesLog, Chapter, Headless];

    internal static Dictionary<string, string?> Capture() =>
        Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);

    internal static void Restore(Dictionary<string, string?> saved)
    {
        foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
    }

    internal static void Apply(string chapter, ExecutionOptions options)
    {
        Environment.SetEnvironmentVariable(Chapter, chapter);
        Environment.SetEnvironmentVariable(Headless, "1");
        Environment.SetEnvironmentVariable(Overrides, options.Overrides?.ToJsonString());
        if (options.RunDirectory is { } dir)
        {
            var full = Path.GetFullPath(dir);
            Directory.CreateDirectory(full);
            Environment.SetEnvironmentVariable(RunDirectory, full);
            Environment.SetEnvironmentVariable(OverridesLog, Path.Combine(full, "overrides.jsonl"));
        }
    }
}
