#:project ../SplitBrain.Lib.csproj
#:property PublishAot=false
// Pretrains a split-brain autoencoder from the command line (the same Pretrainer a notebook's training cell uses):
//   dotnet run -c Release --file tools/pretrain.cs -- --preset small --name small-1
//   dotnet run -c Release --file tools/pretrain.cs -- --preset small --name s2 --set Epochs=2 --set Data.MaxImages=1000
//   dotnet run -c Release --file tools/pretrain.cs -- --preset small --name lesson --set Minutes=8   (or --set Steps=1000)
//   dotnet run -c Release --file tools/pretrain.cs -- --preset paper --name paper-1        (a CUDA build and a GPU)
//   dotnet run -c Release --file tools/pretrain.cs -- --objectives                         (the objectives, one per line)
//   dotnet run -c Release --file tools/pretrain.cs -- --name ae --set Objective=autoencoder (any of them)
// Runs go to runs/<name>/ (or SPLITBRAIN_RUN_DIR). Run the same command again to continue an interrupted run;
// --fresh deletes the run first. Ctrl+C writes a checkpoint and stops. --memory prints the process's memory after
// every epoch (resident set, managed heap, live tensors): the check that a long run does not grow.
using System.Diagnostics;
using System.Text.Json.Nodes;
using SplitBrain.Course;
using SplitBrain.Display;
using SplitBrain.Runs;
using SplitBrain.Training;
using SplitBrain.Training.Objectives;

const string Usage = """
    usage: dotnet run -c Release --file tools/pretrain.cs -- --name NAME [options]
           dotnet run -c Release --file tools/pretrain.cs -- --objectives

      --name NAME        the run (a folder in the runs folder)
      --preset P         small (default), paper or default
      --set KEY=VALUE    override a config field (JSON value), e.g. --set LearningRate=3e-4 --set Data.MaxImages=500;
                         the run's length: --set Epochs=4, or a budget, --set Minutes=8 (minutes of training steps,
                         turned into a step count after timing the first 25 steps) or --set Steps=1000 (optimizer steps);
                         the color split: --set Split=YCbCr (Lab, the default, YCbCr or Rgb)
      --fresh            delete the run first instead of continuing it
      --memory           print memory after every epoch
      --previews FILE    save the all-epochs preview grid as one PNG at the end
      --objectives       list the pretraining objectives, one per line (train one with --set Objective=NAME;
                         split-brain is the default)
    """;

string? name = null;
var preset = "small";
var overrides = new JsonObject();
bool fresh = false, memory = false;
string? previewsFile = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--name": name = args[++i]; break;
        case "--preset": preset = args[++i].ToLowerInvariant(); break;
        case "--set":
            var (key, value) = CourseContract.ParseOverride(args[++i]);
            overrides[key] = value;
            break;
        case "--fresh": fresh = true; break;
        case "--memory": memory = true; break;
        case "--previews": previewsFile = args[++i]; break;
        case "--objectives":
            foreach (var objective in PretrainObjectives.Names)
            {
                Console.WriteLine(objective);
            }

            return 0;
        default: Console.Error.WriteLine($"unknown argument {args[i]}\n{Usage}"); return 2;
    }
}

if (name is null)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

// Bad settings get one line that names the field and what it may be, before anything is written (no run folder).
PretrainConfig config;
IReadOnlyList<AppliedOverride> applied;
try
{
    var baseConfig = preset switch
    {
        "small" => PretrainConfig.Small,
        "paper" => PretrainConfig.Paper,
        "default" => PretrainConfig.Default,
        _ => throw new ArgumentException($"unknown preset {preset}: small, paper or default"),
    };
    (config, applied) = Knobs.Apply(baseConfig, overrides);
    config.Validate();
}
catch (ArgumentException e)
{
    var cut = e.Message.IndexOf(" (Parameter '", StringComparison.Ordinal);
    Console.Error.WriteLine((cut >= 0 ? e.Message[..cut] : e.Message).ReplaceLineEndings(" "));
    return 2;
}

foreach (var change in applied)
{
    Console.WriteLine($"override: {change.Path} = {change.Value} (default {change.Default})");
}

var run = Chapter.Run(name); // runs/<name> of the repository (or SPLITBRAIN_RUN_DIR), as the chapters' runs
if (fresh)
{
    run.Clear();
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var setup = Stopwatch.StartNew();
using var trainer = new Pretrainer(config, run);
Console.WriteLine($"{trainer}; {trainer.StepsPerEpoch} steps per epoch, {trainer.Data.Count} images ({trainer.Data.Name}); "
    + $"set up in {setup.Elapsed.TotalSeconds:F1} s (data, cache, priors)");
var progress = new ConsoleProgress(memory);
var result = trainer.Fit(progress, stop.Token);
Console.WriteLine(result.ToText());
var metrics = run.ReadMetrics();
Console.WriteLine(metrics.EpochTable().ToText());
if (previewsFile is not null && run.PreviewFiles().Count == 0)
{
    // Not an error: the run trained. Only its network (or PreviewImages = 0) gives nothing to draw.
    Console.WriteLine($"previews: none drawn, {previewsFile} not written: objective '{config.Objective ?? PretrainObjectives.Default}' "
        + $"has no network that colorizes (only objectives with an L -> ab half do), or {nameof(PretrainConfig.PreviewImages)} is 0");
}
else if (previewsFile is not null)
{
    run.Previews().Save(previewsFile);
    Console.WriteLine($"previews: {previewsFile}");
}

return 0;

/// <summary>A line every few seconds and at every epoch's end; with memory, the process's memory at each epoch.</summary>
sealed class ConsoleProgress(bool memory) : IProgress<TrainingProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Report(TrainingProgress value)
    {
        var epochEnd = value.Status is not null;
        if (!epochEnd && _clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            return;
        }

        _clock.Restart();
        Console.WriteLine(value.ToView().ToText());
        if (epochEnd && memory)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var process = Process.GetCurrentProcess();
            Console.WriteLine(
                $"memory after {value.Status}: resident {process.WorkingSet64 / 1e6:F0} MB, managed heap {GC.GetTotalMemory(false) / 1e6:F1} MB, "
                + $"live tensors {TorchSharp.torch.Tensor.TotalCount}");
        }
    }
}
