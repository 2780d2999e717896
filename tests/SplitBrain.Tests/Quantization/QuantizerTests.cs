using SplitBrain.Quantization;
using SplitBrain.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Quantization;

public class QuantizerTests
{
    // Reference numbers below were computed independently with numpy from /work/shared/ref/ab_gamut_313.txt.

    /// <summary>A [1, C, 1, P] map holding P points, given as P rows of C values.</summary>
    private static Tensor Points(params float[][] points)
    {
        var channels = points[0].Length;
        var values = new float[channels * points.Length];
        for (var p = 0; p < points.Length; p++)
            for (var c = 0; c < channels; c++)
                values[c * points.Length + p] = points[p][c];
        return tensor(values, new long[] { 1, channels, 1, points.Length });
    }

    private static float[][] Table(Quantizer q)
    {
        var flat = TestTensors.Read(q.Centers);
        return Enumerable.Range(0, q.Bins).Select(i => flat.Skip(i * q.Channels).Take(q.Channels).ToArray()).ToArray();
    }

    // ---- the ab gamut table ----

    [Fact]
    public void AbGamut_Properties_AreThePapers()
    {
        using var q = Quantizer.AbGamut();
        Assert.Equal(313, q.Bins);
        Assert.Equal(2, q.Channels);
        Assert.Equal("ab313", q.Name);
        Assert.Equal(10.0, q.Spacing);
        Assert.Equal(new SoftEncoding(5, 5.0), q.DefaultSoftEncoding);
        Assert.Equal(new long[] { 313, 2 }, q.Centers.shape);
        Assert.Equal(ScalarType.Float32, q.Centers.dtype);
    }

    [Fact]
    public void AbGamut_EmbeddedTable_HasKnownRowsAndChecksums()
    {
        using var q = Quantizer.AbGamut();
        var t = Table(q);
        Assert.All(t, row => Assert.All(row, v => Assert.Equal(0f, v % 10f)));
        Assert.Equal(313, t.Select(r => (r[0], r[1])).Distinct().Count());
        Assert.Equal(new[] { -90f, 50f }, t[0]);
        Assert.Equal(new[] { -90f, 60f }, t[1]);
        Assert.Equal(new[] { 0f, 0f }, t[120]);
        Assert.Equal(new[] { 20f, -10f }, t[156]);
        Assert.Equal(new[] { 100f, 0f }, t[312]);
        Assert.Equal(4910.0, t.Sum(r => (double)r[0]));
        Assert.Equal(2090.0, t.Sum(r => (double)r[1]));
        Assert.Equal(1877800.0, t.Sum(r => (double)r[0] * r[0] + (double)r[1] * r[1]));
        Assert.Equal((-90f, 100f), (t.Min(r => r[0]), t.Max(r => r[0])));
        Assert.Equal((-110f, 100f), (t.Min(r => r[1]), t.Max(r => r[1])));
    }

