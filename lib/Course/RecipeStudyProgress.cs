using SplitBrain.Display;

namespace SplitBrain.Course;

/// <summary>Where a recipe study is: which run trains or which network is probed, and how far.</summary>
/// <param name="Done">Runs or probes finished.</param>
/// <param name="Total">Runs or probes in this phase.</param>
/// <param name="Phase">"pretraining" or "probing".</param>
/// <param name="What">The current run or network, e.g. <c>recipe-soft-s1</c>.</param>
/// <param name="Current">The current one's fraction done, 0..1.</param>
public sealed record RecipeStudyProgress(int Done, int Total, string Phase, string What, double Current)
{
    /// <summary>The fraction of the phase done, 0..1.</summary>
    public double Fraction => Total <= 0 ? 1 : Math.Clamp((Done + Current) / Total, 0, 1);

    /// <summary>A progress bar for <see cref="LiveProgress{T}"/>.</summary>
    /// <returns>The view.</returns>
    public ProgressView ToView() => new($"recipe study: {Phase}", Fraction, $"{Done}/{Total}", [("now", What)]);

    /// <inheritdoc/>
    public override string ToString() => $"recipe study, {Phase} {Done}/{Total}: {What}";
}
