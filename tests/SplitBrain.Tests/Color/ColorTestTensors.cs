using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Color;

/// <summary>Builds small test images from rows of numbers and compares tensors with them.</summary>
internal static class ColorTestTensors
{
    /// <summary>
    /// A one-row image <c>[1, 3, 1, K]</c> whose pixel k is <c>rows[k][start..start+3]</c>, in
    /// <paramref name="dtype"/> (values are cast, so pass bytes as 0..255 for uint8).
    /// </summary>
    public static Tensor Pixels(double[][] rows, int start, ScalarType dtype = ScalarType.Float32)
    {
        var k = rows.Length;
        var data = new double[3 * k];
        for (var i = 0; i < k; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                data[c * k + i] = rows[i][start + c];
            }
        }

        using var values = tensor(data, [1, 3, 1, k]);
        return values.to_type(dtype);
    }

    /// <summary>The largest absolute difference per channel between <paramref name="actual"/> and the rows.</summary>
    public static double[] MaxAbsDiffPerChannel(Tensor actual, double[][] rows, int start)
    {
        using var scope = NewDisposeScope();
        var expected = Pixels(rows, start, ScalarType.Float64);
        var diff = (actual.to_type(ScalarType.Float64) - expected).abs().amax([0, 2, 3]);
        return diff.data<double>().ToArray();
    }

    /// <summary>Whether two tensors have the same shape, dtype and values.</summary>
    public static bool Same(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();
    }

    /// <summary>How many tensors this thread holds undisposed (TorchSharp's own bookkeeping).</summary>
    public static long LiveTensors => DisposeScopeManager.Statistics.ThreadTotalLiveCount;
}
