using System.Text.Json;
using System.Text.Json.Nodes;
using SplitBrain.Display;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Evaluation;

/// <summary>
/// Every run in the runs folder, pretraining and fine-tuning, with what they were asked to do and what they measured;
/// and the two views that compare runs: a table of the settings that differ and the final numbers
/// (<see cref="Compare"/>), and their curves on one chart (<see cref="Curves"/>).
/// </summary>
/// <remarks>
/// <para>A notebook's experiment cells:</para>
/// <code>
/// var runs = RunRegistry.Load(Chapter.Workspace);   // every run in runs/, shown as a table
/// runs.Compare("pretrain", "pretrain-L20")          // the settings that differ, final losses, time
/// runs.Curves("pretrain", "pretrain-L20")           // both runs' losses on one chart
/// runs.OfKind(FineTuneRun.Kind).Compare()         // every fine-tuning run: test accuracy side by side
/// </code>
/// <para>A run is a folder with a <c>config.json</c>; its kind is the one that file names (<see cref="RunFolder.Kind"/>),
/// nothing is guessed. Other folders (the data cache, the course summaries) are not runs; a folder whose config names no
/// kind is listed with the reason and what to do.</para>
/// <para>"Differ" is decided on the configs themselves, not on a list of interesting settings: each config is read as
/// its type (so settings an older file lacks take their defaults), written as JSON and flattened to dotted keys
/// (<c>Targets.LightnessBins</c>, the names knob overrides use), and a key is shown when its value is not the same in
/// every compared run that has it.</para>
/// <para>The registry is a snapshot: <see cref="Load"/> again to see runs that changed since.</para>
/// </remarks>
public sealed class RunRegistry : View
{
    // D3's ten categorical colors: a run keeps one color for all its lines.
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    // A run's losses, one dash style each (solid first).
    private static readonly string?[] Dashes = [null, "dash", "dot", "dashdot"];

    // Metrics a column of their own shows (a fine-tuning run's test accuracy is its "test top-1").
    private static readonly HashSet<string> ShownElsewhere = new(StringComparer.Ordinal) { "testAccuracy" };

    private RunRegistry(string root, IReadOnlyList<RunEntry> runs)
    {
        Root = root;
        Runs = runs;
    }

    /// <summary>The runs folder.</summary>
    public string Root { get; }

    /// <summary>The runs, by name.</summary>
    public IReadOnlyList<RunEntry> Runs { get; }

    /// <summary>The run called <paramref name="name"/>.</summary>
    /// <param name="name">The run's name.</param>
    /// <exception cref="KeyNotFoundException">There is no such run (the message lists those there are).</exception>
    public RunEntry this[string name] =>
        Runs.FirstOrDefault(r => r.Name == name)
        ?? throw new KeyNotFoundException(
            $"There is no run '{name}' in {Root}" + (Runs.Count == 0 ? " (it holds none)." : $"; there are: {string.Join(", ", Runs.Select(r => r.Name))}."));

    /// <summary>Every run of <paramref name="workspace"/> (a folder with a <c>config.json</c> in its runs folder), read now.</summary>
    /// <param name="workspace">Where the runs are (e.g. <c>Chapter.Workspace</c>, or <c>Workspace.At(folder)</c>).</param>
    /// <returns>The registry; empty when the runs folder does not exist.</returns>
    public static RunRegistry Load(Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return new RunRegistry(workspace.Runs, [.. workspace.AllRuns().Select(folder => new RunEntry(folder))]);
    }

    /// <summary>The runs of one kind, as a registry of their own.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>A registry of those runs.</returns>
    public RunRegistry OfKind(RunKind kind) => new(Root, [.. Runs.Where(r => r.Kind == kind)]);

