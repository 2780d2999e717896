using System.Text.Json;
using System.Text.Json.Nodes;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Evaluation;

/// <summary>
/// Every setting of a fine-tuning run (<see cref="FineTuneRun"/>): the pretrained network (a pretraining run), what the
/// classifier on it trains (<see cref="Classifier"/>), how (<see cref="Training"/>), and on which labeled images
/// (<see cref="Data"/>, <see cref="TrainPerClass"/>). Saved as <c>config.json</c> in the run folder.
/// </summary>
/// <remarks>
/// <para>An immutable record of plain values, like <see cref="PretrainConfig"/>: change it with <c>with</c>
/// (<c>FineTuneRunConfig.Default with { TrainPerClass = 10 }</c>), override it headless by name
/// (<c>--set Training.Epochs=3</c>, <c>--set Training.Steps=200</c>, <c>--set Classifier.Mode=Frozen</c>), compare two
/// with <c>==</c>.
/// <see cref="Validate"/> names the first bad field (<c>Training.BatchSize</c>).</para>
/// <para>What the run folder's <c>config.json</c> holds is this record with <see cref="Data"/> filled in (the pretraining
/// run's data when it was null), so that the folder alone says which images the classifier saw.</para>
/// <para>JSON by source-generated serialization (<see cref="ToJson"/>, <see cref="FromJson"/>), property names as in
/// C#, enums as names.</para>
/// </remarks>
public sealed record FineTuneRunConfig
{
    /// <summary>The name of the course's pretraining run (chapter 04's), the default <see cref="Pretrained"/>.</summary>
    public const string DefaultPretrained = "pretrain";

    /// <summary>The defaults: fine-tune the network of the run <see cref="DefaultPretrained"/> on all the labeled training
    /// images of its data, with <see cref="ClassifierTrainingConfig.Default"/> (10 epochs, augmentation).</summary>
    public static FineTuneRunConfig Default { get; } = new();

    /// <summary>
    /// The pretraining run whose network is fine-tuned: a name in the runs folder of the fine-tuning run's workspace
    /// (<see cref="Workspace.Run"/>) or a path. Its newest checkpoint that verifies gives the weights, the config saved with
    /// it the architecture and the L bins (<see cref="PretrainingRuns.LoadModel"/>); in <see cref="ClassifierMode.Scratch"/>
    /// only the architecture is used. Default <see cref="DefaultPretrained"/> (chapter 04's run).
    /// </summary>
    public string Pretrained { get; init; } = DefaultPretrained;

    /// <summary>What trains (frozen, fine-tuned, from scratch), the feature layer, pooling and dropout. Default
    /// <see cref="ClassifierConfig.FineTune"/>.</summary>
    public ClassifierConfig Classifier { get; init; } = ClassifierConfig.FineTune;

    /// <summary>Epochs or a budget (<see cref="ClassifierTrainingConfig.Steps"/>, <see cref="ClassifierTrainingConfig.Minutes"/>), batch size,
    /// learning rates, augmentation, seed (which also seeds the head's weights), scoring. Default
    /// <see cref="ClassifierTrainingConfig.Default"/>. The run's length (<see cref="ClassifierTrainingConfig.Epochs"/>, or the budget) and
    /// <see cref="ClassifierTrainingConfig.Precision"/> may change when the run resumes.</summary>
    public ClassifierTrainingConfig Training { get; init; } = ClassifierTrainingConfig.Default;

    /// <summary>
    /// Where the labeled images come from: the classifier trains on the <see cref="Data.DatasetSplit.Train"/> split (cut
    /// to <see cref="TrainPerClass"/> images per class) and is scored on the <see cref="Data.DatasetSplit.Test"/> split
    /// of this source; <see cref="DataConfig.Split"/> and <see cref="DataConfig.MaxImages"/> are not used. Null (the
    /// default): the pretraining run's source, so that the classifier sees images like those it was pretrained on (the
    /// synthetic shapes' labeled splits, or STL-10's train and test images).
    /// </summary>
    public DataConfig? Data { get; init; }

    /// <summary>Labeled training images per class, chosen by <see cref="SubsetSeed"/> (<see cref="LabeledSubset.PerClass"/>);
    /// 0 (the default) for all of them. Few labels are where pretraining pays off: compare 10 with all.</summary>
    public int TrainPerClass { get; init; }

    /// <summary>Selects the images of <see cref="TrainPerClass"/>; for one seed, smaller subsets are inside larger ones.
    /// Default 0.</summary>
    public int SubsetSeed { get; init; }

    /// <summary>The device request: <c>auto</c> (the default; <c>SPLITBRAIN_DEVICE</c> may pin it), <c>cpu</c>,
    /// <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Checkpoints kept (one is written after every epoch); at least 1. Default 2.</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>The config as indented JSON, enums as names (what <c>config.json</c> holds).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, EvaluationConfigJson.Default.FineTuneRunConfig);

    /// <summary>A config from <see cref="ToJson"/>'s JSON; properties it lacks, at any depth, keep their defaults.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The config (not validated: call <see cref="Validate"/>).</returns>
    /// <exception cref="JsonException">The text is not a config.</exception>
    public static FineTuneRunConfig FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var given = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("The JSON is not an object, so not a FineTuneRunConfig.");
        // Data's default is null; a partial Data object is laid over DataConfig's defaults, and null stays null.
        var complete = JsonNode.Parse((Default with { Data = new DataConfig() }).ToJson())!.AsObject();
        ConfigJson.Overlay(complete, given);
        var dataKey = given.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, nameof(Data), StringComparison.OrdinalIgnoreCase));
        if (dataKey is null || given[dataKey] is null)
            complete[nameof(Data)] = null;
        return complete.Deserialize(EvaluationConfigJson.Default.FineTuneRunConfig)
            ?? throw new JsonException("The JSON is null, not a FineTuneRunConfig object.");
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the first invalid field (nested ones with their path, e.g.
    /// <c>Training.BatchSize</c>) and what it must be.
    /// </summary>
    /// <returns>This config, so that <c>cfg.Validate()</c> can be used inline.</returns>
    public FineTuneRunConfig Validate()
    {
        const string me = nameof(FineTuneRunConfig);
        foreach (var (value, name) in new (object? Value, string Name)[]
                 { (Pretrained, nameof(Pretrained)), (Classifier, nameof(Classifier)), (Training, nameof(Training)), (Device, nameof(Device)) })
        {
            if (value is null)
                throw ConfigErrors.Field(me, name, "be set", null);
        }

        if (string.IsNullOrWhiteSpace(Pretrained))
            throw ConfigErrors.Field(me, nameof(Pretrained), "name a pretraining run (a name in the runs folder, or a path)", Pretrained);
        ConfigErrors.Within(me, nameof(Classifier), () => Classifier.Validate());
        ConfigErrors.Within(me, nameof(Training), () => Training.Validate());
        if (Data is not null)
            ConfigErrors.Within(me, nameof(Data), Data.Validate);
        if (TrainPerClass < 0)
            throw ConfigErrors.Field(me, nameof(TrainPerClass), "be >= 0 (0 for all images)", TrainPerClass);
        if (SubsetSeed < 0)
            throw ConfigErrors.Field(me, nameof(SubsetSeed), "be >= 0", SubsetSeed);
        if (!Devices.IsKnownRequest(Device))
            throw ConfigErrors.Field(me, nameof(Device), $"be {Devices.Choices}", Device);
        if (KeepCheckpoints < 1)
            throw ConfigErrors.Field(me, nameof(KeepCheckpoints), "be at least 1", KeepCheckpoints);
        return this;
    }
}
