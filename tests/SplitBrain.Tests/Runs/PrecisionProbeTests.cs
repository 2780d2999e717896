using SplitBrain.Models;
using SplitBrain.Runs;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Runs;

/// <summary>Precision.Auto by measurement: the faster precision on a clock the test controls, the cache by key, the
/// bounded cost.</summary>
public sealed class PrecisionProbeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-precision-").FullName;
    private readonly ManualClock _clock = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private PrecisionProbe Probe(List<string>? log = null) => new(_folder, _clock, log is null ? null : log.Add);

    // A step that takes the given seconds per precision on the test's clock, counting its calls.
    private Action<ScalarType> Step(double float32Seconds, double bfloat16Seconds, List<ScalarType>? calls = null) => type =>
    {
        calls?.Add(type);
        _clock.Advance(type == ScalarType.BFloat16 ? bfloat16Seconds : float32Seconds);
    };

    [Fact]
    public void Choose_Float32Faster_PicksFloat32()
    {
        var choice = Probe().Choose("key", Step(float32Seconds: 0.5, bfloat16Seconds: 0.6));

        Assert.Equal(ScalarType.Float32, choice.ComputeType);
        Assert.Equal(0.5, choice.Float32Seconds!.Value, 9);
        Assert.Equal(0.6, choice.BFloat16Seconds!.Value, 9);
        Assert.Equal(1.2, choice.Speedup!.Value, 9);
        Assert.Equal("float32: 1.2x bfloat16 on this machine", choice.Describe());
    }

    [Fact]
    public void Choose_BFloat16Faster_PicksBFloat16()
    {
        var choice = Probe().Choose("key", Step(float32Seconds: 0.95, bfloat16Seconds: 0.5));

        Assert.Equal(ScalarType.BFloat16, choice.ComputeType);
        Assert.Equal("bfloat16: 1.9x float32 on this machine", choice.Describe());
        Assert.False(choice.FromCache);
    }

    [Fact]
    public void Choose_StepsRunInTheirPrecision_WarmUpThenAlternatingRounds()
    {
        var seen = new List<ScalarType>();

        Probe().Choose("key", type =>
        {
            Assert.Equal(type, Autocast.ComputeType); // the probe enters the precision it times
            seen.Add(type);
        });

        ScalarType f = ScalarType.Float32, b = ScalarType.BFloat16;
        Assert.Equal([f, b, /* rounds */ f, b, b, f, f, b, b, f], seen);
    }

    [Fact]
    public void Choose_SameKeyAgain_ReadsTheCacheWithoutTiming()
    {
        var log = new List<string>();
        var first = Probe(log).Choose("key", Step(0.9, 0.5));
        var calls = new List<ScalarType>();

        var again = Probe(log).Choose("key", Step(0.1, 5.0, calls)); // would now pick float32 if it timed

        Assert.Empty(calls);
        Assert.True(again.FromCache);
        Assert.Equal(first.ComputeType, again.ComputeType);
        Assert.Equal(first.Float32Seconds, again.Float32Seconds);
        Assert.Equal(first.Describe(), again.Describe());
        Assert.Single(log); // only the measurement says something
        Assert.Contains("in 7.0 s", log[0], StringComparison.Ordinal); // the cost: a warm-up step and 4 rounds of 0.9 + 0.5 s
    }

    [Fact]
    public void Choose_AnotherKey_TimesAgainAndKeepsBoth()
    {
        Probe().Choose("batch 64", Step(0.9, 0.5));
        var calls = new List<ScalarType>();

        var other = Probe().Choose("batch 32", Step(0.2, 0.3, calls));

        Assert.NotEmpty(calls);
        Assert.Equal(ScalarType.Float32, other.ComputeType);
        Assert.Equal(ScalarType.BFloat16, Probe().Choose("batch 64", Step(0.1, 5.0)).ComputeType); // still cached
        Assert.Equal(ScalarType.Float32, Probe().Choose("batch 32", Step(5.0, 0.1)).ComputeType);
    }

    [Fact]
    public void Choose_SlowSteps_StopsAfterOneRoundOnceTheBudgetIsSpent()
    {
        var calls = new List<ScalarType>();

        var choice = Probe().Choose("key", Step(3.0, 2.5, calls)); // warm-up: 5.5 s, a round: 5.5 s, then 11 s are spent

        Assert.Equal(2 * PrecisionProbe.WarmupSteps + 2, calls.Count);
        Assert.Equal(11, choice.ProbeSeconds, 9);
    }

    [Fact]
    public void Choose_NoBFloat16InHardware_Float32WithoutTiming()
    {
        var calls = new List<ScalarType>();

        var choice = Probe().Choose("key", Step(1, 0.1, calls), bfloat16InHardware: false);

        Assert.Empty(calls);
        Assert.Equal(ScalarType.Float32, choice.ComputeType);
        Assert.Equal("float32", choice.Describe());
        Assert.False(File.Exists(Probe().CachePath));
    }

    [Fact]
    public void Choose_UnreadableCache_TimesAgainAndRewritesIt()
    {
        File.WriteAllText(Probe().CachePath, "{ not json");
        var log = new List<string>();

        var choice = Probe(log).Choose("key", Step(0.9, 0.5));

        Assert.Equal(ScalarType.BFloat16, choice.ComputeType);
        Assert.Contains(log, line => line.Contains("could not be read", StringComparison.Ordinal));
        Assert.True(Probe().Choose("key", Step(0.1, 5)).FromCache);
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(double seconds) => _ticks += (long)Math.Round(seconds * TimeSpan.TicksPerSecond);
    }
}
