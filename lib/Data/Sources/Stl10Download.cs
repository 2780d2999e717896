using System.Formats.Tar;
using System.IO.Compression;

namespace SplitBrain.Data;

/// <summary>
/// Gets STL-10 onto the disk: downloads <c>stl10_binary.tar.gz</c> resumably (<see cref="Downloader"/>), checks its
/// size and MD5, unpacks it, checks every file, and only then puts the <c>stl10_binary</c> folder in place.
/// The library side of <c>data-scripts/stl10.cs</c>.
/// </summary>
/// <remarks>
/// The archive is unpacked into a hidden temporary folder next to the result, and the folder is renamed to
/// <c>stl10_binary</c> once every file is verified: an interrupted or failed run never leaves a folder that
/// <see cref="Stl10Dataset"/> would take for the dataset. Only regular files under <c>stl10_binary/</c> are unpacked
/// (no links, nothing outside the folder).
/// </remarks>
public static class Stl10Download
{
    /// <summary>The archive's file name, kept in the output folder while downloading.</summary>
    public const string ArchiveName = "stl10_binary.tar.gz";

    // Marks the archive-content errors Extract raises itself, so its handler does not rewrap them.
    private const string RejectedEntry = "SplitBrain.Stl10Download.RejectedEntry";

    /// <summary>
    /// Makes sure <c>&lt;outFolder&gt;/stl10_binary</c> holds the verified release: downloads and unpacks it unless it
    /// is already there.
    /// </summary>
    /// <param name="outFolder">The folder to put <c>stl10_binary</c> (and, while it runs, the archive) in.</param>
    /// <param name="source">Address and hashes; <see cref="Stl10Source.Official"/> when null.</param>
    /// <param name="keepArchive">Keep the 2.6 GB archive after unpacking (by default it is deleted).</param>
    /// <param name="verifyExisting">When the folder already exists, hash its files too (3.1 GB to read) rather than
    /// checking their presence and sizes only.</param>
    /// <param name="log">Receives progress lines; null for none.</param>
    /// <param name="client">The HTTP client (not disposed); a new one when null.</param>
    /// <param name="options">Retries and timeouts of the download.</param>
    /// <param name="cancellationToken">Stops the work; a partial download is kept for the next run.</param>
    /// <returns>The full path of the <c>stl10_binary</c> folder.</returns>
    /// <exception cref="InvalidDataException">The archive or a file in it fails verification (nothing is put in place).</exception>
    public static async Task<string> RunAsync(
        string outFolder,
        Stl10Source? source = null,
        bool keepArchive = false,
        bool verifyExisting = false,
        Action<string>? log = null,
        HttpClient? client = null,
        DownloadConfig? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outFolder);
        source ??= Stl10Source.Official;
        var output = Path.GetFullPath(outFolder);
        var folder = Path.Combine(output, Stl10Dataset.FolderName);
        if (Directory.Exists(folder))
        {
            var problem = await CheckFilesAsync(folder, source, hash: verifyExisting, log, cancellationToken);
            if (problem is null)
            {
                log?.Invoke($"{folder} is already in place{(verifyExisting ? " and verified" : "")}");
                return folder;
            }

            log?.Invoke($"{folder} is incomplete ({problem}): getting it again");
        }

        Directory.CreateDirectory(output);
        var archive = Path.Combine(output, ArchiveName);
        await Downloader.DownloadAsync(source.Url, archive, source.ArchiveSize, source.ArchiveMd5, log, client, options, cancellationToken);

        var staging = Path.Combine(output, $".{Stl10Dataset.FolderName}.{Guid.NewGuid():N}.partial");
        try
        {
            Extract(archive, staging, log, cancellationToken);
            var unpacked = Path.Combine(staging, Stl10Dataset.FolderName);
            if (await CheckFilesAsync(unpacked, source, hash: true, log, cancellationToken) is { } problem)
            {
                throw new InvalidDataException(
                    $"The archive {archive} unpacked, but {problem}. Delete the archive and run the download again.");
            }

            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true); // the incomplete one found above
            }

            Directory.Move(unpacked, folder);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        if (!keepArchive)
        {
            File.Delete(archive);
        }

        log?.Invoke($"STL-10 is ready in {folder}");
        return folder;
    }

    /// <summary>
    /// Unpacks the regular files under <c>stl10_binary/</c> of a <c>.tar.gz</c> archive into
    /// <paramref name="destination"/><c>/stl10_binary</c>.
    /// </summary>
    /// <param name="archive">The archive.</param>
    /// <param name="destination">The folder to unpack into (created if needed).</param>
    /// <param name="log">Receives one line per file; null for none.</param>
    /// <param name="cancellationToken">Stops unpacking.</param>
    /// <exception cref="InvalidDataException">The archive is not a gzip-compressed tar file, or holds an entry outside
    /// <c>stl10_binary/</c> or a link.</exception>
    public static void Extract(string archive, string destination, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var root = Path.GetFullPath(destination);
        Directory.CreateDirectory(root);
        try
        {
            using var file = File.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = entry.Name.Replace('\\', '/').TrimStart('.', '/');
                if (entry.EntryType is TarEntryType.Directory)
                {
                    continue;
                }

                var target = Path.GetFullPath(Path.Combine(root, name));
                var inside = Path.Combine(root, Stl10Dataset.FolderName) + Path.DirectorySeparatorChar;
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !target.StartsWith(inside, StringComparison.Ordinal))
                {
                    var rejected = new InvalidDataException(
                        $"{archive} holds '{entry.Name}' ({entry.EntryType}); STL-10's archive holds only regular files under {Stl10Dataset.FolderName}/.");
                    rejected.Data[RejectedEntry] = true;
                    throw rejected;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using (var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
                {
                    entry.DataStream?.CopyTo(output);
                }

                log?.Invoke($"unpacked {name} ({entry.Length:N0} bytes)");
            }
        }
        catch (Exception e) when ((e is InvalidDataException or FormatException or EndOfStreamException) && !e.Data.Contains(RejectedEntry))
        {
            // Errors of the gzip and tar readers, which name neither the file nor what to do.
            throw new InvalidDataException($"{archive} is not a readable .tar.gz archive ({e.Message}). Delete it and download again.", e);
        }
    }

    /// <summary>Null when the folder holds every file with the listed sizes (and MD5s, when hashing), else what is wrong.</summary>
    private static async Task<string?> CheckFilesAsync(
        string folder, Stl10Source source, bool hash, Action<string>? log, CancellationToken cancellationToken)
    {
        foreach (var name in Stl10Source.RequiredFiles)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path))
            {
                return $"{name} is missing";
            }

            var size = source.FileSizes.TryGetValue(name, out var s) ? s : (long?)null;
            var md5 = hash && source.FileMd5.TryGetValue(name, out var m) ? m : null;
            if (md5 is not null)
            {
                log?.Invoke($"verifying {name}");
            }

            if (await Downloader.VerifyAsync(path, size, md5, cancellationToken) is { } problem)
            {
                return $"{name} {problem}";
            }
        }

        return null;
    }
}