    /// <summary>
    /// The dotted config keys whose values are not the same in all of the runs that have them (see the remarks), in
    /// config order.
    /// </summary>
    /// <param name="names">The runs; all of this registry's when none.</param>
    /// <returns>The keys, e.g. <c>["LearningRate", "Targets.LightnessBins"]</c>.</returns>
    /// <exception cref="KeyNotFoundException">A name is not a run.</exception>
    public IReadOnlyList<string> Differences(params string[] names) => FlatJson.DifferingKeys([.. Select(names).Select(r => r.RawSettings)]);

    /// <summary>
    /// One row per run: name, kind, the settings that differ between the runs (<see cref="Differences"/>), epochs done,
    /// the last epoch's metrics, whatever each run recorded (a column per name any compared run has, blank for the runs
    /// without it: pretraining its objective's, e.g. <c>loss F1</c>, <c>acc F1</c>; fine-tuning its loss and training
    /// accuracy), a fine-tuning run's test accuracies, the time, the precision the run computed in and its training speed.
    /// Columns no compared run has a value for are left out.
    /// </summary>
    /// <param name="names">The runs, in this order; all of this registry's (by name) when none.</param>
    /// <returns>The table.</returns>
    /// <exception cref="KeyNotFoundException">A name is not a run.</exception>
    public Table Compare(params string[] names)
    {
        var runs = Select(names);
        var keys = FlatJson.DifferingKeys([.. runs.Select(r => r.RawSettings)]);
        return Overview(runs, keys, runs.Count == 0 ? $"No runs in {Root}" : $"Runs compared ({keys.Count} setting(s) differ)");
    }

