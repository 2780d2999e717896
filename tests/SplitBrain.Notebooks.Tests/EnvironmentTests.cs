namespace SplitBrain.Notebooks.Tests;

/// <summary>What a fresh machine gets: the backend switch, the TorchSharp native fix, the Jupyter kernel.</summary>
public class EnvironmentTests
{
    private static IReadOnlyList<string> PackageReferences(params string[] properties)
    {
        var (exitCode, output) = Repository.Run("dotnet", ["msbuild", "SplitBrain.Lib.csproj", "-getItem:PackageReference", .. properties],
            Repository.Root, TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 0, output);
        var json = System.Text.Json.Nodes.JsonNode.Parse(output[output.IndexOf('{')..])!;
        return json["Items"]!["PackageReference"]!.AsArray().Select(item => (string)item!["Identity"]!).ToList();
    }

    [Fact]
    public void BackendSwitch_Default_ReferencesTheCpuNativesAndNeverCuda()
    {
        var packages = PackageReferences();

        Assert.Contains("TorchSharp", packages);
        Assert.Contains(OperatingSystem.IsLinux() ? "libtorch-cpu-linux-x64" : "TorchSharp-cpu", packages);
        Assert.DoesNotContain(packages, p => p.Contains("cuda", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void BackendSwitch_Cuda_ReferencesTheCudaBackendInstead()
    {
        var packages = PackageReferences("-p:TorchBackend=cuda");

        Assert.Contains(OperatingSystem.IsWindows() ? "TorchSharp-cuda-windows" : "TorchSharp-cuda-linux", packages);
        Assert.DoesNotContain(packages, p => p.StartsWith("libtorch-cpu", StringComparison.Ordinal) || p == "TorchSharp-cpu");
    }

    [Fact]
    public void BackendSwitch_Unknown_FailsNamingTheChoices()
    {
        var (exitCode, output) = Repository.Run("dotnet", ["msbuild", "SplitBrain.Lib.csproj", "-t:CheckTorchBackend", "-p:TorchBackend=tpu"],
            Repository.Root, TimeSpan.FromMinutes(2));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("TorchBackend='tpu' is not a backend. Use cpu (the default) or cuda", output);
    }

    [Fact]
    public void NativeFix_TheLibrarysCopyOfLibTorchSharp_NeedsGlibcxx3432OnlyWeakly()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the fix is for Linux");
        var readelf = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "readelf")).FirstOrDefault(File.Exists);
        Assert.SkipWhen(readelf is null, "readelf (binutils) is not installed");
        var copy = Path.Combine(Repository.Root, "artifacts", "lib", "libLibTorchSharp.so");

        var (_, versions) = Repository.Run(readelf!, ["-V", copy], Repository.Root, TimeSpan.FromMinutes(1));

        Assert.Contains(versions.Split('\n'), line => line.Contains("Name: GLIBCXX_3.4.32") && line.Contains("Flags: WEAK"));

        // The NuGet cache's file is never written through (the copy may have been a hard link to it).
        var original = Path.Combine(Tools.NuGetCache, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (File.Exists(original))
        {
            var (_, originalVersions) = Repository.Run(readelf!, ["-V", original], Repository.Root, TimeSpan.FromMinutes(1));
            Assert.Contains(originalVersions.Split('\n'), line => line.Contains("Name: GLIBCXX_3.4.32") && line.Contains("Flags: none"));
        }
    }

    [Fact]
    public void RegisterKernel_OnAMachineWhereJupyterNeverRan_RegistersTheDotNetCSharpKernel()
    {
        Assert.SkipWhen(Tools.JupyterKernelspec is null, $"jupyter kernelspec (jupyter-client) is not installed: {Tools.InstallHint}.");
        var home = Repository.TempFolder("home"); // empty: no ~/.local/share/jupyter, no dotnet tools, no caches
        try
        {
            var environment = new Dictionary<string, string?>
            {
                ["HOME"] = home,
                ["NUGET_PACKAGES"] = Tools.NuGetCache, // the packages only, so that nothing is downloaded again
                ["XDG_DATA_HOME"] = null,
                ["JUPYTER_DATA_DIR"] = null,
                ["JUPYTER_PATH"] = null,
            };
            var (exitCode, log) = Repository.Run(Path.Combine(Repository.Root, "environment", "register-kernel.sh"), [], Repository.Root,
                TimeSpan.FromMinutes(5), environment);
            Assert.True(exitCode == 0, $"register-kernel.sh failed (exit {exitCode}):\n{log}");

            var (_, kernels) = Repository.Run("jupyter", ["kernelspec", "list"], Repository.Root, TimeSpan.FromMinutes(1), environment);
            Assert.Contains(kernels.Split('\n'), line => line.TrimStart().StartsWith(".net-csharp ", StringComparison.Ordinal) && line.Contains(home));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
