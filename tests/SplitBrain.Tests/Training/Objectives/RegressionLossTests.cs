using SplitBrain.Tests.Support;
using SplitBrain.Training.Objectives;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Training.Objectives;

public sealed class RegressionLossTests
{
    [Fact]
    public void Target_NormalisedValues_AreTheBlockMeansOnTheBinTargetsGrid()
    {
        using var scope = NewDisposeScope();
        var values = TestTensors.Uniform(-1, 1, 3, 2, 2, 16, 16);                     // [2, 2, 16, 16]
        var hardBins = zeros([2, 4, 4], ScalarType.Int64);                             // a 4 x 4 grid: blocks of 4

        var target = RegressionLoss.Target(values, hardBins);

        Assert.Equal([2L, 2, 4, 4], target.shape);
        AssertClose.Elementwise(ObjectiveBatches.BlockMeans(values, 4), TestTensors.Read(target), 1e-6);
        var softBins = zeros([2, 313, 2, 2]);                                          // a soft target's grid is read the same way
        AssertClose.Elementwise(ObjectiveBatches.BlockMeans(values, 8), TestTensors.Read(RegressionLoss.Target(values, softBins)), 1e-6);
    }

    [Fact]
    public void Compute_TwoChannels_IsTheSquaredErrorSummedOverChannels_MeanOverPositions()
    {
        using var scope = NewDisposeScope();
        // One image, two channels, a 1 x 2 grid: errors (1, -2) in channel 0 and (0.5, 0) in channel 1.
        var prediction = tensor(new float[] { 1, -2, 0.5f, 0 }).reshape(1, 2, 1, 2);
        var target = zeros(1, 2, 1, 2);

        var loss = RegressionLoss.Compute(prediction, target);

        ObjectiveBatches.Equal((1 + 0.25 + 4 + 0) / 2.0, loss, "L2 over 2 positions");
    }

    [Fact]
    public void Target_AGridThatDoesNotDivideTheImage_SaysSo()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => RegressionLoss.Target(zeros(1, 1, 16, 16), zeros([1, 3, 3], ScalarType.Int64)));
        Assert.Contains("whole multiple", e.Message);
    }
}
