using System.Globalization;
using System.Text;
using System.Text.Json;
using SplitBrain.Course;
using SplitBrain.Data;
using SplitBrain.Display;
using SplitBrain.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Training;

/// <summary>
/// The folder of one pretraining run, <c>runs/&lt;name&gt;/</c>: what it was asked to do, what it measured, its
/// checkpoints and pictures; written by <see cref="Pretrainer"/> and read back here.
/// </summary>
/// <remarks>
/// <para>Layout:</para>
/// <list type="bullet">
/// <item><c>config.json</c>: the <see cref="PretrainConfig"/> (written when the run starts, rewritten when a resumed run
/// is given more epochs);</item>
/// <item><c>metrics.jsonl</c>: one JSON object per line, <c>"kind": "step"</c> (<see cref="StepMetrics"/>, every
/// <see cref="PretrainConfig.LogEverySteps"/> steps) or <c>"kind": "epoch"</c> (<see cref="EpochMetrics"/>);</item>
/// <item><c>checkpoints/step-00000120/</c>: model, optimizer, random states, config and <c>state.json</c> (see <see cref="CheckpointInfo"/>),
/// written atomically, the last <see cref="PretrainConfig.KeepCheckpoints"/> kept;</item>
/// <item><c>previews/epoch-003.png</c>: after each epoch, preview images, their L, and F1's colorization from L
/// (epoch 000 is the untrained network);</item>
/// <item><c>summary.json</c>: the <see cref="PretrainSummary"/>, when a session of <see cref="Pretrainer.Fit"/> ends.</item>
/// </list>
/// <para>The reader side (<see cref="ReadConfig"/>, <see cref="ReadMetrics"/>, <see cref="LossCurves"/>,
/// <see cref="Previews"/>, <see cref="All"/>) needs no model and no TorchSharp work beyond decoding PNGs, so a notebook
/// can compare finished runs cheaply. <see cref="LoadModel"/> rebuilds the trained network from the newest checkpoint,
/// for the chapters that evaluate it.</para>
/// <para>Fine-tuning runs (<c>SplitBrain.Evaluation.FineTuneRun</c>) use the same layout, paths and checkpoint
/// machinery with their own config, metrics lines and a <c>result.json</c>; <c>SplitBrain.Evaluation.RunRegistry</c>
/// lists and compares runs of both kinds.</para>
/// </remarks>
public sealed class RunFolder
{
    private const string PreviewPrefix = "epoch-";

    /// <summary>The run folder at <paramref name="path"/> (it need not exist yet).</summary>
    /// <param name="path">The folder; relative paths are taken from the working folder.</param>
    public RunFolder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The folder (full path).</summary>
    public string Path { get; }

