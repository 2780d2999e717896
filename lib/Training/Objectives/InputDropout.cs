using SplitBrain.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Training.Objectives;

/// <summary>
/// The corruption of the denoising autoencoder (Zhang, Isola, Efros 2017, table 2, "Lab(drop50) -&gt; Lab"): half of the
/// input values dropped, as a dropout layer on the input does.
/// </summary>
/// <remarks>
/// <para>Which values: every value of the [N, C, H, W] normalised input (each channel of each pixel of each image) is
/// dropped on its own, with probability <see cref="Probability"/> (0.5), independently of the others; a dropped value
/// becomes 0 (mid-grey L, neutral ab) and a kept one is scaled by 1 / (1 - p) = 2, as Caffe's and PyTorch's dropout do,
/// so the input's expected value is the clean input's, which is what the network sees when its features are read.</para>
/// <para>Drawn how: from a CPU generator seeded with the run's seed and the step's number (<see cref="ObjectiveStep"/>),
/// so the mask of a step is the same on every device, in every run with that seed, and after a resume; it draws nothing
/// from torch's global generator or the augmentation's.</para>
/// </remarks>
public static class InputDropout
{
    /// <summary>The probability that a value is dropped: half.</summary>
    public const double Probability = 0.5;

    /// <summary>The keep mask of a step, 0 where a value is dropped and 2 where it is kept.</summary>
    /// <param name="shape">The input's shape [N, C, H, W].</param>
    /// <param name="step">The step (its number and the run's seed fix the draw).</param>
    /// <param name="device">Where to put the mask.</param>
    /// <returns>A float32 mask of <paramref name="shape"/>.</returns>
    public static Tensor Mask(long[] shape, ObjectiveStep step, Device device)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(step);
        using var scope = NewDisposeScope();
        using var generator = new Generator(Seed(step));
        var kept = rand(shape, generator: generator).ge_(Probability).to_type(ScalarType.Float32); // 1 kept, 0 dropped
        return kept.mul_(1 / (1 - Probability)).to(device).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="input"/> with the step's values dropped (<see cref="Mask"/>).</summary>
    /// <param name="input">[N, C, H, W] normalised values; not changed.</param>
    /// <param name="step">The step.</param>
    /// <returns>A new tensor of <paramref name="input"/>'s shape and dtype.</returns>
    public static Tensor Apply(Tensor input, ObjectiveStep step)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        return (input * Mask(input.shape, step, input.device).to_type(input.dtype)).MoveToOuterDisposeScope();
    }

    // A different stream per (seed, step), from the generator the data code keys by (seed, index) for the same reason.
    private static ulong Seed(ObjectiveStep step) => new DeterministicRandom(step.Seed, step.Index).NextUInt64();
}
