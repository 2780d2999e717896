namespace SplitBrain.Notebooks.Tests;

/// <summary>
/// Opens a page in headless Chromium with no network at all: background networking off, every host name resolving
/// to nothing and every request sent to a closed proxy. A page that needs a CDN draws nothing here.
/// </summary>
internal static class Browser
{
    /// <summary>The page's DOM after its scripts ran.</summary>
    public static string DumpDom(string page) => RunChromium(page, "--dump-dom").Output;

    /// <summary>Saves a screenshot of the page (its top <paramref name="height"/> pixels).</summary>
    public static void Screenshot(string page, string png, int width = 1100, int height = 5000)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(png)!);
        var (exitCode, output) = RunChromium(page, $"--screenshot={png}", $"--window-size={width},{height}");
        if (exitCode != 0 || !File.Exists(png)) throw new InvalidOperationException($"Chromium made no screenshot (exit {exitCode}):\n{output}");
    }

    private static (int ExitCode, string Output) RunChromium(string page, params string[] action)
    {
        var profile = Repository.TempFolder("chromium");
        try
        {
            return Repository.Run(Tools.Chromium!, [.. HeadlessChromium.OfflineArguments(profile), .. action, new Uri(page).AbsoluteUri],
                Path.GetDirectoryName(page)!, TimeSpan.FromMinutes(2));
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
