using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SplitBrain.Data;

/// <summary>
/// A dataset decoded once into one binary file of raw uint8 images and labels, so that the epochs after the first
/// read bytes instead of decoding and resizing image files. Opened as an <see cref="IImageDataset"/>.
/// </summary>
/// <remarks>
/// <para>Layout (little-endian): a 64-byte header (magic <c>SBTCACHE</c>, format version, channels, height, width,
/// count, where the metadata, images and labels start, and how many of the source's images were unreadable and left
/// out, an int32 in what earlier files left as zero padding); UTF-8 JSON metadata (the source's name and
/// <see cref="IImageDataset.Fingerprint"/>, class names, whether it has labels); the images as one
/// <c>[N, 3, H, W]</c> uint8 array starting at a 4096-byte boundary; the labels as N int64; and an 8-byte end marker
/// <c>SBTCEND!</c>. A file whose size does not match its header, or without the end marker, is truncated or
/// corrupt.</para>
/// <para>The file is written to a hidden temporary file in the same folder and renamed into place only when
/// complete (flushed to disk), so the cache path never holds a half-written file: a build that fails or is
/// cancelled removes its temporary file and leaves any previous cache as it was.</para>
/// <para><see cref="OpenOrBuild"/> is the usual entry point: it opens the cache when it exists, is intact and was
/// built from a source with the same fingerprint, and rebuilds it otherwise (a stale or damaged cache is replaced).
/// Images are read with positional reads, never loaded whole; labels are held in memory (8 bytes per image).</para>
/// </remarks>
public sealed class TensorCache : IByteImageDataset
{
    /// <summary>The format version written and read.</summary>
    public const int FormatVersion = 1;

    private const int HeaderBytes = 64;
    private const int SkippedAt = 44; // the header's int32 of unreadable images (zero in files written before it)
    private const int Alignment = 4096;
    private static readonly byte[] Magic = "SBTCACHE"u8.ToArray();
    private static readonly byte[] EndMarker = "SBTCEND!"u8.ToArray();

    private readonly RecordFile _images;
    private readonly long[] _labels;
    private readonly string[] _classes;

    private TensorCache(string path, TensorCacheMetadata metadata, int imageSize, int skipped, RecordFile images, long[] labels)
    {
        Path = path;
        SkippedCount = skipped;
        SourceName = metadata.Source;
        Fingerprint = metadata.Fingerprint;
        HasLabels = metadata.HasLabels;
        _classes = metadata.Classes;
        ImageSize = imageSize;
        _images = images;
        _labels = labels;
    }

    /// <summary>The cache file (full path).</summary>
    public string Path { get; }

    /// <summary>The name of the dataset the cache was built from.</summary>
    public string SourceName { get; }

    /// <inheritdoc/>
    public string Name => $"cache of {SourceName}";

    /// <inheritdoc/>
    public int Count => _labels.Length;

    /// <inheritdoc/>
    public int ImageSize { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Classes => _classes;

    /// <inheritdoc/>
    public bool HasLabels { get; }

    /// <summary>The fingerprint of the source the cache was built from.</summary>
    public string Fingerprint { get; }

    /// <summary>How many images of the source could not be read when the cache was built (corrupt, truncated or
    /// non-image files of an <see cref="ImageFolderDataset"/>) and so are not in it. Kept in the file, so a run that
    /// reuses the cache can still report them.</summary>
    public int SkippedCount { get; }

    /// <summary>
    /// Opens the cache at <paramref name="path"/> if it is intact and was built from a source with
    /// <paramref name="source"/>'s fingerprint; otherwise (re)builds it from <paramref name="source"/> first.
    /// </summary>
    /// <param name="source">The dataset the cache stands for.</param>
    /// <param name="path">The cache file; its folder is created if needed.</param>
    /// <param name="log">Receives a line saying whether the cache was used or why it was rebuilt, and build progress.</param>
    /// <param name="cancellationToken">Cancels a build (nothing is left behind).</param>
    /// <returns>The opened cache; dispose it to close the file.</returns>
    public static TensorCache OpenOrBuild(IImageDataset source, string path, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            try
            {
                var cache = Open(path);
                if (cache.Fingerprint == source.Fingerprint && cache.ImageSize == source.ImageSize)
                {
                    var skipped = cache.SkippedCount > 0 ? $"; {cache.SkippedCount} unreadable files left out" : "";
                    log?.Invoke($"using the cache {path} ({cache.Count} images of {source.Name}{skipped})");
                    return cache;
                }

                cache.Dispose();
                log?.Invoke($"the cache {path} is stale (built from a different version of {source.Name}): rebuilding it");
            }
            catch (InvalidDataException e)
            {
                log?.Invoke($"the cache {path} is damaged ({e.Message}): rebuilding it");
            }
        }

        Build(source, path, log, cancellationToken: cancellationToken);
        return Open(path);
    }

