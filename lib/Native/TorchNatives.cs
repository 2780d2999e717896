using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace SplitBrain.Native;

/// <summary>
/// Makes TorchSharp's native library load wherever the library is used: in this repository, in a user's own project or
/// .NET 10 file-based app that references <c>SplitBrain.Lib.csproj</c>, or in a notebook that <c>#r</c>s
/// <c>artifacts/lib</c>. See environment/README.md.
/// </summary>
/// <remarks>
/// <para>On Debian 12 and Ubuntu 22.04 <c>libLibTorchSharp.so</c> fails to load because it asks for
/// <c>GLIBCXX_3.4.32</c>, which it does not use (<see cref="ElfVersionNeeds"/>). The repository's build fixes the copies
/// in its own output folders; a program elsewhere copies the unpatched file into its own output folder, out of reach of
/// that build. So when this library is first used, before it makes any TorchSharp call, the copies TorchSharp is about
/// to load (in the folders the runtime searches for native libraries, and next to <c>TorchSharp.dll</c>) get the same
/// one-byte fix, by the same code. Files under the NuGet cache are never changed.</para>
/// <para>It runs once per process and costs about a millisecond (it reads a 2.4 MB file; already-fixed copies are left
/// alone). On other systems, Windows and macOS it changes nothing that matters: a weak version that exists is used as
/// usual. Set <c>SPLITBRAIN_NATIVE_FIX=0</c> to turn it off. A program that calls TorchSharp before it touches this
/// library loads TorchSharp first: call <see cref="EnsureLoadable"/> at its start.</para>
/// </remarks>
public static class TorchNatives
{
    /// <summary>The environment variable that turns the fix off (<c>0</c> or <c>false</c>).</summary>
    public const string SwitchVariable = "SPLITBRAIN_NATIVE_FIX";

    private const string FileName = "libLibTorchSharp.so";
    private static readonly object Gate = new();
    private static IReadOnlyList<string>? _problems;

    /// <summary>Problems met while fixing (a folder that cannot be written), each saying what to do; empty when all went
    /// well or nothing needed fixing.</summary>
    public static IReadOnlyList<string> Problems => EnsureLoadable();

    /// <summary>Fixes the copies of <c>libLibTorchSharp.so</c> that this process would load; runs once, later calls
    /// return the first one's problems. Called by the library itself before its first TorchSharp call.</summary>
    /// <returns>Problems met, each naming the file and what to do; empty when none.</returns>
    public static IReadOnlyList<string> EnsureLoadable()
    {
        lock (Gate)
            return _problems ??= Fix();
    }

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Must run before this library's first TorchSharp call loads the natives.")]
    internal static void OnLoad()
    {
        foreach (var problem in EnsureLoadable())
            Console.Error.WriteLine($"SplitBrain: {problem}");
    }

    /// <summary>The folders the runtime searches for native libraries, and TorchSharp's own folder, in that order.</summary>
    internal static IReadOnlyList<string> CandidateFolders()
    {
        var folders = (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location) is { Length: > 0 } torchSharp) // no TorchSharp call: typeof runs nothing
            folders.Add(torchSharp);
        return [.. folders.Select(f => Path.GetFullPath(f)).Distinct(StringComparer.Ordinal)];
    }

    private static IReadOnlyList<string> Fix()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(SwitchVariable) is "0" or "false")
            return [];
        var problems = new List<string>();
        var cache = NuGetCache();
        foreach (var path in CandidateFolders().Select(f => Path.Combine(f, FileName)).Where(File.Exists))
        {
            if (path.StartsWith(cache, StringComparison.Ordinal))
            {
                if (ElfVersionNeeds.Find(File.ReadAllBytes(path), ElfVersionNeeds.Glibcxx3432).Requirement == ElfVersionRequirement.Strong)
                    problems.Add($"{path} is in the NuGet cache, which is never changed; on Debian 12 and Ubuntu 22.04 it does not "
                        + "load. Reference SplitBrain.Lib.csproj from a project or file-based app (its output folder gets a fixed copy).");
                continue;
            }
            try
            {
                ElfVersionNeeds.MakeWeak(path, ElfVersionNeeds.Glibcxx3432);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"could not fix {path} ({e.Message}); on Debian 12 and Ubuntu 22.04 TorchSharp will not load it. "
                    + "Make that folder writable, or build where it is (dotnet build applies the same fix), or use a system whose "
                    + "libstdc++ has GLIBCXX_3.4.32 (GCC 13 or later). See environment/README.md.");
            }
        }
        return problems;
    }

    private static string NuGetCache()
    {
        var folder = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
    }
}
