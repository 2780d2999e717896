using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace SplitBrain.Notebooks.Tests;

/// <summary>
/// Each chapter executed once per test run by the course's runner, headless, with its knobs turned down; the tests
/// of the other front ends and of the rendered pages share the result.
/// </summary>
internal static class ExecutedChapters
{
    /// <summary>Knobs turned down so that each chapter runs in seconds; the chapters' defaults stay as a reader gets them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Overrides = new Dictionary<string, string>
    {
        ["01-color-spaces"] = """{"ImageSize": 96, "SyntheticImages": 4}""",
        ["02-quantization"] = """{"PriorImages": 250, "ShowImages": 3}""",
        ["03-sub-networks"] = """{"BatchSize": 4, "OverfitSteps": 8}""",
        ["04-pretraining"] = """{"Pretrain.Epochs": 2, "Pretrain.Data.Synthetic.UnlabeledCount": 512, "Pretrain.PriorImages": 100, "InterruptAfterSeconds": 1, "PrecisionEpochs": 1}""",
        ["05-fine-tuning"] = """{"Pretrain.Epochs": 2, "Pretrain.Data.Synthetic.UnlabeledCount": 512, "Pretrain.PriorImages": 100, "Pretrain.Data.Synthetic.TestCount": 300, "Steps": 20, "LabelsPerClass": [5, 10, 20]}""",
        ["06-evaluation"] = """{"Pretrain.Epochs": 2, "Pretrain.Data.Synthetic.UnlabeledCount": 512, "Pretrain.PriorImages": 100, "Pretrain.Data.Synthetic.TestCount": 300, "SupervisedSteps": 10, "ProbeLabelsPerClass": 10, "Probes.Epochs": 5}""",
        ["07-recipe-study"] = """{"Pretrain.Data.Synthetic.UnlabeledCount": 512, "Pretrain.PriorImages": 100, "Pretrain.Data.Synthetic.TestCount": 300, "RunMinutes": 0.02, "Seeds": [0], "Variants": ["soft"], "ProbeLabelsPerClass": 10, "Probes.Epochs": 5}""",
        // WhySplitChapterConfig.Test: two objectives (those of them registered), 12 steps, one seed, Shapes only, budgets of 6 and 12.
        ["08-why-split"] = """{"Pretrain.Data.Synthetic.UnlabeledCount": 512, "Pretrain.PriorImages": 100, "Pretrain.Data.Synthetic.TestCount": 300, "Objectives": ["split-brain", "autoencoder"], "Steps": 12, "Seeds": [0], "Styles": ["Shapes"], "ProbeLabelsPerClass": 10, "Probes.Epochs": 5, "BudgetObjectives": ["split-brain", "autoencoder"], "BudgetSteps": [6, 12]}""",
    };

    private static readonly ConcurrentDictionary<string, Lazy<Execution>> Runs = new();
    private static readonly string Folder = Repository.TempFolder("chapters");

    /// <summary>The result of running one chapter.</summary>
    public sealed record Execution(string Chapter, int ExitCode, string Log, string OutputFolder)
    {
        /// <summary>The executed notebook.</summary>
        public JsonNode Notebook => JsonNode.Parse(File.ReadAllText(Path.Combine(OutputFolder, Chapter + ".ipynb")))!;

        /// <summary>The runner's HTML copy.</summary>
        public string HtmlPath => Path.Combine(OutputFolder, Chapter + ".html");
    }

    /// <summary>The overrides of a chapter as runner arguments.</summary>
    public static IEnumerable<string> SetArguments(string chapter) =>
        JsonNode.Parse(Overrides.GetValueOrDefault(chapter, "{}"))!.AsObject()
            .SelectMany(kv => new[] { "--set", $"{kv.Key}={kv.Value!.ToJsonString()}" });

    /// <summary>Runs the chapter (once) and returns the result.</summary>
    public static Execution Get(string chapter) => Runs.GetOrAdd(chapter, c => new Lazy<Execution>(() => Run(c))).Value;

    private static Execution Run(string chapter)
    {
        var output = Path.Combine(Folder, chapter);
        var (exitCode, log) = Repository.Run("dotnet",
            [Repository.RunnerDll, "run", Path.Combine(Repository.Root, "notebooks", chapter + ".ipynb"), "--out", output, "--quiet", .. SetArguments(chapter)],
            Repository.Root, TimeSpan.FromMinutes(8));
        return new Execution(chapter, exitCode, log, output);
    }
}

/// <summary>
/// Tests that run chapters (headless, in Jupyter, as apps) go one at a time: they share the machine's two cores and
/// the library's build output, which a build started by one of them (an app, the Jupyter script) may refresh.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FrontEndCollection
{
    public const string Name = "Chapters in every front end";
}
