using System.Text.Json;
using System.Text.Json.Nodes;
using SplitBrain.Color;
using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Quantization;
using SplitBrain.Runs;
using SplitBrain.Training.Objectives;

namespace SplitBrain.Training;

/// <summary>
/// Every setting of a split-brain pretraining run (<see cref="Pretrainer"/>): data, network, targets, rebalancing,
/// augmentation, optimizer and schedule, length, device, checkpoints and what is logged. Saved as <c>config.json</c> in
/// the run folder.
/// </summary>
/// <remarks>
/// <para>An immutable record of plain values (nested records allowed), so a notebook changes it with <c>with</c>
/// (<c>PretrainConfig.Small with { LearningRate = 3e-4 }</c>), a headless run overrides it by name
/// (<c>--set LearningRate=3e-4</c>, <c>--set Data.MaxImages=500</c>), and two configs compare with <c>==</c>.
/// The defaults are documented on each property; <see cref="Small"/> and <see cref="Paper"/> are the two presets.</para>
/// <para><see cref="Validate"/> checks every field and how they fit together (the image size and the network's
/// stride, for one) and names the first bad field; <see cref="Pretrainer"/> calls it before doing anything.</para>
/// <para>JSON: <see cref="ToJson"/> and <see cref="FromJson"/>, with enums as names, by source-generated serialization
/// (.NET 10 file-based apps switch reflection-based serialization off).</para>
/// </remarks>
public sealed record PretrainConfig
{
    /// <summary>The defaults of every property: 20 000 synthetic 96-pixel images, the default (peer's) network, hard
    /// targets, rebalancing, Adam with a cosine schedule, 10 epochs of batches of 64, on the best device there is.</summary>
    public static PretrainConfig Default { get; } = new();

    /// <summary>
    /// A run for a CPU: 8 000 synthetic 96-pixel images (12 x 12 targets; the labeled splits have 1 000 training and
    /// 2 000 test images), the small network (<see cref="ModelConfig.Small"/>), batches of 64, 10 epochs (1 250 steps),
    /// Adam at 2e-3 after 100 warm-up steps with a cosine decay, shifts of up to 8 pixels and flips, class rebalancing.
    /// Batches of 64 were chosen by chapter 07's recipe study: at the same minute of training they gave the best conv5
    /// probe of the twelve recipes (+2.0 ± 0.5 points over batches of 32, three seeds). The run takes 134 s on two
    /// cores in bfloat16 (596 images/s). F2 (ab -&gt; L) learns far less than F1: on these images ab says little about
    /// L at 1-unit bins.
    /// </summary>
    public static PretrainConfig Small { get; } = new()
    {
        Data = new DataConfig { Synthetic = new SyntheticShapesConfig(UnlabeledCount: 8_000, TrainCount: 1_000, TestCount: 2_000) },
        Model = ModelConfig.Small,
        Augmentation = AugmentationConfig.Default,
        PriorImages = 1_000,
        LearningRate = 2e-3,
        WarmupSteps = 100,
        Epochs = 10,
        BatchSize = 64,
        LogEverySteps = 10,
    };

    /// <summary>
    /// The paper-sized run for a GPU: STL-10's 100 000 unlabeled 96-pixel images from <c>data/stl10</c>
    /// (<c>data-scripts/stl10.cs</c> downloads them), the half-AlexNet with fc6/fc7 of 2048
    /// (<see cref="ModelConfig.Paper"/>), batches of 256, 60 epochs, Adam at 1e-3 with 1 000 warm-up steps and a cosine
    /// decay, on <c>cuda</c> (it refuses to start where there is no GPU rather than run for days on a CPU).
    /// </summary>
    public static PretrainConfig Paper { get; } = new()
    {
        Data = new DataConfig { Source = DataSource.Stl10, Path = "data/stl10" },
        Model = ModelConfig.Paper,
        PriorImages = 10_000,
        LearningRate = 1e-3,
        WeightDecay = 1e-5,
        WarmupSteps = 1_000,
        Epochs = 60,
        BatchSize = 256,
        Device = "cuda",
        LogEverySteps = 50,
    };

