#:project ../SplitBrain.Lib.csproj
#:property PublishAot=false
// The paper's linear-probe evaluation on any labeled image folder (Zhang, Isola, Efros 2017, sec. 4.2, fig. 4): a
// pretrained network and its baselines, each probed at every layer, in one table. From the repository root:
//   dotnet run -c Release --file tools/probe.cs -- --data data/pets --run small-1 --seeds 0,1,2
//   dotnet run -c Release --file tools/probe.cs -- --data data/pets --model small --supervised 500 --out probes.json
// The folder holds train/<class>/*.png and test/<class>/*.png (or .jpg, .jpeg, .bmp, .gif; any size: each image is
// resized, shorter side, and centre-cropped to the network's image size, 96 by default). --run names a pretraining run
// (a folder, or a name in runs/ as tools/pretrain.cs writes it); without one only the baselines of --model are probed.
// Columns: pretrained (with --run), random init (the architecture at a random initialisation of each seed), random+BN
// (the same weights, BatchNorm statistics re-estimated on the training images without labels) and, with --supervised
// STEPS, the architecture trained from scratch on the labels for STEPS steps. Rows: the layers. Cells: test top-1 in
// percent, mean ± std over the seeds. Progress goes to stderr, the table to stdout; --out writes the numbers as JSON or
// CSV. Bad input (a missing folder, no or mismatched classes, an empty class, a run folder that is no pretraining run,
// a bad argument) prints one line saying what was wrong and exits with code 2, writing nothing.
// The work is the library's (SplitBrain.Evaluation: ProbeDataFolder, ProbeStudy, ProbeTable); this file only reads the
// arguments and prints.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SplitBrain.Course;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Quantization;
using SplitBrain.Runs;
using SplitBrain.Training;
using SplitBrain.Training.Objectives;
using TorchSharp;

const string Usage = """
    usage: dotnet run -c Release --file tools/probe.cs -- --data FOLDER [options]

      --data FOLDER            train/<class>/<image> and test/<class>/<image> (png, jpg, jpeg, bmp, gif)
      --run DIR|NAME           a pretraining run: its folder, or its name in runs/ (tools/pretrain.cs --name NAME)
      --model small|default|paper
                               without --run: the architecture of the baselines (default: default)
      --seeds 0,1,2            seeds of the baselines, label subsets and probes (default 0); mean ± std when several
      --layers conv1,...,fc7   layers to probe (default all: conv1,conv2,conv3,conv4,conv5,fc6,fc7)
      --epochs N               epochs of each linear probe (default 30)
      --labels-per-class K     train the probes on K labeled images per class, drawn per seed (default: all)
      --dimension SPEC         values per layer after pooling: 9600 (default, the paper's), or e.g. 4096,fc6=2048
      --supervised STEPS       also train the architecture from scratch on the labels for STEPS steps, and probe it
      --bn-images N            training images the random+BN statistics average over (default 2048)
      --precision P            auto (default: bfloat16 where the hardware has it), float32 or bfloat16
      --device D               auto (default), cpu, cuda or cuda:N
      --threads N              TorchSharp CPU threads (default 0: TorchSharp's choice)
      --image-size N           side the images are resized to (default: the run's, else 96)
      --cache DIR              keep the decoded images in DIR for the next call (default: a temporary folder, deleted)
      --out FILE.json|FILE.csv also write the numbers to FILE
    """;

var clock = Stopwatch.StartNew();
string? dataFolder = null, runArgument = null, modelName = null, outFile = null, cacheFolder = null;
var device = "auto";
int? imageSize = null;
int threads = 0;
var study = new ProbeStudyConfig();
var probes = LinearProbeConfig.Default;
var precision = Precision.Auto;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        var option = args[i];
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{option} needs a value.");
        int Int(int min)
        {
            var text = Value();
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min
                ? value
                : throw new ArgumentException($"{option} needs a whole number of at least {min}; got '{text}'.");
        }

        switch (option)
        {
            case "--data": dataFolder = Value(); break;
            case "--run": runArgument = Value(); break;
            case "--model": modelName = Value().ToLowerInvariant(); break;
            case "--seeds": study = study with { Seeds = [.. Value().Split(',').Select(s => ParseSeed(s.Trim()))] }; break;
            case "--layers": study = study with { Layers = [.. Value().Split(',').Select(s => ParseLayer(s.Trim()))] }; break;
            case "--epochs": probes = probes with { Epochs = Int(1) }; break;
            case "--labels-per-class": study = study with { LabelsPerClass = Int(1) }; break;
            case "--dimension": probes = probes.WithTargets(TargetDimensions.Parse(Value())); break;
            case "--supervised": study = study with { SupervisedSteps = Int(1) }; break;
            case "--bn-images": study = study with { BatchNormImages = Int(1) }; break;
            case "--precision": precision = ParsePrecision(Value()); break;
            case "--device": device = Value(); break;
            case "--threads": threads = Int(0); break;
            case "--image-size": imageSize = Int(16); break;
            case "--cache": cacheFolder = Value(); break;
            case "--out": outFile = Value(); break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"unknown argument '{option}'.");
        }
    }

    if (dataFolder is null)
        throw new ArgumentException("--data FOLDER is required: a folder with train/<class>/ and test/<class>/ image folders.");
    if (runArgument is not null && modelName is not null)
        throw new ArgumentException("give --model only without --run: a run's config fixes its architecture.");
    if (outFile is not null)
        ProbeTable.FormatOf(outFile);
    if (!Devices.IsKnownRequest(device))
        throw new ArgumentException($"unknown device '{device}': use auto, cpu, cuda or cuda:N.");
    probes = probes with { Precision = precision };
    study = study with
    {
        Probes = probes,
        Supervised = ClassifierTrainingConfig.Default with { Precision = precision },
        NetworkName = runArgument is null ? null : ProbeStudy.PretrainedName,
    };
    study.Validate();
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    return Fail(Say(e) + " See --help.");
}