    /// <summary>
    /// The runs' curves on one chart: every loss a pretraining run recorded against the step (split-brain: F1 solid, F2
    /// dashed), a
    /// fine-tuning run's test accuracy (solid, where scored) and training accuracy (dashed) against the epoch; one color
    /// per run. Runs of both kinds give two panels side by side.
    /// </summary>
    /// <param name="names">The runs; all of this registry's when none.</param>
    /// <returns>The chart.</returns>
    /// <exception cref="KeyNotFoundException">A name is not a run.</exception>
    /// <exception cref="InvalidOperationException">None of the runs has any metrics yet.</exception>
    public Chart Curves(params string[] names)
    {
        var runs = Select(names);
        var pretraining = runs.Where(r => r.Kind == PretrainingRuns.Kind && r.PretrainMetrics!.Steps.Count > 0).ToList();
        var fineTuning = runs.Where(r => r.Kind == FineTuneRun.Kind && r.FineTuneEpochs.Count > 0).ToList();
        if (pretraining.Count + fineTuning.Count == 0)
            throw new InvalidOperationException(
                $"None of the runs {string.Join(", ", runs.Select(r => r.Name))} has metrics yet: train them first, then draw their curves.");
        var both = pretraining.Count > 0 && fineTuning.Count > 0;
        var traces = new JsonArray();
        for (var i = 0; i < runs.Count; i++)
        {
            var color = Palette[i % Palette.Length];
            var run = runs[i];
            if (pretraining.Contains(run))
            {
                var metrics = run.PretrainMetrics!;
                var losses = metrics.LossNames;
                for (var l = 0; l < losses.Count; l++)
                    traces.Add(Line($"{run.Name} {TrainingProgress.Label(losses[l])}", run.Name, color, Dashes[l % Dashes.Length],
                        [.. metrics.Steps.Select(s => (double)s.Step)], [.. metrics.Steps.Select(s => s[losses[l]])], ""));
            }
            else if (fineTuning.Contains(run))
            {
                var panel = both ? "2" : "";
                var lines = run.FineTuneEpochs;
                var scored = lines.Where(l => l.TestAccuracy.HasValue).ToList();
                if (scored.Count > 0)
                    traces.Add(Line($"{run.Name} test", run.Name, color, null, [.. scored.Select(l => (double)l.Epoch)],
                        [.. scored.Select(l => l.TestAccuracy!.Value)], panel, markers: true));
                traces.Add(Line($"{run.Name} train", run.Name, color, "dash", [.. lines.Select(l => (double)l.Epoch)],
                    [.. lines.Select(l => l.TrainAccuracy)], panel, markers: true));
            }
        }

        var title = both ? "Pretraining loss and fine-tuning accuracy" : pretraining.Count > 0 ? "Pretraining loss (a run's first loss solid, its second dashed)" : "Fine-tuning accuracy (test solid, train dashed)";
        var figure = pretraining.Count > 0
            ? EvaluationPlots.Figure(traces, title, "step", "cross-entropy")
            : EvaluationPlots.Figure(traces, title, "epoch", "accuracy");
        var layout = figure["layout"]!.AsObject();
        if (both)
        {
            layout["grid"] = new JsonObject { ["rows"] = 1, ["columns"] = 2, ["pattern"] = "independent" };
            layout["xaxis2"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "epoch" } };
            layout["yaxis2"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "accuracy" }, ["range"] = new JsonArray(0, 1.02) };
        }
        else if (pretraining.Count == 0)
        {
            layout["yaxis"]!["range"] = new JsonArray(0, 1.02);
        }
        return new Chart(figure.ToJsonString(), title, height: 420);
    }

    /// <inheritdoc/>
    public override string ToHtml() => Overview(Runs, [], $"Runs in {Root}").ToHtml();

    /// <inheritdoc/>
    public override string ToText() => Overview(Runs, [], $"Runs in {Root}").ToText();

    private List<RunEntry> Select(string[] names) => names is null || names.Length == 0 ? [.. Runs] : [.. names.Select(name => this[name])];

    private static Table Overview(IReadOnlyList<RunEntry> runs, IReadOnlyList<string> keys, string title)
    {
        // Each final number, and which runs have it.
        var metrics = runs.SelectMany(r => r.Metrics.Keys).Distinct(StringComparer.Ordinal).Where(n => !ShownElsewhere.Contains(n));
        List<(string Column, Func<RunEntry, object?> Value)> numbers =
        [
            ("epochs", r => r.Epochs),
            .. metrics.Select(name => (TrainingProgress.Label(name), (Func<RunEntry, object?>)(r => r.Metrics.TryGetValue(name, out var v) ? v : null))),
            ("test top-1", r => r.Result?.Test?.Top1 ?? r.FineTuneEpochs.LastOrDefault(l => l.TestAccuracy.HasValue)?.TestAccuracy),
            ("test top-5", r => r.Result?.Test?.TopK),
            ("time (s)", r => r.Seconds is { } seconds ? Math.Round(seconds, 1) : null),
            ("computed in", r => r.Summary?.Precision),
            ("images/s", r => r.Summary is { ImagesPerSecond: > 0 } summary ? Math.Round(summary.ImagesPerSecond) : null),
        ];
        var shown = numbers.Where(n => runs.Any(r => n.Value(r) is not null)).ToList();
        var rows = runs.Select(r => (IReadOnlyList<object?>)
        [
            r.Name,
            r.Problem is null ? r.Kind.Name : $"{r.Kind.Name} ({r.Problem})",
            .. keys.Select(key => r.RawSettings.TryGetValue(key, out var value) ? FlatJson.Cell(value) : null),
            .. shown.Select(n => n.Value(r)),
        ]);
        return new Table(["run", "kind", .. keys, .. shown.Select(n => n.Column)], rows, title);
    }

    private static JsonObject Line(string name, string group, string color, string? dash, double[] x, double[] y, string panel, bool markers = false)
    {
        var line = new JsonObject { ["color"] = color };
        if (dash is not null)
            line["dash"] = dash;
        return new JsonObject
        {
            ["type"] = "scatter",
            ["mode"] = markers ? "lines+markers" : "lines",
            ["name"] = name,
            ["legendgroup"] = group,
            ["x"] = EvaluationPlots.Numbers(x),
            ["y"] = EvaluationPlots.Numbers(y),
            ["line"] = line,
            ["xaxis"] = "x" + panel,
            ["yaxis"] = "y" + panel,
        };
    }
}