    /// <summary>The images: source, count, cache. Default: the synthetic shapes (<see cref="DataConfig"/>'s defaults).</summary>
    public DataConfig Data { get; init; } = new();

    /// <summary>The architecture of both halves. Default <see cref="ModelConfig.Default"/>.</summary>
    public ModelConfig Model { get; init; } = ModelConfig.Default;

    /// <summary>Hard or soft targets on blocks of <see cref="TargetConfig.DownsampleFactor"/> pixels, which must equal the
    /// network's total stride (2 x <see cref="ModelConfig.Conv1Stride"/>), and the number of L bins F2 predicts
    /// (<see cref="TargetConfig.LightnessBins"/>, 100; <c>--set Targets.LightnessBins=20</c>). Default
    /// <see cref="TargetConfig.Hard"/>.</summary>
    public TargetConfig Targets { get; init; } = TargetConfig.Hard;

    /// <summary>Random crops and flips applied to each batch. Default <see cref="AugmentationConfig.Default"/>.</summary>
    public AugmentationConfig Augmentation { get; init; } = AugmentationConfig.Default;

    /// <summary>Weight each target position by class rebalancing (Zhang 2016, sec. 2.2), both halves, from a prior
    /// estimated over <see cref="PriorImages"/> training images. Default true.</summary>
    public bool Rebalance { get; init; } = true;

    /// <summary>Weight of the uniform distribution mixed into the prior before inverting it, in [0, 1]. Default 0.5
    /// (<see cref="QuantizationDefaults.PriorMixLambda"/>, the paper's).</summary>
    public double RebalanceLambda { get; init; } = QuantizationDefaults.PriorMixLambda;

    /// <summary>How many training images (the first ones, without augmentation) the prior is counted over. Default 1 000.</summary>
    public int PriorImages { get; init; } = 1_000;

    /// <summary>Adam (the default) or SGD with momentum.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>The peak learning rate, after warm-up. Default 1e-3 (Adam's usual).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>SGD's momentum, or Adam's beta1 (the same running mean of the gradient), in [0, 1). Default 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay added to the gradient, &gt;= 0. Default 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>How the learning rate changes after warm-up. Default <see cref="LearningRateSchedule.Cosine"/>.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;

    /// <summary>Steps over which the learning rate rises linearly from LearningRate / WarmupSteps to LearningRate.
    /// Default 0 (none).</summary>
    public int WarmupSteps { get; init; }

    /// <summary>For <see cref="LearningRateSchedule.Step"/>: epochs between two decays, at least 1. Default 10.</summary>
    public int StepEpochs { get; init; } = 10;

    /// <summary>For <see cref="LearningRateSchedule.Step"/>: the factor of each decay, in (0, 1]. Default 0.1.</summary>
    public double StepFactor { get; init; } = 0.1;

    /// <summary>Passes over the data, at least 1. Default 10. What ends the run unless <see cref="Steps"/> or
    /// <see cref="Minutes"/> is set. A resumed run may change it (more epochs continue the run).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>
    /// A budget of optimizer steps, at least 1, or null (the default) for none. When set, the run trains exactly this many
    /// steps whatever <see cref="Epochs"/> says (its last epoch may end part-way: it still gets its epoch line, preview and
    /// checkpoint), and the schedule's warm-up and decay span exactly these steps. At most one of <see cref="Steps"/> and
    /// <see cref="Minutes"/>. Headless: <c>--set Pretrain.Steps=1000</c> (<c>--set Steps=1000</c> in
    /// <c>tools/pretrain.cs</c>). A resumed run may change it: a larger budget continues the run, its schedule then spanning
    /// the new total; one below the steps done ends the run where it is.
    /// </summary>
    public long? Steps { get; init; }

