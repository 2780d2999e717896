using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SplitBrain.Notebooks.Tests;

/// <summary>
/// <c>tools/probe.cs</c>, the linear-probe evaluation on any image folder, run as a user runs it: a .NET 10 file-based
/// app started with <c>dotnet run</c>, on a folder of PNG files the test writes. (The method names start with
/// <c>FileBasedApp</c>, so the file-based apps' filter runs them too.)
/// </summary>
[Collection(FrontEndCollection.Name)]
public sealed class ProbeToolTests : IDisposable
{
    private static readonly string Tool = Path.Combine(Repository.Root, "tools", "probe.cs");
    private static readonly string[] Classes = ["blue", "green", "red"];
    private readonly string _folder = Repository.TempFolder("probe-tool");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Small PNGs, each class its own hue with seeded variation, drawn as a 4 x 4 pattern enlarged to 96 x 96 (bicubic,
    // so the network sees gradients, not flat colour); every third image is 120 x 100, which the tool must resize.
    private string WriteImages(int trainPerClass, int testPerClass)
    {
        var root = Path.Combine(_folder, "data");
        var random = new Random(7);
        foreach (var (split, count) in new[] { ("train", trainPerClass), ("test", testPerClass) })
            for (var c = 0; c < Classes.Length; c++)
            {
                var folder = Directory.CreateDirectory(Path.Combine(root, split, Classes[c])).FullName;
                for (var i = 0; i < count; i++)
                {
                    using var image = new Image<Rgb24>(4, 4);
                    for (var y = 0; y < 4; y++)
                        for (var x = 0; x < 4; x++)
                        {
                            var strong = (byte)random.Next(150, 256);
                            var weak = (byte)random.Next(0, 100);
                            image[x, y] = c switch
                            {
                                0 => new Rgb24(weak, weak, strong),
                                1 => new Rgb24(weak, strong, weak),
                                _ => new Rgb24(strong, weak, weak),
                            };
                        }
                    var (width, height) = i % 3 == 2 ? (120, 100) : (96, 96);
                    image.Mutate(m => m.Resize(width, height, KnownResamplers.Bicubic));
                    image.SaveAsPng(Path.Combine(folder, $"{i:D2}.png"));
                }
            }
        return root;
    }

    private (int ExitCode, string Output) Probe(params string[] arguments) =>
        Repository.Run("dotnet", ["run", "--file", Tool, "--", .. arguments], Repository.Root, TimeSpan.FromMinutes(8),
            new Dictionary<string, string?> { ["SPLITBRAIN_RUN_DIR"] = Path.Combine(_folder, "runs") });

    [Fact]
    public void FileBasedApp_ProbeTool_TinyFolder_TableOfEveryLayerAndBaseline()
    {
        var data = WriteImages(trainPerClass: 4, testPerClass: 2);
        var json = Path.Combine(_folder, "out", "probes.json");

        var (exitCode, output) = Probe("--data", data, "--model", "small", "--epochs", "2", "--seeds", "0",
            "--supervised", "2", "--bn-images", "8", "--threads", "2", "--out", json);

        Assert.True(exitCode == 0, $"the probe tool failed (exit {exitCode}):\n{output}");
        var lines = output.Split('\n').Select(l => l.TrimEnd()).ToList();
        var header = lines.FindIndex(l => l.StartsWith("layer ", StringComparison.Ordinal));
        Assert.True(header >= 0, output);
        Assert.Equal(["layer", "random init", "random+BN", "supervised"],
            lines[header].Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        // The table's rows (stdout); progress lines (stderr) come earlier, but the two streams are read separately.
        var rows = lines.Skip(header + 2).Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^(conv|fc)\d ")).ToList();
        Assert.Equal(["conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7"], rows.Select(r => r.Split(' ')[0]));
        Assert.All(rows, r => Assert.Matches(@"^\w+( +\d{1,3}\.\d){3}$", r)); // one seed: a plain percentage per network
        Assert.Contains("data: ", output);
        Assert.Contains("3 classes (blue, green, red); train 12 images (4 per class), test 6 images (2 per class), at 96 x 96", output);
        Assert.Contains("model small", output);
        Assert.Matches(@"time: \d+\.\d s", output);
        Assert.Contains("\"random+BN\"", File.ReadAllText(json));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(json)!, "*.tmp"));
    }

    [Fact]
    public void FileBasedApp_ProbeTool_BadInput_OneLineAndExitCode2()
    {
        var missing = Path.Combine(_folder, "no-such-folder");
        var json = Path.Combine(_folder, "never.json");

        var (exitCode, output) = Probe("--data", missing, "--model", "small", "--out", json);

        Assert.True(exitCode == 2, $"expected exit code 2, got {exitCode}:\n{output}");
        Assert.Contains($"probe: The data folder '{missing}' does not exist", output);
        Assert.Contains("train/<class>/<image>.png and test/<class>/<image>.png", output);
        Assert.False(File.Exists(json));

        // Train and test disagree on the classes: refused by name, before any work.
        var data = WriteImages(trainPerClass: 1, testPerClass: 1);
        Directory.Move(Path.Combine(data, "test", "red"), Path.Combine(data, "test", "rouge"));
        (exitCode, output) = Probe("--data", data, "--model", "small");
        Assert.True(exitCode == 2, $"expected exit code 2, got {exitCode}:\n{output}");
        Assert.Contains("only train/ has red; only test/ has rouge", output);

        // A folder that is not a pretraining run.
        (exitCode, output) = Probe("--data", data, "--run", data);
        Assert.True(exitCode == 2, $"expected exit code 2, got {exitCode}:\n{output}");
        Assert.Contains("is not a run folder (it has no config.json)", output);
    }
}
