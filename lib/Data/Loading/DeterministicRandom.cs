namespace SplitBrain.Data;

/// <summary>
/// A small seeded random number generator (SplitMix64, Steele, Lea and Flood, OOPSLA 2014) whose sequence is fixed
/// by this code alone.
/// </summary>
/// <remarks>
/// <see cref="Random"/> with a seed is not promised to give the same sequence on every .NET version, and the
/// synthetic images and the loaders' shuffles must be reproducible from (seed, index) or (seed, epoch) for good,
/// so the data code uses this instead. SplitMix64 passes BigCrush and is the usual seeder of the xoshiro family;
/// it is plenty for shuffles and image parameters. Not thread-safe: one instance per use.
/// </remarks>
internal sealed class DeterministicRandom
{
    private ulong _state;

    /// <summary>A generator whose sequence depends only on <paramref name="keys"/> (e.g. seed, split, index).</summary>
    internal DeterministicRandom(params ReadOnlySpan<long> keys)
    {
        // Each key is folded in through a full mixing step, so (1, 2) and (2, 1) give unrelated sequences.
        var state = 0x6A09E667F3BCC909UL; // fractional digits of sqrt(2): an arbitrary, documented start
        foreach (var key in keys)
        {
            state = Mix(state ^ (ulong)key) + 0x9E3779B97F4A7C15UL;
        }

        _state = state;
    }

    /// <summary>The next 64 random bits.</summary>
    internal ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    internal double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    internal double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, <paramref name="count"/>), without modulo bias (Lemire's method).</summary>
    internal int NextInt(int count)
    {
        if (count <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Expected a positive count.");
        }

        var bound = (ulong)count;
        var threshold = (0UL - bound) % bound;
        while (true)
        {
            var product = Math.BigMul(NextUInt64(), bound, out var low);
            if (low >= threshold)
            {
                return (int)product;
            }
        }
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    internal bool Chance(double p) => NextDouble() < p;

    /// <summary>A random permutation of 0..count-1 (Fisher-Yates).</summary>
    internal int[] Permutation(int count)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        for (var i = count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
