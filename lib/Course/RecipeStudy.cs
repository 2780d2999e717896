using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Course;

/// <summary>One pretraining run of a recipe study.</summary>
/// <param name="Variant">Its recipe.</param>
/// <param name="Seed">Its seed.</param>
/// <param name="Folder">Its run folder.</param>
public sealed record RecipeRun(RecipeVariant Variant, int Seed, RunFolder Folder);

/// <summary>
/// Chapter 07's study: every chosen recipe (<see cref="RecipeStudyChapterConfig.Chosen"/>) pretrained with every seed at the
/// same budget of minutes, then its features probed against the random+BN network of the same architecture and seed.
/// Runs are ordinary run folders: a finished one is loaded, not trained again, and the registry compares them.
/// </summary>
public static class RecipeStudy
{
    /// <summary>Pretrains every variant with every seed (variants in order, seeds inside), or loads the finished runs.</summary>
    /// <param name="knobs">The study.</param>
    /// <param name="workspace">Where the runs go.</param>
    /// <param name="progress">Told during every run.</param>
    /// <param name="cancellationToken">Stops the current run at its next step (it keeps a checkpoint).</param>
    /// <param name="log">Where the runs' messages go; by default the console, and only the lines that name their run
    /// (the budget each run fixed): the cache and prior lines would repeat for every run.</param>
    /// <param name="shard">Only this shard's runs (<see cref="StudyShard.Select"/>), for an array job; all when null. Score the
    /// union afterwards with <see cref="RecipeStudyRuns.Finished"/>.</param>
    /// <returns>The runs trained (or loaded).</returns>
    public static IReadOnlyList<RecipeRun> Pretrain(RecipeStudyChapterConfig knobs, Workspace workspace, IProgress<RecipeStudyProgress>? progress = null,
        CancellationToken cancellationToken = default, Action<string>? log = null, StudyShard? shard = null) =>
        Pretrain((shard ?? StudyShard.All).Select(Plan(knobs, workspace)), progress, cancellationToken, log);

    /// <summary>Pretrains every run of a plan in order, or loads those already finished: any study's runs (chapter 07's
    /// recipes, chapter 08's objectives and budgets).</summary>
    /// <param name="plan">The runs.</param>
    /// <param name="progress">Told during every run.</param>
    /// <param name="cancellationToken">Stops the current run at its next step (it keeps a checkpoint).</param>
    /// <param name="log">Where the runs' messages go; by default the console, only the lines that name their run.</param>
    /// <returns>The plan.</returns>
    public static IReadOnlyList<RecipeRun> Pretrain(IReadOnlyList<RecipeRun> plan, IProgress<RecipeStudyProgress>? progress = null,
        CancellationToken cancellationToken = default, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        for (var i = 0; i < plan.Count; i++)
        {
            var run = plan[i];
            var done = i;
            var relay = ProgressRelay<TrainingProgress>.To(progress, p => new RecipeStudyProgress(done, plan.Count, "pretraining", run.Folder.Name, p.Fraction));
            var name = run.Folder.Name;
            using var trainer = new Pretrainer(run.Variant.Config with { Seed = run.Seed }, run.Folder,
                log ?? (line => { if (line.StartsWith(name, StringComparison.Ordinal)) Console.WriteLine(line); }));
            trainer.Fit(relay ?? TrainingProgress.None, cancellationToken);
        }
        progress?.Report(new RecipeStudyProgress(plan.Count, plan.Count, "pretraining", "done", 0));
        return plan;
    }

    /// <summary>Every run of the study, variants in order and seeds inside: the plan every shard divides alike.</summary>
    /// <param name="knobs">The study; validated.</param>
    /// <param name="workspace">Where the runs go.</param>
    /// <returns>The runs, trained or not.</returns>
    public static IReadOnlyList<RecipeRun> Plan(RecipeStudyChapterConfig knobs, Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(knobs);
        ArgumentNullException.ThrowIfNull(workspace);
        knobs.Validate();
        return [.. knobs.Chosen().SelectMany(v => knobs.Seeds.Select(seed => new RecipeRun(v, seed, workspace.Run(v.RunName(seed)))))];
    }

    /// <summary>
    /// Probes every run's network at <see cref="RecipeStudyChapterConfig.Layers"/>, and for every architecture and seed the
    /// random+BN network (statistics re-estimated on the pretraining images), each with the probe subset and probe seed
    /// of its seed.
    /// </summary>
    /// <param name="knobs">The study.</param>
    /// <param name="runs">Its runs (<see cref="Pretrain(RecipeStudyChapterConfig, Workspace, IProgress{RecipeStudyProgress}?, CancellationToken, Action{string}?, StudyShard?)"/>).</param>
    /// <param name="workspace">Where the data's caches are.</param>
    /// <param name="progress">Told after every probe.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The scores.</returns>
    public static VariantScores Score(RecipeStudyChapterConfig knobs, IReadOnlyList<RecipeRun> runs, Workspace workspace,
        IProgress<RecipeStudyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(knobs);
        return Score(runs, new StudyProbes(knobs.Pretrain.Data, knobs.Layers, knobs.Probes, knobs.ProbeLabelsPerClass), "baseline",
            knobs.RunSteps is { } steps ? $"{steps} steps" : $"{knobs.RunMinutes:0.##} min", workspace, progress, cancellationToken);
    }