    /// <summary>
    /// A budget of minutes of training steps (a finite number &gt; 0), or null (the default) for none: what a teacher plans
    /// a lesson with. The run times its steps 6 to 25 and then fixes its step count at what fits into the minutes at that
    /// rate (<see cref="TrainingBudget"/>); from there it is a <see cref="Steps"/> budget, deterministic, and the count is
    /// saved with every checkpoint, so a resumed run keeps it. The minutes count the training steps (as the summary's
    /// training seconds do): setting up, the epochs' previews and checkpoints come on top. So that the schedule's first
    /// steps do not depend on a count not yet fixed, a cosine decay starts no earlier than step
    /// <see cref="TrainingBudget.CalibratedBy"/> (25) in a run with minutes (the peak rate until then when
    /// <see cref="WarmupSteps"/> is shorter; with a warm-up of 25 steps or more, as both presets have, the schedule is
    /// exactly a step budget's). At most one of <see cref="Steps"/> and <see cref="Minutes"/>. Headless:
    /// <c>--set Pretrain.Minutes=8</c> (<c>--set Minutes=8</c> in <c>tools/pretrain.cs</c>). A resumed run may change it:
    /// other minutes buy steps at the rate measured when the count was first fixed, without timing again.
    /// </summary>
    public double? Minutes { get; init; }

    /// <summary>Images per step, at least 2 (BatchNorm needs more than one). Default 64. The last partial batch of an
    /// epoch is left out.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Seed of the weights, the shuffle and the augmentation: the same config gives the same run. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>The device request (<see cref="Devices.Resolve"/>): <c>auto</c> (the default; <c>SPLITBRAIN_DEVICE</c> may
    /// pin it), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>The precision of the network's compute: <see cref="Models.Precision.Auto"/> (the default: the faster of
    /// float32 and bfloat16 on this machine for this network, batch, thread count and device, timed once and kept in the
    /// workspace's cache, <see cref="PrecisionProbe"/>; float32 where the hardware has no bfloat16), <see cref="Models.Precision.Float32"/> or
    /// <see cref="Models.Precision.BFloat16"/> (float32 master weights, BatchNorm statistics, losses and metrics either way;
    /// <see cref="Autocast"/>). A resumed run may change it: checkpoints hold float32 weights.</summary>
    public Precision Precision { get; init; } = Precision.Auto;

    /// <summary>CPU threads for TorchSharp (<c>torch.set_num_threads</c>), or 0 (the default) to leave TorchSharp's own
    /// choice (one per core).</summary>
    public int Threads { get; init; }

    /// <summary>Write a checkpoint every this many steps; 0 (the default) for none between epochs.</summary>
    public int CheckpointEverySteps { get; init; }

    /// <summary>Write a checkpoint every this many epochs; 0 for none. Default 1. The last epoch always writes one.</summary>
    public int CheckpointEveryEpochs { get; init; } = 1;

    /// <summary>Checkpoints kept: older ones are deleted once a newer one is complete. At least 1; default 3.</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>Images colorized after each epoch for the previews, 0..32; 0 for none. Default 8.</summary>
    public int PreviewImages { get; init; } = 8;

    /// <summary>Steps between two lines of <c>metrics.jsonl</c> (each line holds the means since the previous one), at
    /// least 1. Default 10.</summary>
    public int LogEverySteps { get; init; } = 10;

    /// <summary>What the run minimises, and so which network it trains: the name of a registered objective
    /// (<see cref="PretrainObjectives"/>: every row of the paper's ablation, e.g. <c>autoencoder</c>, <c>l-to-ab-reg</c>,
    /// <c>split-brain-reg-reg</c>; <c>tools/pretrain.cs --objectives</c> lists them). Default null: the paper's split-brain
    /// cross-entropy (<see cref="SplitBrainObjective"/>); left out of <c>config.json</c> then, so that runs written before
    /// objectives existed resume.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Objective { get; init; }

    /// <summary>The color space and split the network is trained on: <see cref="ColorSplit.Lab"/> (the default, the paper's
    /// L | ab), <see cref="ColorSplit.YCbCr"/> (Y | CbCr) or <see cref="ColorSplit.Rgb"/> (R | GB); <c>--set Split=YCbCr</c>.
    /// It sets the inputs, the targets and their bins (<see cref="SplitSpace"/>), so a resumed run may not change it. Left
    /// out of <c>config.json</c> when Lab, so that runs written before splits existed resume.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public ColorSplit Split { get; init; }

    /// <summary>The budget of <see cref="Steps"/> or <see cref="Minutes"/>, or null for whole epochs (what the engine gets).</summary>
    internal TrainingBudget? Budget => TrainingBudget.Of(Steps, Minutes);

