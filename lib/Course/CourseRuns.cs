using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Course;

/// <summary>The runs the chapters share, in the course's workspace (<see cref="Chapter.Workspace"/>).</summary>
public static class CourseRuns
{
    /// <summary>The pretraining run of chapter 04, which chapters 05 and 06 evaluate.</summary>
    public const string Pretrain = SplitBrain.Evaluation.FineTuneRunConfig.DefaultPretrained;

    /// <summary>
    /// The network of the pretraining run <paramref name="run"/> with settings <paramref name="config"/>: loaded from
    /// the run's last checkpoint when the run finished with exactly these settings (chapter 04 trained it), trained
    /// first otherwise (a chapter opened before chapter 04, or an unfinished run, which resumes).
    /// </summary>
    /// <param name="config">The run's settings: chapter 04's knob, so that the chapters mean the same run; its
    /// <see cref="PretrainConfig.Device"/> is where the network goes (the course's <c>SPLITBRAIN_DEVICE</c> sets it for
    /// every chapter alike, <see cref="Chapter.Knobs{T}"/>).</param>
    /// <param name="run">The run's folder name (or path) in the course's workspace.</param>
    /// <param name="log">Where to say what happens; <see cref="Console.WriteLine(string)"/> when null.</param>
    /// <returns>The network in evaluation mode, on the config's device; the caller owns it.</returns>
    /// <exception cref="InvalidOperationException">The folder holds a run with other settings (the message names
    /// them): use another run name or chapter 04's settings.</exception>
    public static FeatureNetwork LoadOrPretrain(PretrainConfig config, string run, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        log ??= Console.WriteLine;
        var folder = Chapter.Run(run);
        var device = Devices.Resolve(config.Device);
        // Complete: its epochs, or its Steps or Minutes budget, are done (a budget may end inside an epoch).
        if (folder.Exists && folder.ReadSummary() is { Complete: true } summary && folder.ReadConfig().ToJson() == config.ToJson())
        {
            log($"loading the network of {folder} ({summary.Epochs} epochs, last epoch "
                + string.Join(", ", summary.Metrics.Select(m => $"{TrainingProgress.Label(m.Key)} {TrainingProgress.Format(m.Key, m.Value)}")) + ")");
            return folder.LoadModel(device);
        }

        log($"{folder} is not finished with these settings: pretraining it now");
        using (var trainer = new Pretrainer(config, folder, log))
            trainer.Fit(TrainingProgress.None);
        return folder.LoadModel(device);
    }
}
