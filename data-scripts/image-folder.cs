#:project ../SplitBrain.Lib.csproj
// Checks an image folder's layout and decodes it once into a tensor cache, reporting unreadable files:
//   dotnet run --file data-scripts/image-folder.cs -- --root data/imagenet/train
//   dotnet run --file data-scripts/image-folder.cs -- --root data/photos --unlabeled --size 96
// Labeled: <root>/<class>/<image> (class names are the folder names). Unlabeled: images anywhere below <root>.
// The cache (SplitBrain.Data.TensorCache) is what training reads; it is rebuilt only when the folder changes.
using SplitBrain.Data;

const string Usage = """
    usage: dotnet run --file data-scripts/image-folder.cs -- --root DIR [options]

      --root DIR      the image folder
      --unlabeled     take every image below DIR, without classes (default: one subfolder per class)
      --size N        side of the square images in the cache (default 96)
      --cache FILE    the cache file (default: DIR.<size>.sbc, next to the folder)
      --no-cache      check the layout only
      --rebuild       rebuild the cache even if it is current
    """;

string? root = null;
string? cachePath = null;
var labeled = true;
var size = 96;
var build = true;
var rebuild = false;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        switch (args[i])
        {
            case "--root": root = Value(); break;
            case "--unlabeled": labeled = false; break;
            case "--size": size = int.Parse(Value()); break;
            case "--cache": cachePath = Value(); break;
            case "--no-cache": build = false; break;
            case "--rebuild": rebuild = true; break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
        }
    }

    if (root is null)
    {
        throw new ArgumentException("--root is required.");
    }
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

try
{
    void Log(string line) => Console.WriteLine(line);
    using var folder = labeled ? ImageFolderDataset.Labeled(root, size, Log) : ImageFolderDataset.Unlabeled(root, size, Log);
    Console.WriteLine($"{folder.Root}: {folder.Count} images" + (labeled ? $" in {folder.Classes.Count} classes" : " (unlabeled)"));
    if (labeled)
    {
        var counts = Enumerable.Range(0, folder.Count).GroupBy(folder.LabelOf).ToDictionary(g => g.Key, g => g.Count());
        for (var c = 0; c < folder.Classes.Count; c++)
        {
            Console.WriteLine($"  {c,4}  {folder.Classes[c],-30} {counts[c],8} images");
        }
    }

    if (folder.IgnoredFiles.Count > 0)
    {
        Console.WriteLine($"ignored {folder.IgnoredFiles.Count} files that are not images in a usable place, e.g.:");
        foreach (var file in folder.IgnoredFiles.Take(10))
        {
            Console.WriteLine($"  {file}");
        }
    }

    if (!build)
    {
        return 0;
    }

    cachePath ??= $"{Path.TrimEndingDirectorySeparator(folder.Root)}.{size}.sbc";
    if (rebuild && File.Exists(cachePath))
    {
        File.Delete(cachePath);
    }

    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
    using var cache = TensorCache.OpenOrBuild(folder, cachePath, Log, stop.Token);
    Console.WriteLine($"cache {cache.Path}: {cache.Count} images {cache.ImageSize}x{cache.ImageSize}, {new FileInfo(cache.Path).Length:N0} bytes");
    if (folder.SkippedCount > 0)
    {
        Console.WriteLine($"skipped {folder.SkippedCount} unreadable files (left out of the cache; fix or delete them and run again):");
        foreach (var file in folder.SkippedFiles)
        {
            Console.WriteLine($"  {file}");
        }
    }

    return 0;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("stopped; nothing was left half-written");
    return 1;
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
