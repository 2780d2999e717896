using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Training;
using SplitBrain.Training.Objectives;

namespace SplitBrain.Course;

/// <summary>
/// The knobs of chapter 08 (why split the brain?): the paper's ablation of objectives, every objective pretrained at one
/// fixed budget of steps over seeds and probed at conv1..conv5 against random+BN; and the budget axis, the margin over
/// random+BN of a few objectives at several budgets. The defaults are the chapter's full size (what the course runner
/// runs); <see cref="Test"/> is the size its headless test runs.
/// </summary>
/// <param name="Pretrain">The recipe every objective trains with: chapter 04's knob; <see cref="PretrainConfig.Small"/>
/// when null. Only its <see cref="PretrainConfig.Objective"/>, its budget and the data's style change between runs.</param>
/// <param name="Objectives">The objectives to compare, by name (<see cref="PretrainObjectives"/>), the course's default
/// first: the paper's rows (<see cref="PaperRows"/>) when null. Names not registered in this build are listed by
/// <see cref="Missing"/> and skipped, so the chapter runs with the objectives that exist.</param>
/// <param name="Steps">The fixed budget of every objective's run, in optimizer steps (the same on every machine); 400 by default.</param>
/// <param name="Seeds">The seeds every run uses (its pretraining, its random+BN floor and its probe subset). Default 0, 1, 2.</param>
/// <param name="Styles">The synthetic data styles the study runs on (<see cref="SyntheticStyle"/>); Shapes and Scenes when
/// null. Ignored (the data as configured) when <see cref="PretrainConfig.Data"/> is not synthetic.</param>
/// <param name="Layers">The layers probed; conv1 to conv5 when null, as in the paper's table.</param>
/// <param name="Probes">How the probes are fitted; <see cref="LinearProbeConfig.Default"/> when null.</param>
/// <param name="ProbeLabelsPerClass">Labeled images per class the probes are fitted on.</param>
/// <param name="BudgetObjectives">The objectives of the budget axis: the default and its nearest rivals when null
/// (split-brain, l-to-ab-cl, autoencoder: split against one direction, and prediction against reconstruction); unregistered
/// names are skipped.</param>
/// <param name="BudgetSteps">The budgets of the budget axis, in steps; 100, 200, 400, 800 when null. A budget equal to
/// <paramref name="Steps"/> reuses the study's runs.</param>
/// <param name="KeyLayer">The layer where the paper's orderings are tested (<see cref="WhySplitResults.Orderings"/>) and
/// whose margin over random+BN the budget axis draws: conv5, the deepest of the paper's table. One layer keeps the family
/// of tests small enough for three seeds to resolve anything after the correction.</param>
public sealed record WhySplitChapterConfig(
    PretrainConfig? Pretrain = null,
    string[]? Objectives = null,
    int Steps = 400,
    int[]? Seeds = null,
    SyntheticStyle[]? Styles = null,
    FeatureLayer[]? Layers = null,
    LinearProbeConfig? Probes = null,
    int ProbeLabelsPerClass = 100,
    string[]? BudgetObjectives = null,
    int[]? BudgetSteps = null,
    FeatureLayer KeyLayer = FeatureLayer.Conv5)
{
    /// <summary>The paper's ablation rows as objective names, the course's default first (issue 18's list).</summary>
    public static IReadOnlyList<string> PaperRows { get; } =
    [
        PretrainObjectives.Default, "split-brain-reg-reg", "split-brain-cl-reg", "l-to-ab-cl", "l-to-ab-reg", "ab-to-l-cl",
        "ab-to-l-reg", "autoencoder", "denoising-autoencoder", "alternative-aggregation",
    ];

    /// <summary>The chapter at its headless test's size: two objectives (those registered of them), 12 steps, one seed,
    /// Shapes only, budgets of 6 and 12 steps, small data and quick probes. The notebook test's overrides are these
    /// values.</summary>
    public static WhySplitChapterConfig Test { get; } = new()
    {
        Pretrain = PretrainConfig.Small with
        {
            PriorImages = 100,
            Data = PretrainConfig.Small.Data with { Synthetic = PretrainConfig.Small.Data.Synthetic with { UnlabeledCount = 512, TestCount = 300 } },
        },
        Objectives = [PretrainObjectives.Default, "autoencoder"],
        Steps = 12,
        Seeds = [0],
        Styles = [SyntheticStyle.Shapes],
        Probes = LinearProbeConfig.Default with { Epochs = 5 },
        ProbeLabelsPerClass = 10,
        BudgetObjectives = [PretrainObjectives.Default, "autoencoder"],
        BudgetSteps = [6, 12],
    };

    /// <summary>The recipe every objective trains with.</summary>
    public PretrainConfig Pretrain { get; init; } = Pretrain ?? PretrainConfig.Small;

    /// <summary>The objectives to compare.</summary>
    public string[] Objectives { get; init; } = Objectives ?? [.. PaperRows];

    /// <summary>The seeds.</summary>
    public int[] Seeds { get; init; } = Seeds ?? [0, 1, 2];

    /// <summary>The data styles.</summary>
    public SyntheticStyle[] Styles { get; init; } = Styles ?? [SyntheticStyle.Shapes, SyntheticStyle.Scenes];

    /// <summary>The layers probed.</summary>
    public FeatureLayer[] Layers { get; init; } = Layers ?? [FeatureLayer.Conv1, FeatureLayer.Conv2, FeatureLayer.Conv3, FeatureLayer.Conv4, FeatureLayer.Conv5];

    /// <summary>How the probes are fitted.</summary>
    public LinearProbeConfig Probes { get; init; } = Probes ?? LinearProbeConfig.Default;

    /// <summary>The objectives of the budget axis.</summary>
    public string[] BudgetObjectives { get; init; } = BudgetObjectives ?? [PretrainObjectives.Default, "l-to-ab-cl", "autoencoder"];

    /// <summary>The budgets of the budget axis, in steps.</summary>
    public int[] BudgetSteps { get; init; } = BudgetSteps ?? [100, 200, 400, 800];

    /// <summary>The objectives of <see cref="Objectives"/> registered in this build, in order.</summary>
    public IReadOnlyList<string> Chosen() => [.. Objectives.Where(PretrainObjectives.Contains)];

    /// <summary>The objectives of <see cref="BudgetObjectives"/> registered in this build, in order.</summary>
    public IReadOnlyList<string> ChosenForBudgets() => [.. BudgetObjectives.Where(PretrainObjectives.Contains)];

    /// <summary>The names in <see cref="Objectives"/> and <see cref="BudgetObjectives"/> that no objective of this build
    /// has: the chapter says it skips them.</summary>
    public IReadOnlyList<string> Missing() => [.. Objectives.Concat(BudgetObjectives).Distinct().Where(o => !PretrainObjectives.Contains(o))];

    /// <summary>The data styles the study runs on: <see cref="Styles"/> for synthetic data, else none (null: the data as
    /// configured).</summary>
    public IReadOnlyList<SyntheticStyle?> DataStyles() =>
        Pretrain.Data.Source == DataSource.Synthetic ? [.. Styles.Distinct().Select(s => (SyntheticStyle?)s)] : [null];

    /// <summary>The recipe on the data of <paramref name="style"/>.</summary>
    /// <param name="style">A style of <see cref="DataStyles"/>.</param>
    public PretrainConfig On(SyntheticStyle? style) => style is { } s
        ? Pretrain with { Data = Pretrain.Data with { Synthetic = Pretrain.Data.Synthetic with { Style = s } } }
        : Pretrain;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first knob out of range.</summary>
    public void Validate()
    {
        Pretrain.Validate();
        Probes.Validate();
        if (Steps < 1) throw new ArgumentException($"{nameof(Steps)} must be at least 1; got {Steps}.", nameof(Steps));
        if (Seeds.Length == 0 || Seeds.Distinct().Count() != Seeds.Length || Seeds.Any(s => s < 0))
            throw new ArgumentException($"{nameof(Seeds)} must hold distinct seeds, at least 0; got [{string.Join(", ", Seeds)}].", nameof(Seeds));
        if (Styles.Length == 0) throw new ArgumentException($"{nameof(Styles)} must name at least one style ({string.Join(", ", Enum.GetNames<SyntheticStyle>())}).", nameof(Styles));
        if (Layers.Length == 0) throw new ArgumentException($"{nameof(Layers)} must name at least one layer.", nameof(Layers));
        if (ProbeLabelsPerClass < 1) throw new ArgumentException($"{nameof(ProbeLabelsPerClass)} must be at least 1; got {ProbeLabelsPerClass}.", nameof(ProbeLabelsPerClass));
        if (BudgetSteps.Length == 0 || BudgetSteps.Any(s => s < 1))
            throw new ArgumentException($"{nameof(BudgetSteps)} must hold budgets of at least 1 step; got [{string.Join(", ", BudgetSteps)}].", nameof(BudgetSteps));
        if (Chosen().Count == 0)
            throw new ArgumentException(
                $"{nameof(Objectives)} names no registered objective ([{string.Join(", ", Objectives)}]); the objectives are {string.Join(", ", PretrainObjectives.Names)}.",
                nameof(Objectives));
    }
}
