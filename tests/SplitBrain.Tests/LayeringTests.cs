using System.Text.RegularExpressions;
using SplitBrain.Course;
using SplitBrain.Runs;
using SplitBrain.Tests.Support;

namespace SplitBrain.Tests;

/// <summary>
/// How the library's folders depend on each other: the course (<c>lib/Course/</c>) is the top layer, the one that reads
/// the environment and passes the workspace, device and seed down; nothing below it may reach up into it.
/// </summary>
public partial class LayeringTests
{
    // Code that names the course layer: its namespace, or a cref to one of its types. Comments in plain text may mention
    // Chapter.Run(...) as an example of a caller; code may not call it.
    [GeneratedRegex(@"\bSplitBrain\.Course\b|(?<![\w.""])Course\.\w|cref=""(SplitBrain\.)?Course\.")]
    private static partial Regex CourseReference();

    [Fact]
    public void NoFileOutsideTheCourseFolder_ReferencesTheCourse()
    {
        var lib = Path.Combine(RepositoryPaths.Root, "lib");
        var offenders = Directory.EnumerateFiles(lib, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.StartsWith(Path.Combine(lib, "Course") + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => CourseReference().IsMatch(CodeOf(l.line)))
            .Select(l => $"{Path.GetRelativePath(RepositoryPaths.Root, l.file)}:{l.number}: {l.line.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0, "Below lib/Course/ nothing may reference the course:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void CourseReference_FindsWhatItMustAndOnlyThat()
    {
        Assert.Matches(CourseReference(), "using SplitBrain.Course;");
        Assert.Matches(CourseReference(), "var dir = Course.Chapter.Workspace;");
        Assert.Matches(CourseReference(), "/// <see cref=\"Course.Chapter.Setup\"/>");
        Assert.DoesNotMatch(CourseReference(), CodeOf("/// <c>Chapter.Run(\"x\")</c> in a course"));
        Assert.DoesNotMatch(CourseReference(), CodeOf("var x = 1; // the Course.Chapter of chapter 4"));
    }

    [Fact]
    public void TheCourseCacheFolder_IsTheWorkspaces() =>
        Assert.Equal(Workspace.CacheFolderName, CourseContract.CacheFolder); // the runner knows the name only through the contract

    // A line without its comment, but with a doc comment's crefs (a cref is a reference the compiler checks).
    private static string CodeOf(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith("///", StringComparison.Ordinal))
            return string.Concat(Regex.Matches(trimmed, @"cref=""[^""]*""").Select(m => m.Value));
        var comment = line.IndexOf("//", StringComparison.Ordinal);
        return comment >= 0 ? line[..comment] : line;
    }
}
