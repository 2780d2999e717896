#:project ../SplitBrain.Lib.csproj
#:property PublishAot=false
#:property TieredCompilation=false
// Measures pretraining side by side with the PyTorch peer (../shared/peers/pytorch_splitbrain.py): the same three
// figures in images per second on the same folder of images, with the same settings, through the library's own code
// (Pretrainer, BatchLoader, TargetBuilder, SplitBrainNet):
//   dotnet run -c Release --file tools/benchmark.cs -- data/bench-png --batch 64 --steps 20 --threads 2
//   dotnet run -c Release --file tools/benchmark.cs -- data/bench-png --memory-steps 2000      (+ resident memory)
// See README.md, "Benchmarks", for what each figure covers and the measured numbers.
// Tiered compilation is off: otherwise the JIT's background thread recompiles hot methods during the first seconds, just
// when the short `data` passes run, and on two cores it takes one from torch's two OpenMP threads, which then wait for
// each other (passes measured 30-50% slower at random; with it off they are steady).
using System.Diagnostics;
using System.Globalization;
using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Quantization;
using SplitBrain.Runs;
using SplitBrain.Training;
using TorchSharp;
using static TorchSharp.torch;

const string Usage = """
    usage: dotnet run -c Release --file tools/benchmark.cs -- IMAGE_DIR [options]

      IMAGE_DIR              a folder of images (PNG, JPEG, ...), e.g. from data-scripts/synthetic-folder.cs
      --batch N              images per step (default 64)
      --steps N              steps of the `step` figure; the run uses batch x steps images (default 20)
      --threads N            TorchSharp CPU threads (default 2; 0 for TorchSharp's own choice)
      --widths a,b,c,d,e     conv1..conv5 widths (default 48,128,192,192,128)
      --fc N                 fc6/fc7 width (default 512)
      --lbins N              L bins (default 100)
      --bn 0|1               BatchNorm after every convolution (default 1)
      --device D             auto (default: the best there is), cpu, cuda or cuda:N
      --precision P          float32 (default, the peer's fp32), bfloat16 or auto (Autocast: bfloat16 convolutions and
                             matrix products, float32 masters; compare with the peer's --amp bf16 --channels-last)
      --repeat N             timed rounds of `step` (each --steps steps), median reported (default 3)
      --data-passes N        timed passes of `data` (each batch x steps images), median reported (default 9: a pass
                             takes a fifth of a second, so one pass alone is at the mercy of the scheduler)
      --augment              augment each batch (shifts and flips, the presets' default; the peer does not)
      --rebalance            class rebalancing weights (the presets' default; the peer does not)
      --memory-steps N       then train N more steps, printing the resident memory (default 0: skip)
      --memory-every N       steps between two memory lines (default 100)
      --keep DIR             keep the run folder and cache in DIR (default: a temporary folder, deleted)
      --ab-pointwise         after `step`, time the 1 x 1 layers' kernels against each other, interleaved in --repeat
                             rounds: convolutions on NCHW with the prediction layer in float32 (before), matrix products
                             on channels-last rows (now), and those with the prediction layer in the compute type too
    """;

string? images = null;
int batch = 64, steps = 20, threads = 2, fc = 512, lbins = QuantizationDefaults.LightnessBins, repeat = 3;
int memorySteps = 0, memoryEvery = 100, dataPasses = 9;
int[] widths = [48, 128, 192, 192, 128];
bool batchNorm = true, augment = false, rebalance = false, abPointwise = false;
string device = "auto";
var precision = Precision.Float32;
string? keep = null;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        int Int() => int.Parse(Value(), CultureInfo.InvariantCulture);
        switch (args[i])
        {
            case "--batch": batch = Int(); break;
            case "--steps": steps = Int(); break;
            case "--threads": threads = Int(); break;
            case "--widths": widths = [.. Value().Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture))]; break;
            case "--fc": fc = Int(); break;
            case "--lbins": lbins = Int(); break;
            case "--bn": batchNorm = Int() != 0; break;
            case "--device": device = Value(); break;
            case "--precision": precision = Enum.Parse<Precision>(Value().Replace("bfloat16", "BFloat16").Replace("float32", "Float32"), ignoreCase: true); break;
            case "--repeat": repeat = Int(); break;
            case "--data-passes": dataPasses = Int(); break;
            case "--augment": augment = true; break;
            case "--rebalance": rebalance = true; break;
            case "--memory-steps": memorySteps = Int(); break;
            case "--memory-every": memoryEvery = Int(); break;
            case "--keep": keep = Value(); break;
            case "--ab-pointwise": abPointwise = true; break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default:
                if (args[i].StartsWith('-') || images is not null)
                    throw new ArgumentException($"Unknown argument '{args[i]}'.");
                images = args[i];
                break;
        }
    }

    if (images is null)
        throw new ArgumentException("IMAGE_DIR is required.");
    if (widths.Length != 5)
        throw new ArgumentException($"--widths needs five widths (conv1..conv5); got {widths.Length}.");
    if (steps < 1 || repeat < 1 || dataPasses < 1 || memorySteps < 0 || memoryEvery < 1)
        throw new ArgumentException("--steps, --repeat and --data-passes must be at least 1, --memory-steps at least 0, --memory-every at least 1.");
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

