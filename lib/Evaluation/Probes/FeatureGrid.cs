using SplitBrain.Models;

namespace SplitBrain.Evaluation;

/// <summary>
/// How one layer's features are reduced for a linear probe: the concatenated F1 | F2 map of
/// <see cref="Channels"/> x <see cref="MapSide"/> x <see cref="MapSide"/> is average-pooled (adaptively) to
/// <see cref="GridSide"/> x <see cref="GridSide"/> and flattened to <see cref="Dimension"/> values.
/// </summary>
/// <param name="Layer">The layer.</param>
/// <param name="Channels">Channels of the concatenated map (F1's plus F2's).</param>
/// <param name="MapSide">Side of the layer's activation map for the dataset's image size.</param>
/// <param name="GridSide">Side after pooling, 1..<paramref name="MapSide"/>: chosen by
/// <see cref="FeatureExtractor.GridSide"/> so that the dimension is close to the target.</param>
public sealed record FeatureGrid(FeatureLayer Layer, int Channels, int MapSide, int GridSide)
{
    /// <summary>Values per image: <c>Channels * GridSide * GridSide</c>.</summary>
    public int Dimension => Channels * GridSide * GridSide;
}
