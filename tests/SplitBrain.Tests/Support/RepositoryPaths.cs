namespace SplitBrain.Tests.Support;

/// <summary>
/// Where the repository and the developers' shared folder are. The shared folder sits beside the repository root
/// (../shared); it is not part of the repository, so tests that read it must cope with its absence.
/// </summary>
internal static class RepositoryPaths
{
    /// <summary>The checkout's root: the first folder above the test binaries that holds SplitBrain.slnx.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The path of a file in the shared folder, or null when no shared folder is found. Looked for, in order: the folder
    /// named by SPLITBRAIN_SHARED; ../shared beside this checkout; ../shared beside the main checkout when this one is a
    /// git worktree (its .git file points at the main repository).
    /// </summary>
    public static string? Shared(params string[] parts)
    {
        foreach (var folder in SharedCandidates())
        {
            var path = Path.GetFullPath(Path.Combine([folder, .. parts]));
            if (File.Exists(path))
                return path;
        }
        return null;
    }

    /// <summary>The folders <see cref="Shared"/> looks in, for skip messages.</summary>
    public static IEnumerable<string> SharedCandidates()
    {
        if (Environment.GetEnvironmentVariable("SPLITBRAIN_SHARED") is { Length: > 0 } fromEnvironment)
            yield return fromEnvironment;
        yield return Path.GetFullPath(Path.Combine(Root, "..", "shared"));
        if (MainCheckoutRoot() is { } main)
            yield return Path.GetFullPath(Path.Combine(main, "..", "shared"));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SplitBrain.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"No SplitBrain.slnx above {AppContext.BaseDirectory}.");
    }

    /// <summary>For a linked worktree (.git is a file "gitdir: &lt;main&gt;/.git/worktrees/&lt;name&gt;"), the main checkout's root.</summary>
    private static string? MainCheckoutRoot()
    {
        var dotGit = Path.Combine(Root, ".git");
        if (!File.Exists(dotGit))
            return null;
        var line = File.ReadLines(dotGit).FirstOrDefault() ?? "";
        const string prefix = "gitdir:";
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        var gitDir = Path.GetFullPath(line[prefix.Length..].Trim(), Root);
        var commonDirFile = Path.Combine(gitDir, "commondir");
        var commonDir = File.Exists(commonDirFile)
            ? Path.GetFullPath(File.ReadAllText(commonDirFile).Trim(), gitDir)
            : gitDir;
        return Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(commonDir));
    }
}