var work = keep ?? Directory.CreateTempSubdirectory("splitbrain-benchmark-").FullName;
var config = PretrainConfig.Default with
{
    // The peer's run: the first batch x steps images of the folder, its network, hard targets, Adam at 1e-3, no
    // augmentation, no rebalancing; one epoch is `steps` steps.
    Data = new DataConfig
    {
        Source = DataSource.ImageFolder,
        Path = Path.GetFullPath(images),
        MaxImages = batch * steps,
        CacheFolder = Path.Combine(work, "cache"),
    },
    Targets = TargetConfig.Hard with { LightnessBins = lbins },
    Model = new ModelConfig(widths[0], widths[1], widths[2], widths[3], widths[4], fc, batchNorm),
    Augmentation = augment ? AugmentationConfig.Default : AugmentationConfig.None,
    Rebalance = rebalance,
    LearningRate = 1e-3,
    WarmupSteps = 0,
    Schedule = LearningRateSchedule.Constant,
    BatchSize = batch,
    Epochs = 1,
    Threads = threads,
    Device = device,
    Precision = precision,
    PreviewImages = 0,
    CheckpointEveryEpochs = 0,
    LogEverySteps = 100,
};

var lines = new List<string>();
var log = (string line) => lines.Add(line);
try
{
    Console.WriteLine($"{Environment.ProcessorCount} cores, load average {LoadAverage()}; {config.Model}; batch {batch}, {steps} steps, "
        + $"{(augment ? "augmented" : "no augmentation")}, {(rebalance ? "rebalanced" : "plain cross-entropy")}");

    // data, first pass: the trainer's set-up decodes the folder into its tensor cache (the Pretrainer's constructor: the
    // decoding, and a few milliseconds for the network), then the first epoch's inputs and targets come from the cache.
    var clock = Stopwatch.StartNew();
    using var trainer = new Pretrainer(config, new RunFolder(Path.Combine(work, "run")), log);
    var setUp = clock.Elapsed.TotalSeconds - trainer.PrecisionChoice.ProbeSeconds; // Auto's timing is printed on its own line
    var count = trainer.StepsPerEpoch * batch;
    Console.WriteLine($"device {trainer.Device}, {Precisions.Name(trainer.ComputeType)}, {get_num_threads()} torch threads; {trainer.Data.Count} images ({trainer.Data.Name})");
    Console.WriteLine($"cpu {Precisions.CpuModel}; " + string.Join(", ", IsaFlags.Select(f => $"{f} {(Precisions.CpuFlags(f).Count > 0 ? "yes" : "no")}")));
    Console.WriteLine($"precision {Precisions.Name(trainer.ComputeType)}    # {Why(trainer.PrecisionChoice)}");
    var firstPass = DataPass(trainer, epoch: 0);
    Report("data-first-pass", count / (setUp + firstPass), $"decode {trainer.Data.Count} images into the cache {setUp:F2} s, then targets {firstPass:F2} s");

    // data: the cached passes every later epoch makes (the one compared with the peer's `data`).
    var passes = Enumerable.Range(1, dataPasses).Select(epoch => count / DataPass(trainer, epoch)).ToList();
    Report("data", Median(passes), Range(passes));

    // step: forward, backward and optimizer step on one batch built beforehand, as the peer's `step`.
    var loader = new BatchLoader(trainer.Data, new BatchLoaderConfig(batch, Seed: 0, DropLast: true, Device: trainer.Device, DisposeBatches: false));
    var stepRates = new List<double>();
    double stepFaults;
    using (var targets = new TargetBuilder(config.Targets, trainer.Device))
    using (var first = loader.Epoch(0).First())
    using (var built = Targets(targets, first.Images, trainer))
    {
        trainer.TrainOn(built); // warm-up
        stepFaults = MinorFaults();
        for (var r = 0; r < repeat; r++)
        {
            clock.Restart();
            for (var s = 0; s < steps; s++)
                trainer.TrainOn(built);
            stepRates.Add(steps * batch / clock.Elapsed.TotalSeconds);
        }

        if (abPointwise)
            PointwiseAb(trainer, built);
    }

    stepFaults = (MinorFaults() - stepFaults) / (repeat * steps);
    Report("step", Median(stepRates), $"{Range(stepRates)}; {stepFaults:F0} page faults a step");

    // train: the Pretrainer's own loop for one epoch (loader thread, targets, step, in its no-GC regions), timed by the
    // trainer itself over its steps (the epoch's end, metrics and its checkpoint are not counted).
    clock.Restart();
    var trainFaults = MinorFaults();
    var result = trainer.Fit(TrainingProgress.None);
    trainFaults = (MinorFaults() - trainFaults) / Math.Max(1, result.Summary.Steps);
    Report("train", result.Summary.ImagesPerSecond,
        $"{result.Summary.Steps} steps, {result.Summary.TrainSeconds:F2} s in steps, {clock.Elapsed.TotalSeconds:F2} s in Fit incl. the checkpoint; {trainFaults:F0} page faults a step");
    var (lossF1, lossF2) = (result.Summary.Metric("lossF1"), result.Summary.Metric("lossF2"));
    Console.WriteLine($"final-loss {lossF1 + lossF2:F4} (F1 {lossF1:F4}, F2 {lossF2:F4})");

    // Achieved GFLOP/s against what a large matrix product reaches on the same threads, in each precision.
    var flops = FlopsPerImage(trainer.Model, config.Data.ImageSize);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"flops-per-image {flops / 1e9:F3} GFLOP    # convolutions' multiply-adds x 2 (both halves, from ModelSummary), x 3 for forward + both backward products, less conv1's input gradient; BatchNorm, ReLU, pooling, loss and Adam not counted"));
    var peaks = new[] { ScalarType.Float32, ScalarType.BFloat16 }.ToDictionary(t => t, t => PeakGflops(t, trainer.Device));
    foreach (var (type, peak) in peaks)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak-{Precisions.Name(type)} {peak:F0} GFLOP/s    # {PeakSide}x{PeakSide} matrix product, {get_num_threads()} threads, best of {PeakRepeats}"));
    var computePeak = peaks[trainer.ComputeType];
    foreach (var (name, rate) in new[] { ("step", Median(stepRates)), ("train", result.Summary.ImagesPerSecond) })
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"achieved-{name} {rate * flops / 1e9:F0} GFLOP/s    # {rate:F1} images/s x {flops / 1e9:F3} GFLOP: {rate * flops / 1e9 / computePeak:P0} of the {Precisions.Name(trainer.ComputeType)} matrix-product peak"));
    Console.WriteLine($"peak-rss-mb {Memory().PeakMb:F0}");
    Console.WriteLine($"load average {LoadAverage()}");
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or InvalidOperationException)
{
    Console.Error.WriteLine(e.Message);
    foreach (var line in lines)
        Console.Error.WriteLine($"  {line}");
    return 1;
}
finally
{
    if (keep is null)
        Directory.Delete(work, recursive: true);
}

