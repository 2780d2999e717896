using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SplitBrain.Display;
using SplitBrain.Runs;

namespace SplitBrain.Course;

/// <summary>
/// What each chapter found, one titled table per chapter, kept in the runs folder so that a whole course run ends with a
/// short report: <c>&lt;runs&gt;/summary/&lt;chapter&gt;.txt</c> (a title line and the table's aligned columns, what the
/// headless runner prints at the end) and <c>.json</c> (the same table as values).
/// </summary>
/// <remarks>
/// <para>A chapter's last cell:</para>
/// <code>
/// CourseSummary.Save(runs.Compare("pretrain", "pretrain-L20"), "L bins: 100 against 20");
/// </code>
/// <para>Saving again replaces the chapter's summary (a chapter run twice reports its last run). Both files are written
/// atomically (a temporary file renamed), so a reader never sees half of one. <see cref="ReadAll"/> lists the summaries in
/// chapter order (by the number a chapter's name starts with).</para>
/// </remarks>
public static class CourseSummary
{
    /// <summary>Where the summaries are: <see cref="CourseContract.SummaryFolder"/> in the course's runs folder
    /// (<see cref="Chapter.Workspace"/>).</summary>
    public static string Folder => Path.Combine(Chapter.Workspace.Runs, CourseContract.SummaryFolder);

    /// <summary>Saves <paramref name="table"/> as the summary of <paramref name="chapter"/>, replacing an earlier one.</summary>
    /// <param name="table">What the chapter found, e.g. a comparison of runs.</param>
    /// <param name="title">The summary's title; the table's own title when null.</param>
    /// <param name="chapter">The chapter's name (e.g. <c>06-experiments</c>); <see cref="Chapter.Name"/> when null (set by
    /// the headless runner; <c>notebook</c> in an interactive session, so pass it there).</param>
    /// <param name="folder">The summaries' folder; <see cref="Folder"/> when null.</param>
    /// <returns>The summary as saved.</returns>
    /// <exception cref="ArgumentException">There is no title, or the chapter's name is not a plain file name.</exception>
    public static ChapterSummary Save(Table table, string? title = null, string? chapter = null, string? folder = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        chapter ??= Chapter.Name;
        if (string.IsNullOrWhiteSpace(chapter) || chapter.IndexOfAny(['/', '\\']) >= 0 || chapter is "." or ".."
            || chapter.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"A chapter's name must be a plain file name such as \"06-experiments\"; got '{chapter}'.", nameof(chapter));
        title ??= table.Title;
        if (string.IsNullOrWhiteSpace(title))
            throw new ArgumentException(
                "A summary needs a title that says what the table shows: pass one, or give the table a title.", nameof(title));

        folder ??= Folder;
        var summary = new ChapterSummary(chapter, title, new Table(table.Columns, table.Rows.Select(row => row.Select(Plain).ToList()), null),
            DateTime.UtcNow);
        var file = new SummaryFile(chapter, title, [.. table.Columns], [.. summary.Table.Rows.Select(row => row.Select(ToJson).ToArray())], summary.Saved);
        AtomicFile.WriteAllText(Path.Combine(folder, chapter + ".json"), JsonSerializer.Serialize(file, CourseJson.Default.SummaryFile));
        AtomicFile.WriteAllText(Path.Combine(folder, chapter + ".txt"), summary.ToText() + Environment.NewLine);
        return summary;
    }

    /// <summary>Every chapter's summary in <paramref name="folder"/>, in chapter order (by the number a name starts with,
    /// then by name); files that cannot be read are left out.</summary>
    /// <param name="folder">The summaries' folder; <see cref="Folder"/> when null.</param>
    /// <returns>The summaries; none when the folder does not exist.</returns>
    public static IReadOnlyList<ChapterSummary> ReadAll(string? folder = null)
    {
        folder ??= Folder;
        if (!Directory.Exists(folder))
            return [];
        var summaries = new List<ChapterSummary>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize(File.ReadAllBytes(path), CourseJson.Default.SummaryFile) is { } file)
                    summaries.Add(new ChapterSummary(file.Chapter, file.Title,
                        new Table(file.Columns, file.Rows.Select(row => (IReadOnlyList<object?>)[.. row.Select(FromJson)]), null), file.Saved));
            }
            catch (Exception e) when (e is IOException or JsonException or ArgumentException)
            {
                // A file being replaced or written by hand: not a summary.
            }
        }
        return [.. summaries.OrderBy(s => Number(s.Chapter)).ThenBy(s => s.Chapter, StringComparer.Ordinal)];
    }

    // "04-pretraining" is chapter 4; a name without a leading number goes after the numbered ones.
    private static int Number(string chapter)
    {
        var digits = chapter.TakeWhile(char.IsAsciiDigit).Count();
        return digits > 0 && int.TryParse(chapter.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
    }

    // What a cell holds in a saved table: numbers, strings, booleans, null; anything else as the text the table shows.
    private static object? Plain(object? value) => value switch
    {
        null or string or bool or int or long or double => value,
        float or decimal or short or byte => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        View view => view.ToText(),
        _ => Table.FormatValue(value),
    };

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d when double.IsFinite(d) => JsonValue.Create(d),
        double d => JsonValue.Create(d.ToString(CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value.ToString()),
    };

    private static object? FromJson(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.TryGetValue<long>(out var whole) ? whole : (object)v.GetValue<double>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };
}

/// <summary>A summary's <c>.json</c> file.</summary>
internal sealed record SummaryFile(string Chapter, string Title, string[] Columns, JsonNode?[][] Rows, DateTime Saved);

/// <summary>Source-generated JSON of the course summaries (camelCase, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SummaryFile))]
internal sealed partial class CourseJson : JsonSerializerContext;
