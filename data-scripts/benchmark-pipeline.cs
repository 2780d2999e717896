#:project ../SplitBrain.Lib.csproj
// Measures the input pipeline: read (BatchLoader; a tensor cache is read ahead as bytes) -> augment -> targets, in images per second.
//   dotnet run -c Release --file data-scripts/benchmark-pipeline.cs -- --folder data/synthetic-png --batch 64
// Each source is timed over two epochs after five warm-up batches. "read + targets" is the work the PyTorch peer's
// `data` number measures (decode, Lab, block targets); compare it on the same folder and batch size.
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
    Measure("synthetic: generate", synthetic, Work.Read);
    Measure("synthetic: generate + targets", synthetic, Work.Targets);
    Measure("synthetic: generate + augment + targets", synthetic, Work.AugmentAndTargets);
}

if (folder is not null)
{
    using var pngs = ImageFolderDataset.Unlabeled(folder);
    Measure("folder: decode", pngs, Work.Read);
    Measure("folder: decode + targets", pngs, Work.Targets);
    Measure("folder: decode + augment + targets", pngs, Work.AugmentAndTargets);
    var cachePath = Path.Combine(Path.GetTempPath(), $"splitbrain-benchmark-{Guid.NewGuid():N}.sbc");
    var watch = Stopwatch.StartNew();
    using (var cache = TensorCache.OpenOrBuild(pngs, cachePath))
    {
        Console.WriteLine($"{"folder: build the tensor cache",-45} {cache.Count / watch.Elapsed.TotalSeconds,8:F0} img/s");
        Measure("cache: read", cache, Work.Read);
        Measure("cache: read + targets", cache, Work.Targets);
        Measure("cache: read + augment + targets", cache, Work.AugmentAndTargets);
    }

    File.Delete(cachePath);
}

return 0;

void Measure(string name, IImageDataset data, Work work)
{
    var loader = new BatchLoader(data, new BatchLoaderConfig(BatchSize: batchSize, Seed: 0, DropLast: true));
    RunEpoch(loader, epoch: 0, work, limit: 5); // warm-up: allocator, JIT, first decode paths
    var watch = Stopwatch.StartNew();
    var count = 0;
    for (var epoch = 1; epoch <= 2; epoch++)
    {
        count += RunEpoch(loader, epoch, work, limit: int.MaxValue);
    }

    Console.WriteLine($"{name,-45} {count / watch.Elapsed.TotalSeconds,8:F0} img/s ({count} images)");
}

int RunEpoch(BatchLoader loader, int epoch, Work work, int limit)
{
    var count = 0;
    foreach (var batch in loader.Epoch(epoch))
    {
        using var scope = torch.NewDisposeScope();
        if (work != Work.Read)
        {
            var input = work == Work.AugmentAndTargets ? augmentation.Apply(batch.Images) : batch.Images;
            using var built = targets.Build(input);
        }

        count += batch.Count;
        if (--limit == 0)
        {
            break;
        }
    }

    return count;
}

enum Work
{
    Read,
    Targets,
    AugmentAndTargets,
}
