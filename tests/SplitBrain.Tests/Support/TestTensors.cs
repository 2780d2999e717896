using static TorchSharp.torch;

namespace SplitBrain.Tests.Support;

/// <summary>Seeded inputs and read-backs for tests, each making exactly the one tensor it returns (leak checks count them).</summary>
internal static class TestTensors
{
    /// <summary>Values uniform in [<paramref name="low"/>, <paramref name="high"/>), from a private seeded generator.</summary>
    public static Tensor Uniform(double low, double high, ulong seed, params long[] shape)
    {
        using var generator = new Generator(seed);
        return rand(shape, generator: generator).mul_(high - low).add_(low);
    }

    /// <summary>Normal values with standard deviation <paramref name="scale"/>, from a private seeded generator.</summary>
    public static Tensor Normal(double scale, ulong seed, params long[] shape)
    {
        using var generator = new Generator(seed);
        return randn(shape, generator: generator).mul_(scale);
    }

    /// <summary>The values of <paramref name="t"/> as float32, in row-major order.</summary>
    public static float[] Read(Tensor t)
    {
        using var f = t.to_type(ScalarType.Float32);
        return f.data<float>().ToArray();
    }

    /// <summary>The values of an int64 tensor, in row-major order.</summary>
    public static long[] ReadLong(Tensor t) => t.data<long>().ToArray();
}

/// <summary>Element-wise comparisons with a stated absolute tolerance.</summary>
internal static class AssertClose
{
    /// <summary>Asserts equal lengths and |expected[i] - actual[i]| &lt;= <paramref name="tolerance"/> for every i.</summary>
    public static void Elementwise(double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"element {i}: expected {expected[i]}, got {actual[i]} (tolerance {tolerance})");
    }
}
