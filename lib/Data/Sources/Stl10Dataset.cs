using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SplitBrain.Data;

/// <summary>
/// STL-10 (Coates, Ng, Lee, AISTATS 2011) read from its binary release: 96 x 96 color images in ten classes,
/// 100 000 unlabeled, 5 000 training (with ten predefined folds of 1 000) and 8 000 test images.
/// </summary>
/// <remarks>
/// <para>Reads the unpacked <c>stl10_binary/</c> folder (<c>data-scripts/stl10.cs</c> downloads and unpacks it):
/// <c>train_X.bin</c>, <c>train_y.bin</c>, <c>test_X.bin</c>, <c>test_y.bin</c>, <c>unlabeled_X.bin</c>,
/// <c>class_names.txt</c>, <c>fold_indices.txt</c>.</para>
/// <para>Each image is 27 648 bytes: three 96 x 96 planes (red, green, blue), each stored column by column (the
/// file is written from MATLAB), so the rows and columns are swapped here to give upright <c>[3, H, W]</c> images.
/// Labels are stored as bytes 1..10 and read as 0..9. The image files are read by positional reads, never loaded
/// whole (<c>unlabeled_X.bin</c> is 2.7 GB); the dataset keeps the file open until disposed.</para>
/// </remarks>
public sealed class Stl10Dataset : IByteImageDataset
{
    /// <summary>Side of an STL-10 image in pixels.</summary>
    public const int Side = 96;

    /// <summary>Bytes per image: 3 x 96 x 96.</summary>
    public const int ImageBytes = 3 * Side * Side;

    /// <summary>The folder the release unpacks to.</summary>
    public const string FolderName = "stl10_binary";

    /// <summary>The command that downloads and unpacks the dataset, for error messages (run from the repository root).</summary>
    internal const string DownloadCommand = "dotnet run --file data-scripts/stl10.cs -- --out ";

    private readonly RecordFile _images;
    private readonly byte[]? _labels;   // 0-based, one per image of the file
    private readonly int[]? _items;     // dataset index -> image of the file (a fold); null: all, in order
    private readonly string[] _classes;

    private Stl10Dataset(string folder, DatasetSplit split, int? fold, RecordFile images, byte[]? labels, int[]? items, string[] classes, string fingerprint)
    {
        Folder = folder;
        Split = split;
        Fold = fold;
        _images = images;
        _labels = labels;
        _items = items;
        _classes = classes;
        Fingerprint = fingerprint;
        Count = items?.Length ?? (int)images.Count;
    }

    /// <summary>The <c>stl10_binary</c> folder read.</summary>
    public string Folder { get; }

    /// <summary>Which split this is.</summary>
    public DatasetSplit Split { get; }

    /// <summary>The training fold (0..9) this dataset is restricted to, or null for the whole split.</summary>
    public int? Fold { get; }

    /// <inheritdoc/>
    public string Name => $"STL-10 {Split.ToString().ToLowerInvariant()}" + (Fold is { } f ? $" (fold {f})" : "");

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public int ImageSize => Side;

    /// <inheritdoc/>
    public IReadOnlyList<string> Classes => HasLabels ? _classes : [];

    /// <inheritdoc/>
    public bool HasLabels => _labels is not null;

    /// <inheritdoc/>
    public string Fingerprint { get; }

    /// <summary>Opens one split of STL-10.</summary>
    /// <param name="folder">The unpacked <c>stl10_binary</c> folder, or the folder that holds it (the
    /// <c>--out</c> folder of the download script, e.g. <c>data/stl10</c>).</param>
    /// <param name="split">Which split.</param>
    /// <param name="fold">For <see cref="DatasetSplit.Train"/> only: one of the ten predefined training folds
    /// (0..9, 1 000 images each, from <c>fold_indices.txt</c>), or null for all 5 000 images.</param>
    /// <returns>The dataset; dispose it to close the file.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist; the message gives the command that
    /// downloads it.</exception>
    /// <exception cref="FileNotFoundException">A file of the release is missing (same advice).</exception>
    /// <exception cref="InvalidDataException">A file has the wrong size or content; the message names it and the
    /// size expected.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fold"/> is not 0..9, or is given for a split
    /// other than <see cref="DatasetSplit.Train"/>.</exception>
    public static Stl10Dataset Open(string folder, DatasetSplit split, int? fold = null)
    {
        if (fold is { } f && (split != DatasetSplit.Train || f is < 0 or > 9))
        {
            throw new ArgumentOutOfRangeException(
                nameof(fold), fold,
                $"Expected a fold 0..9 of the train split (or null for all of it); got fold {f} of the {split} split.");
        }

        var root = ResolveFolder(folder);
        var prefix = split switch
        {
            DatasetSplit.Unlabeled => "unlabeled",
            DatasetSplit.Train => "train",
            DatasetSplit.Test => "test",
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, $"{split} is not a {nameof(DatasetSplit)}."),
        };

