using SplitBrain.Quantization;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Quantization;

/// <summary>
/// The grid search (<c>BinGrid</c>) behind <see cref="Quantizer.HardEncode"/> must give exactly the index the search over
/// all bins gives (<c>HardEncodeBySearch</c>), for every value: inside and far outside the gamut, on cell borders where
/// two bins tie, NaN; and quantizers whose centres are not a grid must keep the full search.
/// </summary>
public class BinGridTests
{
    [Fact]
    public void AbGamut_And_Lightness_UseTheGrid()
    {
        using var ab = Quantizer.AbGamut();
        using var lightness = Quantizer.Lightness();
        Assert.True(ab.HasGrid);
        Assert.True(lightness.HasGrid);
    }

    [Fact]
    public void IrregularCentres_SearchEveryBin()
    {
        using var centres = tensor(new float[] { 0, 0, 7, 3, 15, 1 }, 3, 2);
        using var q = Quantizer.FromCenters("irregular", centres, 10);
        Assert.False(q.HasGrid);
        using var x = tensor(new float[] { 6, 0, 2, 1 }, 1, 2, 1, 2); // (6, 2) and (0, 1)
        using var encoded = q.HardEncode(x);
        Assert.Equal(new long[] { 1, 0 }, TestTensors.ReadLong(encoded));
    }

    [Theory]
    [InlineData(-120.0, 120.0)] // the gamut and beyond: values the window cannot serve go to the full search
    [InlineData(-300.0, 300.0)] // far outside the table
    [InlineData(-20.0, 20.0)]   // dense near the centre of the gamut
    public void AbGamut_RandomValues_SameAsFullSearch(double low, double high)
    {
        using var q = Quantizer.AbGamut();
        using var x = TestTensors.Uniform(low, high, 11, 8, 2, 12, 12);
        AssertSameAsSearch(q, x);
    }

    [Fact]
    public void AbGamut_CellBordersAndTies_SameAsFullSearch()
    {
        // Values on the half-way lines between centres (x5) and on grid points: exact ties, broken by the lowest index.
        var grid = Enumerable.Range(-24, 49).Select(i => i * 5f).ToArray(); // -120..120 in steps of 5
        var values = (from a in grid from b in grid select (a, b)).ToArray();
        var flat = values.Select(v => v.a).Concat(values.Select(v => v.b)).ToArray();
        using var q = Quantizer.AbGamut();
        using var x = tensor(flat, 1, 2, 1, values.Length);
        AssertSameAsSearch(q, x);
    }

    [Fact]
    public void Lightness_AllRangeAndBeyond_SameAsFullSearch()
    {
        using var q = Quantizer.Lightness();
        using var random = TestTensors.Uniform(-20, 120, 5, 4, 1, 12, 12);
        AssertSameAsSearch(q, random);
        using var borders = arange(-10f, 110f, 0.5f).view(1, 1, 1, -1); // every bin edge and centre
        AssertSameAsSearch(q, borders);
    }

    [Fact]
    public void NaN_And_Infinity_SameAsFullSearch()
    {
        using var q = Quantizer.AbGamut();
        using var x = tensor(new[] { float.NaN, 0f, float.PositiveInfinity, 30f, 5f, float.NaN, float.NegativeInfinity, -40f }, 1, 2, 1, 4);
        AssertSameAsSearch(q, x);
    }

    [Fact]
    public void GridOnAnotherSpacing_FromCenters_SameAsFullSearch()
    {
        // A coarser ab grid (20 units) given as centres: a grid of that spacing, with holes.
        var centres = (from a in Enumerable.Range(-5, 11) from b in Enumerable.Range(-5, 11)
                       where (a + b) % 3 != 0
                       select new[] { a * 20f, b * 20f }).SelectMany(v => v).ToArray();
        using var table = tensor(centres, centres.Length / 2, 2);
        using var q = Quantizer.FromCenters("coarse", table, 20);
        Assert.True(q.HasGrid);
        using var x = TestTensors.Uniform(-130, 130, 3, 4, 2, 12, 12);
        AssertSameAsSearch(q, x);
    }

    [Fact]
    public void HardEncode_WithTheGrid_LeaksNoTensors()
    {
        using var q = Quantizer.AbGamut();
        using var x = TestTensors.Uniform(-150, 150, 2, 2, 2, 6, 6); // some values take the full search too
        TensorLeaks.AssertNone(() =>
        {
            using var encoded = q.HardEncode(x);
        });
    }

    private static void AssertSameAsSearch(Quantizer q, Tensor x)
    {
        using var grid = q.HardEncode(x);
        using var all = q.HardEncodeBySearch(x);
        Assert.Equal(all.shape, grid.shape);
        var (expected, actual) = (TestTensors.ReadLong(all), TestTensors.ReadLong(grid));
        var differing = Enumerable.Range(0, expected.Length).Where(i => expected[i] != actual[i]).Take(5).ToList();
        Assert.True(differing.Count == 0,
            $"grid search differs from the full search at {string.Join(", ", differing.Select(i => $"#{i}: {actual[i]} vs {expected[i]}"))}");
    }
}
