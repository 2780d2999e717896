using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace SplitBrain.Data;

/// <summary>
/// Images read from a folder: ImageNet-style <c>&lt;root&gt;/&lt;class&gt;/*.png</c> for labeled data (class names are
/// the sorted folder names), or every image anywhere below a folder for unlabeled data. Each image is resized
/// (shorter side) and centre-cropped to <see cref="ImageSize"/> by <see cref="ImageFile.Load(string, int)"/>.
/// </summary>
/// <remarks>
/// <para>Files ending in .png, .jpg, .jpeg, .bmp or .gif (any case) are images; other files and hidden files are
/// ignored (listed in <see cref="IgnoredFiles"/>). Grayscale, palette, 16-bit and transparent images are converted to
/// 8-bit RGB by <see cref="ImageFile"/>.</para>
/// <para>A file that cannot be decoded is skipped, not fatal: a batch that asks for it comes back one image shorter
/// (<see cref="ImageBatch.Indices"/> lists what was read), the file is added to <see cref="SkippedFiles"/>, the log
/// callback gets one line about it, and it is not tried again. So one bad file among a million does not stop an
/// epoch. Decoding every epoch is slow: build a <see cref="TensorCache"/> once (it leaves bad files out) and train
/// from that.</para>
/// <para>The file list is taken when the dataset is opened; files added later are not seen. Batches are decoded in
/// parallel on the thread pool.</para>
/// </remarks>
public sealed class ImageFolderDataset : IImageDataset
{
    /// <summary>The file extensions taken as images (lower case, with the dot).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif"];

    /// <summary>The command that checks a folder's layout and caches it, for error messages.</summary>
    internal const string CheckCommand = "dotnet run --file data-scripts/image-folder.cs -- --root ";

    /// <summary>The command that writes the synthetic images as files, for error messages.</summary>
    internal const string SyntheticCommand = "dotnet run --file data-scripts/synthetic-folder.cs -- --out ";

    private readonly string[] _files;       // full paths, sorted by relative path (ordinal)
    private readonly int[] _labels;         // -1 when unlabeled
    private readonly string[] _classes;
    private readonly Action<string>? _log;
    private readonly Lock _skipLock = new();
    private readonly SortedDictionary<int, string> _skipped = [];   // index -> reason

    private ImageFolderDataset(
        string root, bool labeled, int imageSize, string[] files, int[] labels, string[] classes, string[] ignored, Action<string>? log)
    {
        Root = root;
        HasLabels = labeled;
        ImageSize = imageSize;
        _files = files;
        _labels = labels;
        _classes = classes;
        IgnoredFiles = ignored;
        _log = log;
        Fingerprint = ComputeFingerprint(root, labeled, imageSize, files, classes);
    }

    /// <summary>The folder read (full path).</summary>
    public string Root { get; }

    /// <inheritdoc/>
    public string Name => $"{(HasLabels ? "labeled" : "unlabeled")} image folder {Root}";

    /// <inheritdoc/>
    public int Count => _files.Length;

