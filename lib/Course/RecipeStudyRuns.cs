using SplitBrain.Runs;

namespace SplitBrain.Course;

/// <summary>
/// A recipe study's runs as they lie in a shared runs folder, whichever process or shard trained them: what is finished,
/// what is missing. The tables of a sharded study are computed from the union, once every shard is done.
/// </summary>
public static class RecipeStudyRuns
{
    /// <summary>Whether a run has finished: its <c>summary.json</c> is written and a checkpoint holds its network.</summary>
    /// <param name="run">A run of the study.</param>
    public static bool IsFinished(RecipeRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Folder.ReadSummary() is not null && run.Folder.LatestCheckpoint() is not null;
    }

    /// <summary>The runs of the study's plan (<see cref="RecipeStudy.Plan"/>) that have not finished, in plan order.</summary>
    /// <param name="knobs">The study.</param>
    /// <param name="workspace">The shared runs folder.</param>
    public static IReadOnlyList<RecipeRun> Missing(RecipeStudyChapterConfig knobs, Workspace workspace) =>
        [.. RecipeStudy.Plan(knobs, workspace).Where(run => !IsFinished(run))];

    /// <summary>
    /// Every run of the study, all finished, ready for <see cref="RecipeStudy.Score(RecipeStudyChapterConfig, IReadOnlyList{RecipeRun}, Workspace, IProgress{RecipeStudyProgress}?, CancellationToken)"/>; else an error that names the
    /// missing runs and the shards that should have trained them.
    /// </summary>
    /// <param name="knobs">The study (the same knobs the shards ran with).</param>
    /// <param name="workspace">The shared runs folder.</param>
    /// <param name="shards">The number of shards the study ran in, to name the shard of each missing run; 1 when unknown.</param>
    /// <returns>The runs, in plan order.</returns>
    /// <exception cref="InvalidOperationException">Some runs have not finished (the message lists them).</exception>
    public static IReadOnlyList<RecipeRun> Finished(RecipeStudyChapterConfig knobs, Workspace workspace, int shards = 1)
    {
        var plan = RecipeStudy.Plan(knobs, workspace);
        var missing = plan.Select((run, position) => (run, position)).Where(e => !IsFinished(e.run)).ToList();
        if (missing.Count == 0)
            return plan;
        var names = string.Join(", ", missing.Select(e => shards > 1 ? $"{e.run.Folder.Name} (shard {e.position % shards}/{shards})" : e.run.Folder.Name));
        throw new InvalidOperationException(
            $"The study is missing {missing.Count} of {plan.Count} runs in {workspace.Runs}: {names}. Run the missing shards "
            + "(or the whole study) with the same knobs into this runs folder, then score again.");
    }
}
