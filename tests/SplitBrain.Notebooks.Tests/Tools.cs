namespace SplitBrain.Notebooks.Tests;

/// <summary>The external tools some tests drive, and the skip message when one is missing.</summary>
internal static class Tools
{
    /// <summary>Where to get the tools.</summary>
    public const string InstallHint = "run environment/install-tools.sh (it installs Chromium and Jupyter from apt)";

    /// <summary>Debian's or Ubuntu's Chromium, or null.</summary>
    public static string? Chromium { get; } = Find("chromium") ?? Find("chromium-browser");

    /// <summary>Jupyter's nbconvert, or null.</summary>
    public static string? NbConvert { get; } = Find("jupyter-nbconvert");

    /// <summary>Jupyter's kernelspec command (Debian's jupyter-client), or null.</summary>
    public static string? JupyterKernelspec { get; } = Find("jupyter-kernelspec");

    /// <summary>The NuGet package cache this process restores from.</summary>
    public static string NuGetCache { get; } = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
        ? packages : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