if (memorySteps > 0)
{
    var memoryWork = keep is null ? Directory.CreateTempSubdirectory("splitbrain-benchmark-memory-").FullName : Path.Combine(keep, "memory");
    try
    {
        MemoryRun(config with { Data = config.Data with { CacheFolder = Path.Combine(memoryWork, "cache") } }, memoryWork);
    }
    finally
    {
        if (keep is null)
            Directory.Delete(memoryWork, recursive: true);
    }
}

return 0;

// One epoch of what each training step does before the network: the loader's batch (read ahead as bytes, made a tensor
// and moved to the device here), augmentation when configured, and the targets; each batch in a dispose scope and a
// no-GC region, as in Pretrainer.Fit. Returns seconds.
double DataPass(Pretrainer trainer, int epoch)
{
    var loader = new BatchLoader(trainer.Data, new BatchLoaderConfig(batch, Shuffle: true, Seed: 0, DropLast: true, Device: trainer.Device));
    using var augmentation = new Augmentation(trainer.Config.Augmentation, trainer.Config.Seed);
    using var builder = new TargetBuilder(trainer.Config.Targets, trainer.Device);
    var clock = Stopwatch.StartNew();
    using var batches = loader.Epoch(epoch).GetEnumerator();
    while (true)
    {
        using var region = NoGcRegion.Enter();
        if (!batches.MoveNext())
            break;
        using var scope = NewDisposeScope();
        var input = trainer.Config.Augmentation.IsIdentity ? batches.Current.Images : augmentation.Apply(batches.Current.Images);
        using var built = Targets(builder, input, trainer);
        if (trainer.Device.type == DeviceType.CUDA)
            cuda.synchronize();
    }

    return clock.Elapsed.TotalSeconds;
}

