using System.Collections.Concurrent;
using SplitBrain.Color;
using static TorchSharp.torch;

namespace SplitBrain.Quantization;

/// <summary>
/// The bins of a split's second half (<see cref="SplitSpace"/>): the cells of a 2-D grid of side
/// <see cref="SplitSpace.SecondSpacing"/> that the colors of 8-bit sRGB images reach, computed from the whole RGB cube.
/// </summary>
/// <remarks>
/// <para>A grid's centres are the multiples of the spacing; a color falls into the cell of its nearest centre (rounding
/// each channel), and a cell is a bin when at least one of the 256³ colors falls into it (found on three faces of the cube,
/// <see cref="FacesThroughBlack"/>, which hold them all). So every bin can be a target,
/// and no color is more than half a cell per channel from its bin. YCbCr's CbCr (spacing 0.05) has 327 bins (see
/// <c>GamutGridTests</c>), its hexagonal gamut; RGB's GB all 21 x 21 = 441.</para>
/// <para>Lab is the exception: its 313 ab bins are the paper's table (<c>ab_gamut_313.txt</c>: the grid points in the
/// hull of the sRGB gamut plus their neighbours), so that bin indices mean what they mean in the released models.</para>
/// <para>Bins are ordered by their first channel's centre, then their second's. Computed once per split and
/// process.</para>
/// </remarks>
public static class GamutGrid
{
    // Grid cells per channel on each side of 0; the spaces' second halves are at most 1 wide in 0.05 steps (21 cells).
    private const int Reach = 64;

    private static readonly ConcurrentDictionary<ColorSplit, float[]> Computed = new();

    /// <summary>The bin centres of <paramref name="split"/>'s second half, interleaved (c0 d0 c1 d1 ...), in its units.</summary>
    /// <param name="split">The split.</param>
    /// <returns>2 x Q values; a shared array: do not change it.</returns>
    public static float[] Centers(SplitSpace split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return split.Kind == ColorSplit.Lab ? AbGamutTable.Interleaved : Computed.GetOrAdd(split.Kind, _ => Compute(split));
    }

    /// <summary>The number of bins Q of <paramref name="split"/>'s second half.</summary>
    /// <param name="split">The split.</param>
    /// <returns>313 for Lab, the computed count otherwise.</returns>
    public static int Bins(SplitSpace split) => Centers(split).Length / 2;

    /// <summary>
    /// The 8-bit colors on the three faces of the RGB cube through black (R = 0, G = 0 or B = 0), <c>[3, 3, 256, 256]</c>
    /// uint8. They reach every second half that any 8-bit color reaches: subtracting a color's smallest channel from all
    /// three keeps its CbCr (grey has none) and puts it on one of these faces; setting R to 0 keeps its GB.
    /// </summary>
    /// <returns>A new tensor on the CPU.</returns>
    public static Tensor FacesThroughBlack()
    {
        using var scope = NewDisposeScope();
        var plane = stack(meshgrid([arange(256, ScalarType.Byte), arange(256, ScalarType.Byte)], indexing: "ij")); // [2, 256, 256]
        var zero = zeros([1, 256, 256], ScalarType.Byte);
        var faces = Enumerable.Range(0, 3).Select(c => cat([plane.narrow(0, 0, c), zero, plane.narrow(0, c, 2 - c)]));
        return stack(faces).MoveToOuterDisposeScope();
    }

    private static float[] Compute(SplitSpace split)
    {
        const int side = 2 * Reach + 1;
        var second = split.Channels.Second;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var values = split.FromRgb(FacesThroughBlack());                                                // [3, 3, 256, 256]
        var cells = stack([values[.., second[0]], values[.., second[1]]])
            .div_(split.SecondSpacing).round_().add_(Reach).clamp_(0, side - 1).to_type(ScalarType.Int64); // [2, 3, 256, 256]
        var reached = zeros(side * side, ScalarType.Bool).index_fill_(0, (cells[0] * side + cells[1]).flatten(), true);
        var flat = reached.nonzero().squeeze(1);                                                         // ascending: row-major order
        var k = stack([flat.div(side, rounding_mode: RoundingMode.floor), flat.remainder(side)], 1).sub_(Reach); // [Q, 2]
        return k.to_type(ScalarType.Float64).mul_(split.SecondSpacing).to_type(ScalarType.Float32).flatten().data<float>().ToArray();
    }
}
