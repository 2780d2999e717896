using SplitBrain.Native;

namespace SplitBrain.Tests.Native;

/// <summary>
/// The one-byte fix of TorchSharp's native library (see environment/README.md), on a copy of the real file from the
/// NuGet cache: it weakens exactly the GLIBCXX_3.4.32 requirement, once, and never writes through a hard link.
/// </summary>
public sealed class ElfVersionNeedsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"splitbrain-elf-{Guid.NewGuid():N}");

    public ElfVersionNeedsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string? Original()
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(cache, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        return File.Exists(path) ? path : null;
    }

    private string CopyOfOriginal()
    {
        var original = Original();
        Assert.SkipWhen(original is null, "TorchSharp's Linux native library is not in the NuGet cache (not restored for linux-x64)");
        var copy = Path.Combine(_folder, "libLibTorchSharp.so");
        File.Copy(original!, copy);
        return copy;
    }

    [Fact]
    public void MakeWeak_TorchSharpsLibrary_WeakensTheRequirementOnceAndChangesOneByte()
    {
        var path = CopyOfOriginal();
        var before = File.ReadAllBytes(path);
        Assert.Equal(ElfVersionRequirement.Strong, ElfVersionNeeds.Find(before, ElfVersionNeeds.Glibcxx3432).Requirement);

        Assert.Equal(ElfVersionRequirement.Strong, ElfVersionNeeds.MakeWeak(path, ElfVersionNeeds.Glibcxx3432));

        var after = File.ReadAllBytes(path);
        Assert.Equal(before.Length, after.Length);
        Assert.Equal(1, before.Zip(after).Count(p => p.First != p.Second));
        Assert.Equal(ElfVersionRequirement.Weak, ElfVersionNeeds.Find(after, ElfVersionNeeds.Glibcxx3432).Requirement);
        Assert.Equal(ElfVersionRequirement.Weak, ElfVersionNeeds.MakeWeak(path, ElfVersionNeeds.Glibcxx3432)); // idempotent
        Assert.Equal(after, File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(_folder, "*.patching"));
    }

    [Fact]
    public void MakeWeak_OtherVersions_AreLeftAlone()
    {
        var path = CopyOfOriginal();
        var before = File.ReadAllBytes(path);

        Assert.Equal(ElfVersionRequirement.None, ElfVersionNeeds.MakeWeak(path, "GLIBCXX_9.9.99"));
        Assert.Equal(ElfVersionRequirement.Strong, ElfVersionNeeds.Find(before, "GLIBCXX_3.4.9").Requirement); // it needs older ones too

        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void MakeWeak_AHardLink_ReplacesTheLinkNotTheFileItPointsTo()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "hard links are made with ln here");
        var cacheCopy = CopyOfOriginal();
        var link = Path.Combine(_folder, "output", "libLibTorchSharp.so"); // as a build's output folder links into the NuGet cache
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        using (var ln = System.Diagnostics.Process.Start("ln", [cacheCopy, link]))
            ln.WaitForExit();
        Assert.True(File.Exists(link));

        ElfVersionNeeds.MakeWeak(link, ElfVersionNeeds.Glibcxx3432);

        Assert.Equal(ElfVersionRequirement.Weak, ElfVersionNeeds.Find(File.ReadAllBytes(link), ElfVersionNeeds.Glibcxx3432).Requirement);
        Assert.Equal(ElfVersionRequirement.Strong, ElfVersionNeeds.Find(File.ReadAllBytes(cacheCopy), ElfVersionNeeds.Glibcxx3432).Requirement);
    }

    [Fact]
    public void Find_NotAnElfFile_SaysSo()
    {
        Assert.Equal(ElfVersionRequirement.NotElf, ElfVersionNeeds.Find("not a shared library"u8.ToArray(), ElfVersionNeeds.Glibcxx3432).Requirement);
        var truncated = new byte[64];
        "\u007fELF"u8.CopyTo(truncated);
        (truncated[4], truncated[5]) = (2, 1);
        (truncated[0x28], truncated[0x3C]) = (0xff, 1); // one section header, past the end
        Assert.Equal(ElfVersionRequirement.NotElf, ElfVersionNeeds.Find(truncated, ElfVersionNeeds.Glibcxx3432).Requirement);
    }

    [Fact]
    public void TorchNatives_InThisProcess_FixedEverythingItLoadsWithoutProblems()
    {
        Assert.Empty(TorchNatives.Problems);
        Assert.Contains(Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location)!, TorchNatives.CandidateFolders());
    }
}
