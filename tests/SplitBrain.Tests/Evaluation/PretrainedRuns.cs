using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Tests.Evaluation;

/// <summary>
/// A temporary runs folder with two tiny pretraining runs, trained once for all the tests of the run machinery (fine-tuning
/// runs, the registry): 64 synthetic 32-pixel images with labeled splits of 40 training and 20 test images, the small
/// network, one epoch of 8 steps. <c>pretrain</c> has the defaults; <c>pretrain-l20</c> differs in two settings
/// (<see cref="OtherDifferences"/>).
/// </summary>
public sealed class PretrainedRuns : IDisposable
{
    /// <summary>The settings in which <c>pretrain-l20</c> differs from <c>pretrain</c>, as dotted keys.</summary>
    public static readonly string[] OtherDifferences = ["Targets.LightnessBins", "LearningRate"];

    private static readonly Action<string> Quiet = _ => { };
    private readonly Lazy<RunFolder> _pretrained;
    private readonly Lazy<RunFolder> _other;

    public PretrainedRuns()
    {
        _pretrained = new(() => Train("pretrain", Config));
        _other = new(() => Train("pretrain-l20", Config with { LearningRate = 1e-3, Targets = TargetConfig.Hard with { LightnessBins = 20 } }));
    }

    /// <summary>The runs folder.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("splitbrain-finetune-runs-").FullName;

    /// <summary>The workspace of the runs: the runs folder, which is also where relative paths start.</summary>
    public Workspace Workspace => new(Folder, Folder);

    /// <summary>The pretraining config of <c>pretrain</c>.</summary>
    public PretrainConfig Config => PretrainConfig.Small with
    {
        Data = new DataConfig
        {
            Synthetic = new SyntheticShapesConfig(UnlabeledCount: 64, TrainCount: 40, TestCount: 20, ImageSize: 32),
            CacheFolder = Path.Combine(Folder, "cache"),
        },
        BatchSize = 8,
        Epochs = 1,
        PriorImages = 32,
        PreviewImages = 0,
        LogEverySteps = 2,
        WarmupSteps = 0,
        LearningRate = 3e-3,
        Device = "cpu",
    };

    /// <summary>The pretraining run with the defaults, trained on first use.</summary>
    public RunFolder Pretrained => _pretrained.Value;

    /// <summary>The pretraining run that differs in <see cref="OtherDifferences"/>, trained on first use.</summary>
    public RunFolder Other => _other.Value;

    /// <summary>Fine-tuning on <see cref="Pretrained"/>: 3 epochs of 5 steps on the 40 training images, scored on the 20
    /// test images, on the CPU.</summary>
    public FineTuneRunConfig FineTune => FineTuneRunConfig.Default with
    {
        Pretrained = Pretrained.Path,
        Training = new ClassifierTrainingConfig(Epochs: 3, BatchSize: 8, LearningRate: 3e-3, Augmentation: AugmentationConfig.Default),
        Device = "cpu",
    };

    /// <summary>The run folder <paramref name="name"/> in <see cref="Folder"/>.</summary>
    public RunFolder Run(string name) => Workspace.Run(name);

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private RunFolder Train(string name, PretrainConfig config)
    {
        var run = Run(name);
        using var trainer = new Pretrainer(config, run, Quiet);
        trainer.Fit(TrainingProgress.None, TestContext.Current.CancellationToken);
        return run;
    }
}

/// <summary>The tests that use <see cref="PretrainedRuns"/>: they run alone (they seed torch's global generator) and share
/// the runs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PretrainedRunsCollection : ICollectionFixture<PretrainedRuns>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "pretrained runs";
}
