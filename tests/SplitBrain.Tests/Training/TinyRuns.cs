using SplitBrain.Data;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Tests.Training;

/// <summary>
/// A temporary folder for pretraining runs and their data cache, and a config small enough for a test: 96 synthetic
/// 32-pixel images (4 x 4 targets), the small network, batches of 8 (12 steps an epoch), on the CPU.
/// </summary>
internal sealed class TinyRuns : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("splitbrain-runs-").FullName;

    public PretrainConfig Config => PretrainConfig.Small with
    {
        Data = new DataConfig
        {
            Synthetic = new SyntheticShapesConfig(UnlabeledCount: 96, TrainCount: 0, TestCount: 4, ImageSize: 32),
            CacheFolder = Path.Combine(Folder, "cache"),
        },
        BatchSize = 8,
        Epochs = 2,
        PriorImages = 32,
        PreviewImages = 4,
        LogEverySteps = 3,
        WarmupSteps = 0,
        LearningRate = 3e-3,
    };

    /// <summary>The run folder <paramref name="name"/> inside <see cref="Folder"/>.</summary>
    public RunFolder Run(string name) => new(Path.Combine(Folder, name));

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>Pretraining's metrics in a progress report, by name.</summary>
internal static class PretrainingProgress
{
    public static double LossF1(this TrainingProgress p) => p["lossF1"];

    public static double LossF2(this TrainingProgress p) => p["lossF2"];
}

/// <summary>Records every report of a run: the per-step values, and what the test asks to look at meanwhile.</summary>
internal sealed class RecordingProgress(Action<TrainingProgress>? onStep = null) : IProgress<TrainingProgress>
{
    public List<TrainingProgress> Steps { get; } = [];

    public List<TrainingProgress> EpochEnds { get; } = [];

    public void Report(TrainingProgress value)
    {
        if (value.Status is null)
        {
            Steps.Add(value);
            onStep?.Invoke(value);
        }
        else
        {
            EpochEnds.Add(value);
        }
    }
}
