#:project ../SplitBrain.Lib.csproj
// Measures the evaluation stage on the synthetic shapes (default seed: 1,000 labeled training and 2,000 test images)
// with a randomly initialised network: feature extraction and linear probes of conv1..fc7, then training epochs of a
// frozen and a fine-tuned classifier. Prints every number the course's time budget is sized from.
//   dotnet run -c Release --file data-scripts/benchmark-evaluation.cs -- [--model default|small] [--epochs 2]
//       [--threads N] [--validation 0.1] [--skip-probes] [--skip-classifier]
// Timings on a machine whose cores are busy with other work are not comparable (see data-scripts/README.md).
using System.Diagnostics;
using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Runs;
using TorchSharp;

var model = "default";
var epochs = 2;
var threads = Environment.ProcessorCount;
var validation = 0.0;
var (probes, classifier) = (true, true);
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--model": model = args[++i]; break;
        case "--epochs": epochs = int.Parse(args[++i]); break;
        case "--threads": threads = int.Parse(args[++i]); break;
        case "--validation": validation = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--skip-probes": probes = false; break;
        case "--skip-classifier": classifier = false; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

torch.set_num_threads(threads);
var config = model == "small" ? ModelConfig.Small : ModelConfig.Default;
Console.WriteLine($"{model} network, {threads} torch threads, {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Trim()}");
var data = SyntheticShapesConfig.Default;
using var train = new SyntheticShapes(data, DatasetSplit.Train);
using var test = new SyntheticShapes(data, DatasetSplit.Test);
torch.manual_seed(0);
using var net = SplitBrainNet.Create(config, 1, 2, 100, 313);

var clock = Stopwatch.StartNew();
using (var batch = train.ReadBatch([.. Enumerable.Range(0, 1000)]))
    Console.WriteLine($"render 1000 images: {clock.Elapsed.TotalSeconds:0.00} s");

if (probes)
{
    var stages = new Dictionary<ProbeStage, double>();
    var curve = LinearProbes.Run(net, train, test, LinearProbes.AllLayers, LinearProbeConfig.Default with { ValidationFraction = validation },
        new Progress(p =>
        {
            stages[p.Stage] = p.Seconds;
            if (p.Stage == ProbeStage.Fit) Console.WriteLine($"  {p}");
        }), "random init");
    Console.WriteLine(curve.ToTable().ToText());
    Console.WriteLine($"extraction (train, {train.Count}): {curve.ExtractionSeconds:0.0} s; fits: {curve.FitSeconds:0.0} s; " +
                      $"test pass ({test.Count}): {curve.TestSeconds:0.0} s; total {curve.TotalSeconds:0.0} s");
}

if (classifier)
{
    foreach (var mode in new[] { ClassifierConfig.Frozen, ClassifierConfig.FineTune })
    {
        using var model2 = SplitBrainClassifier.Create(net, train.Classes.Count, mode);
        using var tuner = new FineTuner(model2, ClassifierTrainingConfig.Default with { Epochs = epochs });
        var result = tuner.Fit(train, test, TrainingProgress.None);
        foreach (var e in result.Epochs)
            Console.WriteLine($"{mode.Mode} epoch {e.Epoch}: {e.Seconds:0.0} s, loss {e.Loss:0.000}, train {e.TrainAccuracy:P1}");
        Console.WriteLine($"{mode.Mode}: test {result.Test}; run {result.Seconds:0.0} s (test pass {result.Seconds - result.Epochs.Sum(e => e.Seconds):0.0} s)");
    }
}
return 0;

sealed class Progress(Action<ProbeProgress> report) : IProgress<ProbeProgress>
{
    public void Report(ProbeProgress value) => report(value);
}
