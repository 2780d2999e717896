namespace SplitBrain.Notebooks.Tests;

/// <summary>
/// The library used as a user's own program uses it: a .NET 10 file-based app in a folder outside the repository that
/// references <c>SplitBrain.Lib.csproj</c>. Nothing of the repository's build reaches that app's output folder, so on
/// Debian 12 and Ubuntu 22.04 this passes only through the library's own run-time fix of TorchSharp's native library
/// (lib/Native/TorchNatives.cs).
/// </summary>
[Collection(FrontEndCollection.Name)]
public class OutsideConsumerTests
{
    [Fact]
    public void FileBasedAppOutsideTheRepository_PretrainsTwoSteps()
    {
        var folder = Repository.TempFolder("consumer");
        try
        {
            var app = Path.Combine(folder, "pretrain-two-steps.cs");
            File.WriteAllText(app, $$"""
                #:project {{Path.Combine(Repository.Root, "SplitBrain.Lib.csproj")}}
                using SplitBrain.Runs;
                using SplitBrain.Training;

                // 16 synthetic images in batches of 8, one epoch: two steps.
                var config = PretrainConfig.Small with
                {
                    Data = PretrainConfig.Small.Data with { MaxImages = 16, CacheFolder = Path.GetFullPath("cache") },
                    BatchSize = 8, Epochs = 1, PriorImages = 16, PreviewImages = 0, Threads = 1, Device = "cpu",
                };
                using var trainer = new Pretrainer(config, new RunFolder(Path.GetFullPath("run")), log: _ => { });
                var result = trainer.Fit(TrainingProgress.None);
                Console.WriteLine($"steps {trainer.Step}, F1 loss {result.Summary.Metric("lossF1"):0.00}, checkpoint {result.LastCheckpoint is not null}");
                """);
            // The app builds under XDG_DATA_HOME (dotnet's file-based app cache): a folder this test removes again.
            var data = Directory.CreateDirectory(Path.Combine(folder, "xdg")).FullName;
            var (exitCode, log) = Repository.Run("dotnet", ["run", app], folder, TimeSpan.FromMinutes(5), new Dictionary<string, string?>
            {
                ["XDG_DATA_HOME"] = data,
                ["SPLITBRAIN_RUN_DIR"] = null,
            });

            Assert.True(exitCode == 0, $"the app outside the repository failed (exit {exitCode}):\n{log}");
            Assert.Contains("steps 2, F1 loss ", log);
            Assert.Contains("checkpoint True", log);
            Assert.DoesNotContain("doesn't contain a reference to libtorch", log);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
