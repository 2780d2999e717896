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
    /// <c>out[i] = sum_j m[i, j] * x[j]</c>. The matrix is held in double and rounded to float32 once, on
    /// <paramref name="x"/>'s device.
    /// </summary>
    internal static Tensor Mix(double[,] m, Tensor x)
    {
        var values = new float[9];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                values[3 * i + j] = (float)m[i, j];
            }
        }

        using var matrix = tensor(values, [3, 3], ScalarType.Float32, x.device);
        return einsum("ij,...jhw->...ihw", matrix, x);
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
