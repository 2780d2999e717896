using System.Globalization;
using SplitBrain.Data;

namespace SplitBrain.Evaluation;

/// <summary>
/// A folder of labeled images for linear probes: <c>train/&lt;class&gt;/*.png</c> and <c>test/&lt;class&gt;/*.png</c>
/// (any of <see cref="ImageFolderDataset.Extensions"/>), opened and checked before any work (<see cref="Open"/>), then
/// optionally decoded once into tensor caches (<see cref="Cached"/>). Owns its datasets: dispose it.
/// </summary>
/// <remarks>
/// <para>Images of any size are read: each is resized (shorter side, bicubic) and centre-cropped to
/// <see cref="ImageSize"/> by <see cref="ImageFolderDataset"/>, so photographs and other sizes than the network's
/// training size need no conversion first. Files that cannot be decoded are left out (counted in
/// <see cref="SkippedCount"/> once cached).</para>
/// <para>What <see cref="Open"/> refuses, each with an <see cref="InvalidDataException"/> (or
/// <see cref="DirectoryNotFoundException"/>) whose one-sentence message says what was wrong and what to do: a missing
/// folder, a missing <c>train/</c> or <c>test/</c>, a split with no class folders holding images, a class folder
/// without images, fewer than two classes, and train and test with different class folders. So a typo in a class
/// folder's name fails at once, not after an hour of feature extraction as a class that only one split has.</para>
/// <para>Why <see cref="Cached"/>: a comparison reads the training images once per network and seed (and the test
/// images as often); decoding PNGs or JPEGs each time would dominate. Cached, the images are decoded once into one file
/// per split (<see cref="TensorCache"/>), reused while the folder is unchanged.</para>
/// </remarks>
public sealed class ProbeDataFolder : IDisposable
{
    /// <summary>The training split's folder name.</summary>
    public const string TrainFolder = "train";

    /// <summary>The test split's folder name.</summary>
    public const string TestFolder = "test";

    private ProbeDataFolder(string root, IImageDataset train, IImageDataset test, int[] trainPerClass, int[] testPerClass, int skipped)
    {
        Root = root;
        Train = train;
        Test = test;
        TrainPerClass = trainPerClass;
        TestPerClass = testPerClass;
        SkippedCount = skipped;
    }

    /// <summary>The folder (full path).</summary>
    public string Root { get; }

    /// <summary>The labeled training images.</summary>
    public IImageDataset Train { get; }

    /// <summary>The labeled test images, with the training images' classes.</summary>
    public IImageDataset Test { get; }

    /// <summary>The class names (the class folders, sorted ordinally); label i is <c>Classes[i]</c>.</summary>
    public IReadOnlyList<string> Classes => Train.Classes;

    /// <summary>Image files of each class in <c>train/</c>, in the order of <see cref="Classes"/> (counted from the
    /// files, so that a request for more labels per class than a class has can be refused before any work).</summary>
    public IReadOnlyList<int> TrainPerClass { get; }

    /// <summary>Image files of each class in <c>test/</c>, in the order of <see cref="Classes"/>.</summary>
    public IReadOnlyList<int> TestPerClass { get; }

    /// <summary>Side of the square images the files are resized and cropped to.</summary>
    public int ImageSize => Train.ImageSize;

    /// <summary>Image files that could not be decoded and were left out of the caches (0 without caches, where a file is
    /// skipped when a batch first reads it).</summary>
    public int SkippedCount { get; }