if (threads > 0)
    torch.set_num_threads(threads);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var temporaryCache = cacheFolder is null ? Directory.CreateTempSubdirectory("splitbrain-probe-").FullName : null;
try
{
    // Everything that can be wrong with the input is found here, before anything is printed, trained or probed.
    var computeDevice = Devices.Resolve(device);
    var about = new JsonObject();
    string networkLine;
    FeatureNetwork network;
    if (runArgument is null)
    {
        network = Architecture(modelName ?? "default", computeDevice);
        networkLine = $"network: random baselines only, model {modelName ?? "default"} ({Describe(network.Config)}); no --run given";
        about["model"] = modelName ?? "default";
    }
    else
    {
        var run = LoadRun(runArgument, computeDevice);
        (network, imageSize, networkLine) = (run.Network, imageSize ?? run.ImageSize, run.Line);
        about["run"] = run.Json;
    }
    using var owned = network;

    using var files = ProbeDataFolder.Open(dataFolder, imageSize ?? 96, Log);
    if (study.LabelsPerClass != LabeledSubset.All && files.TrainPerClass.Min() < study.LabelsPerClass)
    {
        var fewest = files.TrainPerClass.ToList().IndexOf(files.TrainPerClass.Min());
        throw new ArgumentException($"--labels-per-class {study.LabelsPerClass}: class '{files.Classes[fewest]}' has only "
            + $"{files.TrainPerClass[fewest]} training images; ask for at most {files.TrainPerClass[fewest]}, or add images.");
    }
    using var data = files.Cached(cacheFolder ?? temporaryCache!, Log, stop.Token);
    about["data"] = new JsonObject
    {
        ["folder"] = data.Root,
        ["classes"] = new JsonArray([.. data.Classes.Select(c => (JsonNode)JsonValue.Create(c)!)]),
        ["train"] = data.Train.Count,
        ["test"] = data.Test.Count,
        ["imageSize"] = data.ImageSize,
    };
    about["options"] = JsonSerializer.SerializeToNode(study, JsonOptions());

    Console.WriteLine(networkLine);
    Console.WriteLine($"data: {data.Root}: {data}; each image resized (shorter side) and centre-cropped");
    var labels = study.LabelsPerClass == LabeledSubset.All ? $"all {data.Train.Count} training images" : $"{study.LabelsPerClass} per class";
    Console.WriteLine($"probes: {probes.Epochs} epochs on {labels}, {probes.Targets()}, "
        + $"{Precisions.Name(Precisions.Resolve(precision, computeDevice))} on {computeDevice}, seeds {string.Join(", ", study.Seeds)}"
        + (study.SupervisedSteps > 0 ? $"; supervised baseline {study.SupervisedSteps} steps" : ""));

    var table = ProbeStudy.Run(network, data.Train, data.Test, study, Log, stop.Token);
    Console.WriteLine();
    Console.WriteLine(table.ToTable().ToText());
    Console.WriteLine();
    if (outFile is not null)
    {
        table.Save(outFile, about);
        Console.WriteLine($"numbers: {Path.GetFullPath(outFile)}");
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"time: {clock.Elapsed.TotalSeconds:0.0} s"));
    return 0;
}
catch (Exception e) when (e is ArgumentException or InvalidDataException or DirectoryNotFoundException or FileNotFoundException)
{
    return Fail(Say(e));
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("probe: cancelled; nothing written.");
    return 130;
}
finally
{
    if (temporaryCache is not null && Directory.Exists(temporaryCache))
        Directory.Delete(temporaryCache, recursive: true);
}

