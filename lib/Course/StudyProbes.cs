using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Training;

namespace SplitBrain.Course;

/// <summary>How a study scores its runs (<see cref="RecipeStudy.Score(IReadOnlyList{RecipeRun}, StudyProbes, string, string, Runs.Workspace, IProgress{RecipeStudyProgress}?, CancellationToken)"/>):
/// the labeled data, the layers probed and how the probes are fitted.</summary>
/// <param name="Data">The data: its labeled train and test splits feed the probes, its unlabeled images the random+BN
/// statistics.</param>
/// <param name="Layers">The layers probed.</param>
/// <param name="Probes">How the probes are fitted (their seed is replaced by each run's).</param>
/// <param name="LabelsPerClass">Labeled images per class the probes are fitted on.</param>
public sealed record StudyProbes(DataConfig Data, FeatureLayer[] Layers, LinearProbeConfig Probes, int LabelsPerClass);