// Why the run computes in its precision: forced by --precision, or Auto's timing (now or from the workspace's cache).
static string Why(PrecisionChoice choice) =>
    choice.Measured
        ? FormattableString.Invariant(
            $"Auto: {choice.Describe()} (a step took {choice.Float32Seconds:F3} s in float32, {choice.BFloat16Seconds:F3} s in bfloat16; {(choice.FromCache ? "read from the workspace's cache" : FormattableString.Invariant($"timed now in {choice.ProbeSeconds:F1} s"))})")
        : choice.Reason ?? "asked for";

// Counted FLOPs of one image's training step: every convolution's multiply-adds (a layer with parameters; the max-pool has
// none) x 2 FLOPs, for the forward pass and the two backward products (input and weight gradients), less the input
// gradient of conv1, which no one needs.
static double FlopsPerImage(FeatureNetwork network, int side)
{
    double total = 0;
    foreach (var half in network.Towers)
    {
        var convs = ModelSummary.Of(half, side, side).Layers.Where(l => l.Parameters > 0)
            .Select(l => 2.0 * l.InChannels * l.OutChannels * l.Kernel * l.Kernel * l.Height * l.Width).ToList();
        total += 3 * convs.Sum() - convs[0];
    }
    return total;
}

// GFLOP/s of a large matrix product in one precision on the current threads: the machine's practical ceiling.
static double PeakGflops(ScalarType type, Device device)
{
    using var scope = NewDisposeScope();
    var a = randn([PeakSide, PeakSide], device: device).to_type(type);
    var b = randn([PeakSide, PeakSide], device: device).to_type(type);
    a.matmul(b).sum().to_type(ScalarType.Float32).item<float>(); // warm-up
    var best = double.MaxValue;
    for (var r = 0; r < PeakRepeats; r++)
    {
        var clock = Stopwatch.StartNew();
        a.matmul(b).sum().to_type(ScalarType.Float32).item<float>();
        best = Math.Min(best, clock.Elapsed.TotalSeconds);
    }
    return 2.0 * PeakSide * PeakSide * PeakSide / best / 1e9;
}

// The 1 x 1 layers' variants timed against each other on one batch, one round of `steps` steps each in turn (the order
// rotating), median images/s of each and its ratio to the first.
void PointwiseAb(Pretrainer trainer, SplitBrainTargets built)
{
    (string Name, bool Matmul, bool ReducedPrediction)[] variants =
        [("conv-nchw+pred-fp32", false, false), ("matmul+pred-fp32", true, false), ("matmul+pred-compute-type", true, true)];
    var rates = variants.ToDictionary(v => v.Name, _ => new List<double>());
    try
    {
        foreach (var v in variants) // warm-up: each variant's kernels
        {
            (PointwiseConvolution.Enabled, PointwiseConvolution.ReducedPrediction) = (v.Matmul, v.ReducedPrediction);
            trainer.TrainOn(built);
        }
        for (var r = 0; r < repeat; r++)
        {
            for (var k = 0; k < variants.Length; k++)
            {
                var v = variants[(k + r) % variants.Length];
                (PointwiseConvolution.Enabled, PointwiseConvolution.ReducedPrediction) = (v.Matmul, v.ReducedPrediction);
                var clock = Stopwatch.StartNew();
                for (var s = 0; s < steps; s++)
                    trainer.TrainOn(built);
                rates[v.Name].Add(steps * batch / clock.Elapsed.TotalSeconds);
            }
        }
    }
    finally
    {
        (PointwiseConvolution.Enabled, PointwiseConvolution.ReducedPrediction) = (true, true); // the defaults
    }
    var baseline = Median(rates[variants[0].Name]);
    foreach (var v in variants)
        Report($"ab-{v.Name}", Median(rates[v.Name]), $"{Range(rates[v.Name])}; {Median(rates[v.Name]) / baseline:F2}x the first");
}

static SplitBrainTargets Targets(TargetBuilder builder, Tensor images, Pretrainer trainer) =>
    builder.Build(images, trainer.AbWeights, trainer.LightnessWeights);

// Trains memorySteps steps in a fresh run and prints the resident memory every memoryEvery steps; the verdict compares
// the end with the first line after warm-up (the first tenth of the steps, at least one line).
void MemoryRun(PretrainConfig baseConfig, string folder)
{
    var epochs = (memorySteps + steps - 1) / steps; // an epoch is `steps` steps (batch x steps images)
    using var run = new Pretrainer(baseConfig with { Epochs = epochs }, new RunFolder(Path.Combine(folder, "run")), _ => { });
    var samples = new List<(long Step, double RssMb)>();
    var warmUp = Math.Max(memoryEvery, memorySteps / 10 / memoryEvery * memoryEvery);
    Console.WriteLine($"memory: {epochs * run.StepsPerEpoch} steps ({epochs} epochs of {run.StepsPerEpoch}), resident memory every {memoryEvery} steps");
    var clock = Stopwatch.StartNew();
    run.Fit(new StepProbe(step =>
    {
        if (step % memoryEvery != 0)
            return;
        var (rss, peak) = Memory();
        samples.Add((step, rss));
        Console.WriteLine($"memory step {step} rss-mb {rss:F0} peak-mb {peak:F0} live-tensors {Tensor.TotalCount} "
            + $"managed-mb {GC.GetTotalMemory(false) / 1e6:F0} {clock.Elapsed.TotalSeconds:F0} s");
    }));
    // Resident memory wobbles by several percent from one line to the next (native allocators keep and return pages), so
    // the verdict compares means: the last quarter of the lines after warm-up against the first quarter.
    var after = samples.Where(s => s.Step >= warmUp).ToList();
    var quarter = Math.Max(1, after.Count / 4);
    var early = after.Take(quarter).Average(s => s.RssMb);
    var late = after.TakeLast(quarter).Average(s => s.RssMb);
    var growth = (late - early) / early;
    var (first, last) = (after[0], after[^1]);
    var verdict = growth < 0.05 ? "flat: under 5%" : "GROWS: 5% or more";
    Console.WriteLine(FormattableString.Invariant(
        $"memory-growth {growth:P1} (mean of the first {quarter} lines after warm-up {early:F0} MB, of the last {quarter} {late:F0} MB; step {first.Step}: {first.RssMb:F0} MB, step {last.Step}: {last.RssMb:F0} MB, highest {after.Max(s => s.RssMb):F0} MB) {verdict}"));
}

static (double RssMb, double PeakMb) Memory()
{
    using var process = Process.GetCurrentProcess();
    return (process.WorkingSet64 / 1e6, process.PeakWorkingSet64 / 1e6);
}

// Minor page faults of this process so far (field 10 of /proc/self/stat; 0 where there is none): memory the allocator took
// fresh from the kernel, each page zeroed on first touch.
static double MinorFaults()
{
    if (!File.Exists("/proc/self/stat"))
        return 0;
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return double.Parse(fields[7], CultureInfo.InvariantCulture); // fields from the state on: minflt is the 8th
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string Range(List<double> values) =>
    $"median of {values.Count}: {string.Join(", ", values.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))}";

// The peer's format: name, then images per second; details after a '#'.
static void Report(string name, double imagesPerSecond, string details) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {imagesPerSecond:F1}    # {details}"));

partial class Program
{
    private const int PeakSide = 2048, PeakRepeats = 5;
    private static readonly string[] IsaFlags = ["avx512_bf16", "amx_bf16", "avx512_fp16"];
}

/// <summary>Calls back with the run's step after every step.</summary>
sealed class StepProbe(Action<long> onStep) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        if (value.Status is null)
            onStep(value.Step);
    }
}
