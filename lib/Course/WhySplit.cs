using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Training;
using SplitBrain.Training.Objectives;
using TorchSharp;

namespace SplitBrain.Course;

/// <summary>One run of chapter 08's study: an objective, on a data style, at a budget of steps.</summary>
/// <param name="Style">The synthetic data style; null for the data as configured.</param>
/// <param name="Objective">The objective's name.</param>
/// <param name="Steps">Its budget in optimizer steps.</param>
/// <param name="Run">The run (variant, seed, folder).</param>
public sealed record WhySplitRun(SyntheticStyle? Style, string Objective, int Steps, RecipeRun Run);

/// <summary>
/// Chapter 08's study: every chosen objective (<see cref="WhySplitChapterConfig.Chosen"/>) pretrained at the same budget of steps
/// with every seed on every data style, and the budget axis's objectives at every budget; then every run probed at
/// conv1..conv5 against the random+BN network of the same architecture and seed (chapter 07's machinery:
/// <see cref="RecipeStudy"/>). Runs are ordinary run folders (<c>why-STYLE-OBJECTIVE-STEPS-sSEED</c>): a finished one is
/// loaded, and a budget equal to the study's is the same run.
/// </summary>
public static class WhySplit
{
    /// <summary>Every run of the study: per style, the objectives at <see cref="WhySplitChapterConfig.Steps"/>, then the budget
    /// axis's objectives at every budget (those not already planned); seeds inside.</summary>
    /// <param name="knobs">The study; validated.</param>
    /// <param name="workspace">Where the runs go.</param>
    public static IReadOnlyList<WhySplitRun> Plan(WhySplitChapterConfig knobs, Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(knobs);
        ArgumentNullException.ThrowIfNull(workspace);
        knobs.Validate();
        var plan = new List<WhySplitRun>();
        foreach (var style in knobs.DataStyles())
        {
            var cells = knobs.Chosen().Select(o => (Objective: o, Steps: knobs.Steps))
                .Concat(knobs.ChosenForBudgets().SelectMany(o => knobs.BudgetSteps.Distinct().Order().Select(steps => (Objective: o, Steps: steps))))
                .Distinct();
            foreach (var (objective, steps) in cells)
            {
                var variant = Variant(knobs, style, objective, steps);
                plan.AddRange(knobs.Seeds.Select(seed => new WhySplitRun(style, objective, steps, new RecipeRun(variant, seed, workspace.Run(variant.RunName(seed))))));
            }
        }
        return plan;
    }

    /// <summary>Pretrains every run of the plan, or loads the finished ones.</summary>
    /// <param name="knobs">The study.</param>
    /// <param name="workspace">Where the runs go.</param>
    /// <param name="progress">Told during every run.</param>
    /// <param name="cancellationToken">Stops the current run at its next step (it keeps a checkpoint).</param>
    /// <returns>The runs.</returns>
    public static IReadOnlyList<WhySplitRun> Pretrain(WhySplitChapterConfig knobs, Workspace workspace, IProgress<RecipeStudyProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var plan = Plan(OnePrecision(knobs, workspace), workspace);
        RecipeStudy.Pretrain([.. plan.Select(r => r.Run)], progress, cancellationToken);
        return plan;
    }

    /// <summary>Probes every run at <see cref="WhySplitChapterConfig.Layers"/> against random+BN of its architecture and seed,
    /// style by style (each style's floors and probe data are its own).</summary>
    /// <param name="knobs">The study.</param>
    /// <param name="runs">Its runs (<see cref="Pretrain"/>).</param>
    /// <param name="workspace">Where the data's caches are.</param>
    /// <param name="progress">Told after every probe.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The scores.</returns>
    public static WhySplitResults Score(WhySplitChapterConfig knobs, IReadOnlyList<WhySplitRun> runs, Workspace workspace,
        IProgress<RecipeStudyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(knobs);
        ArgumentNullException.ThrowIfNull(runs);
        var byStyle = new List<(SyntheticStyle? Style, Evaluation.VariantScores Scores)>();
        foreach (var style in knobs.DataStyles())
        {
            var mine = runs.Where(r => r.Style == style).Select(r => r.Run).ToList();
            var probing = new StudyProbes(knobs.On(style).Data, knobs.Layers, knobs.Probes, knobs.ProbeLabelsPerClass);
            byStyle.Add((style, RecipeStudy.Score(mine, probing, Label(PretrainObjectives.Default, knobs.Steps), $"{knobs.Steps} steps",
                workspace, progress, cancellationToken)));
        }
        return new WhySplitResults(knobs, byStyle);
    }

    /// <summary>
    /// The study with <see cref="Precision.Auto"/> decided once, for the default objective on the first style, so that every
    /// row computes in the same precision: Auto times each objective's own step, and rows that chose differently would differ
    /// in more than their objective. A precision the recipe names is kept.
    /// </summary>
    /// <param name="knobs">The study.</param>
    /// <param name="workspace">Whose cache keeps the timing (as for any run).</param>
    /// <returns>The study, its <see cref="WhySplitChapterConfig.Pretrain"/> with a precision named.</returns>
    public static WhySplitChapterConfig OnePrecision(WhySplitChapterConfig knobs, Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(knobs);
        ArgumentNullException.ThrowIfNull(workspace);
        if (knobs.Pretrain.Precision != Precision.Auto)
            return knobs;
        var config = knobs.On(knobs.DataStyles()[0]) with { Objective = null };
        if (config.Threads > 0)
            torch.set_num_threads(config.Threads); // timed as the runs will train
        var choice = PretrainingPrecision.Choose(config, Devices.Resolve(config.Device), workspace, Console.WriteLine);
        var precision = choice.ComputeType == torch.ScalarType.BFloat16 ? Precision.BFloat16 : Precision.Float32;
        return knobs with { Pretrain = knobs.Pretrain with { Precision = precision } };
    }

    /// <summary>How a run's scores are named: <c>OBJECTIVE @ STEPS</c>.</summary>
    /// <param name="objective">The objective.</param>
    /// <param name="steps">The budget.</param>
    public static string Label(string objective, int steps) => $"{objective} @ {steps}";

    private static RecipeVariant Variant(WhySplitChapterConfig knobs, SyntheticStyle? style, string objective, int steps)
    {
        var config = knobs.On(style) with
        {
            Objective = objective == PretrainObjectives.Default ? null : objective,   // the default's runs read like every other chapter's
            Steps = steps,
            Minutes = null,
            PreviewImages = 0,
        };
        var name = $"{(style is { } s ? s.ToString().ToLowerInvariant() : "data")}-{objective}-{steps}";
        return new RecipeVariant(name, Label(objective, steps), config, "why");
    }
}
