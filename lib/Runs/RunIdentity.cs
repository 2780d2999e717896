using System.Text.Json;

namespace SplitBrain.Runs;

/// <summary>What a run folder's <c>config.json</c> holds and what a resumed run may change; it refuses a folder of another
/// kind and a checkpoint made with other settings, naming the differences.</summary>
/// <param name="Kind">The kind of run.</param>
/// <param name="ConfigJson">The run's config record as JSON (without the kind).</param>
/// <param name="MayChange">Dotted keys of the config that may differ when the run resumes (e.g. <c>Epochs</c>, <c>Steps</c>,
/// <c>Minutes</c>).</param>
public sealed record RunIdentity(RunKind Kind, string ConfigJson, IReadOnlySet<string> MayChange)
{
    /// <summary>A folder holding a run of another kind (or a config of an older version that names no kind) is not taken
    /// over.</summary>
    internal void CheckFolder(RunFolder run)
    {
        if (!run.Exists)
            return;
        try
        {
            RunFolder.ConfigWithoutKind(File.ReadAllText(run.ConfigPath), Kind, run.ConfigPath);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            throw new InvalidOperationException($"The folder of '{run.Name}' cannot be used for this {Kind.Name} run: {e.Message} "
                + "Or use another run name.", e);
        }
    }

    /// <summary>Refuses to resume with another config: the checkpoint's weights, optimizer state and position mean nothing
    /// for it.</summary>
    internal void CheckCheckpoint(RunFolder run, CheckpointInfo checkpoint, string configFile)
    {
        var saved = RunFolder.ConfigWithoutKind(File.ReadAllText(Path.Combine(checkpoint.Path, configFile)), Kind, checkpoint.Path);
        var differences = FlatJson.Differences(saved, ConfigJson, MayChange);
        if (differences.Count > 0)
            throw new InvalidOperationException(
                $"The run '{run.Name}' ({run.Path}) has a checkpoint at step {checkpoint.Step} made with another config: "
                + string.Join("; ", differences) + ". A run resumes only with the config it was started with"
                + (MayChange.Count > 0 ? $" ({string.Join(", ", MayChange)} may change)" : "") + ". "
                + $"Use another run name, or start this one afresh with new {nameof(RunFolder)}(\"{run.Path}\").{nameof(RunFolder.Clear)}().");
    }
}
