#:project ../SplitBrain.Lib.csproj
// Writes images of the built-in synthetic dataset as PNG files: an image folder to try the folder pipeline on
// offline, or to run another implementation (e.g. a PyTorch peer) on the same images.
//   dotnet run --file data-scripts/synthetic-folder.cs -- --out data/synthetic-png --count 1280
//   dotnet run --file data-scripts/synthetic-folder.cs -- --out data/synthetic-train --split train --count 1000
// Labeled splits are written as <out>/<class>/<index>.png (ImageFolderDataset.Labeled reads them back).
using SplitBrain.Data;

const string Usage = """
    usage: dotnet run --file data-scripts/synthetic-folder.cs -- --out DIR [options]

      --out DIR         the folder to write
      --count N         images to write, from index 0 (default 1280)
      --split NAME      unlabeled, train or test (default unlabeled)
      --seed N          the dataset's seed (default 0)
      --size N          side of the images (default 96)
    """;

string? outFolder = null;
var count = 1280;
var split = DatasetSplit.Unlabeled;
var seed = 0;
var size = 96;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        switch (args[i])
        {
            case "--out": outFolder = Value(); break;
            case "--count": count = int.Parse(Value()); break;
            case "--split": split = Enum.Parse<DatasetSplit>(Value(), ignoreCase: true); break;
            case "--seed": seed = int.Parse(Value()); break;
            case "--size": size = int.Parse(Value()); break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
        }
    }

    if (outFolder is null)
    {
        throw new ArgumentException("--out is required.");
    }
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

var config = new SyntheticShapesConfig(Seed: seed, ImageSize: size);
var name = SyntheticFolder.Write(config, split, count, outFolder);
Console.WriteLine($"wrote {count} {split.ToString().ToLowerInvariant()} images of {name} to {Path.GetFullPath(outFolder)}");
return 0;
