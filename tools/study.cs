#:project ../SplitBrain.Lib.csproj
#:property PublishAot=false
// Chapter 07's recipe study from a console, whole or as one shard of an array job. From the repository root:
//   dotnet run -c Release --file tools/study.cs -- pretrain [--out scores.csv]    # every run, one after another
//   dotnet run -c Release --file tools/study.cs -- pretrain --shard 1/4          # runs 1, 5, 9, ... of the plan
//   dotnet run -c Release --file tools/study.cs -- table [--shards 4] [--out scores.csv]
// pretrain trains the study's runs into the runs folder (runs/, or SPLITBRAIN_RUN_DIR; finished runs are kept) and, when
// every run of the study has finished (the last shard to end), probes them and prints the table, as table does. Without
// --shard it takes the shard from the array job it runs in: SPLITBRAIN_SHARD=i/n, Slurm's SLURM_ARRAY_TASK_ID and
// SLURM_ARRAY_TASK_COUNT, or a Kubernetes Indexed Job's JOB_COMPLETION_INDEX with SPLITBRAIN_SHARD_COUNT
// (environment/cluster/ has a Slurm script and a Job manifest). table probes every run of the study and prints chapter
// 07's table; when runs are missing it names them (and with --shards N their shards) and exits with code 3.
// The knobs are chapter 07's (RecipeStudyChapterConfig), changed with --set KEY=VALUE as the notebook runner's, e.g.
// --set Seeds=[0,1,2] --set RunMinutes=1 --set Variants=["soft"]; every shard and the table must get the same ones.
// Bad arguments print one line and exit with code 2.
using System.Globalization;
using System.Text.Json.Nodes;
using SplitBrain.Course;

const string Usage = """
    usage: dotnet run -c Release --file tools/study.cs -- pretrain [--shard I/N] [--out FILE.csv] [--set KEY=VALUE]...
           dotnet run -c Release --file tools/study.cs -- table [--shards N] [--out FILE.csv] [--set KEY=VALUE]...
    """;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}
RecipeStudyChapterConfig knobs;
string? shardOption = null, output = null;
var shards = 1;
try
{
    var overrides = new JsonObject();
    for (var i = 1; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        switch (args[i])
        {
            case "--shard": shardOption = Value(); break;
            case "--shards": shards = int.Parse(Value()); break;
            case "--out": output = Value(); break;
            case "--set":
                var pair = Value();
                var equals = pair.IndexOf('=');
                if (equals < 1) throw new ArgumentException($"--set needs KEY=VALUE; got '{pair}'.");
                var text = pair[(equals + 1)..];
                JsonNode? value;
                try { value = JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { value = JsonValue.Create(text); }
                overrides[pair[..equals]] = value;
                break;
            default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
        }
    }
    if (overrides.Count > 0)
        Environment.SetEnvironmentVariable(CourseContract.OverridesVariable, overrides.ToJsonString());
    knobs = Chapter.Knobs(new RecipeStudyChapterConfig());
    knobs.Validate();
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"study: {e.Message}");
    return 2;
}

switch (args[0])
{
    case "pretrain":
    {
        StudyShard shard;
        try { shard = StudyShard.Resolve(shardOption); }
        catch (ArgumentException e) { Console.Error.WriteLine($"study: {e.Message}"); return 2; }
        var plan = RecipeStudy.Plan(knobs, Chapter.Workspace);
        var mine = shard.Select(plan);
        Console.WriteLine($"study: shard {shard}, {mine.Count} of {plan.Count} runs into {Chapter.Workspace.Runs}: {string.Join(", ", mine.Select(r => r.Folder.Name))}");
        RecipeStudy.Pretrain(knobs, Chapter.Workspace, shard: shard);
        Console.WriteLine($"study: shard {shard} done");
        // The shard that completes the study scores it (an array job needs no extra step); the others say what is left.
        if (RecipeStudyRuns.Missing(knobs, Chapter.Workspace) is { Count: > 0 } missing)
        {
            Console.WriteLine($"study: {missing.Count} of {plan.Count} runs are not finished yet ({string.Join(", ", missing.Select(r => r.Folder.Name))}); "
                + "the shard that finishes last writes the table, or run the table command");
            return 0;
        }
        return Table(knobs, plan, output);
    }
    case "table":
    {
        IReadOnlyList<RecipeRun> runs;
        try { runs = RecipeStudyRuns.Finished(knobs, Chapter.Workspace, shards); }
        catch (InvalidOperationException e) { Console.Error.WriteLine($"study: {e.Message}"); return 3; }
        return Table(knobs, runs, output);
    }
    default:
        Console.Error.WriteLine($"study: unknown command '{args[0]}': use pretrain or table.");
        return 2;
}

// Probes every run, prints chapter 07's table, and writes one line per run and layer to output (CSV; the speed is left
// out: it is the machine's, not the recipe's).
static int Table(RecipeStudyChapterConfig knobs, IReadOnlyList<RecipeRun> runs, string? output)
{
    var scores = RecipeStudy.Score(knobs, runs, Chapter.Workspace);
    Console.WriteLine(scores.ToText());
    if (output is not null)
    {
        var lines = scores.Scores.Select(s => string.Join(',', s.Variant, s.Seed, s.Layer,
            s.Accuracy.ToString("R", CultureInfo.InvariantCulture), s.Floor.ToString("R", CultureInfo.InvariantCulture), s.Steps));
        File.WriteAllLines(output, ["variant,seed,layer,accuracy,floor,steps", .. lines]);
        Console.WriteLine($"study: wrote {Path.GetFullPath(output)}");
    }
    return 0;
}
