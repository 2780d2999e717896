using System.Net;
using System.Security.Cryptography;
using SplitBrain.Data;

namespace SplitBrain.Tests.Data;

public sealed class DownloaderTests : IDisposable
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly DownloadConfig Quick = new(Retries: 2, IdleTimeout: TimeSpan.FromSeconds(10), RetryDelay: TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-download-").FullName;
    private readonly byte[] _content = RandomNumberGenerator.GetBytes(200_000);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Destination => Path.Combine(_folder, "sub", "file.tar.gz");

    private string Md5 => Convert.ToHexStringLower(MD5.HashData(_content));

    [Fact]
    public async Task Download_Fresh_WritesTheVerifiedFileAndNoPartFile()
    {
        using var server = new LoopbackServer(_content);
        var path = await Downloader.DownloadAsync(server.Url, Destination, _content.Length, Md5.ToUpperInvariant(), options: Quick, cancellationToken: Cancel);

        Assert.Equal(Path.GetFullPath(Destination), path);
        Assert.Equal(_content, File.ReadAllBytes(path));
        Assert.False(File.Exists(Downloader.PartialPath(Destination)));
        Assert.Equal([""], server.Ranges);
    }

    [Fact]
    public async Task Download_PartFileLeftBehind_ResumesWithARangeRequest()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Destination)!);
        File.WriteAllBytes(Downloader.PartialPath(Destination), _content[..70_000]);
        using var server = new LoopbackServer(_content);
        var log = new List<string>();

        await Downloader.DownloadAsync(server.Url, Destination, _content.Length, Md5, log.Add, options: Quick, cancellationToken: Cancel);

        Assert.Equal(["bytes=70000-"], server.Ranges);
        Assert.Equal(_content, File.ReadAllBytes(Destination));
        Assert.Contains(log, line => line.Contains("resuming at byte 70000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Download_ConnectionCutMidway_RetriesFromWhereItStopped()
    {
        using var server = new LoopbackServer(_content, cutAfterBytesOnce: 50_000);

        await Downloader.DownloadAsync(server.Url, Destination, null, Md5, options: Quick, cancellationToken: Cancel);

        Assert.Equal(2, server.Ranges.Count);
        Assert.Equal("", server.Ranges[0]);
        Assert.StartsWith("bytes=", server.Ranges[1]);
        Assert.NotEqual("bytes=0-", server.Ranges[1]);
        Assert.Equal(_content, File.ReadAllBytes(Destination));
    }

    [Fact]
    public async Task Download_HashMismatch_IsRejected_PartDeleted_NothingCompleted()
    {
        using var server = new LoopbackServer(_content);
        var wrong = new string('0', 32);

        var e = await Assert.ThrowsAsync<InvalidDataException>(
            () => Downloader.DownloadAsync(server.Url, Destination, _content.Length, wrong, options: Quick, cancellationToken: Cancel));

        Assert.Contains(wrong, e.Message);
        Assert.False(File.Exists(Destination));
        Assert.False(File.Exists(Downloader.PartialPath(Destination)));
    }

    [Fact]
    public async Task Download_ServerIgnoresRanges_StartsAgainFromZero()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Destination)!);
        File.WriteAllBytes(Downloader.PartialPath(Destination), new byte[5_000]); // not even the right bytes
        using var server = new LoopbackServer(_content, ignoreRange: true);

        await Downloader.DownloadAsync(server.Url, Destination, _content.Length, Md5, options: Quick, cancellationToken: Cancel);

        Assert.Equal(_content, File.ReadAllBytes(Destination));
    }

    [Fact]
    public async Task Download_CompletePartFile_IsVerifiedWithoutARequestForBytes()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Destination)!);
        File.WriteAllBytes(Downloader.PartialPath(Destination), _content);
        using var server = new LoopbackServer(_content);

        await Downloader.DownloadAsync(server.Url, Destination, _content.Length, Md5, options: Quick, cancellationToken: Cancel);

        Assert.Empty(server.Ranges);
        Assert.Equal(_content, File.ReadAllBytes(Destination));
    }

    [Fact]
    public async Task Download_AlreadyDownloaded_DoesNotAskTheServer()
    {
        using var server = new LoopbackServer(_content);
        await Downloader.DownloadAsync(server.Url, Destination, _content.Length, Md5, options: Quick, cancellationToken: Cancel);
        var log = new List<string>();

        await Downloader.DownloadAsync(server.Url, Destination, _content.Length, Md5, log.Add, options: Quick, cancellationToken: Cancel);

        Assert.Single(server.Ranges);
        Assert.Contains(log, line => line.Contains("already downloaded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Download_ServerOffersAnotherSize_IsRejectedBeforeDownloading()
    {
        using var server = new LoopbackServer(_content);
        var e = await Assert.ThrowsAsync<InvalidDataException>(
            () => Downloader.DownloadAsync(server.Url, Destination, _content.Length + 1, null, options: Quick, cancellationToken: Cancel));
        Assert.Contains($"offers {_content.Length} bytes", e.Message);
        Assert.False(File.Exists(Destination));
    }

    [Fact]
    public async Task Download_NotFound_FailsAtOnceWithoutRetrying()
    {
        using var server = new LoopbackServer(_content, status: HttpStatusCode.NotFound);
        var e = await Assert.ThrowsAsync<HttpRequestException>(
            () => Downloader.DownloadAsync(server.Url, Destination, options: Quick, cancellationToken: Cancel));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Single(server.Ranges);
        Assert.False(File.Exists(Destination));
    }
}
