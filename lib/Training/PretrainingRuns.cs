using System.Globalization;
using SplitBrain.Data;
using SplitBrain.Display;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Training.Objectives;
using TorchSharp;

namespace SplitBrain.Training;

/// <summary>
/// What a pretraining run's folder holds, read back: its config, its metrics as typed records, its loss curves and
/// previews, and its trained network. Reading needs no trainer; only <see cref="LoadModel"/> builds a network.
/// </summary>
/// <remarks>
/// <code>
/// var run = Chapter.Run("pretrain");
/// run.LossCurves()              // both halves' losses against the step
/// run.Previews()                // F1's colorizations, one row per epoch
/// using var net = run.LoadModel();
/// </code>
/// The folder's layout is every run's (<see cref="RunFolder"/>), plus <c>previews/epoch-NNN.png</c>: after each epoch,
/// the preview images, their L, and F1's colorization from L (epoch 000 is the untrained network).
/// </remarks>
public static class PretrainingRuns
{
    /// <summary>The kind of a pretraining run: <c>"kind": "pretraining"</c> in its <c>config.json</c>.</summary>
    public static RunKind Kind { get; } = new("pretraining");

    private const string PreviewPrefix = "epoch-";

    /// <summary>The run's config.</summary>
    /// <param name="run">A pretraining run's folder.</param>
    /// <returns>The config from <c>config.json</c>.</returns>
    /// <exception cref="FileNotFoundException">The run has not started.</exception>
    /// <exception cref="InvalidDataException">The folder holds no pretraining run.</exception>
    public static PretrainConfig ReadConfig(this RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return PretrainConfig.FromJson(run.ReadConfigJson(PretrainingRuns.Kind));
    }

    /// <summary>The step and epoch lines of <c>metrics.jsonl</c> as pretraining's records (none before the first), with
    /// whatever metrics the run's objective recorded; which of them are losses comes from the objective its
    /// <c>config.json</c> names when that one is registered here, else from the names (<see cref="RunMetrics.IsLoss"/>).</summary>
    /// <param name="run">A pretraining run's folder.</param>
    /// <returns>Step and epoch lines, in file order.</returns>
    /// <exception cref="InvalidDataException">A line before the last is not valid JSON (the message names it).</exception>
    public static RunMetrics ReadMetrics(this RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new RunMetrics([.. run.ReadMetricLines(MetricLines.Step).Select(StepMetrics.FromLine)],
            [.. run.ReadMetricLines(MetricLines.Epoch).Select(EpochMetrics.FromLine)], LossesOf(run));
    }

    /// <summary>Every loss the run recorded against the step (<see cref="RunMetrics.LossChart"/>).</summary>
    /// <param name="run">A pretraining run's folder.</param>
    /// <returns>A line chart.</returns>
    public static Chart LossCurves(this RunFolder run) => run.ReadMetrics().LossChart($"Pretraining loss: {run.Name}");