    [Fact]
    public void AbGamut_EmbeddedTable_EqualsSharedReference()
    {
        var path = RepositoryPaths.Shared("ref", "ab_gamut_313.txt");
        if (path is null)
            Assert.Skip("No shared folder with ref/ab_gamut_313.txt (looked in " +
                        string.Join(", ", RepositoryPaths.SharedCandidates()) +
                        "); the known rows and checksums are still checked by AbGamut_EmbeddedTable_HasKnownRowsAndChecksums.");
        var reference = File.ReadLines(path)
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(float.Parse).ToArray())
            .ToArray();
        using var q = Quantizer.AbGamut();
        Assert.Equal(reference, Table(q));
    }

    // ---- hard encoding ----

    [Fact]
    public void HardEncode_EachCentre_ReturnsItsOwnIndex()
    {
        using var q = Quantizer.AbGamut();
        using var x = q.Centers.T.reshape(1, 2, 1, 313);            // [1, 2, 1, Q]: every centre once
        using var indices = q.HardEncode(x);
        Assert.Equal(new long[] { 1, 1, 313 }, indices.shape);
        Assert.Equal(ScalarType.Int64, indices.dtype);
        Assert.Equal(Enumerable.Range(0, 313).Select(i => (long)i).ToArray(), indices.data<long>().ToArray());
    }

    [Fact]
    public void HardEncode_PointsBetweenCentres_ReturnsTheNearest()
    {
        using var q = Quantizer.AbGamut();
        var table = Table(q);
        var random = new Random(7);
        var points = Enumerable.Range(0, 500)
            .Select(_ => new[] { (float)(random.NextDouble() * 220 - 110), (float)(random.NextDouble() * 220 - 110) })
            .ToArray();
        using var x = Points(points);
        using var indices = q.HardEncode(x);
        var got = indices.data<long>().ToArray();
        for (var p = 0; p < points.Length; p++)
        {
            var expected = Enumerable.Range(0, 313)
                .MinBy(i => Math.Pow(points[p][0] - table[i][0], 2) + Math.Pow(points[p][1] - table[i][1], 2));
            Assert.True(expected == got[p], $"({points[p][0]}, {points[p][1]}): expected bin {expected}, got {got[p]}");
        }
    }

    [Fact]
    public void HardEncode_KnownPoints_ReturnKnownBins()
    {
        using var q = Quantizer.AbGamut();
        using var x = Points([3f, 4f], [-37f, 58f], [61f, -12f], [4.9f, 0f], [5.1f, 0f]);
        using var indices = q.HardEncode(x);
        Assert.Equal(new long[] { 120, 59, 235, 120, 139 }, indices.data<long>().ToArray());
    }

    [Fact]
    public void HardEncode_BatchOfMaps_KeepsNHW()
    {
        using var q = Quantizer.AbGamut();
        using var x = zeros(3, 2, 4, 5);
        using var indices = q.HardEncode(x);
        Assert.Equal(new long[] { 3, 4, 5 }, indices.shape);
        Assert.All(indices.data<long>().ToArray(), i => Assert.Equal(120L, i)); // (0, 0) is bin 120
    }

    // ---- uniform (L) bins ----

    [Fact]
    public void Uniform_Centres_AreIntervalMiddles()
    {
        using var q = Quantizer.Uniform(4, 0, 1);
        Assert.Equal(new[] { 0.125f, 0.375f, 0.625f, 0.875f }, TestTensors.Read(q.Centers));
        Assert.Equal(1, q.Channels);
        Assert.Equal(0.25, q.Spacing);
        Assert.Equal("uniform4", q.Name);
    }

    [Fact]
    public void Lightness_Defaults_Are100BinsOfOneUnit()
    {
        using var q = Quantizer.Lightness();
        var centres = TestTensors.Read(q.Centers);
        Assert.Equal(("L100", 100, 1.0), (q.Name, q.Bins, q.Spacing));
        Assert.Equal((0.5f, 99.5f), (centres[0], centres[^1]));
        Assert.Equal(new SoftEncoding(5, 0.5), q.DefaultSoftEncoding);
    }

    [Fact]
    public void Uniform_ValuesAtEdgesAndOutside_ClampToFirstAndLastBin()
    {
        using var q = Quantizer.Lightness();
        using var x = Points([-20f], [0f], [0.99f], [1.01f], [50.2f], [99.99f], [100f], [250f]);
        using var indices = q.HardEncode(x);
        Assert.Equal(new long[] { 0, 0, 0, 1, 50, 99, 99, 99 }, indices.data<long>().ToArray());
    }

    // ---- soft encoding ----

    [Fact]
    public void SoftEncode_RandomPoints_RowsSumToOneWithKNonZerosLargestAtNearest()
    {
        using var q = Quantizer.AbGamut();
        using var x = TestTensors.Uniform(-100, 100, 1, 2, 2, 6, 6);                // [2, 2, 6, 6] a, b in -100..100
        using var soft = q.SoftEncode(x);
        using var hard = q.HardEncode(x);
        Assert.Equal(new long[] { 2, 313, 6, 6 }, soft.shape);
        Assert.Equal(ScalarType.Float32, soft.dtype);
        using var sums = soft.sum(1);
        Assert.All(TestTensors.Read(sums), s => Assert.Equal(1.0, s, 1e-5));
        using var nonZeros = soft.gt(0).sum(1);
        Assert.All(nonZeros.data<long>().ToArray(), n => Assert.Equal(5L, n));
        using var argmax = soft.argmax(1);
        Assert.Equal(hard.data<long>().ToArray(), argmax.data<long>().ToArray());
    }

    [Fact]
    public void SoftEncode_ChosenPoint_MatchesHandComputedGaussianWeights()
    {
        // (3, 4): the 5 nearest centres (0,0) (0,10) (10,0) (10,10) (-10,0) at d^2 = 25, 45, 65, 85, 185;
        // weights exp(-d^2 / 50) normalised.
        using var q = Quantizer.AbGamut();
        using var x = Points([3f, 4f]);
        using var soft = q.SoftEncode(x);
        var p = TestTensors.Read(soft);
        var bins = new[] { 120, 121, 139, 140, 102 };
        var d2 = new[] { 25.0, 45.0, 65.0, 85.0, 185.0 };
        var total = d2.Sum(d => Math.Exp(-d / 50));
        for (var i = 0; i < bins.Length; i++)
            Assert.Equal(Math.Exp(-d2[i] / 50) / total, p[bins[i]], 1e-6);
        Assert.Equal(0.406238949, p[120], 1e-6); // numpy, as a cross-check of the formula above
        Assert.Equal(0f, p.Where((_, i) => !bins.Contains(i)).Sum());
    }

    [Fact]
    public void SoftEncode_KOne_IsOneHotOfHardEncode()
    {
        using var q = Quantizer.AbGamut();
        using var x = TestTensors.Uniform(-50, 50, 2, 1, 2, 3, 3);
        using var soft = q.SoftEncode(x, new SoftEncoding(K: 1));
        using var hard = q.HardEncode(x);
        using var oneHot = nn.functional.one_hot(hard, 313).permute(0, 3, 1, 2).to_type(ScalarType.Float32);
        Assert.True(soft.allclose(oneHot, rtol: 0, atol: 0));
    }

    [Fact]
    public void SoftEncode_FarOutsideTheGamut_IsStillNormalisedAtTheNearestBin()
    {
        // exp(-d^2 / 50) of every bin underflows to 0 here; weights relative to the nearest bin stay finite (the
        // farther of the K neighbours may underflow to 0, which is the right limit).
        using var q = Quantizer.AbGamut();
        using var x = Points([300f, -300f], [-1000f, 0f]);
        using var soft = q.SoftEncode(x);
        using var hard = q.HardEncode(x);
        using var sums = soft.sum(1);
        Assert.All(TestTensors.Read(sums), s => Assert.Equal(1.0, s, 1e-5));
        using var argmax = soft.argmax(1);
        Assert.Equal(TestTensors.ReadLong(hard), TestTensors.ReadLong(argmax));
    }

    [Fact]
    public void SoftEncode_Lightness_SpreadsOverNeighbouringBins()
    {
        // L = 50.3 with sigma 0.5: the nearest centres 50.5, 49.5, 51.5, 48.5, 52.5 at d = 0.2, 0.8, 1.2, 1.8, 2.2.
        using var q = Quantizer.Lightness();
        using var x = Points([50.3f]);
        using var soft = q.SoftEncode(x);
        var p = TestTensors.Read(soft);
        var d = new[] { 0.2, 0.8, 1.2, 1.8, 2.2 };
        var bins = new[] { 50, 49, 51, 48, 52 };
        var total = d.Sum(v => Math.Exp(-v * v / 0.5));
        for (var i = 0; i < bins.Length; i++)
            Assert.Equal(Math.Exp(-d[i] * d[i] / 0.5) / total, p[bins[i]], 1e-5);
    }

    // ---- decoding ----

    [Theory]
    [InlineData(DecodeMode.Mode)]
    [InlineData(DecodeMode.Mean)]
    [InlineData(DecodeMode.AnnealedMean)]
    public void Decode_OneHot_ReturnsTheCentre(DecodeMode mode)
    {
        using var q = Quantizer.AbGamut();
        using var indices = tensor(new long[] { 0, 120, 156, 312 }).view(1, 2, 2);
        using var oneHot = nn.functional.one_hot(indices, 313).permute(0, 3, 1, 2).to_type(ScalarType.Float32);
        using var decoded = q.Decode(oneHot, mode);
        Assert.Equal(new long[] { 1, 2, 2, 2 }, decoded.shape);
        // a of the 4 positions, then b: rows 0, 120, 156, 312 of the table.
        Assert.Equal(new[] { -90f, 0f, 20f, 100f, 50f, 0f, -10f, 0f }, TestTensors.Read(decoded));
    }

    [Fact]
    public void Decode_Mean_IsTheExpectation()
    {
        using var q = Quantizer.AbGamut();
        using var p = zeros(1, 313, 1, 1);
        p[0, 120, 0, 0] = tensor(0.25f);                            // (0, 0)
        p[0, 312, 0, 0] = tensor(0.75f);                            // (100, 0)
        using var mean = q.Decode(p, DecodeMode.Mean);
        using var mode = q.Decode(p, DecodeMode.Mode);
        Assert.Equal(new[] { 75f, 0f }, TestTensors.Read(mean));
        Assert.Equal(new[] { 100f, 0f }, TestTensors.Read(mode));
    }

    [Fact]
    public void Decode_SoftEncodedValues_RoundTripsNearTheValues()
    {
        // Inside the gamut, the mean of the soft encoding is within 0.62 ab units of the value and the annealed mean
        // within 1.92 (numpy, 5000 points in [-30, 30]^2); tolerances 1 and 2.5 (a quarter of the grid). Exact zeros
        // in the distribution must not turn into NaN through log(p).
        using var q = Quantizer.AbGamut();
        using var ab = TestTensors.Uniform(-30, 30, 9, 4, 2, 8, 8);
        using var soft = q.SoftEncode(ab);
        using var mean = q.Decode(soft, DecodeMode.Mean);
        using var annealed = q.Decode(soft, DecodeMode.AnnealedMean);
        using var meanError = (mean - ab).abs().max();
        using var annealedError = (annealed - ab).abs().max();
        Assert.InRange(meanError.item<float>(), 0f, 1f);
        Assert.InRange(annealedError.item<float>(), 0f, 2.5f);
    }

    [Fact]
    public void Decode_AnnealedMeanAtTemperatureOne_EqualsMean()
    {
        using var q = Quantizer.AbGamut();
        using var logits = TestTensors.Normal(1, 3, 2, 313, 3, 3);
        using var p = logits.softmax(1);
        using var mean = q.Decode(p, DecodeMode.Mean);
        using var annealed = q.Decode(p, DecodeMode.AnnealedMean, temperature: 1.0);
        TensorAssert.Close(annealed, mean, 1e-5, "annealed mean at T = 1 against the mean (ab units)");
    }

    [Fact]
    public void Decode_AnnealedMeanAtLowTemperature_ApproachesMode()
    {
        // Half the mass on one random bin per position, half spread by a softmax of N(0, 1) logits: a clear mode.
        using var q = Quantizer.AbGamut();
        using var logits = TestTensors.Normal(1, 4, 2, 313, 3, 3);
        using var peaks = TestTensors.Uniform(0, 313, 8, 2, 3, 3);
        using var peakIndex = peaks.to_type(ScalarType.Int64);
        using var peak = nn.functional.one_hot(peakIndex, 313).permute(0, 3, 1, 2).to_type(ScalarType.Float32);
        using var spread = logits.softmax(1);
        using var p = spread.mul_(0.5).add_(peak, 0.5);
        using var mode = q.Decode(p, DecodeMode.Mode);
        var distances = new[] { 1.0, 0.38, 0.1, 0.01 }.Select(t =>
        {
            using var annealed = q.Decode(p, DecodeMode.AnnealedMean, t);
            using var distance = (annealed - mode).abs().max();
            return distance.item<float>();
        }).ToArray();
        Assert.True(distances[3] < 1e-3, $"T = 0.01 is {distances[3]} ab units from the mode (tolerance 1e-3)");
        for (var i = 1; i < distances.Length; i++)
            Assert.True(distances[i] < distances[i - 1], $"distance to the mode not decreasing with T: {string.Join(", ", distances)}");
    }

    [Theory]
    [InlineData(DecodeMode.Mode)]
    [InlineData(DecodeMode.Mean)]
    [InlineData(DecodeMode.AnnealedMean)]
    public void DecodeLogits_AnyMode_AgreesWithDecodeOfSoftmax(DecodeMode mode)
    {
        using var q = Quantizer.Lightness();
        using var logits = TestTensors.Normal(2, 5, 2, 100, 4, 4);
        using var p = logits.softmax(1);
        using var fromLogits = q.DecodeLogits(logits, mode);
        using var fromProbabilities = q.Decode(p, mode);
        Assert.Equal(new long[] { 2, 1, 4, 4 }, fromLogits.shape);
        TensorAssert.Close(fromLogits, fromProbabilities, 1e-5, "decoded from logits against from probabilities (L units)");
    }

    [Fact]
    public void DecodeIndices_OfHardEncodedCentres_GivesTheCentresBack()
    {
        using var q = Quantizer.AbGamut();
        using var x = q.Centers.T.reshape(1, 2, 1, 313);
        using var indices = q.HardEncode(x);
        using var back = q.DecodeIndices(indices);
        Assert.True(back.allclose(x, rtol: 0, atol: 0));
    }

    // ---- bad inputs ----

    [Fact]
    public void HardEncode_WrongRank_ThrowsNamingArgumentAndShape()
    {
        using var q = Quantizer.AbGamut();
        using var x = zeros(2, 12, 12);
        var e = Assert.Throws<ArgumentException>(() => q.HardEncode(x));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("[2, 12, 12]", e.Message);
        Assert.Contains("[N, 2, H, W]", e.Message);
    }

    [Fact]
    public void SoftEncode_WrongChannelCount_ThrowsNamingArgumentAndShape()
    {
        using var q = Quantizer.AbGamut();
        using var lab = zeros(4, 3, 12, 12);
        var e = Assert.Throws<ArgumentException>(() => q.SoftEncode(lab));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("[4, 3, 12, 12]", e.Message);
    }

    [Fact]
    public void HardEncode_IntegerValues_Throws()
    {
        using var q = Quantizer.Lightness();
        using var x = zeros(1, 1, 2, 2, ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => q.HardEncode(x));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("Int64", e.Message);
    }

    [Fact]
    public void Decode_BinCountMismatch_ThrowsNamingArgumentAndShape()
    {
        using var q = Quantizer.AbGamut();
        using var p = zeros(1, 100, 12, 12);
        var e = Assert.Throws<ArgumentException>(() => q.Decode(p, DecodeMode.Mean));
        Assert.Equal("distribution", e.ParamName);
        Assert.Contains("[1, 100, 12, 12]", e.Message);
        Assert.Contains("313", e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.38)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Decode_TemperatureNotPositive_Throws(double temperature)
    {
        using var q = Quantizer.AbGamut();
        using var p = full(1, 313, 1, 1, 1f / 313);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => q.Decode(p, DecodeMode.AnnealedMean, temperature));
        Assert.Equal("temperature", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => q.DecodeLogits(p, DecodeMode.Mode, temperature));
    }

    [Fact]
    public void SoftEncode_KAboveBins_Throws()
    {
        using var q = Quantizer.Uniform(4, 0, 100);
        using var x = zeros(1, 1, 2, 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => q.SoftEncode(x, new SoftEncoding(K: 5)));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("1..4", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => q.SoftEncode(x, new SoftEncoding(K: 2, Sigma: 0)));
    }

    [Fact]
    public void DecodeIndices_WrongDtype_Throws()
    {
        using var q = Quantizer.AbGamut();
        using var indices = zeros(1, 2, 2);
        var e = Assert.Throws<ArgumentException>(() => q.DecodeIndices(indices));
        Assert.Equal("indices", e.ParamName);
        Assert.Contains("Float32", e.Message);
    }

    [Fact]
    public void Uniform_BadRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantizer.Uniform(0, 0, 100));
        Assert.Throws<ArgumentException>(() => Quantizer.Uniform(10, 100, 0));
        Assert.Throws<ArgumentException>(() => Quantizer.Uniform(10, 0, double.NaN));
    }

    // ---- ownership ----

    [Fact]
    public void EncodeAndDecode_AllModes_LeakNoTensors()
    {
        TensorLeaks.AssertNone(() =>
        {
            using var q = Quantizer.AbGamut();
            using var x = TestTensors.Uniform(-50, 50, 6, 2, 2, 4, 4);
            using var hard = q.HardEncode(x);
            using var soft = q.SoftEncode(x);
            using var fromIndices = q.DecodeIndices(hard);
            foreach (var mode in Enum.GetValues<DecodeMode>())
            {
                using var decoded = q.Decode(soft, mode);
                using var fromLogits = q.DecodeLogits(soft, mode);
            }
            using var lightness = Quantizer.Lightness();
            using var l = TestTensors.Uniform(0, 100, 7, 2, 1, 4, 4);
            using var lSoft = lightness.SoftEncode(l);
        });
    }

    [Fact]
    public void AbGamut_CreatedInsideADisposeScope_OutlivesTheScope()
    {
        Quantizer q;
        using (NewDisposeScope())
            q = Quantizer.AbGamut();
        using (q)
        {
            Assert.False(q.Centers.IsInvalid);
            Assert.Equal(new long[] { 313, 2 }, q.Centers.shape);
        }
    }

    [Fact]
    public void To_SameDevice_KeepsTheCentres()
    {
        using var q = Quantizer.AbGamut();
        var before = TestTensors.Read(q.Centers);
        Assert.Same(q, q.To(CPU));
        Assert.Equal(before, TestTensors.Read(q.Centers));
        Assert.Equal(DeviceType.CPU, q.Device.type);
    }

    [Fact]
    public void Centers_AfterDispose_Throws()
    {
        var q = Quantizer.Lightness();
        q.Dispose();
        q.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => q.Centers);
    }

    [Fact]
    public void FromCenters_CopiesTheCentres()
    {
        using var centres = tensor(new float[] { 0, 0, 10, 0, 0, 10 }, 3, 2);
        using var q = Quantizer.FromCenters("tiny", centres, 10);
        centres.zero_();
        Assert.Equal(new[] { 0f, 0f, 10f, 0f, 0f, 10f }, TestTensors.Read(q.Centers));
        Assert.Equal(new SoftEncoding(3, 5.0), q.DefaultSoftEncoding);
    }
}
