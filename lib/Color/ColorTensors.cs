using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Color;

/// <summary>
/// Argument checks and small tensor helpers shared by the color-space code, so every conversion validates
/// its input the same way and words its errors the same way.
/// </summary>
internal static class ColorTensors
{
    /// <summary>Formats a shape the way the library's error messages show it: <c>[2, 3, 4, 4]</c>.</summary>
    internal static string Shape(Tensor x) => "[" + string.Join(", ", x.shape) + "]";

    /// <summary>
    /// Checks that <paramref name="x"/> is a three-channel image, <c>[N, 3, H, W]</c> or <c>[3, H, W]</c>.
    /// </summary>
    internal static void CheckImage(Tensor x, string paramName, string what)
    {
        ArgumentNullException.ThrowIfNull(x, paramName);
        if ((x.dim() != 3 && x.dim() != 4) || x.size(-3) != 3)
        {
            throw new ArgumentException(
                $"Expected {what} of shape [N, 3, H, W] (or a single image [3, H, W]); got shape {Shape(x)}.",
                paramName);
        }
    }

    /// <summary>
    /// An sRGB image as float32 in 0..1: uint8 is divided by 255, any floating dtype is cast (values are taken
    /// as already in 0..1). The result is a new tensor the caller disposes (or its dispose scope does).
    /// </summary>
    internal static Tensor ToUnitFloat(Tensor rgb, string paramName)
    {
        if (rgb.dtype == ScalarType.Byte)
        {
            return rgb.to_type(ScalarType.Float32).div_(255.0);
        }

        return ToFloat32(rgb, paramName, "uint8 (0..255) or a floating dtype (0..1)");
    }

    /// <summary>Casts a floating tensor to float32; any other dtype is an argument error.</summary>
    internal static Tensor ToFloat32(Tensor x, string paramName, string expected = "a floating dtype")
    {
        if (!x.is_floating_point())
        {
            throw new ArgumentException(
                $"Expected {expected}; got dtype {x.dtype} (shape {Shape(x)}).", paramName);
        }

        return x.to_type(ScalarType.Float32);
    }

    /// <summary>
    /// Applies a 3x3 matrix to the channel dimension (-3) of <c>[N, 3, H, W]</c> or <c>[3, H, W]</c>:
    /// <c>out[i] = sum_j m[i, j] * x[j]</c>, as one matrix product over all pixels. The matrix is held in double,
    /// rounded to float32 once and kept on each device it is used on.
    /// </summary>
    internal static Tensor Mix(double[,] m, Tensor x)
    {
        var matrix = Constant(m, x.device);
        var shape = x.shape;
        var pixels = x.reshape([.. shape[..^2], shape[^2] * shape[^1]]); // [..., 3, H*W]
        return matrix.matmul(pixels).view(shape);
    }

    /// <summary>
    /// A constant tensor of the color code (a matrix, a lookup table) on <paramref name="device"/>: made once per
    /// device and kept for the life of the process (a few hundred bytes each), outside any dispose scope.
    /// </summary>
    internal static Tensor Constant(object key, Device device, Func<Tensor>? create = null)
    {
        return Constants.GetOrAdd((key, device.type, device.index), _ =>
        {
            using var scope = NewDisposeScope();
            var value = create is not null ? create() : FromMatrix((double[,])key);
            return value.to(device).DetachFromDisposeScope();
        });
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(object, DeviceType, int), Tensor> Constants =
        new(new KeyComparer());

    private static Tensor FromMatrix(double[,] m)
    {
        var values = new float[9];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                values[3 * i + j] = (float)m[i, j];
            }
        }

        return tensor(values, [3, 3], ScalarType.Float32);
    }

    /// <summary>Keys are the matrices themselves (static readonly arrays): compared by reference.</summary>
    private sealed class KeyComparer : IEqualityComparer<(object, DeviceType, int)>
    {
        public bool Equals((object, DeviceType, int) a, (object, DeviceType, int) b) =>
            ReferenceEquals(a.Item1, b.Item1) && a.Item2 == b.Item2 && a.Item3 == b.Item3;

        public int GetHashCode((object, DeviceType, int) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Item1), key.Item2, key.Item3);
    }

    /// <summary>
    /// Inverts a 3x3 matrix in double precision (adjugate over determinant). The color-space inverses are
    /// computed from their forward matrices, as scikit-image does with <c>linalg.inv</c>, so that a round
    /// trip is exact up to rounding instead of up to the digits someone printed.
    /// </summary>
    internal static double[,] Invert(double[,] m)
    {
        double Cofactor(int r, int c)
        {
            int r0 = (r + 1) % 3, r1 = (r + 2) % 3, c0 = (c + 1) % 3, c1 = (c + 2) % 3;
            return m[r0, c0] * m[r1, c1] - m[r0, c1] * m[r1, c0];
        }

        var det = m[0, 0] * Cofactor(0, 0) + m[0, 1] * Cofactor(0, 1) + m[0, 2] * Cofactor(0, 2);
        var inverse = new double[3, 3];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                // The inverse is the transposed cofactor matrix over the determinant.
                inverse[i, j] = Cofactor(j, i) / det;
            }
        }

        return inverse;
    }
}