    /// <summary>
    /// Opens <paramref name="root"/>'s <c>train/</c> and <c>test/</c> splits and checks them (see the remarks). Only the
    /// folders are listed: no image is decoded yet.
    /// </summary>
    /// <param name="root">The folder holding <c>train/</c> and <c>test/</c>.</param>
    /// <param name="imageSize">The side images are resized and cropped to, at least 16; 96 (STL-10's, the networks').</param>
    /// <param name="log">Receives a line per unreadable file, when a batch meets it; null for none.</param>
    /// <returns>The splits, read from the files on every pass (<see cref="Cached"/> decodes them once); the caller owns
    /// them.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder, or its <c>train/</c> or <c>test/</c>, does not exist.</exception>
    /// <exception cref="InvalidDataException">A split has no classes, a class folder holds no images, there are fewer
    /// than two classes, or the two splits' classes differ.</exception>
    public static ProbeDataFolder Open(string root, int imageSize = 96, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 16);
        var full = Path.GetFullPath(root);
        var layout = $"{TrainFolder}/<class>/<image>.png and {TestFolder}/<class>/<image>.png";
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"The data folder '{root}' does not exist (looked for {full}): make it, with {layout} inside.");
        var train = OpenSplit(full, TrainFolder, imageSize, layout, log);
        var test = OpenSplit(full, TestFolder, imageSize, layout, log);
        CheckSameClasses(full, train, test);
        if (train.Classes.Count < 2)
            throw new InvalidDataException(
                $"The data folder '{root}' has one class ('{train.Classes[0]}'): a classifier needs at least two class folders in {TrainFolder}/ and {TestFolder}/.");
        return new ProbeDataFolder(full, train, test, PerClass(train), PerClass(test), 0);
    }

    /// <summary>
    /// The same splits decoded once into tensor caches in <paramref name="cacheFolder"/> (one file per split and content,
    /// reused while the folder is unchanged, rebuilt when it changed): what a comparison that reads the images many times
    /// should use. This folder stays as it was (dispose both).
    /// </summary>
    /// <param name="cacheFolder">Where the cache files go; created if needed.</param>
    /// <param name="log">Receives a line per cache built or reused and per unreadable file; null for none.</param>
    /// <param name="cancellationToken">Stops building a cache (nothing is left behind).</param>
    /// <returns>The cached splits; the caller owns them.</returns>
    public ProbeDataFolder Cached(string cacheFolder, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheFolder);
        TensorCache? trainCache = null;
        try
        {
            trainCache = Cache(Train, cacheFolder, TrainFolder, log, cancellationToken);
            var testCache = Cache(Test, cacheFolder, TestFolder, log, cancellationToken);
            return new ProbeDataFolder(Root, trainCache, testCache, [.. TrainPerClass], [.. TestPerClass],
                trainCache.SkippedCount + testCache.SkippedCount);
        }
        catch
        {
            trainCache?.Dispose();
            throw;
        }
    }

    /// <summary>Closes the caches (a folder without caches holds nothing open).</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }

    /// <summary>E.g. <c>3 classes (cat, dog, fox); train 300 images (100 per class), test 150 images (40 to 60 per class),
    /// at 96 x 96</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Classes.Count} classes ({string.Join(", ", Classes)}); {TrainFolder} {Train.Count} images ({Range(TrainPerClass)}), "
        + $"{TestFolder} {Test.Count} images ({Range(TestPerClass)}), at {ImageSize} x {ImageSize}")
        + (SkippedCount > 0 ? $"; {SkippedCount} unreadable files left out" : "");

    private static string Range(IReadOnlyList<int> counts) =>
        counts.Min() == counts.Max() ? $"{counts[0]} per class" : $"{counts.Min()} to {counts.Max()} per class";

    private static int[] PerClass(ImageFolderDataset dataset)
    {
        var counts = new int[dataset.Classes.Count];
        for (var i = 0; i < dataset.Count; i++)
            counts[dataset.LabelOf(i)]++;
        return counts;
    }

    private static ImageFolderDataset OpenSplit(string root, string split, int imageSize, string layout, Action<string>? log)
    {
        var folder = Path.Combine(root, split);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"The data folder {root} has no {split}/ folder: put the images in {layout}.");
        // The dataset's log is quiet while it is opened: the one line it would write then (a class folder without images)
        // is this method's error below; later lines (unreadable files) go through.
        var opened = false;
        ImageFolderDataset dataset;
        try
        {
            dataset = ImageFolderDataset.Labeled(folder, imageSize, log is null ? null : line =>
            {
                if (opened)
                    log(line);
            });
        }
        catch (InvalidDataException)
        {
            throw new InvalidDataException(
                $"{folder} has no class folders with images ({string.Join(", ", ImageFolderDataset.Extensions)}): put each class's images in {split}/<class>/.");
        }
        // ImageFolderDataset leaves a class folder without images out of the classes (a label no image has); here that
        // would be a class one split lacks, so it is refused by name.
        var empty = Directory.EnumerateDirectories(folder)
            .Select(Path.GetFileName)
            .Where(name => name is not null && !name.StartsWith('.') && !dataset.Classes.Contains(name))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (empty.Length > 0)
            throw new InvalidDataException(
                $"The class folder{(empty.Length > 1 ? "s" : "")} {string.Join(", ", empty.Select(e => $"'{e}'"))} in {folder} hold{(empty.Length > 1 ? "" : "s")} no images "
                + $"({string.Join(", ", ImageFolderDataset.Extensions)}): add images or remove the folder, in both {TrainFolder}/ and {TestFolder}/.");
        opened = true;
        return dataset;
    }

    private static void CheckSameClasses(string root, IImageDataset train, IImageDataset test)
    {
        if (train.Classes.SequenceEqual(test.Classes))
            return;
        var onlyTrain = train.Classes.Except(test.Classes).ToArray();
        var onlyTest = test.Classes.Except(train.Classes).ToArray();
        var differences = new List<string>();
        if (onlyTrain.Length > 0)
            differences.Add($"only {TrainFolder}/ has {string.Join(", ", onlyTrain)}");
        if (onlyTest.Length > 0)
            differences.Add($"only {TestFolder}/ has {string.Join(", ", onlyTest)}");
        throw new InvalidDataException(
            $"The classes of {root}/{TrainFolder} and {root}/{TestFolder} differ ({string.Join("; ", differences)}): both need the same class folders.");
    }

    private static TensorCache Cache(IImageDataset source, string cacheFolder, string split, Action<string>? log, CancellationToken cancellationToken)
    {
        // One file per split and content: a changed folder gets a new file rather than overwriting another folder's.
        var path = Path.Combine(Path.GetFullPath(cacheFolder), $"probe-{split}-{source.Fingerprint[..16]}.cache");
        return TensorCache.OpenOrBuild(source, path, log, cancellationToken);
    }
}
