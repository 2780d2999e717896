#:project ../SplitBrain.Lib.csproj
#:property PublishAot=false
// A pretraining run's network in the formats the PyTorch ecosystem reads, and back. From the repository root:
//   dotnet run -c Release --file tools/weights.cs -- export --run small-1 --out small-1.safetensors [--format safetensors-bf16]
//   dotnet run -c Release --file tools/weights.cs -- import --like small-1 --weights trained.safetensors --name small-1-ddp
//   dotnet run -c Release --file tools/weights.cs -- layout --run small-1
// export writes the run's network (its newest checkpoint) as safetensors in float32 (the default), safetensors in bfloat16
// (--format safetensors-bf16) or a PyTorch state_dict (--format pytorch, or a .pt/.pth file name). import makes a new
// pretraining run NAME (in runs/, or a folder path) of the architecture of the run --like, holding the file's weights:
// tools/probe.cs --run NAME probes it, fine-tuning runs start from it. The file must hold exactly the network's tensors
// with their shapes; otherwise one line names the first one that does not fit, and nothing is written. layout lists the
// names, shapes and types a file of the run's architecture holds (lib/Interop/NetworkWeights.cs documents them).
// interop/pytorch/ holds the PyTorch mirror of the network and train_ddp.py, which trains it under torchrun.
// Bad input prints one line and exits with code 2.
using SplitBrain.Course;
using SplitBrain.Interop;
using SplitBrain.Runs;
using SplitBrain.Training;

const string Usage = """
    usage: dotnet run -c Release --file tools/weights.cs -- COMMAND [options]

      export --run DIR|NAME --out FILE [--format safetensors|safetensors-bf16|pytorch]
      import --like DIR|NAME --weights FILE --name DIR|NAME
      layout --run DIR|NAME
    """;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}
try
{
    var options = new Dictionary<string, string>();
    for (var i = 1; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            throw new ArgumentException($"'{args[i]}' is not an option with a value.");
        options[args[i]] = args[++i];
    }
    string Option(string name) => options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"{args[0]} needs {name}.");
    switch (args[0])
    {
        case "export":
        {
            var run = Pretraining(Option("--run"));
            var format = options.TryGetValue("--format", out var f) ? WeightFormats.Parse(f) : WeightFormats.FromExtension(Option("--out"));
            using var network = run.LoadModel();
            NetworkWeights.Export(network, Option("--out"), format);
            Console.WriteLine($"exported {run.Name} ({network.Config}) to {Path.GetFullPath(Option("--out"))} as {format}");
            return 0;
        }
        case "import":
        {
            var like = Pretraining(Option("--like"));
            var name = Option("--name");
            var target = name.Contains(Path.DirectorySeparatorChar) ? new RunFolder(name) : Chapter.Run(name);
            var checkpoint = ImportedRuns.Create(like, Option("--weights"), target);
            Console.WriteLine($"imported {Path.GetFullPath(Option("--weights"))} as the run {target.Name} ({target.Path}), step {checkpoint.Step}");
            return 0;
        }
        case "layout":
        {
            using var network = Pretraining(Option("--run")).LoadModel();
            foreach (var (name, shape, type) in NetworkWeights.Layout(network))
                Console.WriteLine($"{name}\t{type}\t[{string.Join(", ", shape)}]");
            return 0;
        }
        default:
            throw new ArgumentException($"Unknown command '{args[0]}': use export, import or layout.");
    }
}
catch (Exception e) when (e is ArgumentException or InvalidDataException or InvalidOperationException or FileNotFoundException or DirectoryNotFoundException)
{
    Console.Error.WriteLine($"weights: {e.Message}");
    return 2;
}

// A pretraining run: a folder path as given, else a name in runs/.
static RunFolder Pretraining(string argument)
{
    var run = Directory.Exists(argument) ? new RunFolder(Path.GetFullPath(argument)) : Chapter.Run(argument);
    if (!run.Exists)
        throw new DirectoryNotFoundException($"'{argument}' is no run: no {run.ConfigPath} (give a run's folder, or its name in runs/).");
    if (run.Kind != RunKind.Pretraining)
        throw new InvalidDataException($"'{argument}' is a {run.Kind.Name()} run, not a pretraining run.");
    return run;
}
