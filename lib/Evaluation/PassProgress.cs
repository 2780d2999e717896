namespace SplitBrain.Evaluation;

/// <summary>Where a pass of a network over a dataset (feature extraction, scoring) stands, reported after each batch.</summary>
/// <param name="Images">Images done so far.</param>
/// <param name="Total">Images in the pass.</param>
/// <param name="Seconds">Time since the pass started.</param>
public sealed record PassProgress(int Images, int Total, double Seconds)
{
    /// <summary>Images per second so far (0 before the first batch).</summary>
    public double ImagesPerSecond => Seconds > 0 ? Images / Seconds : 0;
}