// One line on stderr, exit code 2: the caller's input was wrong.
static int Fail(string message)
{
    Console.Error.WriteLine($"probe: {message}");
    return 2;
}

// An exception's message as one sentence: without the " (Parameter 'x')" and "Actual value was" that .NET appends.
static string Say(Exception e)
{
    var message = e.Message.Split('\n')[0].TrimEnd();
    return e is ArgumentException { ParamName: { } name } ? message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : message;
}

void Log(string line) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:0.0} s] {line}"));

static int ParseSeed(string text) =>
    int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) && seed >= 0
        ? seed
        : throw new ArgumentException($"--seeds needs whole numbers of at least 0, comma-separated; got '{text}'.");

static FeatureLayer ParseLayer(string text) =>
    Enum.TryParse<FeatureLayer>(text, ignoreCase: true, out var layer) && Enum.IsDefined(layer) && !int.TryParse(text, out _)
        ? layer
        : throw new ArgumentException($"--layers: '{text}' is not a layer; use {string.Join(",", LinearProbes.AllLayers.Select(EvaluationPlots.LayerName))}.");

static Precision ParsePrecision(string text) => text.ToLowerInvariant() switch
{
    "auto" => Precision.Auto,
    "float32" => Precision.Float32,
    "bfloat16" => Precision.BFloat16,
    _ => throw new ArgumentException($"--precision must be auto, float32 or bfloat16; got '{text}'."),
};

// The architecture of a preset, with the default quantizers' bins (the prediction layer is not probed).
static SplitBrainNet Architecture(string name, torch.Device device)
{
    var config = name switch
    {
        "small" => ModelConfig.Small,
        "default" => ModelConfig.Default,
        "paper" => ModelConfig.Paper,
        _ => throw new ArgumentException($"--model must be small, default or paper; got '{name}'."),
    };
    return SplitBrainNet.Create(config, 1, 2, QuantizationDefaults.LightnessBins, QuantizationDefaults.AbBins, device);
}

// The run's network, checked to be a pretraining run with a checkpoint; a folder path as given (from the working folder),
// else a name in the course's runs folder.
static (FeatureNetwork Network, int ImageSize, string Line, JsonObject Json) LoadRun(string argument, torch.Device device)
{
    var run = Directory.Exists(argument) ? new RunFolder(Path.GetFullPath(argument)) : Chapter.Run(argument);
    const string hint = "give a pretraining run's folder, or its name in runs/ (tools/pretrain.cs --name NAME makes one)";
    if (!Directory.Exists(run.Path))
        throw new DirectoryNotFoundException($"--run '{argument}': no such run folder (looked for {Path.GetFullPath(argument)} and {run.Path}); {hint}.");
    if (!run.Exists)
        throw new InvalidDataException($"--run '{argument}': {run.Path} is not a run folder (it has no config.json); {hint}.");
    if (run.Kind != PretrainingRuns.Kind)
        throw new InvalidDataException($"--run '{argument}': {run.Path} is {(run.Kind == RunKind.Unknown ? "a run folder whose config.json names no kind" : $"a {run.Kind.Name} run")}, not a pretraining run; {hint}.");
    var config = run.ReadConfig();
    var checkpoint = run.LatestCheckpoint()
        ?? throw new InvalidDataException($"--run '{argument}': {run.Path} has no complete checkpoint yet: let it train (tools/pretrain.cs --name {run.Name}) or give another run.");
    var line = string.Create(CultureInfo.InvariantCulture,
        $"run: {run.Name} ({run.Path}), step {checkpoint.Step} after {checkpoint.CompletedEpochs} of {config.Epochs} epochs: "
        + $"{Describe(config.Model)}; objective {config.Objective ?? PretrainObjectives.Default}; pretrained on {config.Data.Source} at {config.Data.ImageSize} x {config.Data.ImageSize}, "
        + $"{(config.Targets.Soft ? "soft" : "hard")} targets, {config.Targets.LightnessBins} L bins, {(config.Rebalance ? "rebalanced" : "not rebalanced")}, seed {config.Seed}");
    var json = new JsonObject
    {
        ["name"] = run.Name,
        ["folder"] = run.Path,
        ["step"] = checkpoint.Step,
        ["config"] = JsonNode.Parse(run.ReadConfigJson(PretrainingRuns.Kind)),
    };
    return (run.LoadModel(device, checkpoint), config.Data.ImageSize, line, json);
}

static string Describe(ModelConfig model) =>
    $"widths {model.Conv1}-{model.Conv2}-{model.Conv3}-{model.Conv4}-{model.Conv5}, fc {model.Fc}, {(model.BatchNorm ? "BatchNorm" : "no BatchNorm")}";

static JsonSerializerOptions JsonOptions() => new() { Converters = { new JsonStringEnumConverter() } };
