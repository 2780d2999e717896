using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using SplitBrain.Data;

namespace SplitBrain.Tests.Data;

public sealed class Stl10DownloadTests : IDisposable
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly DownloadConfig Quick = new(Retries: 1, IdleTimeout: TimeSpan.FromSeconds(10), RetryDelay: TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-stl10-download-").FullName;
    private readonly Dictionary<string, byte[]> _files = FakeStl10.Files(train: 4, test: 3, unlabeled: 2);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Out => Path.Combine(_folder, "data", "stl10");

    [Fact]
    public async Task RunAsync_FakeRelease_DownloadsUnpacksVerifiesAndReadsBack()
    {
        var archive = Archive(_files);
        using var server = new LoopbackServer(archive, cutAfterBytesOnce: archive.Length / 2);
        var log = new List<string>();

        var folder = await Stl10Download.RunAsync(Out, SourceFor(server, archive), log: log.Add, options: Quick, cancellationToken: Cancel);

        Assert.Equal(Path.Combine(Path.GetFullPath(Out), "stl10_binary"), folder);
        Assert.Equal(2, server.Ranges.Count);                                 // cut once, resumed once
        Assert.False(File.Exists(Path.Combine(Out, Stl10Download.ArchiveName)));
        Assert.Equal(["stl10_binary"], Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName));
        using var train = Stl10Dataset.Open(Out, DatasetSplit.Train);
        using var batch = train.ReadBatch([2]);
        Assert.Equal(FakeStl10.Value(1, 2, 1, 10, 30), batch.Images.data<byte>()[0, 1, 10, 30]);
        Assert.Equal([(long)FakeStl10.StoredLabel(1, 2) - 1], batch.LabelArray());
    }

    [Fact]
    public async Task RunAsync_AlreadyInPlace_DoesNotDownload()
    {
        var archive = Archive(_files);
        using var server = new LoopbackServer(archive);
        var source = SourceFor(server, archive);
        await Stl10Download.RunAsync(Out, source, keepArchive: true, options: Quick, cancellationToken: Cancel);
        var log = new List<string>();

        await Stl10Download.RunAsync(Out, source, verifyExisting: true, log: log.Add, options: Quick, cancellationToken: Cancel);

        Assert.Single(server.Ranges);
        Assert.Contains(log, line => line.Contains("already in place and verified", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Out, Stl10Download.ArchiveName)));  // kept on request
    }

    [Fact]
    public async Task RunAsync_FileInsideFailsItsHash_PutsNothingInPlace()
    {
        var archive = Archive(_files);
        using var server = new LoopbackServer(archive);
        var source = SourceFor(server, archive);
        var wrong = new Dictionary<string, string>(source.FileMd5) { ["test_X.bin"] = new string('a', 32) };

        var e = await Assert.ThrowsAsync<InvalidDataException>(
            () => Stl10Download.RunAsync(Out, source with { FileMd5 = wrong }, options: Quick, cancellationToken: Cancel));

        Assert.Contains("test_X.bin", e.Message);
        Assert.False(Directory.Exists(Path.Combine(Out, "stl10_binary")));
        Assert.Equal([Stl10Download.ArchiveName], Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName));
    }

    [Fact]
    public void Extract_EntryOutsideTheFolder_IsRejected()
    {
        var path = Path.Combine(_folder, "evil.tar.gz");
        File.WriteAllBytes(path, Archive(new Dictionary<string, byte[]> { ["../escape.txt"] = [1] }, prefix: "stl10_binary/"));
        var e = Assert.Throws<InvalidDataException>(() => Stl10Download.Extract(path, Path.Combine(_folder, "x"), cancellationToken: Cancel));
        Assert.Contains("escape.txt", e.Message);
        Assert.False(File.Exists(Path.Combine(_folder, "x", "escape.txt")));
    }

    [Fact]
    public void Extract_NotAnArchive_ThrowsNamingIt()
    {
        var path = Path.Combine(_folder, "junk.tar.gz");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        var e = Assert.Throws<InvalidDataException>(() => Stl10Download.Extract(path, Path.Combine(_folder, "x"), cancellationToken: Cancel));
        Assert.Contains(path, e.Message);
    }

    private Stl10Source SourceFor(LoopbackServer server, byte[] archive) => new(
        server.Url,
        archive.Length,
        Convert.ToHexStringLower(MD5.HashData(archive)),
        _files.Where(f => f.Key.EndsWith(".bin", StringComparison.Ordinal))
            .ToDictionary(f => f.Key, f => Convert.ToHexStringLower(MD5.HashData(f.Value))),
        _files.ToDictionary(f => f.Key, f => (long)f.Value.Length));

    private static byte[] Archive(Dictionary<string, byte[]> files, string prefix = "stl10_binary/")
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, prefix));
            foreach (var (name, bytes) in files)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, prefix + name) { DataStream = new MemoryStream(bytes) });
        }

        return buffer.ToArray();
    }
}
