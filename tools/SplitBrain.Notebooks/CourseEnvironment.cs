using SplitBrain.Course;

namespace SplitBrain.Notebooks;

/// <summary>
/// Sets the environment through which a headless run talks to a chapter (the names are <see cref="CourseContract"/>'s,
/// shared with the library), and puts it back afterwards.
/// </summary>
internal static class CourseEnvironment
{
    private static readonly string[] Names =
        [CourseContract.OverridesVariable, CourseContract.RunDirectoryVariable, CourseContract.OverridesLogVariable, CourseContract.ChapterVariable,
         CourseContract.ExercisesLogVariable];

    internal static Dictionary<string, string?> Capture() =>
        Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);

    internal static void Restore(Dictionary<string, string?> saved)
    {
        foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>Where the chapters run in <paramref name="runDirectory"/> record their exercise checks.</summary>
    internal static string ExercisesLog(string runDirectory) => Path.Combine(runDirectory, "exercises.jsonl");

    internal static void Apply(string chapter, ExecutionConfig options)
    {
        Environment.SetEnvironmentVariable(CourseContract.ChapterVariable, chapter);
        Environment.SetEnvironmentVariable(CourseContract.OverridesVariable, options.Overrides?.ToJsonString());
        if (options.RunDirectory is { } dir)
        {
            var full = Path.GetFullPath(dir);
            Directory.CreateDirectory(full);
            Environment.SetEnvironmentVariable(CourseContract.RunDirectoryVariable, full);
            Environment.SetEnvironmentVariable(CourseContract.OverridesLogVariable, Path.Combine(full, "overrides.jsonl"));
            Environment.SetEnvironmentVariable(CourseContract.ExercisesLogVariable, ExercisesLog(full));
        }
    }
}