    /// <summary>Opens an existing cache file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The cache; dispose it to close the file.</returns>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a cache of this format, or is truncated or corrupt;
    /// the message names it (<see cref="OpenOrBuild"/> rebuilds such a file).</exception>
    public static TensorCache Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"The tensor cache '{path}' does not exist (looked for '{full}').", full);
        }

        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read);
        var header = new byte[HeaderBytes];
        if (stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) < HeaderBytes || !header.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw Damaged(path, "it does not start with a tensor cache header (magic SBTCACHE)");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        if (version != FormatVersion)
        {
            throw Damaged(path, $"it has format version {version}; this library reads version {FormatVersion}");
        }

        var (channels, height, width) = (Int(header, 12), Int(header, 16), Int(header, 20));
        var count = Long(header, 24);
        var (metadataOffset, metadataLength) = (Long(header, 32), Int(header, 40));
        var skippedCount = Int(header, SkippedAt);
        var (imagesOffset, labelsOffset) = (Long(header, 48), Long(header, 56));
        var imageBytes = (long)channels * height * width;
        var expectedLength = labelsOffset + count * sizeof(long) + EndMarker.Length;
        if (channels != 3 || height < 1 || width != height || count < 0 || count > int.MaxValue || skippedCount < 0 || metadataOffset != HeaderBytes
            || metadataLength < 0 || imagesOffset < metadataOffset + metadataLength || labelsOffset != imagesOffset + count * imageBytes)
        {
            throw Damaged(path, "its header is inconsistent");
        }

        if (stream.Length != expectedLength)
        {
            throw Damaged(path, $"it has {stream.Length} bytes where its header announces {expectedLength} ({count} images of "
                + $"{channels}x{height}x{width}); it is truncated or was not completely written");
        }

        stream.Position = metadataOffset;
        var metadataBytes = new byte[metadataLength];
        stream.ReadExactly(metadataBytes);
        var labelBytes = new byte[count * sizeof(long) + EndMarker.Length];
        stream.Position = labelsOffset;
        stream.ReadExactly(labelBytes);
        if (!labelBytes.AsSpan(labelBytes.Length - EndMarker.Length).SequenceEqual(EndMarker))
        {
            throw Damaged(path, "its end marker is missing");
        }

        TensorCacheMetadata metadata;
        try
        {
            metadata = JsonSerializer.Deserialize(metadataBytes, TensorCacheJson.Default.TensorCacheMetadata)
                ?? throw new JsonException("null metadata");
        }
        catch (JsonException e)
        {
            throw Damaged(path, $"its metadata is not readable ({e.Message})");
        }

        var labels = new long[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = BinaryPrimitives.ReadInt64LittleEndian(labelBytes.AsSpan(i * sizeof(long)));
        }

        var images = new RecordFile(full, imageBytes, imagesOffset, count);
        return new TensorCache(full, metadata, height, skippedCount, images, labels);
    }

    /// <summary>
    /// Decodes every image of <paramref name="source"/> (in index order) into a new cache file at
    /// <paramref name="path"/>, replacing any file there only once the new one is complete.
    /// </summary>
    /// <param name="source">The dataset to cache. Images it skips (unreadable files of an
    /// <see cref="ImageFolderDataset"/>) are left out, so the cache may hold fewer images than the source.</param>
    /// <param name="path">The cache file; its folder is created if needed.</param>
    /// <param name="log">Receives progress lines (about every tenth of the way); null for none.</param>
    /// <param name="batchSize">Images read per batch; default 256.</param>
    /// <param name="cancellationToken">Cancels the build; the temporary file is removed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1.</exception>
    public static void Build(IImageDataset source, string path, Action<string>? log = null, int batchSize = 256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Expected a batch size of at least 1; got {batchSize}.");
        }

        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temporary = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            WriteCache(source, temporary, log, batchSize, cancellationToken);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary); // nothing if it was never created or already moved
            throw;
        }
    }

    /// <inheritdoc/>
    public ImageBatch ReadBatch(IReadOnlyList<int> indices) => DataTensors.ReadBatch(this, indices);

    /// <inheritdoc/>
    public void ReadBytes(IReadOnlyList<int> indices, Span<byte> pixels, Span<long> labels)
    {
        DataTensors.CheckIndices(indices, Count, Name);
        DataTensors.CheckDestinations(indices.Count, ImageSize, pixels.Length, labels.Length);
        var bytes = (int)_images.RecordBytes;
        for (var i = 0; i < indices.Count; i++)
        {
            _images.Read(indices[i], pixels.Slice(i * bytes, bytes));
            labels[i] = _labels[indices[i]];
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _images.Dispose();

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Count} images {ImageSize}x{ImageSize}, {Classes.Count} classes, in {Path}";

    private static void WriteCache(IImageDataset source, string path, Action<string>? log, int batchSize, CancellationToken cancellationToken)
    {
        var size = source.ImageSize;
        var imageBytes = 3L * size * size;
        var metadata = JsonSerializer.SerializeToUtf8Bytes(
            new TensorCacheMetadata(source.Name, source.Fingerprint, [.. source.Classes], source.HasLabels),
            TensorCacheJson.Default.TensorCacheMetadata);
        var imagesOffset = Align(HeaderBytes + metadata.Length);
        var labels = new List<long>(source.Count);

        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        stream.Position = HeaderBytes;
        stream.Write(metadata);
        stream.Position = imagesOffset;
        var nextReport = 0.1;
        var skipped = 0;
        for (var start = 0; start < source.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var indices = Enumerable.Range(start, Math.Min(batchSize, source.Count - start)).ToArray();
            using var batch = source.ReadBatch(indices);
            if (batch.Images.size(2) != size || batch.Images.size(3) != size)
            {
                throw new InvalidDataException(
                    $"{source.Name} returned images of {batch.Images.size(2)}x{batch.Images.size(3)}; its ImageSize is {size}.");
            }

            using var contiguous = batch.Images.contiguous();
            stream.Write(contiguous.bytes);
            labels.AddRange(batch.LabelArray());
            skipped += indices.Length - batch.Count; // the source logged each one
            var done = (double)(start + indices.Length) / source.Count;
            if (log is not null && done >= nextReport)
            {
                log($"caching {source.Name}: {start + indices.Length}/{source.Count} images");
                nextReport = Math.Floor(done * 10 + 1) / 10;
            }
        }

        var labelsOffset = imagesOffset + labels.Count * imageBytes;
        var tail = new byte[labels.Count * sizeof(long) + EndMarker.Length];
        for (var i = 0; i < labels.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(tail.AsSpan(i * sizeof(long)), labels[i]);
        }

        EndMarker.CopyTo(tail, labels.Count * sizeof(long));
        stream.Write(tail);

        // The header last: its count is only known now (a source may skip images).
        var header = new byte[HeaderBytes];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), 3);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), size);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(20), size);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(24), labels.Count);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(32), HeaderBytes);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(40), metadata.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(SkippedAt), skipped);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(48), imagesOffset);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(56), labelsOffset);
        stream.Position = 0;
        stream.Write(header);
        stream.Flush(flushToDisk: true); // on disk before the rename makes it visible
        if (log is not null && source.Count == 0)
        {
            log($"caching {source.Name}: no images");
        }

        if (log is not null && skipped > 0)
        {
            log($"caching {source.Name}: {skipped} of {source.Count} files could not be read and were left out (each named above)");
        }
    }

    private static long Align(long offset) => (offset + Alignment - 1) / Alignment * Alignment;

    private static int Int(byte[] header, int at) => BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(at));

    private static long Long(byte[] header, int at) => BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(at));

    private static InvalidDataException Damaged(string path, string why) =>
        new($"'{path}' is not a usable tensor cache: {why}. Delete it, or open it with "
            + $"{nameof(TensorCache)}.{nameof(OpenOrBuild)}, which rebuilds it.");
}

/// <summary>The JSON metadata block of a <see cref="TensorCache"/> file.</summary>
internal sealed record TensorCacheMetadata(string Source, string Fingerprint, string[] Classes, bool HasLabels);

/// <summary>
/// Source-generated JSON for <see cref="TensorCacheMetadata"/>: .NET 10 file-based apps (the data scripts, exported
/// notebooks) disable reflection-based serialization by default, so the library must not depend on it.
/// </summary>
[JsonSerializable(typeof(TensorCacheMetadata))]
internal sealed partial class TensorCacheJson : JsonSerializerContext
{
}
