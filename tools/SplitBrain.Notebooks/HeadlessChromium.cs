using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SplitBrain.Notebooks;

/// <summary>
/// Draws an HTML fragment in headless Chromium with no network (every host resolves to nothing, every request goes to
/// a closed proxy) and returns the picture, trimmed to what was drawn. The fragment's scripts run: this is how a
/// plotly chart becomes a PNG.
/// </summary>
public sealed class HeadlessChromium
{
    private readonly string _executable;

    private HeadlessChromium(string executable) => _executable = executable;

    /// <summary>Debian's or Ubuntu's Chromium on the PATH, or null.</summary>
    public static HeadlessChromium? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .SelectMany(dir => new[] { Path.Combine(dir, "chromium"), Path.Combine(dir, "chromium-browser") })
            .FirstOrDefault(File.Exists) is { } path ? new HeadlessChromium(path) : null;

    /// <summary>The command-line switches that keep Chromium headless and off the network.</summary>
    /// <param name="profile">A fresh user-data folder, deleted afterwards.</param>
    public static IEnumerable<string> OfflineArguments(string profile) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", $"--user-data-dir={profile}",
        "--virtual-time-budget=20000", "--hide-scrollbars",
    ];

    /// <summary>
    /// Renders <paramref name="bodyHtml"/> on a white page <paramref name="width"/> pixels wide, with
    /// <paramref name="headHtml"/> (scripts, styles) in its head, and returns the drawn area plus a small margin. A
    /// drawing taller than <paramref name="height"/> is drawn again in a taller window (up to 16 000 pixels).
    /// </summary>
    public Image<Rgb24> Render(string headHtml, string bodyHtml, int width, int height)
    {
        while (true)
        {
            var image = RenderOnce(headHtml, bodyHtml, width, height, out var reachedBottom);
            if (!reachedBottom || height >= 16_000) return image;
            image.Dispose();
            height = Math.Min(16_000, height * 2);
        }
    }

    private Image<Rgb24> RenderOnce(string headHtml, string bodyHtml, int width, int height, out bool reachedBottom)
    {
        var folder = Directory.CreateTempSubdirectory("splitbrain-publish-");
        try
        {
            var page = Path.Combine(folder.FullName, "page.html");
            File.WriteAllText(page, $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">{headHtml}</head><body>{bodyHtml}</body></html>\n");
            var png = Path.Combine(folder.FullName, "shot.png");
            var profile = Path.Combine(folder.FullName, "profile");
            string[] arguments =
            [
                .. OfflineArguments(profile), "--force-device-scale-factor=1",
                $"--window-size={width},{height}", $"--screenshot={png}", new Uri(page).AbsoluteUri,
            ];
            using var process = Process.Start(new ProcessStartInfo(_executable, arguments)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            }) ?? throw new InvalidOperationException($"Could not start {_executable}.");
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{_executable} did not finish a screenshot in 2 minutes.");
            }
            if (!File.Exists(png))
                throw new InvalidOperationException($"{_executable} made no screenshot (exit {process.ExitCode}):\n{stderr.Result}");
            var image = Image.Load<Rgb24>(png);
            reachedBottom = Trim(image) >= image.Height - 1;
            return image;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Crops the white border around what was drawn, keeping a margin of 6 pixels.</summary>
    /// <returns>The last row that was not white, before cropping (-1 for a blank image).</returns>
    internal static int Trim(Image<Rgb24> image)
    {
        int left = image.Width, top = image.Height, right = -1, bottom = -1;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var p = row[x];
                    if (p.R > 245 && p.G > 245 && p.B > 245) continue;
                    if (x < left) left = x;
                    if (x > right) right = x;
                    if (y < top) top = y;
                    if (y > bottom) bottom = y;
                }
            }
        });
        if (right < 0) return -1;
        const int margin = 6;
        var crop = Rectangle.FromLTRB(Math.Max(0, left - margin), Math.Max(0, top - margin),
            Math.Min(image.Width, right + margin + 1), Math.Min(image.Height, bottom + margin + 1));
        image.Mutate(x => x.Crop(crop));
        return bottom;
    }
}