    /// <inheritdoc/>
    public int ImageSize { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Classes => _classes;

    /// <inheritdoc/>
    public bool HasLabels { get; }

    /// <inheritdoc/>
    public string Fingerprint { get; }

    /// <summary>The image files, item i being <c>Files[i]</c> (full paths, sorted).</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Files below the root that are not read: other extensions, hidden files, and for a labeled folder
    /// images that sit directly in the root rather than in a class folder.</summary>
    public IReadOnlyList<string> IgnoredFiles { get; }

    /// <summary>How many files have been skipped so far because they could not be decoded.</summary>
    public int SkippedCount
    {
        get
        {
            lock (_skipLock)
            {
                return _skipped.Count;
            }
        }
    }

    /// <summary>The files skipped so far because they could not be decoded (a snapshot, in file order).</summary>
    public IReadOnlyList<string> SkippedFiles
    {
        get
        {
            lock (_skipLock)
            {
                return [.. _skipped.Keys.Select(i => _files[i])];
            }
        }
    }

    /// <summary>Opens a labeled folder: one subfolder per class, images anywhere inside each.</summary>
    /// <param name="root">The folder holding the class folders (e.g. ImageNet's <c>train/</c>).</param>
    /// <param name="imageSize">The side images are resized and cropped to; default 96.</param>
    /// <param name="log">Receives one line per class folder without images (left out of the classes), and one per skipped
    /// file (on the thread that read the batch); null for none.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist (the message says how to lay it out and
    /// check it).</exception>
    /// <exception cref="InvalidDataException">There are no class folders with images.</exception>
    public static ImageFolderDataset Labeled(string root, int imageSize = 96, Action<string>? log = null)
    {
        var full = CheckRoot(root, imageSize, "<root>/<class>/<image>.png", "--split train");
        var classFolders = Directory.EnumerateDirectories(full)
            .Where(d => !IsHidden(Path.GetFileName(d)))
            .Select(d => Path.GetFileName(d)!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var files = new List<string>();
        var labels = new List<int>();
        var ignored = new List<string>();
        var classes = new List<string>();
        foreach (var name in classFolders)
        {
            var (images, others) = Scan(Path.Combine(full, name), full);
            ignored.AddRange(others);
            if (images.Count == 0)
            {
                // An empty folder is not a class: it would be a label no image has. Said, so a class that went missing
                // (a failed copy, a wrong extension) is not silently one fewer.
                log?.Invoke($"class folder '{name}' in {full} holds no images ({string.Join(", ", Extensions)}): left out of the classes");
                continue;
            }

            files.AddRange(images);
            labels.AddRange(Enumerable.Repeat(classes.Count, images.Count));
            classes.Add(name);
        }

        ignored.AddRange(Directory.EnumerateFiles(full).Where(f => !IsHidden(Path.GetFileName(f))));
        if (files.Count == 0)
        {
            throw new InvalidDataException(
                $"The image folder '{root}' has no class folders with images: expected <root>/<class>/<image> "
                + $"({string.Join(", ", Extensions)}). For images without classes use "
                + $"{nameof(ImageFolderDataset)}.{nameof(Unlabeled)}. Check the layout with: {CheckCommand}{full}");
        }

        return new ImageFolderDataset(full, true, imageSize, [.. files], [.. labels], [.. classes], [.. ignored.Order(StringComparer.Ordinal)], log);
    }

    /// <summary>Opens an unlabeled folder: every image anywhere below it, labels -1.</summary>
    /// <param name="root">The folder.</param>
    /// <param name="imageSize">The side images are resized and cropped to; default 96.</param>
    /// <param name="log">Receives one line per skipped file; null for none.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">There are no images below it.</exception>
    public static ImageFolderDataset Unlabeled(string root, int imageSize = 96, Action<string>? log = null)
    {
        var full = CheckRoot(root, imageSize, "<root>/**/<image>.png", "--split unlabeled");
        var (files, ignored) = Scan(full, full);
        if (files.Count == 0)
        {
            throw new InvalidDataException(
                $"The image folder '{root}' holds no images ({string.Join(", ", Extensions)}) at any depth. "
                + $"Check it with: {CheckCommand}{full} --unlabeled");
        }

        return new ImageFolderDataset(full, false, imageSize, [.. files], [.. Enumerable.Repeat(-1, files.Count)], [], [.. ignored], log);
    }

    /// <summary>The label of item <paramref name="index"/> (-1 for an unlabeled folder), without decoding it.</summary>
    /// <param name="index">An index in 0..Count-1.</param>
    /// <returns>The class index.</returns>
    public int LabelOf(int index)
    {
        DataTensors.CheckIndices([index], Count, Name);
        return _labels[index];
    }

    /// <inheritdoc/>
    /// <remarks>Files that cannot be decoded are left out of the batch (see the class remarks).</remarks>
    public ImageBatch ReadBatch(IReadOnlyList<int> indices)
    {
        DataTensors.CheckIndices(indices, Count, Name);
        var imageBytes = 3 * ImageSize * ImageSize;
        var pixels = new byte[indices.Count * (long)imageBytes];
        var errors = new Exception?[indices.Count];
        var known = KnownBad(indices);
        Parallel.For(0, indices.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            if (known[i])
            {
                return;
            }

            try
            {
                // Bytes only on the pool threads (see ImageFile.LoadInto); the one tensor is made below.
                ImageFile.LoadInto(_files[indices[i]], ImageSize, pixels.AsSpan((int)(i * (long)imageBytes), imageBytes));
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                errors[i] = e;
            }
        });

        var kept = new List<int>(indices.Count);
        for (var i = 0; i < indices.Count; i++)
        {
            if (errors[i] is { } error)
            {
                Skip(indices[i], error);
            }
            else if (!known[i])
            {
                kept.Add(i);
            }
        }

        using var scope = NewDisposeScope();
        var all = from_array(pixels).view(indices.Count, 3, ImageSize, ImageSize);
        var images = kept.Count == indices.Count
            ? all.clone() // from_array shares the managed array; a clone gives the batch memory of its own
            : all.index_select(0, tensor(kept.Select(i => (long)i).ToArray()));
        var keptIndices = kept.Select(i => indices[i]).ToArray();
        var labels = DataTensors.Labels(keptIndices, index => _labels[index]);
        return new ImageBatch(images.DetachFromDisposeScope(), labels.DetachFromDisposeScope(), keptIndices);
    }

    /// <summary>Nothing to free: files are opened per read.</summary>
    public void Dispose()
    {
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name}: {Count} images ({ImageSize}x{ImageSize}), {Classes.Count} classes, {SkippedCount} skipped";

    private bool[] KnownBad(IReadOnlyList<int> indices)
    {
        lock (_skipLock)
        {
            return [.. indices.Select(_skipped.ContainsKey)];
        }
    }

    private void Skip(int index, Exception error)
    {
        lock (_skipLock)
        {
            if (!_skipped.TryAdd(index, error.Message))
            {
                return; // the same file twice in one batch: reported once
            }
        }

        _log?.Invoke($"skipped {_files[index]}: {error.Message}");
    }

    // A missing folder's message names both ways on: the user's own images, or the synthetic ones written as files
    // (splitArgument picks labeled or unlabeled ones), which tries the image-folder path offline.
    private static string CheckRoot(string root, int imageSize, string layout, string splitArgument)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (imageSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, $"Expected an image size of at least 1 pixel; got {imageSize}.");
        }

        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException(
                $"The image folder '{root}' does not exist (looked for '{full}'). Put the images there as {layout}, "
                + $"then check the layout (and build a tensor cache) from the repository root with: {CheckCommand}{full} "
                + $"To try it offline with the built-in synthetic images instead: {SyntheticCommand}{full} {splitArgument}");
        }

        return full;
    }

    private static (List<string> Images, List<string> Others) Scan(string folder, string root)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        };
        var images = new List<string>();
        var others = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*", options))
        {
            if (IsHidden(Path.GetRelativePath(root, file)))
            {
                continue; // dot-files and anything in dot-folders (e.g. .cache, editor swap files)
            }

            (Extensions.Contains(Path.GetExtension(file).ToLowerInvariant()) ? images : others).Add(file);
        }

        // Ordinal order of the relative path: the same on every machine, whatever the file system returns.
        images.Sort(StringComparer.Ordinal);
        others.Sort(StringComparer.Ordinal);
        return (images, others);
    }

    private static bool IsHidden(string path) =>
        path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => part.StartsWith('.') && part is not "." and not "..");

    private static string ComputeFingerprint(string root, bool labeled, int imageSize, string[] files, string[] classes)
    {
        // Relative paths, sizes and modification times: cheap to read for a million files, and any edit, addition,
        // removal or rename changes it. The resize method is part of it too, through the version tag.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Add($"image-folder v1; {(labeled ? "labeled" : "unlabeled")}; size {imageSize}; resize shorter side + centre crop, bicubic");
        Add(string.Join("|", classes));
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            Add(string.Create(CultureInfo.InvariantCulture, $"{Path.GetRelativePath(root, file)} {info.Length} {info.LastWriteTimeUtc.Ticks}"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
