using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace SplitBrain.Data;

/// <summary>
/// Downloads one large file resumably and verifies it: the bytes go to <c>&lt;destination&gt;.part</c>, an interrupted
/// download continues from there (HTTP Range), and only a file of the expected size and MD5 is renamed to the
/// destination. A partial file is never taken for a complete one.
/// </summary>
/// <remarks>
/// <para>Resuming: when a <c>.part</c> file exists, the request asks for the bytes after it
/// (<c>Range: bytes=N-</c>). A server that answers 206 with that range is appended to; one that ignores ranges (200)
/// is downloaded from the start again; 416 (nothing after N) goes straight to verification. A lost connection, a read
/// that stalls for <see cref="DownloadConfig.IdleTimeout"/>, or a 5xx answer is retried (with the <c>.part</c> file
/// kept), up to <see cref="DownloadConfig.Retries"/> times.</para>
/// <para>Verification: the size (the expected one, else the one the server announced) and, when given, the MD5 of the
/// whole file. A file that fails it is deleted (resuming a corrupt prefix could never succeed) and
/// <see cref="InvalidDataException"/> is thrown; the destination is not created. An existing destination is verified
/// too and kept when it passes, so running a download twice costs one hash.</para>
/// <para>MD5 is what dataset publishers (and torchvision) list; it guards against truncation and corruption, not
/// against tampering.</para>
/// </remarks>
public static class Downloader
{
    private const int BufferBytes = 1 << 20;

    /// <summary>The file the bytes of an unfinished download of <paramref name="destination"/> are kept in.</summary>
    /// <param name="destination">The final file.</param>
    /// <returns><c>destination + ".part"</c>.</returns>
    public static string PartialPath(string destination) => destination + ".part";

