namespace SplitBrain.Evaluation;

/// <summary>What made a run folder (<see cref="RunRegistry"/>), told by the shape of its <c>config.json</c>.</summary>
public enum RunKind
{
    /// <summary>A <c>config.json</c> that is neither of the others (another tool's, or damaged).</summary>
    Unknown,

    /// <summary>Split-brain pretraining (<c>Training.Pretrainer</c>): a <c>PretrainConfig</c>, with <c>Model</c>,
    /// <c>Targets</c> and <c>Data</c>.</summary>
    Pretraining,

    /// <summary>A classifier trained on a pretrained network (<see cref="FineTuneRun"/>): a <see cref="FineTuneRunConfig"/>,
    /// with <c>Pretrained</c>, <c>Classifier</c> and <c>Training</c>.</summary>
    FineTuning,
}
