using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Quantization;
using SplitBrain.Tests.Support;
using SplitBrain.Training.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Training.Objectives;

/// <summary>The paper's quantizers, a tiny batch (<see cref="ObjectiveBatches"/>) and the network an objective makes for it,
/// all freed at once.</summary>
internal sealed class TinyBatch : IDisposable
{
    private readonly DisposeScope _scope = NewDisposeScope();

    /// <summary>A batch seeded by <paramref name="seed"/>, and <paramref name="objective"/>'s network of
    /// <see cref="ObjectiveBatches.Tiny"/> (drawn from torch's global generator).</summary>
    public TinyBatch(PretrainObjective objective, ulong seed = 1)
    {
        Objective = objective;
        (L, Ab) = (Quantizer.Lightness(), Quantizer.AbGamut());
        Targets = ObjectiveBatches.Batch(L, Ab, seed);
        Network = objective.CreateNetwork(ObjectiveBatches.Tiny, L, Ab);
    }

    public PretrainObjective Objective { get; }

    public Quantizer L { get; }

    public Quantizer Ab { get; }

    public SplitBrainTargets Targets { get; }

    public FeatureNetwork Network { get; }

    /// <summary>The objective's loss and metrics at step <paramref name="step"/> (seed 1).</summary>
    public ObjectiveOutput Compute(long step = 0) => Objective.Compute(Network, Targets, new ObjectiveStep(step, 1));

    public void Dispose()
    {
        Network.Dispose();
        Targets.Dispose();
        L.Dispose();
        Ab.Dispose();
        _scope.Dispose();
    }
}

/// <summary>
/// A tiny batch for the objectives' hand computations: 2 images of 16 x 16, hard targets on the 2 x 2 grid (blocks of 8),
/// positive rebalancing weights, and the hand-written losses the tests compare with (plain loops over read-back values).
/// </summary>
internal static class ObjectiveBatches
{
    /// <summary>A network small enough to read back: widths 2, fc 4.</summary>
    public static ModelConfig Tiny { get; } = new(2, 2, 2, 2, 2, Fc: 4);

    /// <summary>Seeded inputs and targets: L in [-0.5, 0.5), ab in [-0.5, 0.5), bins drawn at random, weights in [0.5, 2).</summary>
    internal static SplitBrainTargets Batch(Quantizer l, Quantizer ab, ulong seed)
    {
        using var generator = new Generator(seed);
        return new SplitBrainTargets(
            TestTensors.Uniform(-0.5, 0.5, seed, 2, 1, 16, 16),
            TestTensors.Uniform(-0.5, 0.5, seed + 1, 2, 2, 16, 16),
            randint(0, ab.Bins, [2, 2, 2], generator: generator),
            randint(0, l.Bins, [2, 2, 2], generator: generator),
            TestTensors.Uniform(0.5, 2, seed + 2, 2, 2, 2),
            TestTensors.Uniform(0.5, 2, seed + 3, 2, 2, 2),
            soft: false);
    }

    /// <summary>Mean over positions of <c>w * (log sum_q exp z_q - z_target)</c>, from [N, Q, h, w] logits.</summary>
    public static double CrossEntropy(Tensor logits, Tensor target, Tensor? weights)
    {
        var z = TestTensors.Read(logits);
        var t = TestTensors.ReadLong(target);
        var w = weights is null ? null : TestTensors.Read(weights);
        var (q, positions) = ((int)logits.shape[1], (int)(logits.shape[2] * logits.shape[3]));
        double total = 0;
        for (var i = 0; i < t.Length; i++)
        {
            var (n, p) = (i / positions, i % positions);
            double Logit(int c) => z[(n * q + c) * positions + p];
            var max = Enumerable.Range(0, q).Max(Logit);
            var logSum = max + Math.Log(Enumerable.Range(0, q).Sum(c => Math.Exp(Logit(c) - max)));
            total += (w?[i] ?? 1) * (logSum - Logit((int)t[i]));
        }
        return total / t.Length;
    }

    /// <summary>Each channel's mean over f x f blocks of [N, C, H, W] values, as [N, C, H/f, W/f] in row-major order.</summary>
    public static double[] BlockMeans(Tensor values, int factor)
    {
        var v = TestTensors.Read(values);
        var (nc, height, width) = ((int)(values.shape[0] * values.shape[1]), (int)values.shape[2], (int)values.shape[3]);
        var (h, w) = (height / factor, width / factor);
        var means = new double[nc * h * w];
        for (var plane = 0; plane < nc; plane++)
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                    means[(plane * h + y / factor) * w + x / factor] += v[(plane * height + y) * width + x] / (double)(factor * factor);
        return means;
    }

    /// <summary>Mean over the N x h x w positions of the squared error summed over the C channels.</summary>
    public static double L2(Tensor prediction, double[] target)
    {
        var p = TestTensors.Read(prediction);
        Assert.Equal(target.Length, p.Length);
        var positions = prediction.shape[0] * prediction.shape[2] * prediction.shape[3];
        return p.Select((value, i) => (value - target[i]) * (value - target[i])).Sum() / positions;
    }

    /// <summary>[N, C1 + C2, ...] of two [N, C, h, w] block-mean arrays, channels of <paramref name="first"/> first.</summary>
    public static double[] Concat(double[] first, int c1, double[] second, int c2, int n)
    {
        var plane = first.Length / (n * c1);
        var result = new List<double>();
        for (var i = 0; i < n; i++)
        {
            result.AddRange(first.Skip(i * c1 * plane).Take(c1 * plane));
            result.AddRange(second.Skip(i * c2 * plane).Take(c2 * plane));
        }
        return [.. result];
    }

    /// <summary>Asserts <paramref name="actual"/> (a scalar tensor) equals <paramref name="expected"/> to float rounding.</summary>
    public static void Equal(double expected, Tensor actual, string what)
    {
        var value = actual.to_type(ScalarType.Float64).item<double>();
        Assert.True(Math.Abs(value - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {value:R}");
    }
}