    /// <summary>Downloads <paramref name="url"/> to <paramref name="destination"/>, resuming and verifying.</summary>
    /// <param name="url">An http or https address.</param>
    /// <param name="destination">The file to create; its folder is created if needed.</param>
    /// <param name="expectedSize">The size in bytes, or null to take the server's.</param>
    /// <param name="expectedMd5">The MD5 as 32 hex digits (any case), or null to check the size only.</param>
    /// <param name="log">Receives progress and retry lines; null for none.</param>
    /// <param name="client">The HTTP client to use (not disposed); a new one when null.</param>
    /// <param name="options">Retries and timeouts; <see cref="DownloadConfig.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the download; the <c>.part</c> file is kept for a later resume.</param>
    /// <returns>The full path of the verified file.</returns>
    /// <exception cref="InvalidDataException">The downloaded file has the wrong size or MD5 (it is deleted), or the
    /// server announces a size other than the expected one.</exception>
    /// <exception cref="HttpRequestException">The server refused (4xx), or every attempt failed.</exception>
    public static async Task<string> DownloadAsync(
        Uri url,
        string destination,
        long? expectedSize = null,
        string? expectedMd5 = null,
        Action<string>? log = null,
        HttpClient? client = null,
        DownloadConfig? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        if (expectedSize is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedSize), expectedSize, "Expected a size >= 0 or null.");
        }

        if (expectedMd5 is not null && (expectedMd5.Length != 32 || !expectedMd5.All(Uri.IsHexDigit)))
        {
            throw new ArgumentException($"Expected an MD5 of 32 hex digits or null; got '{expectedMd5}'.", nameof(expectedMd5));
        }

        options ??= DownloadConfig.Default;
        options.Validate();
        var target = Path.GetFullPath(destination);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            if (await VerifyAsync(target, expectedSize, expectedMd5, cancellationToken) is not { } problem)
            {
                log?.Invoke($"{target} is already downloaded and verified");
                return target;
            }

            log?.Invoke($"{target} exists but {problem}: downloading it again");
            File.Delete(target);
        }

        var part = PartialPath(target);
        using var ownClient = client is null ? new HttpClient { Timeout = Timeout.InfiniteTimeSpan } : null;
        var http = client ?? ownClient!;
        long? announced = null;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                announced = await FetchAsync(http, url, part, expectedSize, log, options, cancellationToken) ?? announced;
                break;
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && attempt < options.Retries)
            {
                var delay = options.FirstDelay * Math.Pow(2, attempt);
                var have = File.Exists(part) ? new FileInfo(part).Length : 0;
                log?.Invoke($"download interrupted ({e.Message}); {have} bytes kept in {part}; retrying in {delay.TotalSeconds:0.#} s "
                    + $"(attempt {attempt + 2} of {options.Retries + 1})");
                await Task.Delay(delay, cancellationToken);
            }
        }

        log?.Invoke($"verifying {part}");
        if (await VerifyAsync(part, expectedSize ?? announced, expectedMd5, cancellationToken) is { } failure)
        {
            File.Delete(part);
            throw new InvalidDataException(
                $"The download of {url} {failure}; the partial file {part} was deleted. Run the download again; if it "
                + "fails the same way, the file on the server differs from the one expected.");
        }

        File.Move(part, target);
        log?.Invoke($"downloaded {target}");
        return target;
    }

    /// <summary>The MD5 of a file as 32 lower-case hex digits.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Stops the hashing.</param>
    /// <returns>The digest.</returns>
    public static async Task<string> Md5Async(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await MD5.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>Null when <paramref name="path"/> has the size and MD5 given, otherwise what is wrong.</summary>
    internal static async Task<string?> VerifyAsync(string path, long? size, string? md5, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        if (size is { } expected && length != expected)
        {
            return $"has {length} bytes where {expected} were expected";
        }

        if (md5 is not null)
        {
            var actual = await Md5Async(path, cancellationToken);
            if (!actual.Equals(md5, StringComparison.OrdinalIgnoreCase))
            {
                return $"has MD5 {actual} where {md5.ToLowerInvariant()} was expected";
            }
        }

        return null;
    }

    // One attempt: brings the .part file up to the end of the resource. Returns the total size the server announced.
    private static async Task<long?> FetchAsync(
        HttpClient http, Uri url, string part, long? expectedSize, Action<string>? log, DownloadConfig options, CancellationToken cancellationToken)
    {
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (expectedSize is { } size && have > size)
        {
            log?.Invoke($"{part} is longer than the expected {size} bytes: starting again");
            File.Delete(part);
            have = 0;
        }

        if (expectedSize is { } complete && have == complete)
        {
            return complete; // everything is there; verification decides
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
        {
            return response.Content.Headers.ContentRange?.Length ?? have; // nothing after what we have
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        }

        var resumed = response.StatusCode == HttpStatusCode.PartialContent;
        if (resumed && response.Content.Headers.ContentRange?.From != have)
        {
            throw new HttpRequestException(
                $"{url} answered a range starting at byte {response.Content.Headers.ContentRange?.From} when asked for byte {have}.");
        }

        var start = resumed ? have : 0;
        long? total = resumed
            ? response.Content.Headers.ContentRange?.Length
            : response.Content.Headers.ContentLength;
        if (expectedSize is { } wanted && total is { } offered && offered != wanted)
        {
            throw new InvalidDataException(
                $"{url} offers {offered} bytes where {wanted} were expected: the file on the server is not the one expected.");
        }

        if (have > 0)
        {
            log?.Invoke(resumed ? $"resuming at byte {have}" : $"the server ignored the range request: downloading {url} from the start");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var file = new FileStream(part, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferBytes);
        var buffer = new byte[BufferBytes];
        var written = start;
        var nextReport = DateTime.UtcNow.AddSeconds(10);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            idle.CancelAfter(options.Idle);
            int read;
            try
            {
                read = await body.ReadAsync(buffer, idle.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no data from {url} for {options.Idle.TotalSeconds:0} s");
            }

            if (read == 0)
            {
                break;
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            written += read;
            if (log is not null && DateTime.UtcNow >= nextReport)
            {
                log(total is { } t ? $"{written:N0} of {t:N0} bytes ({100.0 * written / t:0.0}%)" : $"{written:N0} bytes");
                nextReport = DateTime.UtcNow.AddSeconds(10);
            }
        }

        if (total is { } end && written < end)
        {
            throw new IOException($"the connection closed after {written} of {end} bytes");
        }

        return total;
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        _ when cancellationToken.IsCancellationRequested => false,
        HttpRequestException { StatusCode: null } => true,                         // connection-level failure
        HttpRequestException { StatusCode: { } code } => (int)code >= 500,         // server trouble; 4xx will not change
        IOException or TimeoutException => true,
        _ => false,
    };
}
