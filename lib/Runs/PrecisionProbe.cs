using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SplitBrain.Models;
using static TorchSharp.torch;

namespace SplitBrain.Runs;

/// <summary>
/// Decides what <see cref="Precision.Auto"/> computes in by timing it: on first use for a key (machine, network, batch,
/// threads, device) it times a few training steps in float32 and in bfloat16, after a warm-up, and takes the faster; the
/// decision and both figures go to <see cref="CacheFileName"/> in a cache folder (the workspace's <c>cache/</c>), so the
/// next run with the same key reads them, and a new key (another CPU, network, batch or thread count) is timed afresh.
/// </summary>
/// <remarks>
/// <para>Why timing: a CPU flag says bfloat16 instructions exist, not that they are faster. On AMD Zen 5 a bfloat16 step of
/// the default network ran 2.6-4.0x float32; on an Intel Xeon with the same <c>avx512_bf16</c> flag, 15-20% slower, for
/// PyTorch as for this library (<c>README.md</c>, "Benchmarks").</para>
/// <para>How: <see cref="WarmupSteps"/> steps of each precision (oneDNN builds its kernels, the allocator grows), then up to
/// <see cref="Rounds"/> rounds, each one step of each precision, the order alternating so that a drift of the machine's
/// speed favours neither; each precision's figure is its fastest step (another process only ever adds time). Rounds stop
/// early once <see cref="BudgetSeconds"/> are spent (after one at least): the cost is bounded by the warm-up, one round, and
/// the budget. A tie goes to float32. On a device without bfloat16
/// in hardware (<see cref="Precisions.HasNativeBFloat16"/>) nothing is timed: emulated bfloat16 is never the faster.</para>
/// <para>The steps must be synchronous (read a value back), so that on a GPU the clock sees the work; the rule is the
/// same there. Time comes from an injected <see cref="TimeProvider"/>, so tests decide which precision is faster.</para>
/// </remarks>
/// <param name="cacheFolder">The folder of <see cref="CacheFileName"/>, e.g. <see cref="Workspace.Cache"/>.</param>
/// <param name="clock">The clock the steps are timed by; <see cref="TimeProvider.System"/> when null.</param>
/// <param name="log">Receives one line: what was timed, the figures, the cost and the choice; nothing when null.</param>
public sealed class PrecisionProbe(string cacheFolder, TimeProvider? clock = null, Action<string>? log = null)
{
    /// <summary>The file in the cache folder that keeps the decisions, one per key.</summary>
    public const string CacheFileName = "precision-choices.json";

    /// <summary>Untimed steps of each precision before the timed ones (the first step builds the kernels).</summary>
    public const int WarmupSteps = 1;

    /// <summary>The most timed rounds (each one step of each precision).</summary>
    public const int Rounds = 4;

    /// <summary>Seconds after which no further round starts (one round is always timed): on a quiet machine the default
    /// network's probe (batch 64, 2 threads) fits in it; on a busy one it stops after the warm-up and one round.</summary>
    public const double BudgetSeconds = 10;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The cache file.</summary>
    public string CachePath { get; } = Path.Combine(cacheFolder, CacheFileName);