    /// <summary>The steps of the whole run: <see cref="Steps"/>, or <see cref="Epochs"/> epochs of
    /// <paramref name="stepsPerEpoch"/>; null with <see cref="Minutes"/>, whose count is fixed while the run trains
    /// (<see cref="Pretrainer.TotalSteps"/>).</summary>
    /// <param name="stepsPerEpoch">Steps in one epoch (<see cref="Pretrainer.StepsPerEpoch"/>).</param>
    public long? TotalSteps(int stepsPerEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        return Steps ?? (Minutes is null ? (long)Epochs * stepsPerEpoch : null);
    }

    /// <summary>
    /// The learning rate of step <paramref name="step"/> (0-based) in a run of <see cref="TotalSteps"/> steps: see
    /// <see cref="LearningRateAt(long, int, long)"/>.
    /// </summary>
    /// <param name="step">The step, from 0.</param>
    /// <param name="stepsPerEpoch">Steps in one epoch (for the total length and for <see cref="LearningRateSchedule.Step"/>).</param>
    /// <returns>The learning rate, &gt; 0 except at the very end of a cosine schedule.</returns>
    /// <exception cref="InvalidOperationException"><see cref="Minutes"/> is set: the run's steps are known only once it has
    /// timed its first steps; pass them (<see cref="Pretrainer.TotalSteps"/>) to the overload that takes them.</exception>
    public double LearningRateAt(long step, int stepsPerEpoch) =>
        LearningRateAt(step, stepsPerEpoch, TotalSteps(stepsPerEpoch) ?? throw new InvalidOperationException(
            $"With {nameof(Minutes)} = {Minutes} the run's step count is fixed only once it has timed its first steps: pass it, "
            + $"{nameof(LearningRateAt)}(step, stepsPerEpoch, totalSteps) with the trainer's {nameof(Pretrainer.TotalSteps)}."));

    /// <summary>The learning rate of step <paramref name="step"/> (0-based) in a run of <paramref name="totalSteps"/> steps:
    /// <see cref="PretrainSchedule"/>, which owns the schedule.</summary>
    /// <param name="step">The step, from 0.</param>
    /// <param name="stepsPerEpoch">Steps in one epoch (for <see cref="LearningRateSchedule.Step"/>).</param>
    /// <param name="totalSteps">Steps of the whole run (the engine's <see cref="Trainer.TotalSteps"/>).</param>
    /// <returns>The learning rate.</returns>
    public double LearningRateAt(long step, int stepsPerEpoch, long totalSteps) => new PretrainSchedule(this, stepsPerEpoch).RateAt(step, totalSteps);

    /// <summary>The config as indented JSON, enums as names (what <c>config.json</c> holds).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, PretrainConfigJson.Default.PretrainConfig);

