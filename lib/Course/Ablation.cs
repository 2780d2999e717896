using SplitBrain.Training;

namespace SplitBrain.Course;

/// <summary>One pretraining run of an ablation study: a baseline's settings with one thing changed.</summary>
/// <param name="Run">The run's folder name.</param>
/// <param name="Change">What differs from the baseline, in words ("baseline" for the baseline itself).</param>
/// <param name="Config">The run's settings.</param>
public sealed record Ablation(string Run, string Change, PretrainConfig Config);