    /// <summary>
    /// The key of a decision: the machine (its CPU model, and the device when it is not the CPU), what is trained, the
    /// batch, the threads and the device, and the libtorch build.
    /// </summary>
    /// <param name="workload">What is trained, e.g. the network's configuration and its input size.</param>
    /// <param name="batchSize">Images per step.</param>
    /// <param name="device">The device that computes.</param>
    /// <returns>A readable one-line key.</returns>
    public static string Key(string workload, int batchSize, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Precisions.CpuModel} | {device} | {get_num_threads()} threads | batch {batchSize} | {workload} | TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}");
    }

    /// <summary>
    /// The precision <see cref="Precision.Auto"/> computes in for <paramref name="key"/>: read from the cache, or timed
    /// now with <paramref name="step"/> and then cached.
    /// </summary>
    /// <param name="key">What the decision holds for (<see cref="Key"/>).</param>
    /// <param name="step">Runs one training step in the given element type (inside <see cref="Autocast.Enter"/> of it, on a
    /// network of its own: the steps change its weights), synchronously.</param>
    /// <param name="bfloat16InHardware">Whether the device computes bfloat16 in hardware
    /// (<see cref="Precisions.HasNativeBFloat16"/>): when not, float32 without timing.</param>
    /// <returns>The choice, with both figures when timed.</returns>
    public PrecisionChoice Choose(string key, Action<ScalarType> step, bool bfloat16InHardware = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(step);
        if (!bfloat16InHardware)
            return new PrecisionChoice(ScalarType.Float32, Reason: "no bfloat16 in this device's hardware");
        var cache = ReadCache();
        if (cache.TryGetPropertyValue(key, out var cached) && cached is not null && Parse(cached) is { } known)
            return known;

        var choice = Measure(step);
        cache[key] = ToJson(choice);
        AtomicFile.WriteAllText(CachePath, cache.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"precision: timed float32 {choice.Float32Seconds:F3} s and bfloat16 {choice.BFloat16Seconds:F3} s a step "
            + $"(a warm-up step each, then the fastest of up to {Rounds} rounds) in {choice.ProbeSeconds:F1} s: Auto computes in {choice.Describe()}; "
            + $"kept in {CachePath}"));
        return choice;
    }

    private PrecisionChoice Measure(Action<ScalarType> step)
    {
        ScalarType[] types = [ScalarType.Float32, ScalarType.BFloat16];
        var start = _clock.GetTimestamp();
        for (var i = 0; i < WarmupSteps; i++)
        {
            foreach (var type in types)
                Run(step, type);
        }

        var best = new Dictionary<ScalarType, double> { [ScalarType.Float32] = double.MaxValue, [ScalarType.BFloat16] = double.MaxValue };
        for (var round = 0; round < Rounds; round++)
        {
            if (round >= 1 && _clock.GetElapsedTime(start).TotalSeconds > BudgetSeconds)
                break;
            foreach (var type in round % 2 == 0 ? types : types.Reverse())
            {
                var stepStart = _clock.GetTimestamp();
                Run(step, type);
                best[type] = Math.Min(best[type], _clock.GetElapsedTime(stepStart).TotalSeconds);
            }
        }

        var (f32, bf16) = (best[ScalarType.Float32], best[ScalarType.BFloat16]);
        return new PrecisionChoice(bf16 < f32 ? ScalarType.BFloat16 : ScalarType.Float32, f32, bf16, _clock.GetElapsedTime(start).TotalSeconds);
    }

    private static void Run(Action<ScalarType> step, ScalarType type)
    {
        using var compute = Autocast.Enter(type);
        step(type);
    }

    // The cache as a JSON object by key; empty when there is none or it cannot be read (then it is rewritten).
    private JsonObject ReadCache()
    {
        try
        {
            return File.Exists(CachePath) && JsonNode.Parse(File.ReadAllText(CachePath)) is JsonObject cache ? cache : [];
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            log?.Invoke($"precision: {CachePath} could not be read ({e.Message}); timing again");
            return [];
        }
    }

    private static JsonObject ToJson(PrecisionChoice choice) => new()
    {
        ["computeType"] = Precisions.Name(choice.ComputeType),
        ["float32Seconds"] = choice.Float32Seconds,
        ["bfloat16Seconds"] = choice.BFloat16Seconds,
        ["probeSeconds"] = choice.ProbeSeconds,
        ["measured"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
    };

    private static PrecisionChoice? Parse(JsonNode entry)
    {
        try
        {
            var type = (string?)entry["computeType"] switch
            {
                "float32" => ScalarType.Float32,
                "bfloat16" => ScalarType.BFloat16,
                _ => (ScalarType?)null,
            };
            return type is { } t
                ? new PrecisionChoice(t, (double?)entry["float32Seconds"], (double?)entry["bfloat16Seconds"], (double?)entry["probeSeconds"] ?? 0, FromCache: true)
                : null;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            return null; // a malformed entry is timed again
        }
    }
}
