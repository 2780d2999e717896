using SplitBrain.Color;
using SplitBrain.Display;
using SplitBrain.Models;
using SplitBrain.Quantization;
using SplitBrain.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Training;

/// <summary>
/// A pretraining run's previews, as an observer of the engine (<see cref="IRunObserver"/>): before the first step of a fresh
/// run the untrained network's (<c>previews/epoch-000.png</c>), after each end of an epoch (whole, or the partial one a budget
/// ends in) F1's colorization of the held-out preview images from their L (annealed mean, T = 0.38; decoded in the run's
/// <see cref="PretrainConfig.Split"/>), saved as
/// <c>previews/epoch-NNN.png</c> (<see cref="PreviewSheet"/>). Rendering draws no random numbers and changes no weights or
/// statistics (eval mode, no_grad), so a run with previews trains exactly as one without. Without preview images
/// (<see cref="PretrainConfig.PreviewImages"/> = 0), or for an objective whose network does not colorize
/// (<see cref="PreviewColorizer"/>), it draws nothing.
/// </summary>
/// <param name="task">The run's task: its network, preview images, quantizer, folder and precision.</param>
internal sealed class PreviewObserver(PretrainingTask task) : IRunObserver
{
    /// <summary>The previews' folder in the run folder.</summary>
    internal const string Folder = "previews";

    /// <summary>The preview of the last epoch ended (or, for a run complete before it started, of the network as it is),
    /// or null.</summary>
    internal ImageGrid? LastPreview { get; private set; }

    private string FolderPath => Path.Combine(task.Run.Path, Folder);

    /// <inheritdoc/>
    public void BeforeFit(Trainer trainer)
    {
        // The untrained network: the first row of the all-epochs grid.
        if (task.HasPreviews && trainer.Step == 0 && !trainer.IsComplete && !File.Exists(PathOf(0)))
            Render(0, 0);
    }

    /// <inheritdoc/>
    public void AfterEpoch(Trainer trainer, EpochReport epoch)
    {
        if (task.HasPreviews)
            LastPreview = Render(epoch.End.Epoch, trainer.Step);
    }

    /// <inheritdoc/>
    public void AfterFit(Trainer trainer, RunSummary summary)
    {
        // A run that was already complete trained no epoch here: its result still shows what the network does now.
        if (LastPreview is null && task.HasPreviews && trainer.Step > 0)
            LastPreview = Render(null, trainer.Step);
    }

    /// <summary>
    /// Removes the previews the run does not account for, as the engine does with its metric lines when a run starts: every
    /// one for a fresh run, those after <paramref name="completedEpochs"/> for a resumed one (they are drawn again).
    /// </summary>
    /// <param name="fresh">Whether the run starts afresh.</param>
    /// <param name="completedEpochs">Epochs the resumed run has done.</param>
    internal void TruncateTo(bool fresh, int completedEpochs)
    {
        foreach (var file in task.Run.PreviewFiles().Where(f => fresh || PretrainingRuns.EpochOf(f) > completedEpochs))
            File.Delete(file);
    }

    /// <summary>F1's colorization of the preview images now; saved as the epoch's preview when <paramref name="epoch"/> is given.</summary>
    /// <exception cref="InvalidOperationException">The run has no preview images.</exception>
    internal ImageGrid Render(int? epoch, long step)
    {
        var images = task.PreviewImages
            ?? throw new InvalidOperationException($"{nameof(PretrainConfig.PreviewImages)} is 0: this run has no preview images.");
        var network = task.Network;
        var colorize = PreviewColorizer.Of(network, task.AbQuantizer.Bins) ?? throw new InvalidOperationException(
            $"The objective '{task.Config.Objective}' trains no network that predicts the second half's bins from the first: this run has no previews.");
        using var region = NoGcRegion.Enter();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var precision = Autocast.Enter(task.ComputeType);
        var wasTraining = network.training;
        network.eval();
        try
        {
            var size = images.shape[2];
            var split = task.Split;                                                                 // Lab, or the run's split
            var (l, ab) = split.Channels.Split(split.FromRgb(images));                              // [P, 1, S, S], [P, 2, S, S]
            var logits = colorize(split.NormalizeFirst(l));                                         // [P, Q, h, w]
            var coarse = task.AbQuantizer.DecodeLogits(logits, DecodeMode.AnnealedMean);            // [P, 2, h, w]
            var fine = nn.functional.interpolate(coarse, size: [size, size], mode: InterpolationMode.Bilinear, align_corners: false);
            var colorized = split.ToRgb(l, fine);                                                   // [P, 3, S, S] 0..1
            var grey = split.ToRgb(l, full_like(ab, split.SecondNeutral));
            var title = epoch is { } e ? $"{task.Run.Name}: epoch {e}" : $"{task.Run.Name}: step {step}";
            var grid = PreviewSheet.Grid(images, grey, colorized, title, split: split);
            if (epoch is { } number)
            {
                Directory.CreateDirectory(FolderPath);
                grid.Save(PathOf(number));
            }
            return grid;
        }
        finally
        {
            network.train(wasTraining);
        }
    }

    private string PathOf(int epoch) => Path.Combine(FolderPath, PretrainingRuns.PreviewFileName(epoch));
}
