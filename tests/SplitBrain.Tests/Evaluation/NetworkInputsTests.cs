using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Tests.Support;

namespace SplitBrain.Tests.Evaluation;

public class NetworkInputsTests
{
    [Fact]
    public void FromImages_SameInputsAsTheTargetBuilder()
    {
        using var shapes = EvaluationData.Shapes(DatasetSplit.Train, 20); // more than one 16-image chunk
        using var batch = shapes.ReadBatch([.. Enumerable.Range(0, 20)]);
        using var builder = new TargetBuilder();
        using var targets = builder.Build(batch.Images);

        var (l, ab) = NetworkInputs.FromImages(batch.Images);
        using (l)
        using (ab)
        {
            TensorAssert.Close(l, targets.LInput, 1e-6, "L input");   // the same element-wise conversion, chunked otherwise
            TensorAssert.Close(ab, targets.AbInput, 1e-6, "ab input");
        }
    }

    [Fact]
    public void FromImages_NotAnImageBatch_ThrowsWithShape()
    {
        using var images = TorchSharp.torch.zeros(2, 1, 8, 8);
        var error = Assert.Throws<ArgumentException>(() => NetworkInputs.FromImages(images));
        Assert.Equal("images", error.ParamName);
        Assert.Contains("[2, 1, 8, 8]", error.Message);
    }

    [Fact]
    public void FromImages_LeavesOnlyTheTwoInputs() => TensorLeaks.AssertNone(() =>
    {
        using var images = TorchSharp.torch.zeros([3, 3, 16, 16], TorchSharp.torch.ScalarType.Byte);
        var (l, ab) = NetworkInputs.FromImages(images);
        l.Dispose();
        ab.Dispose();
    });
}