    /// <summary>The run's name: the folder's name.</summary>
    public string Name => System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(Path));

    /// <summary><c>config.json</c>.</summary>
    public string ConfigPath => System.IO.Path.Combine(Path, "config.json");

    /// <summary><c>metrics.jsonl</c>.</summary>
    public string MetricsPath => System.IO.Path.Combine(Path, "metrics.jsonl");

    /// <summary><c>summary.json</c>.</summary>
    public string SummaryPath => System.IO.Path.Combine(Path, "summary.json");

    /// <summary>The <c>checkpoints/</c> folder.</summary>
    public string CheckpointsPath => System.IO.Path.Combine(Path, "checkpoints");

    /// <summary>The <c>previews/</c> folder.</summary>
    public string PreviewsPath => System.IO.Path.Combine(Path, "previews");

    /// <summary>Whether the run has started: its <c>config.json</c> exists.</summary>
    public bool Exists => File.Exists(ConfigPath);

    /// <summary>
    /// The run called <paramref name="name"/> in the runs folder, <see cref="Chapter.RunDirectory"/>
    /// (<c>runs/</c> of the repository, or <c>SPLITBRAIN_RUN_DIR</c>).
    /// </summary>
    /// <param name="name">A folder name: no path separators, not <c>.</c> or <c>..</c>.</param>
    /// <returns>The run folder.</returns>
    /// <exception cref="ArgumentException">The name is empty or not a plain folder name.</exception>
    public static RunFolder Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.IndexOfAny(['/', '\\']) >= 0 || name is "." or ".." || name.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException(
                $"A run name must be a plain folder name (no '/' or '\\'); got '{name}'. For a folder elsewhere use new {nameof(RunFolder)}(path).",
                nameof(name));
        }

        return new RunFolder(System.IO.Path.Combine(Chapter.RunDirectory, name));
    }

    /// <summary>A run given by name (<see cref="Named"/>) or, when it contains a path separator or is rooted, by path.</summary>
    /// <param name="nameOrPath">E.g. <c>"small-1"</c> or <c>"/tmp/runs/small-1"</c>.</param>
    /// <returns>The run folder.</returns>
    public static RunFolder Resolve(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        return System.IO.Path.IsPathRooted(nameOrPath) || nameOrPath.IndexOfAny(['/', '\\']) >= 0
            ? new RunFolder(nameOrPath)
            : Named(nameOrPath);
    }

    /// <summary>Every run (a folder with a <c>config.json</c>) directly in <paramref name="root"/>, by name.</summary>
    /// <param name="root">The runs folder; <see cref="Chapter.RunDirectory"/> when null.</param>
    /// <returns>The runs; none when the folder does not exist.</returns>
    public static IReadOnlyList<RunFolder> All(string? root = null)
    {
        root ??= Chapter.RunDirectory;
        return Directory.Exists(root)
            ? [.. Directory.EnumerateDirectories(root).Select(d => new RunFolder(d)).Where(r => r.Exists).OrderBy(r => r.Name, StringComparer.Ordinal)]
            : [];
    }

    /// <summary>The run's config.</summary>
    /// <returns>The config from <c>config.json</c>.</returns>
    /// <exception cref="FileNotFoundException">The run has not started.</exception>
    /// <exception cref="JsonException">The file is not a config.</exception>
    public PretrainConfig ReadConfig()
    {
        if (!File.Exists(ConfigPath))
        {
            throw new FileNotFoundException($"The run '{Name}' has no config.json ({ConfigPath}): it has not been started.", ConfigPath);
        }

        return PretrainConfig.FromJson(File.ReadAllText(ConfigPath));
    }

    /// <summary>
    /// The lines of <c>metrics.jsonl</c> (none when it does not exist). A last line cut short by a crash is ignored;
    /// lines of kinds this version does not know are skipped.
    /// </summary>
    /// <returns>Step and epoch lines, in file order.</returns>
    /// <exception cref="InvalidDataException">A line before the last is not valid JSON (the message names it).</exception>
    public RunMetrics ReadMetrics()
    {
        var steps = new List<StepMetrics>();
        var epochs = new List<EpochMetrics>();
        if (!File.Exists(MetricsPath))
        {
            return new RunMetrics(steps, epochs);
        }

        var lines = File.ReadAllLines(MetricsPath);
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            try
            {
                using var line = JsonDocument.Parse(lines[i]);
                var kind = line.RootElement.TryGetProperty("kind", out var k) ? k.GetString() : null;
                if (kind == "step")
                {
                    steps.Add(line.RootElement.Deserialize(RunJson.Default.StepMetrics)!);
                }
                else if (kind == "epoch")
                {
                    epochs.Add(line.RootElement.Deserialize(RunJson.Default.EpochMetrics)!);
                }
            }
            catch (JsonException e) when (i == lines.Length - 1)
            {
                _ = e; // the last line of a run killed mid-write
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{MetricsPath} line {i + 1} is not a metrics object: {e.Message}", e);
            }
        }

        return new RunMetrics(steps, epochs);
    }

    /// <summary>The summary of the last session of <see cref="Pretrainer.Fit"/>, or null if none has ended yet.</summary>
    /// <returns>The summary.</returns>
    public PretrainSummary? ReadSummary() =>
        File.Exists(SummaryPath) ? JsonSerializer.Deserialize(File.ReadAllBytes(SummaryPath), RunJson.Default.PretrainSummary) : null;

    /// <summary>The complete checkpoints, oldest first.</summary>
    /// <returns>The checkpoints (none before the first is written).</returns>
    public IReadOnlyList<CheckpointInfo> Checkpoints() => new CheckpointStore(CheckpointsPath, int.MaxValue).List();

    /// <summary>The preview files, <c>previews/epoch-000.png</c> (before training) onwards, by epoch.</summary>
    /// <returns>Full paths.</returns>
    public IReadOnlyList<string> PreviewFiles() =>
        Directory.Exists(PreviewsPath)
            ? [.. Directory.EnumerateFiles(PreviewsPath, PreviewPrefix + "*.png").Order(StringComparer.Ordinal)]
            : [];

    /// <summary>The loss curves of both halves (<see cref="RunMetrics.LossChart"/>).</summary>
    /// <returns>A line chart.</returns>
    public Chart LossCurves() => ReadMetrics().LossChart($"Pretraining loss: {Name}");

    /// <summary>
    /// The colorizations of every epoch in one grid: the original preview images in the first row, then one row per
    /// epoch with F1's colorization from L (annealed mean, T = 0.38); epoch 0 is the untrained network.
    /// </summary>
    /// <param name="displaySize">Width of each image in CSS pixels (small images are enlarged without smoothing).</param>
    /// <returns>The grid.</returns>
    /// <exception cref="InvalidOperationException">There are no previews yet.</exception>
    public ImageGrid Previews(int displaySize = 96)
    {
        var files = PreviewFiles();
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"The run '{Name}' has no previews yet ({PreviewsPath}).");
        }

        var rows = new List<ImageGrid.ImageRow>();
        try
        {
            for (var i = 0; i < files.Count; i++)
            {
                var (originals, colorized) = PreviewSheet.Read(files[i]);
                if (i == 0)
                {
                    rows.Add(new ImageGrid.ImageRow("original", originals));
                }
                else
                {
                    originals.Dispose();
                }

                rows.Add(new ImageGrid.ImageRow($"epoch {EpochOf(files[i])}", colorized));
            }

            return ImageGrid.Rows(rows, displaySize, $"{Name}: L \u2192 ab colorizations by epoch");
        }
        finally
        {
            rows.ForEach(r => r.Images.Dispose());
        }
    }

    /// <summary>
    /// The network this pretraining run trained, as of its newest checkpoint that verifies (or
    /// <paramref name="checkpoint"/>): rebuilt from the config saved in the checkpoint (architecture, and the L bins of
    /// <see cref="TargetConfig.LightnessBins"/>), with the checkpoint's weights and BatchNorm statistics, in evaluation
    /// mode. Building it does not disturb torch's global generator. The run need not be finished: a checkpoint mid-run
    /// gives the network of that step.
    /// </summary>
    /// <param name="device">Where to put it; the CPU when null.</param>
    /// <param name="checkpoint">The checkpoint to load (one of <see cref="Checkpoints"/>); the newest that verifies when
    /// null.</param>
    /// <returns>The network; the caller owns it.</returns>
    /// <exception cref="InvalidOperationException">The run has no complete checkpoint that verifies.</exception>
    public SplitBrainNet LoadModel(Device? device = null, CheckpointInfo? checkpoint = null)
    {
        checkpoint ??= new CheckpointStore(CheckpointsPath, int.MaxValue).LatestValid(log: null)?.Info
            ?? throw new InvalidOperationException(
                $"The run '{Name}' has no complete checkpoint ({CheckpointsPath}): train it first "
                + $"(new {nameof(Pretrainer)}(config, \"{Name}\").{nameof(Pretrainer.Fit)}()), or name another run.");
        var config = PretrainConfig.FromJson(File.ReadAllText(System.IO.Path.Combine(checkpoint.Path, Pretrainer.ConfigFile)));
        using var region = NoGcRegion.Enter();
        using var generator = torch.random.get_rng_state(); // the weights are drawn, then overwritten: leave no trace
        using var targets = new TargetBuilder(config.Targets);
        var model = SplitBrainNet.Create(config.Model, targets.LightnessQuantizer, targets.AbQuantizer, device);
        try
        {
            torch.random.set_rng_state(generator);
            using var reader = new BinaryReader(File.OpenRead(System.IO.Path.Combine(checkpoint.Path, Pretrainer.ModelFile)));
            model.load(reader);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Deletes everything of the run (config, metrics, checkpoints, previews, summary), so that it starts
    /// afresh; nothing happens when the folder does not exist.</summary>
    public void Clear()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"run {Name} ({Path})";

    /// <summary>The preview file of <paramref name="epoch"/> (0: before training).</summary>
    internal string PreviewPath(int epoch) =>
        System.IO.Path.Combine(PreviewsPath, PreviewPrefix + epoch.ToString("D3", CultureInfo.InvariantCulture) + ".png");

    /// <summary>Writes <c>config.json</c> (atomically).</summary>
    internal void WriteConfig(PretrainConfig config) => AtomicFile.WriteAllText(ConfigPath, config.ToJson());

    /// <summary>Writes <c>summary.json</c> (atomically).</summary>
    internal void WriteSummary(PretrainSummary summary) =>
        AtomicFile.WriteAllText(SummaryPath, JsonSerializer.Serialize(summary, RunJsonIndented.Default.PretrainSummary));

    /// <summary>Appends a step line to <c>metrics.jsonl</c>.</summary>
    internal void Append(StepMetrics line) => AppendLine(JsonSerializer.Serialize(line, RunJson.Default.StepMetrics));

    /// <summary>Appends an epoch line to <c>metrics.jsonl</c>.</summary>
    internal void Append(EpochMetrics line) => AppendLine(JsonSerializer.Serialize(line, RunJson.Default.EpochMetrics));

    /// <summary>
    /// Keeps only the metrics a checkpoint accounts for (step lines up to <paramref name="step"/>, epoch lines up to
    /// <paramref name="completedEpochs"/>) and previews up to that epoch: what a run resumed from it will write again.
    /// With <paramref name="step"/> 0, everything goes (a fresh start in an old folder).
    /// </summary>
    internal void TruncateTo(long step, int completedEpochs)
    {
        if (File.Exists(MetricsPath))
        {
            // Line by line, so the order of step and epoch lines stays as written.
            var kept = new StringBuilder();
            foreach (var line in File.ReadLines(MetricsPath))
            {
                if (Accounted(line, step, completedEpochs))
                {
                    kept.Append(line).Append('\n');
                }
            }

            AtomicFile.WriteAllText(MetricsPath, kept.ToString());
        }

        foreach (var file in PreviewFiles().Where(f => EpochOf(f) > completedEpochs || step == 0))
        {
            File.Delete(file);
        }

        if (File.Exists(SummaryPath))
        {
            File.Delete(SummaryPath);
        }
    }

    private static bool Accounted(string line, long step, int completedEpochs)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var lineStep = root.TryGetProperty("step", out var s) && s.TryGetInt64(out var n) ? n : long.MaxValue;
            var isEpoch = root.TryGetProperty("kind", out var k) && k.GetString() == "epoch";
            var lineEpoch = root.TryGetProperty("epoch", out var e) && e.TryGetInt32(out var m) ? m : int.MaxValue;
            return lineStep <= step && (!isEpoch || lineEpoch <= completedEpochs);
        }
        catch (JsonException)
        {
            return false; // a line cut short by a crash
        }
    }

    private static int EpochOf(string previewFile) =>
        int.Parse(System.IO.Path.GetFileNameWithoutExtension(previewFile).AsSpan(PreviewPrefix.Length), CultureInfo.InvariantCulture);

    /// <summary>Appends one line of JSON to <c>metrics.jsonl</c> (any kind of run: each kind has its own line kinds).</summary>
    internal void AppendLine(string json)
    {
        Directory.CreateDirectory(Path);
        File.AppendAllText(MetricsPath, json + "\n");
    }

}
