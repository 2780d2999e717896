using System.Text.RegularExpressions;
using SplitBrain.Course;

namespace SplitBrain.Notebooks;

/// <summary>
/// One exercise of a chapter, as the committed chapter holds it: the chapter's setup cell, the exercise cell (its first
/// line <c>// Exercise 2.1: title</c>, a stub that throws <see cref="NotImplementedException"/>) and the check cell right
/// after it; and its solution, kept apart in <c>notebooks/solutions/NN-topic.cs</c> under the same first line.
/// </summary>
/// <param name="Chapter">The chapter's path.</param>
/// <param name="Id">The exercise's number, e.g. <c>2.1</c>.</param>
/// <param name="Title">The rest of the marker line.</param>
/// <param name="Setup">The chapter's setup cell (its first code cell).</param>
/// <param name="Blank">The exercise cell as a student gets it.</param>
/// <param name="Check">The check cell.</param>
/// <param name="Solution">The solution's cell, or null when the solutions file has none.</param>
public sealed partial record ChapterExercise(string Chapter, string Id, string Title, string Setup, string Blank, string Check, string? Solution)
{
    [GeneratedRegex(@"^// Exercise (?<id>\d+\.\d+): *(?<title>.*)$")]
    private static partial Regex Marker();

    /// <summary>The solutions file of a chapter: <c>notebooks/solutions/NN-topic.cs</c>.</summary>
    /// <param name="chapterPath">The chapter, <c>notebooks/NN-topic.ipynb</c>.</param>
    public static string SolutionsPath(string chapterPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(chapterPath))!, "solutions", Path.GetFileNameWithoutExtension(chapterPath) + ".cs");

    /// <summary>The exercises of <paramref name="chapter"/>, in order, each with its solution when there is one.</summary>
    /// <param name="chapter">The chapter.</param>
    /// <param name="solutions">The chapter's solutions (<see cref="ParseSolutions"/>), by number.</param>
    /// <exception cref="InvalidDataException">An exercise cell has no check cell after it, or a number is used twice.</exception>
    public static IReadOnlyList<ChapterExercise> Find(Notebook chapter, IReadOnlyDictionary<string, string> solutions)
    {
        ArgumentNullException.ThrowIfNull(chapter);
        var code = chapter.Cells.Where(c => c.Kind == "code").Select(c => c.Source).ToList();
        var exercises = new List<ChapterExercise>();
        for (var i = 0; i < code.Count; i++)
        {
            if (Parse(code[i]) is not var (id, title)) continue;
            if (i + 1 >= code.Count || Parse(code[i + 1]) is not null)
                throw new InvalidDataException($"{chapter.Path}: exercise {id} has no check cell after it (the next code cell checks it).");
            if (exercises.Any(e => e.Id == id))
                throw new InvalidDataException($"{chapter.Path}: exercise {id} appears twice.");
            exercises.Add(new ChapterExercise(chapter.Path, id, title, code[0], code[i], code[i + 1], solutions.GetValueOrDefault(id)));
        }
        return exercises;
    }

    /// <summary>
    /// Splits a solutions file into its cells: each starts at a marker line (<c>// Exercise 2.1: ...</c>) and runs to the
    /// next; text before the first marker is the file's header.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <param name="path">The file, for messages.</param>
    /// <exception cref="InvalidDataException">A number is used twice.</exception>
    public static IReadOnlyDictionary<string, string> ParseSolutions(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var solutions = new Dictionary<string, string>();
        string? current = null;
        var lines = new List<string>();
        void Close()
        {
            if (current is null) return;
            if (!solutions.TryAdd(current, string.Join('\n', lines).TrimEnd() + "\n"))
                throw new InvalidDataException($"{path}: the solution of exercise {current} appears twice.");
        }
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (Parse(line) is var (id, _))
            {
                Close();
                (current, lines) = (id, []);
            }
            if (current is not null) lines.Add(line);
        }
        Close();
        return solutions;
    }

    // The number and title of an exercise cell's first line; null for any other cell.
    private static (string Id, string Title)? Parse(string source)
    {
        var first = source.Replace("\r\n", "\n").Split('\n')[0].TrimEnd();
        if (!first.StartsWith(CourseContract.ExerciseMarker, StringComparison.Ordinal)) return null;
        var match = Marker().Match(first);
        return match.Success ? (match.Groups["id"].Value, match.Groups["title"].Value.Trim()) : null;
    }
}