    /// <summary>The preview files, <c>previews/epoch-000.png</c> (before training) onwards, by epoch.</summary>
    /// <param name="run">A pretraining run's folder.</param>
    /// <returns>Full paths.</returns>
    public static IReadOnlyList<string> PreviewFiles(this RunFolder run)
    {
        var folder = Path.Combine(run.Path, PreviewObserver.Folder);
        return Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder, PreviewPrefix + "*.png").Order(StringComparer.Ordinal)] : [];
    }

    /// <summary>
    /// The colorizations of every epoch in one grid: the original preview images in the first row, then one row per
    /// epoch with F1's colorization from L (annealed mean, T = 0.38); epoch 0 is the untrained network.
    /// </summary>
    /// <param name="run">A pretraining run's folder.</param>
    /// <param name="displaySize">Width of each image in CSS pixels (small images are enlarged without smoothing).</param>
    /// <returns>The grid.</returns>
    /// <exception cref="InvalidOperationException">There are no previews yet.</exception>
    public static ImageGrid Previews(this RunFolder run, int displaySize = 96)
    {
        var files = run.PreviewFiles();
        if (files.Count == 0)
            throw new InvalidOperationException($"The run '{run.Name}' has no previews yet ({Path.Combine(run.Path, PreviewObserver.Folder)}).");
        var rows = new List<ImageGrid.ImageRow>();
        try
        {
            for (var i = 0; i < files.Count; i++)
            {
                var (originals, colorized) = PreviewSheet.Read(files[i]);
                if (i == 0)
                    rows.Add(new ImageGrid.ImageRow("original", originals));
                else
                    originals.Dispose();
                rows.Add(new ImageGrid.ImageRow($"epoch {EpochOf(files[i])}", colorized));
            }
            return ImageGrid.Rows(rows, displaySize, $"{run.Name}: L \u2192 ab colorizations by epoch");
        }
        finally
        {
            rows.ForEach(r => r.Images.Dispose());
        }
    }

    /// <summary>
    /// The network this pretraining run trained, as of its newest checkpoint that verifies (or
    /// <paramref name="checkpoint"/>): rebuilt from the config saved in the checkpoint (the objective's kind of network,
    /// <see cref="PretrainObjective.CreateNetwork"/>, a <see cref="SplitBrainNet"/> for runs that name none; the
    /// architecture; the L bins of <see cref="TargetConfig.LightnessBins"/>, and the bins of its <see cref="PretrainConfig.Split"/>, which the
    /// network keeps for its inputs: <c>NetworkInputs.FromImages(images, network)</c>), with the checkpoint's weights and BatchNorm statistics, in evaluation
    /// mode. Building it does not disturb torch's global generator. The run need not be finished: a checkpoint mid-run
    /// gives the network of that step.
    /// </summary>
    /// <param name="run">A pretraining run's folder.</param>
    /// <param name="device">Where to put it; the CPU when null.</param>
    /// <param name="checkpoint">The checkpoint to load (one of <see cref="RunFolder.Checkpoints"/>); the newest that
    /// verifies when null.</param>
    /// <returns>The network; the caller owns it.</returns>
    /// <exception cref="InvalidOperationException">The run has no complete checkpoint that verifies.</exception>
    public static FeatureNetwork LoadModel(this RunFolder run, torch.Device? device = null, CheckpointInfo? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        checkpoint ??= run.LatestCheckpoint()
            ?? throw new InvalidOperationException(
                $"The run '{run.Name}' has no complete checkpoint ({run.CheckpointsPath}): train it first "
                + $"(new {nameof(Pretrainer)}(config, run).{nameof(Pretrainer.Fit)}()), or name another run.");
        var config = PretrainConfig.FromJson(RunFolder.ConfigWithoutKind(
            File.ReadAllText(Path.Combine(checkpoint.Path, Trainer.ConfigFile)), PretrainingRuns.Kind, checkpoint.Path));
        using var region = NoGcRegion.Enter();
        using var generator = torch.random.get_rng_state(); // the weights are drawn, then overwritten: leave no trace
        using var targets = new TargetBuilder(config.Targets, split: config.Split);
        var model = PretrainObjectives.Create(config.Objective).CreateNetwork(config.Model, targets.LightnessQuantizer, targets.AbQuantizer, device);
        model.Split = config.Split;
        try
        {
            torch.random.set_rng_state(generator);
            using var reader = new BinaryReader(File.OpenRead(Path.Combine(checkpoint.Path, Trainer.ModelFile)));
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

    // The losses of the objective the run's config names, or null when there is no config or the objective is not
    // registered in this process (a test's or a notebook's own).
    private static IReadOnlyList<string>? LossesOf(RunFolder run)
    {
        if (!File.Exists(run.ConfigPath) || run.Kind != Kind)
            return null;
        var name = run.ReadConfig().Objective ?? PretrainObjectives.Default;
        if (!PretrainObjectives.Contains(name))
            return null;
        var objective = PretrainObjectives.Create(name);
        return [.. objective.MetricNames.Take(objective.LossCount)];
    }

    /// <summary>The preview file name of <paramref name="epoch"/>: <c>epoch-003.png</c>.</summary>
    internal static string PreviewFileName(int epoch) => PreviewPrefix + epoch.ToString("D3", CultureInfo.InvariantCulture) + ".png";

    /// <summary>The epoch of a preview file.</summary>
    internal static int EpochOf(string previewFile) =>
        int.Parse(Path.GetFileNameWithoutExtension(previewFile).AsSpan(PreviewPrefix.Length), CultureInfo.InvariantCulture);
}
