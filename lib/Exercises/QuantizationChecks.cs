using SplitBrain.Quantization;
using static TorchSharp.torch;

namespace SplitBrain.Exercises;

/// <summary>The checks of chapter 02's exercises (quantization), against the 313 ab bins of <see cref="Quantizer.AbGamut"/>.</summary>
public static class QuantizationChecks
{
    /// <summary>
    /// Exercise 2.1: the nearest-bin (hard) encoding. <paramref name="yours"/> takes ab values <c>[N, 2, H, W]</c> and the
    /// bin centres <c>[Q, 2]</c> and returns <c>[N, H, W]</c> int64 indices of the nearest centre. A bin counts as
    /// nearest when its distance equals the nearest one's (up to float32 rounding), as <see cref="Quantizer.HardEncode"/>'s.
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult NearestBin(Func<Tensor, Tensor, Tensor> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("2.1", "the nearest-bin encoding",
            "Squared distances from every position to every centre by broadcasting: ab.unsqueeze(1) is [N, 1, 2, H, W] and "
            + "centers.reshape(1, Q, 2, 1, 1) is [1, Q, 2, 1, 1]; sum the squared difference over the channel dimension (2) and "
            + "take argmin over the bins (dimension 1).",
            3, input =>
            {
                using var gamut = Quantizer.AbGamut();
                var ab = RandomAb(input);
                var indices = yours(ab, gamut.Centers.clone());
                if (indices is null || indices.dtype is not (ScalarType.Int64 or ScalarType.Int32))
                    return new Comparison(false, $"your indices must be an int64 tensor (argmin returns one); got {(indices is null ? "null" : indices.dtype.ToString())}");
                var expected = gamut.HardEncode(ab);
                if (!indices.shape.SequenceEqual(expected.shape))
                    return new Comparison(false, $"your indices have shape {Comparison.Shape(indices)}; expected {Comparison.Shape(expected)}");
                if (indices.min().item<long>() < 0 || indices.max().item<long>() >= gamut.Bins)
                    return new Comparison(false, $"your indices run from {indices.min().item<long>()} to {indices.max().item<long>()}; bins are 0..{gamut.Bins - 1}");
                // Compare distances rather than indices: a near-tie may round either way.
                var yourDistance = Distance(ab, gamut.DecodeIndices(indices.to_type(ScalarType.Int64)));
                var nearest = Distance(ab, gamut.DecodeIndices(expected));
                var worse = (yourDistance - nearest).gt(1e-3);
                var wrong = worse.sum().item<long>();
                if (wrong == 0)
                    return new Comparison(true, $"every one of {expected.numel()} positions gets a nearest bin", 0);
                var at = worse.flatten().nonzero()[0, 0].item<long>();
                return new Comparison(false,
                    $"{wrong} of {expected.numel()} positions get a bin that is not the nearest; the first (flat index {at}): yours {indices.flatten()[at].item<long>()} "
                    + $"at distance {Comparison.Number(yourDistance.flatten()[at].item<float>())}, nearest {expected.flatten()[at].item<long>()} at {Comparison.Number(nearest.flatten()[at].item<float>())}");
            });
    }

    /// <summary>
    /// Exercise 2.2: the soft encoding. <paramref name="yours"/> takes ab values <c>[N, 2, H, W]</c>, the centres
    /// <c>[Q, 2]</c>, K and sigma, and returns <c>[N, Q, H, W]</c>: at each position, Gaussian weights
    /// <c>exp(-d^2 / (2 sigma^2))</c> on the K nearest centres, normalised to sum to 1, zero elsewhere
    /// (<see cref="Quantizer.SoftEncode"/>).
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult SoftTargets(Func<Tensor, Tensor, int, double, Tensor> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("2.2", "the soft encoding",
            "Squared distances as in 2.1, then d2.topk(k, dim: 1, largest: false) gives the K nearest (values and indices); "
            + "weights exp(-d^2 / (2 sigma^2)) normalised over the K (softmax of -d^2 / (2 sigma^2) does both); "
            + "zeros_like(d2).scatter_(1, indices, weights) puts them in place.",
            3, input =>
            {
                using var gamut = Quantizer.AbGamut();
                var ab = RandomAb(input);
                var k = input.Integer(1, 8);
                var sigma = 2.0 + 8.0 * rand([1], generator: input.Random).item<float>();
                input.Description += $", K = {k}, sigma = {Comparison.Number(sigma)}";
                return Comparison.Tensors("soft targets", yours(ab, gamut.Centers.clone(), k, sigma),
                    gamut.SoftEncode(ab, new SoftEncoding(k, sigma)), 1e-4);
            });
    }

