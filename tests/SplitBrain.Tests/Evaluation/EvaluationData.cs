using SplitBrain.Data;
using SplitBrain.Models;

namespace SplitBrain.Tests.Evaluation;

/// <summary>Small inputs for the evaluation tests: 48-pixel synthetic shapes and the Small network.</summary>
internal static class EvaluationData
{
    /// <summary>Side of the test images: 48 pixels gives conv1 12 x 12 and conv2..fc7 6 x 6 maps (a quarter of the work
    /// of 96 pixels) and still shows the shapes.</summary>
    public const int Side = 48;

    /// <summary>A labeled split of the synthetic shapes at <see cref="Side"/> pixels (labels are index mod 10).</summary>
    public static SyntheticShapes Shapes(DatasetSplit split, int count) =>
        new(new SyntheticShapesConfig(UnlabeledCount: count, TrainCount: count, TestCount: count, ImageSize: Side), split);

    /// <summary>A Small L | ab network (weights from torch's global generator).</summary>
    public static SplitBrainNet SmallNet() => SplitBrainNet.Create(ModelConfig.Small, 1, 2, 100, 313);
}
