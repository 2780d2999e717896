using SplitBrain.Training;

namespace SplitBrain.Course;

/// <summary>One recipe of a recipe study: the baseline's settings with one thing changed.</summary>
/// <param name="Name">Short name, part of its runs' folder names (e.g. <c>soft</c>).</param>
/// <param name="Change">What differs from the baseline, in words ("baseline" for the baseline itself).</param>
/// <param name="Config">The settings (its seed is replaced by each run's).</param>
/// <param name="Study">The study's prefix of its run folders: <c>recipe</c> for chapter 07's, <c>why</c> for chapter 08's.</param>
public sealed record RecipeVariant(string Name, string Change, PretrainConfig Config, string Study = "recipe")
{
    /// <summary>The folder name of this variant's run with <paramref name="seed"/>: <c>STUDY-NAME-sSEED</c>.</summary>
    /// <param name="seed">The run's seed.</param>
    public string RunName(int seed) => $"{Study}-{Name}-s{seed}";
}
