using SplitBrain.Course;
using System.Text.Json.Nodes;

namespace SplitBrain.Notebooks;

/// <summary>
/// The output folder of the <c>course</c> command (<c>runs/course</c>): the runs of the chapters, their executed copies,
/// and the summary tables the chapters save under <c>summary/</c>.
/// </summary>
internal static class CourseFolder
{
    /// <summary>The overrides of the last course run in the folder.</summary>
    internal const string OverridesFile = "course-overrides.json";

    /// <summary>
    /// Prepares <paramref name="folder"/> for a course run with <paramref name="overrides"/>. A finished run of the same
    /// settings is reused (its runs load at once, an interrupted one resumes); a run with other settings would be
    /// refused by the trainers (a run resumes only with the settings it started with), so the previous course's runs,
    /// summaries and executed copies are removed first, saying so. The data caches stay: they are named after their
    /// content.
    /// </summary>
    internal static void Prepare(string folder, JsonObject overrides, TextWriter log)
    {
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, OverridesFile);
        var now = overrides.ToJsonString();
        var before = File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        if (before is not null && before != now)
        {
            log.WriteLine($"the previous course in {folder} ran with other settings ({before}); starting afresh");
            foreach (var dir in Directory.EnumerateDirectories(folder).Where(d => Path.GetFileName(d) != CourseContract.CacheFolder))
                Directory.Delete(dir, recursive: true);
            foreach (var path in Directory.EnumerateFiles(folder))
                File.Delete(path);
        }
        else if (before is not null)
        {
            log.WriteLine($"reusing the finished runs in {folder} (same settings); delete the folder to start afresh");
        }
        File.WriteAllText(file, now);
    }

    /// <summary>Prints every chapter's summary table (<c>summary/*.txt</c>), in chapter order.</summary>
    internal static void PrintSummaries(string folder, TextWriter log)
    {
        var summaries = Path.Combine(folder, CourseContract.SummaryFolder);
        if (!Directory.Exists(summaries))
            return;
        foreach (var path in Directory.GetFiles(summaries, "*.txt").Order(StringComparer.Ordinal))
        {
            log.WriteLine();
            log.WriteLine(File.ReadAllText(path).TrimEnd());
        }
    }
}
