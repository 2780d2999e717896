#:project ../SplitBrain.Lib.csproj
// Measures the input pipeline: read (BatchLoader, background thread) -> augment -> targets, in images per second.
//   dotnet run -c Release --file data-scripts/benchmark-pipeline.cs -- --folder data/synthetic-png --batch 64
// Each source is timed over whole epochs after one warm-up batch. Use the same folder and batch size for a peer.
using System.Diagnostics;
using SplitBrain.Data;
using TorchSharp;

string? folder = null;
var batchSize = 64;
var images = 1280;
var threads = Environment.ProcessorCount;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--folder": folder = args[++i]; break;
        case "--batch": batchSize = int.Parse(args[++i]); break;
        case "--images": images = int.Parse(args[++i]); break;
        case "--threads": threads = int.Parse(args[++i]); break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

torch.set_num_threads(threads);
Console.WriteLine($"batch {batchSize}, {threads} torch threads, {Environment.ProcessorCount} cores");
using var augmentation = new Augmentation(AugmentationConfig.Default, seed: 1);
using var targets = new TargetBuilder(TargetConfig.Hard);

using (var synthetic = new SyntheticShapes(new SyntheticShapesConfig(UnlabeledCount: images), DatasetSplit.Unlabeled))
{
    Measure("synthetic: generate only", synthetic, full: false);
    Measure("synthetic: generate + augment + targets", synthetic, full: true);
}

if (folder is not null)
{
    using var pngs = ImageFolderDataset.Unlabeled(folder);
    Measure("folder: decode only", pngs, full: false);
    Measure("folder: decode + augment + targets", pngs, full: true);
    var cachePath = Path.Combine(Path.GetTempPath(), $"splitbrain-benchmark-{Guid.NewGuid():N}.sbc");
    var watch = Stopwatch.StartNew();
    using (var cache = TensorCache.OpenOrBuild(pngs, cachePath))
    {
        Console.WriteLine($"{"folder: build the tensor cache",-45} {cache.Count / watch.Elapsed.TotalSeconds,8:F0} img/s");
        Measure("cache: read only", cache, full: false);
        Measure("cache: read + augment + targets", cache, full: true);
    }

    File.Delete(cachePath);
}

return 0;

void Measure(string name, IImageDataset data, bool full)
{
    var loader = new BatchLoader(data, new BatchLoaderOptions(BatchSize: batchSize, Seed: 0, DropLast: true));
    RunEpoch(loader, epoch: 0, full, limit: 1); // warm-up: allocator, JIT, first decode paths
    var watch = Stopwatch.StartNew();
    var count = 0;
    for (var epoch = 1; epoch <= 2; epoch++)
    {
        count += RunEpoch(loader, epoch, full, limit: int.MaxValue);
    }

    Console.WriteLine($"{name,-45} {count / watch.Elapsed.TotalSeconds,8:F0} img/s ({count} images)");
}

int RunEpoch(BatchLoader loader, int epoch, bool full, int limit)
{
    var count = 0;
    foreach (var batch in loader.Epoch(epoch))
    {
        using var scope = torch.NewDisposeScope();
        if (full)
        {
            var augmented = augmentation.Apply(batch.Images);
            using var built = targets.Build(augmented);
        }

        count += batch.Count;
        if (--limit == 0)
        {
            break;
        }
    }

    return count;
}
