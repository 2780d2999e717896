using System.Diagnostics;

namespace SplitBrain.Notebooks;

/// <summary>
/// The <c>exercises</c> command: runs every exercise's check twice, each time in a fresh kernel with only the chapter's
/// setup cell before it (so each exercise is self-contained): once with the exercise cell as the chapter holds it (the
/// blank, whose check must not pass, so that it checks something) and once with its solution (whose check must pass).
/// </summary>
public static class ExercisesCommand
{
    /// <summary>Checks the exercises of <paramref name="chapters"/>; prints one line per exercise and a summary line last.</summary>
    /// <param name="chapters">The chapters' paths.</param>
    /// <param name="output">Where the lines go.</param>
    /// <returns>0 when every check fails on its blank and passes on its solution, else 1.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> chapters, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(chapters);
        ArgumentNullException.ThrowIfNull(output);
        var clock = Stopwatch.StartNew();
        var folder = Path.Combine(Path.GetTempPath(), $"splitbrain-exercises-{Guid.NewGuid():N}");
        var problems = new List<string>();
        var perChapter = new List<string>();
        var (total, ok) = (0, 0);
        try
        {
            foreach (var path in chapters)
            {
                var chapter = Notebook.Load(path);
                var solutionsPath = ChapterExercise.SolutionsPath(path);
                var solutions = File.Exists(solutionsPath)
                    ? ChapterExercise.ParseSolutions(File.ReadAllText(solutionsPath), solutionsPath)
                    : new Dictionary<string, string>();
                var exercises = ChapterExercise.Find(chapter, solutions);
                perChapter.Add($"{chapter.Name[..2]}: {exercises.Count}");
                foreach (var orphan in solutions.Keys.Except(exercises.Select(e => e.Id)))
                    problems.Add($"{solutionsPath} holds a solution of exercise {orphan}, which {chapter.Name} does not have");
                foreach (var exercise in exercises)
                {
                    total++;
                    var watch = Stopwatch.StartNew();
                    var blank = await CheckAsync(exercise, exercise.Blank, Path.Combine(folder, $"{exercise.Id}-blank"));
                    var solved = exercise.Solution is { } solution
                        ? await CheckAsync(exercise, solution, Path.Combine(folder, $"{exercise.Id}-solution"))
                        : new Verdict(false, $"no solution in {Path.GetRelativePath(Directory.GetCurrentDirectory(), solutionsPath)}");
                    var good = blank is { Ran: true, Outcome: not "Passed" } && solved is { Ran: true, Outcome: "Passed" };
                    if (good) ok++;
                    else problems.Add($"exercise {exercise.Id}: blank {blank.Describe()}, solution {solved.Describe()}");
                    output.WriteLine($"{exercise.Id,-5} {Shorten(exercise.Title, 42),-42} blank: {blank.Word,-10} solution: {solved.Word,-10} {(good ? "ok" : "FAIL")} ({watch.Elapsed.TotalSeconds:F1} s)");
                }
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        foreach (var problem in problems) output.WriteLine($"problem: {problem}");
        var allGood = problems.Count == 0 && total > 0;
        output.WriteLine(allGood
            ? $"exercises: {ok} of {total} ok ({string.Join(", ", perChapter)}): every check fails on its blank and passes on its solution; {clock.Elapsed.TotalSeconds:F1} s"
            : $"exercises: {ok} of {total} ok, {problems.Count} problem(s) ({string.Join(", ", perChapter)}); {clock.Elapsed.TotalSeconds:F1} s");
        return allGood ? 0 : 1;
    }

    // Setup cell, exercise cell (blank or solution) and check cell, in a fresh kernel; what the check reported.
    private static async Task<Verdict> CheckAsync(ChapterExercise exercise, string code, string runDirectory)
    {
        var notebook = Notebook.FromCode(exercise.Chapter, [exercise.Setup, code, exercise.Check]);
        var result = await NotebookExecutor.ExecuteAsync(notebook, new ExecutionConfig(RunDirectory: runDirectory));
        if (result.FirstFailure is { } failure)
            return new Verdict(false, $"cell {failure.Index + 1} of 3 failed: {Shorten(failure.Error ?? "", 300)}");
        return result.Exercises.FirstOrDefault(e => e.Id == exercise.Id) is { } record
            ? new Verdict(true, record.Message, record.Outcome)
            : new Verdict(false, $"the check cell reported no result for exercise {exercise.Id}");
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 3)] + "...";

    private sealed record Verdict(bool Ran, string Detail, string? Outcome = null)
    {
        public string Word => !Ran ? "error" : Outcome switch { "Passed" => "passed", "NotDone" => "not done", _ => "failed" };

        public string Describe() => $"{Word} ({Detail})";
    }
}