    /// <summary>A config from <see cref="ToJson"/>'s JSON; properties it lacks, at any depth, keep their defaults.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The config (not validated: call <see cref="Validate"/>).</returns>
    /// <exception cref="JsonException">The text is not a config.</exception>
    public static PretrainConfig FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var given = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("The JSON is not an object, so not a PretrainConfig.");
        var complete = JsonNode.Parse(Default.ToJson())!.AsObject();
        ConfigJson.Overlay(complete, given);
        return complete.Deserialize(PretrainConfigJson.Default.PretrainConfig)
            ?? throw new JsonException("The JSON is null, not a PretrainConfig object.");
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the first invalid field (nested ones with their path, e.g.
    /// <c>Model.Conv1Stride</c>) and what it must be: ranges, known names, and the fit between the image size, the
    /// network's stride and the target blocks.
    /// </summary>
    /// <returns>This config, so that <c>cfg.Validate()</c> can be used inline.</returns>
    public PretrainConfig Validate()
    {
        const string me = nameof(PretrainConfig);
        foreach (var (value, name) in new (object? Value, string Name)[]
                 { (Data, nameof(Data)), (Model, nameof(Model)), (Targets, nameof(Targets)), (Augmentation, nameof(Augmentation)), (Device, nameof(Device)) })
        {
            if (value is null)
                throw ConfigErrors.Field(me, name, "be set", null);
        }

        ConfigErrors.Within(me, nameof(Data), Data.Validate);
        ConfigErrors.Within(me, nameof(Model), () => Model.Validate());
        ConfigErrors.Within(me, nameof(Targets), Targets.Validate);
        ConfigErrors.Within(me, nameof(Augmentation), Augmentation.Validate);

        // The sub-networks predict on a grid 2 * Conv1Stride times coarser than the image, and the targets are averages
        // over DownsampleFactor-pixel blocks: the two grids must be the same, and the image must tile into both.
        var stride = 2 * Model.Conv1Stride;
        var size = Data.ImageSize;
        if (Targets.DownsampleFactor != stride)
            throw ConfigErrors.Field(me, $"{nameof(Targets)}.{nameof(TargetConfig.DownsampleFactor)}",
                $"equal the network's total stride 2 x {nameof(Model)}.{nameof(ModelConfig.Conv1Stride)} = {stride}, so that predictions and targets share one grid",
                Targets.DownsampleFactor);
        if (size % stride != 0)
            throw ConfigErrors.Field(me, $"{nameof(Data)}.{nameof(DataConfig.ImageSize)}",
                $"be divisible by the network's total stride {stride} (e.g. {size / stride * stride} or {(size / stride + 1) * stride})", size);
        if (Augmentation.Crop == CropMode.PadAndCrop && Augmentation.Padding >= size)
            throw ConfigErrors.Field(me, $"{nameof(Augmentation)}.{nameof(AugmentationConfig.Padding)}",
                $"be smaller than the image size {size}", Augmentation.Padding);

        // The bins are fixed by the quantizers (313 ab or the split's grid, Targets.LightnessBins L); a soft encoding must
        // spread over at least one and at most all of them, which SoftEncode would otherwise only find at the first step.
        if (!Enum.IsDefined(Split))
            throw ConfigErrors.Field(me, nameof(Split), $"be one of {string.Join(", ", Enum.GetNames<ColorSplit>())}", Split);
        CheckSoftEncoding(Targets.AbSoftEncoding, $"{nameof(Targets)}.{nameof(TargetConfig.AbSoftEncoding)}", GamutGrid.Bins(SplitSpace.For(Split)));
        CheckSoftEncoding(Targets.LightnessSoftEncoding, $"{nameof(Targets)}.{nameof(TargetConfig.LightnessSoftEncoding)}", Targets.LightnessBins);
        if (!(RebalanceLambda >= 0 && RebalanceLambda <= 1))
            throw ConfigErrors.Field(me, nameof(RebalanceLambda), "be in [0, 1]", RebalanceLambda);
        if (PriorImages < 1)
            throw ConfigErrors.Field(me, nameof(PriorImages), "be at least 1", PriorImages);
        if (!Enum.IsDefined(Optimizer))
            throw ConfigErrors.Field(me, nameof(Optimizer), $"be one of {string.Join(", ", Enum.GetNames<OptimizerKind>())}", Optimizer);
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw ConfigErrors.Field(me, nameof(LearningRate), "be a positive, finite number", LearningRate);
        if (!(Momentum >= 0 && Momentum < 1))
            throw ConfigErrors.Field(me, nameof(Momentum), "be in [0, 1)", Momentum);
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
            throw ConfigErrors.Field(me, nameof(WeightDecay), "be a finite number >= 0", WeightDecay);
        if (Objective is not null && !PretrainObjectives.Contains(Objective))
            throw ConfigErrors.Field(me, nameof(Objective), $"name a registered objective ({string.Join(", ", PretrainObjectives.Names)})", Objective);
        if (!Enum.IsDefined(Schedule))
            throw ConfigErrors.Field(me, nameof(Schedule), $"be one of {string.Join(", ", Enum.GetNames<LearningRateSchedule>())}", Schedule);
        if (WarmupSteps < 0)
            throw ConfigErrors.Field(me, nameof(WarmupSteps), "be >= 0", WarmupSteps);
        if (StepEpochs < 1)
            throw ConfigErrors.Field(me, nameof(StepEpochs), "be at least 1", StepEpochs);
        if (!(StepFactor > 0 && StepFactor <= 1))
            throw ConfigErrors.Field(me, nameof(StepFactor), "be in (0, 1]", StepFactor);
        if (Epochs < 1)
            throw ConfigErrors.Field(me, nameof(Epochs), "be at least 1", Epochs);
        if (TrainingBudget.Problem(Steps, Minutes, me) is { } budget)
            throw new ArgumentException(budget.Message, budget.Field);
        if (BatchSize < 2)
            throw ConfigErrors.Field(me, nameof(BatchSize), "be at least 2 (BatchNorm normalises over the batch)", BatchSize);
        if (Seed < 0)
            throw ConfigErrors.Field(me, nameof(Seed), "be >= 0", Seed);
        if (!Devices.IsKnownRequest(Device))
            throw ConfigErrors.Field(me, nameof(Device), $"be {Devices.Choices}", Device);
        if (Threads < 0)
            throw ConfigErrors.Field(me, nameof(Threads), "be >= 0 (0 for TorchSharp's default)", Threads);
        if (!Enum.IsDefined(Precision))
            throw ConfigErrors.Field(me, nameof(Precision), $"be one of {string.Join(", ", Enum.GetNames<Precision>())}", Precision);
        if (CheckpointEverySteps < 0)
            throw ConfigErrors.Field(me, nameof(CheckpointEverySteps), "be >= 0 (0 for none)", CheckpointEverySteps);
        if (CheckpointEveryEpochs < 0)
            throw ConfigErrors.Field(me, nameof(CheckpointEveryEpochs), "be >= 0 (0 for none)", CheckpointEveryEpochs);
        if (KeepCheckpoints < 1)
            throw ConfigErrors.Field(me, nameof(KeepCheckpoints), "be at least 1", KeepCheckpoints);
        if (PreviewImages is < 0 or > 32)
            throw ConfigErrors.Field(me, nameof(PreviewImages), "be in 0..32", PreviewImages);
        if (LogEverySteps < 1)
            throw ConfigErrors.Field(me, nameof(LogEverySteps), "be at least 1", LogEverySteps);
        return this;

        static void CheckSoftEncoding(SoftEncoding? encoding, string field, int bins)
        {
            if (encoding is null)
                return;
            if (encoding.K < 1 || encoding.K > bins)
                throw ConfigErrors.Field(me, $"{field}.{nameof(SoftEncoding.K)}", $"be in 1..{bins} (the quantizer's bins)", encoding.K);
            if (!(encoding.Sigma > 0) || double.IsInfinity(encoding.Sigma))
                throw ConfigErrors.Field(me, $"{field}.{nameof(SoftEncoding.Sigma)}", "be a positive, finite number", encoding.Sigma);
        }

    }
}

/// <summary>The optimizer of a pretraining run (<see cref="PretrainConfig.Optimizer"/>).</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma and Ba 2015) with beta1 = <see cref="PretrainConfig.Momentum"/>, beta2 = 0.999 and L2
    /// weight decay: forgiving of the learning rate, the usual choice for a short run.</summary>
    Adam,

    /// <summary>Stochastic gradient descent with momentum <see cref="PretrainConfig.Momentum"/> and L2 weight decay, as
    /// the original Caffe solvers.</summary>
    Sgd,
}

/// <summary>
/// How the learning rate changes over a run (<see cref="PretrainConfig.Schedule"/>), after a linear warm-up of
/// <see cref="PretrainConfig.WarmupSteps"/> steps; <see cref="PretrainConfig.LearningRateAt(long, int, long)"/> computes it.
/// </summary>
public enum LearningRateSchedule
{
    /// <summary><see cref="PretrainConfig.LearningRate"/> throughout.</summary>
    Constant,

    /// <summary>Half a cosine from <see cref="PretrainConfig.LearningRate"/> down to 0 at the run's end, its epochs' or its
    /// budget's steps (Loshchilov and Hutter 2017, without restarts).</summary>
    Cosine,

    /// <summary>Multiplied by <see cref="PretrainConfig.StepFactor"/> every <see cref="PretrainConfig.StepEpochs"/>
    /// epochs, as the Caffe "step" policy.</summary>
    Step,
}