    /// <summary>
    /// Probes every run's network at the layers of <paramref name="probing"/>, and for every architecture and seed the
    /// random+BN network (statistics re-estimated on the pretraining images), each with the probe subset and probe seed of
    /// its seed. A run's scores are named by its variant's <see cref="RecipeVariant.Change"/>. Probes already in the
    /// workspace's cache (<c>cache/study-probes/</c>, keyed by the checkpoint and the probing) are read instead of run again,
    /// so scoring a study a second time (after a change of text, or with one objective more) probes only what is new.
    /// </summary>
    /// <param name="runs">The runs, all on the data of <paramref name="probing"/>.</param>
    /// <param name="probing">The data, layers and probes.</param>
    /// <param name="baseline">The <see cref="RecipeVariant.Change"/> the others are compared with.</param>
    /// <param name="budget">What every run got, in words, for titles.</param>
    /// <param name="workspace">Where the data's caches are.</param>
    /// <param name="progress">Told after every probe.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The scores.</returns>
    public static VariantScores Score(IReadOnlyList<RecipeRun> runs, StudyProbes probing, string baseline, string budget, Workspace workspace,
        IProgress<RecipeStudyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(probing);
        ArgumentNullException.ThrowIfNull(workspace);
        using var train = LabeledData.Open(probing.Data, DatasetSplit.Train, workspace);
        using var test = LabeledData.Open(probing.Data, DatasetSplit.Test, workspace);
        using var unlabeled = PretrainData.Open(probing.Data, workspace);
        var floors = new Dictionary<(string Architecture, int Seed), IReadOnlyDictionary<FeatureLayer, double>>();
        var layers = probing.Layers.Distinct().Order().ToList();
        var scores = new List<VariantScore>();
        var done = 0;
        foreach (var run in runs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var probeTrain = LabeledSubset.PerClass(train, probing.LabelsPerClass, run.Seed);
            var options = probing.Probes with { Seed = run.Seed };
            var summary = run.Folder.ReadSummary();
            using var net = run.Folder.LoadModel();
            var architecture = Architecture(net);
            if (!floors.TryGetValue((architecture, run.Seed), out var floor))
            {
                // Probed once per architecture and seed, and kept in the workspace's cache for the next time the study runs.
                floor = StudyProbeCache.ReadOrProbe(workspace, StudyProbeCache.KeyOfFloor(architecture, probing, run.Seed), layers, () =>
                {
                    progress?.Report(new RecipeStudyProgress(done, runs.Count, "probing", $"random+BN like {run.Folder.Name}", 0));
                    using var randomBn = RandomNetworks.RandomWithBatchNorm(net, run.Seed, unlabeled);
                    return LinearProbes.Run(randomBn, probeTrain, test, probing.Layers, options, name: RandomNetworks.RandomBatchNormName,
                        cancellationToken: cancellationToken);
                });
                floors[(architecture, run.Seed)] = floor;
            }
            var accuracies = StudyProbeCache.ReadOrProbe(workspace, StudyProbeCache.KeyOfRun(run.Folder, probing, run.Seed), layers, () =>
            {
                progress?.Report(new RecipeStudyProgress(done, runs.Count, "probing", run.Folder.Name, 0));
                return LinearProbes.Run(net, probeTrain, test, probing.Layers, options, name: run.Variant.Change, cancellationToken: cancellationToken);
            });
            foreach (var layer in layers)
                scores.Add(new VariantScore(run.Variant.Change, run.Seed, layer, accuracies[layer], floor[layer],
                    summary?.Steps ?? 0, summary?.ImagesPerSecond ?? 0));
            done++;
        }
        progress?.Report(new RecipeStudyProgress(done, runs.Count, "probing", "done", 0));
        return new VariantScores(scores, baseline, budget);
    }

    /// <summary>What makes two networks share a random+BN floor: the names and shapes of their parameters (an objective
    /// may build a different network from the same <see cref="ModelConfig"/>).</summary>
    private static string Architecture(FeatureNetwork net) => // the inputs' split too: a floor is fed the run's inputs
        $"{net.Split};" + string.Join(";", net.named_parameters().Select(p => $"{p.name}:{string.Join('x', p.parameter.shape)}"));
}
