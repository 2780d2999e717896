#:project ../SplitBrain.Lib.csproj
// Downloads STL-10 (2.6 GB), verifies it against torchvision's MD5s, unpacks it and verifies every file:
//   dotnet run --file data-scripts/stl10.cs -- --out data/stl10
// Interrupted? Run the same command again: the download resumes from data/stl10/stl10_binary.tar.gz.part.
// All logic is in the library (SplitBrain.Data.Stl10Download, Downloader); this file only reads arguments.
using SplitBrain.Data;

const string Usage = """
    usage: dotnet run --file data-scripts/stl10.cs -- [--out DIR] [options]

      --out DIR             where stl10_binary/ goes (default data/stl10)
      --url URL             download from a mirror instead of the official address
      --archive-md5 HEX     expected MD5 of the archive, or 'none' (default: the official one)
      --archive-size BYTES  expected size of the archive, or 'none' (default: the official one)
      --no-file-hashes      do not check the files inside against the official sizes and MD5s
      --keep-archive        keep stl10_binary.tar.gz after unpacking (default: delete it)
      --verify              if stl10_binary/ exists, hash its files (3.1 GB to read) instead of checking sizes only
      --retries N           attempts after a failed one (default 5)
    """;

var source = Stl10Source.Official;
var outFolder = "data/stl10";
var keepArchive = false;
var verify = false;
var options = DownloadConfig.Default;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        switch (args[i])
        {
            case "--out": outFolder = Value(); break;
            case "--url": source = source with { Url = new Uri(Value()) }; break;
            case "--archive-md5": { var v = Value(); source = source with { ArchiveMd5 = v == "none" ? null : v }; break; }
            case "--archive-size": { var v = Value(); source = source with { ArchiveSize = v == "none" ? null : long.Parse(v) }; break; }
            case "--no-file-hashes": source = source with { FileMd5 = new Dictionary<string, string>(), FileSizes = new Dictionary<string, long>() }; break;
            case "--keep-archive": keepArchive = true; break;
            case "--verify": verify = true; break;
            case "--retries": options = options with { Retries = int.Parse(Value()) }; break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
        }
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

// Ctrl+C stops cleanly: the partial download stays for the next run.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
try
{
    Console.WriteLine($"STL-10 from {source.Url} into {Path.GetFullPath(outFolder)}");
    var folder = await Stl10Download.RunAsync(
        outFolder, source, keepArchive, verify, line => Console.WriteLine(line), options: options, cancellationToken: stop.Token);
    using var train = Stl10Dataset.Open(folder, DatasetSplit.Train);
    using var test = Stl10Dataset.Open(folder, DatasetSplit.Test);
    using var unlabeled = Stl10Dataset.Open(folder, DatasetSplit.Unlabeled);
    Console.WriteLine($"ok: {unlabeled.Count} unlabeled, {train.Count} train, {test.Count} test images; classes: {string.Join(", ", train.Classes)}");
    return 0;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("stopped; run the same command again to resume");
    return 1;
}
catch (Exception e) when (e is IOException or InvalidDataException or HttpRequestException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
