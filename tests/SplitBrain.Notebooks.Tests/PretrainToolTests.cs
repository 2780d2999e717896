namespace SplitBrain.Notebooks.Tests;

/// <summary>
/// <c>tools/pretrain.cs</c> run as a user runs it (<c>dotnet run --file</c>): the list of objectives, the one line an
/// unknown one gets before anything is written, and the line <c>--previews</c> gets for an objective that draws none. (The method names start with <c>FileBasedApp</c>, so the file-based apps'
/// filter runs them too.)
/// </summary>
[Collection(FrontEndCollection.Name)]
public sealed class PretrainToolTests : IDisposable
{
    private static readonly string Tool = Path.Combine(Repository.Root, "tools", "pretrain.cs");
    private readonly string _folder = Repository.TempFolder("pretrain-tool");

    private string Runs => Path.Combine(_folder, "runs");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (int ExitCode, string Output) Pretrain(params string[] arguments) =>
        Repository.Run("dotnet", ["run", "--file", Tool, "--", .. arguments], Repository.Root, TimeSpan.FromMinutes(8),
            new Dictionary<string, string?> { ["SPLITBRAIN_RUN_DIR"] = Runs });

    [Fact]
    public void FileBasedApp_PretrainTool_Objectives_ListsEveryObjective_AndAnUnknownOneGetsOneLine_AndNoRunFolder()
    {
        var (code, output) = Pretrain("--objectives");
        Assert.True(code == 0, output);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in new[] { "split-brain", "split-brain-reg-reg", "split-brain-cl-reg", "l-to-ab-cl", "l-to-ab-reg",
                     "ab-to-l-cl", "ab-to-l-reg", "autoencoder", "denoising-autoencoder", "alternative-aggregation" })
            Assert.Contains(name, lines);

        (code, output) = Pretrain("--name", "unknown", "--set", "Objective=no-such-objective");

        Assert.True(code == 2, output);
        var line = Assert.Single(output.Split('\n'), l => l.Contains("no-such-objective", StringComparison.Ordinal));
        Assert.Contains("PretrainConfig.Objective", line);
        Assert.Contains("denoising-autoencoder", line);
        Assert.DoesNotContain("   at ", output);                                    // no stack trace
        Assert.False(Directory.Exists(Path.Combine(Runs, "unknown")), "the run folder was created");

        // --previews with an objective whose network does not colorize: it trains, and says in one line why no file.
        var previews = Path.Combine(_folder, "ae-previews.png");
        (code, output) = Pretrain("--name", "ae", "--set", "Objective=autoencoder", "--set", "Steps=2", "--set", "Precision=Float32",
            "--set", "Data.Synthetic.UnlabeledCount=256", "--previews", previews);

        Assert.True(code == 0, output);
        Assert.Contains(output.Split('\n'), l => l.StartsWith("previews: none drawn", StringComparison.Ordinal) && l.Contains("'autoencoder'"));
        Assert.False(File.Exists(previews));
        Assert.DoesNotContain("   at ", output);
    }
}
