namespace SplitBrain.Runs;

/// <summary>
/// Where a program keeps its runs and where the relative paths of its configs start: the runs folder (each run a
/// subfolder), the tensor caches the runs share (<c>cache/</c> in the runs folder), and the folder a relative data path
/// such as <c>data/stl10</c> is taken from.
/// </summary>
/// <remarks>
/// <para>The trainers read it from the run folder they are given (<see cref="RunFolder.Workspace"/>), never from the
/// environment: the course sets one for all its chapters (<c>SplitBrain.Course.Chapter.Workspace</c>: the repository,
/// its <c>runs/</c> or the runner's folder), a program of your own makes its own
/// (<c>Workspace.At("/data/experiments")</c>), and a run folder made from a bare path gets <see cref="For"/> it.</para>
/// </remarks>
/// <param name="Root">The folder relative data paths start from (full path).</param>
/// <param name="Runs">The runs folder (full path).</param>
public sealed record Workspace(string Root, string Runs)
{
    /// <summary>The name of the shared cache folder inside <see cref="Runs"/>.</summary>
    public const string CacheFolderName = "cache";

    /// <summary>The tensor caches shared by the runs (<c>cache/</c> in <see cref="Runs"/>).</summary>
    public string Cache => Path.Combine(Runs, CacheFolderName);

    /// <summary>A workspace whose relative paths start at <paramref name="root"/> and whose runs are in
    /// <paramref name="runs"/> (default <c>runs/</c> in <paramref name="root"/>).</summary>
    /// <param name="root">The folder relative paths start from.</param>
    /// <param name="runs">The runs folder; relative to <paramref name="root"/> when not rooted.</param>
    /// <returns>The workspace, with full paths.</returns>
    public static Workspace At(string root, string? runs = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var full = Path.GetFullPath(root);
        return new Workspace(full, Path.GetFullPath(runs ?? "runs", full));
    }

    /// <summary>The workspace of a run folder given only by its path: relative paths start at the working folder, and the
    /// runs folder is the folder that holds it.</summary>
    /// <param name="runFolder">The run's folder.</param>
    public static Workspace For(string runFolder) =>
        new(Directory.GetCurrentDirectory(), Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runFolder)))!);

    /// <summary>A path of a config: as given when rooted, else taken from <see cref="Root"/>.</summary>
    /// <param name="path">A path, or null.</param>
    /// <returns>The full path, or null.</returns>
    public string? Resolve(string? path) => path is null ? null : Path.GetFullPath(path, Root);

    /// <summary>
    /// The run called <paramref name="nameOrPath"/>: a plain name is a folder in <see cref="Runs"/>; a path (rooted, or with
    /// a separator) is taken as given, from <see cref="Root"/>.
    /// </summary>
    /// <param name="nameOrPath">E.g. <c>"small-1"</c> or <c>"/tmp/runs/small-1"</c>.</param>
    /// <returns>The run folder, in this workspace.</returns>
    /// <exception cref="ArgumentException">The name is empty, <c>.</c> or <c>..</c>, or holds characters a folder name cannot.</exception>
    public RunFolder Run(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (Path.IsPathRooted(nameOrPath) || nameOrPath.IndexOfAny(['/', '\\']) >= 0)
            return new RunFolder(Resolve(nameOrPath)!, this);
        if (nameOrPath is "." or ".." || nameOrPath.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException(
                $"A run name must be a plain folder name; got '{nameOrPath}'. For a folder elsewhere give its path.", nameof(nameOrPath));
        return new RunFolder(Path.Combine(Runs, nameOrPath), this);
    }

    /// <summary>Every run directly in <see cref="Runs"/> (a folder with a <c>config.json</c>), by name.</summary>
    /// <returns>The runs; none when the folder does not exist.</returns>
    public IReadOnlyList<RunFolder> AllRuns() =>
        Directory.Exists(Runs)
            ? [.. Directory.EnumerateDirectories(Runs).Select(d => new RunFolder(d, this)).Where(r => r.Exists).OrderBy(r => r.Name, StringComparer.Ordinal)]
            : [];

    /// <inheritdoc/>
    public override string ToString() => $"workspace {Root} (runs in {Runs})";
}