        var imagesPath = Required(root, prefix + "_X.bin");
        var imageCount = CheckImageFile(imagesPath);
        byte[]? labels = null;
        string[] classes = [];
        int[]? items = null;
        var identity = new StringBuilder($"stl10; split {split}; fold {fold?.ToString(CultureInfo.InvariantCulture) ?? "all"}");
        AppendFileIdentity(identity, imagesPath);
        if (split != DatasetSplit.Unlabeled)
        {
            classes = ReadClassNames(Required(root, "class_names.txt"));
            var labelsPath = Required(root, prefix + "_y.bin");
            labels = ReadLabels(labelsPath, imageCount, Path.GetFileName(imagesPath), classes.Length);
            AppendFileIdentity(identity, labelsPath);
            if (fold is { } chosen)
            {
                items = ReadFoldsFrom(Required(root, "fold_indices.txt"), imageCount)[chosen];
            }
        }

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())));
        var images = new RecordFile(imagesPath, ImageBytes, 0, imageCount);
        return new Stl10Dataset(root, split, fold, images, labels, items, classes, fingerprint);
    }

    /// <summary>The ten predefined training folds of <c>fold_indices.txt</c>: zero-based indices into the 5 000
    /// training images, 1 000 per fold.</summary>
    /// <param name="folder">The <c>stl10_binary</c> folder or the folder holding it.</param>
    /// <returns>One array of indices per fold, in file order.</returns>
    /// <exception cref="InvalidDataException">The file is malformed or an index is outside the training set.</exception>
    public static IReadOnlyList<int[]> ReadFolds(string folder)
    {
        var root = ResolveFolder(folder);
        var trainCount = CheckImageFile(Required(root, "train_X.bin"));
        return ReadFoldsFrom(Required(root, "fold_indices.txt"), trainCount);
    }

    /// <summary>
    /// The <c>stl10_binary</c> folder meant by <paramref name="folder"/>: the folder itself when it holds
    /// <c>train_X.bin</c> or is named <c>stl10_binary</c>, otherwise its <c>stl10_binary</c> subfolder.
    /// </summary>
    /// <param name="folder">A folder path.</param>
    /// <returns>The full path of the <c>stl10_binary</c> folder.</returns>
    /// <exception cref="DirectoryNotFoundException">No such folder; the message gives the download command.</exception>
    public static string ResolveFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder);
        var inside = Path.Combine(full, FolderName);
        var root = Path.GetFileName(Path.TrimEndingDirectorySeparator(full)) == FolderName
            || File.Exists(Path.Combine(full, "train_X.bin")) || !Directory.Exists(inside)
            ? full
            : inside;
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException(
                $"The STL-10 folder '{folder}' does not exist (looked for '{root}'). "
                + $"Download and unpack STL-10 (2.6 GB) from the repository root with: {DownloadCommand}{DownloadFolderFor(full)}");
        }

        return root;
    }

    /// <inheritdoc/>
    public ImageBatch ReadBatch(IReadOnlyList<int> indices) => DataTensors.ReadBatch(this, indices);

    /// <inheritdoc/>
    /// <remarks>Each image is read as stored (every plane column by column) into a scratch buffer and transposed into
    /// <paramref name="pixels"/> plane by plane, in managed code, so that the result is upright <c>[3, H, W]</c>.</remarks>
    public void ReadBytes(IReadOnlyList<int> indices, Span<byte> pixels, Span<long> labels)
    {
        DataTensors.CheckIndices(indices, Count, Name);
        DataTensors.CheckDestinations(indices.Count, Side, pixels.Length, labels.Length);
        var stored = ArrayPool<byte>.Shared.Rent(ImageBytes);
        try
        {
            for (var i = 0; i < indices.Count; i++)
            {
                var record = _items?[indices[i]] ?? indices[i];
                _images.Read(record, stored.AsSpan(0, ImageBytes));
                TransposePlanes(stored, pixels.Slice(i * ImageBytes, ImageBytes));
                labels[i] = _labels is null ? -1 : _labels[record];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stored);
        }
    }

    /// <summary>Closes the image file.</summary>
    public void Dispose() => _images.Dispose();

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Count} images {Side}x{Side}, {Classes.Count} classes, from {Folder}";

    // Stored [3, W, H] (each plane column by column, as MATLAB writes it) -> upright [3, H, W].
    private static void TransposePlanes(ReadOnlySpan<byte> stored, Span<byte> upright)
    {
        const int plane = Side * Side;
        for (var c = 0; c < 3; c++)
        {
            var from = stored.Slice(c * plane, plane);
            var to = upright.Slice(c * plane, plane);
            for (var x = 0; x < Side; x++)
            {
                var column = from.Slice(x * Side, Side); // column x, rows 0..Side-1
                for (var y = 0; y < Side; y++)
                {
                    to[y * Side + x] = column[y];
                }
            }
        }
    }

    // The --out folder of the download script that would create this folder.
    private static string DownloadFolderFor(string folder)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(folder);
        return Path.GetFileName(trimmed) == FolderName ? (Path.GetDirectoryName(trimmed) is { Length: > 0 } p ? p : ".") : trimmed;
    }

    private static string Required(string root, string name)
    {
        var path = Path.Combine(root, name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"STL-10 file '{path}' is missing. Download and unpack STL-10 again from the repository root with: "
                + $"{DownloadCommand}{DownloadFolderFor(root)}", path);
        }

        return path;
    }

    private static int CheckImageFile(string path)
    {
        var length = new FileInfo(path).Length;
        if (length % ImageBytes != 0 || length / ImageBytes > int.MaxValue)
        {
            throw new InvalidDataException(
                $"'{path}' has {length} bytes, which is not a whole number of STL-10 images: expected a multiple of "
                + $"{ImageBytes} bytes (3 x 96 x 96; e.g. {ExpectedSizeText(Path.GetFileName(path))}). The file is probably "
                + $"truncated: download it again from the repository root with {DownloadCommand}{DownloadFolderFor(Path.GetDirectoryName(path)!)}");
        }

        return (int)(length / ImageBytes);
    }

    private static string ExpectedSizeText(string name) => name switch
    {
        "train_X.bin" => $"{5_000L * ImageBytes} bytes for the 5 000 training images",
        "test_X.bin" => $"{8_000L * ImageBytes} bytes for the 8 000 test images",
        _ => $"{100_000L * ImageBytes} bytes for the 100 000 unlabeled images",
    };

    private static byte[] ReadLabels(string path, int imageCount, string imagesName, int classCount)
    {
        var length = new FileInfo(path).Length;
        if (length != imageCount)
        {
            throw new InvalidDataException(
                $"'{path}' has {length} bytes but {imagesName} holds {imageCount} images: expected {imageCount} bytes "
                + "(one label byte per image).");
        }

        var labels = File.ReadAllBytes(path);
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 1 || labels[i] > classCount)
            {
                throw new InvalidDataException(
                    $"'{path}' holds label {labels[i]} at byte {i}; expected labels 1..{classCount} (one per class of class_names.txt).");
            }

            labels[i]--; // stored 1..10, used 0..9
        }

        return labels;
    }

    private static string[] ReadClassNames(string path)
    {
        var names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length == 0)
        {
            throw new InvalidDataException($"'{path}' holds no class names; expected one name per line (10 for STL-10).");
        }

        return names;
    }

    private static int[][] ReadFoldsFrom(string path, int trainCount)
    {
        var folds = new List<int[]>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var fold = new int[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                if (!int.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out fold[i]) || fold[i] >= trainCount)
                {
                    throw new InvalidDataException(
                        $"'{path}' line {lineNumber} holds '{fields[i]}'; expected zero-based indices 0..{trainCount - 1} "
                        + "of the training images, separated by spaces.");
                }
            }

            folds.Add(fold);
        }

        if (folds.Count != 10)
        {
            throw new InvalidDataException($"'{path}' holds {folds.Count} folds; expected 10 lines, one per fold.");
        }

        return [.. folds];
    }

    private static void AppendFileIdentity(StringBuilder identity, string path)
    {
        var info = new FileInfo(path);
        identity.Append(CultureInfo.InvariantCulture, $"; {info.Name} {info.Length} {info.LastWriteTimeUtc.Ticks}");
    }
}
