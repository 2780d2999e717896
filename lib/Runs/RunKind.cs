namespace SplitBrain.Runs;

/// <summary>What made a run folder: the <c>"kind"</c> its <c>config.json</c> names (<see cref="RunFolder.Kind"/>).</summary>
public enum RunKind
{
    /// <summary>A folder whose <c>config.json</c> names no kind this version knows (another tool's, damaged, or written
    /// before runs named their kind).</summary>
    Unknown,

    /// <summary>Split-brain pretraining (<c>SplitBrain.Training.Pretrainer</c>): <c>"kind": "pretraining"</c>.</summary>
    Pretraining,

    /// <summary>A classifier trained on a pretrained network (<c>SplitBrain.Evaluation.FineTuneRun</c>):
    /// <c>"kind": "fine-tuning"</c>.</summary>
    FineTuning,
}

/// <summary>The names <see cref="RunKind"/>s have in files.</summary>
public static class RunKinds
{
    /// <summary>The key of the kind in <c>config.json</c> and <c>summary.json</c>.</summary>
    public const string Key = "kind";

    /// <summary>The kind's name in files: <c>pretraining</c>, <c>fine-tuning</c>, <c>unknown</c>.</summary>
    /// <param name="kind">The kind.</param>
    public static string Name(this RunKind kind) => kind switch
    {
        RunKind.Pretraining => "pretraining",
        RunKind.FineTuning => "fine-tuning",
        _ => "unknown",
    };

    /// <summary>The kind a name in a file stands for; <see cref="RunKind.Unknown"/> for any other text or none.</summary>
    /// <param name="name">The name, e.g. <c>fine-tuning</c>.</param>
    public static RunKind Parse(string? name) => name switch
    {
        "pretraining" => RunKind.Pretraining,
        "fine-tuning" => RunKind.FineTuning,
        _ => RunKind.Unknown,
    };
}