    /// <summary>
    /// Exercise 2.3: the class-rebalancing weights. <paramref name="yours"/> takes a prior <c>[Q]</c> (summing to 1) and
    /// lambda and returns <c>[Q]</c> weights <c>((1 - lambda) p + lambda / Q)^-1</c> scaled to a mean of 1 under the
    /// prior (<see cref="RebalancingWeights.FromPrior"/> with alpha 1).
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult ClassWeights(Func<Tensor, double, Tensor> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("2.3", "the class-rebalancing weights",
            "Mix: (1 - lambda) * prior + lambda / Q; invert: 1 / mix (or .pow(-1)); then divide by (prior * w).sum(), "
            + "so that the mean weight under the prior is 1.",
            3, input =>
            {
                var bins = input.Integer(5, 313);
                var prior = rand([bins], generator: input.Random).pow(4);     // a few common bins, many rare ones
                prior = prior / prior.sum();
                var lambda = input.Number == 1 ? 0.5 : 0.05 + 0.9 * rand([1], generator: input.Random).item<float>();
                input.Description = $"a prior over {bins} bins, lambda = {Comparison.Number(lambda)}";
                using var expected = RebalancingWeights.FromPrior(prior, lambda);
                return Comparison.Tensors("weights", yours(prior.clone(), lambda), expected.Weights, 1e-4);
            });
    }

    /// <summary>
    /// Exercise 2.4: the annealed mean. <paramref name="yours"/> takes probabilities <c>[N, Q, H, W]</c>, the centres
    /// <c>[Q, 2]</c> and a temperature T, and returns <c>[N, 2, H, W]</c>: the mean of the centres under p^(1/T),
    /// renormalised (<see cref="Quantizer.Decode"/> with <see cref="DecodeMode.AnnealedMean"/>).
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult AnnealedMean(Func<Tensor, Tensor, double, Tensor> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("2.4", "the annealed mean",
            "Sharpen: p.pow(1 / T), renormalise over the bins (divide by .sum(1, keepdim: true)); the mean is "
            + "einsum(\"nqhw,qc->nchw\", sharpened, centers).",
            3, input =>
            {
                using var gamut = Quantizer.AbGamut();
                long[] shape = [input.Integer(1, 3), gamut.Bins, input.Integer(1, 6), input.Integer(1, 6)];
                var p = (randn(shape, generator: input.Random) * 3).softmax(1);
                var t = input.Number == 1 ? 0.38 : 0.1 + 0.9 * rand([1], generator: input.Random).item<float>();
                input.Description = $"probabilities {Comparison.Shape(shape)}, T = {Comparison.Number(t)}";
                return Comparison.Tensors("ab", yours(p.clone(), gamut.Centers.clone(), t), gamut.Decode(p, DecodeMode.AnnealedMean, t), 1e-4);
            });
    }

    // Random ab values over the whole plane the bins cover, in a batch of random size.
    private static Tensor RandomAb(CheckInput input)
    {
        long[] shape = [input.Integer(1, 3), 2, input.Integer(1, 6), input.Integer(1, 6)];
        input.Description = $"ab {Comparison.Shape(shape)}, uniform in -110..110";
        return rand(shape, generator: input.Random) * 220 - 110;
    }

    // Euclidean distance between two [N, 2, H, W] maps, per position: [N, H, W].
    private static Tensor Distance(Tensor a, Tensor b) => (a - b).pow(2).sum(1).sqrt();
}
