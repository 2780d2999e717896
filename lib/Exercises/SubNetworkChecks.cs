using SplitBrain.Training;
using static TorchSharp.torch;

namespace SplitBrain.Exercises;

/// <summary>The checks of chapter 03's exercises (the sub-networks).</summary>
public static class SubNetworkChecks
{
    /// <summary>
    /// Exercise 3.1: the output-size formula, with dilation. <paramref name="yours"/> takes an input size, a kernel, a
    /// stride, a padding and a dilation and returns the output size of a convolution, compared with the size a
    /// convolution in torch outputs. The first input has dilation 1.
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult OutputSize(Func<int, int, int, int, int, int> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("3.1", "the output-size formula, with dilation",
            "A dilated kernel spans dilation * (kernel - 1) + 1 pixels; put that span where the kernel was in "
            + "(in + 2 * padding - kernel) / stride + 1, with integer division (a window that does not fit is dropped).",
            8, input =>
            {
                var kernel = input.Integer(1, 11);
                var dilation = input.Number == 1 ? 1 : input.Integer(1, 3);
                var padding = input.Integer(0, kernel / 2);
                var stride = input.Integer(1, 4);
                var span = dilation * (kernel - 1) + 1;
                var size = input.Integer(Math.Max(1, span - 2 * padding), 100);
                input.Description = $"size {size}, kernel {kernel}, stride {stride}, padding {padding}, dilation {dilation}";
                using var output = nn.functional.conv2d(zeros(1, 1, size, size), ones(1, 1, kernel, kernel),
                    strides: [stride, stride], padding: [padding, padding], dilation: [dilation, dilation]);
                return Comparison.Equal("output size", yours(size, kernel, stride, padding, dilation), (int)output.shape[2]);
            });
    }

    /// <summary>
    /// Exercise 3.2: the rebalanced cross-entropy of one half. <paramref name="yours"/> takes logits <c>[N, Q, h, w]</c>,
    /// target bins <c>[N, h, w]</c> (int64) and per-position weights <c>[N, h, w]</c> and returns the mean over all
    /// positions of weight x cross-entropy (<see cref="SplitBrainLoss.CrossEntropy"/>). The first input is a network at
    /// initialisation: all logits 0 and weights 1, where the loss must be log Q.
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult RebalancedCrossEntropy(Func<Tensor, Tensor, Tensor, Tensor> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("3.2", "the rebalanced cross-entropy",
            "At each position the cross-entropy is -log softmax(logits)[target]: logits.log_softmax(1), then "
            + ".gather(1, target.unsqueeze(1)).squeeze(1) picks the target's; multiply by the weights and take the mean over N, h, w "
            + "(not divided by the weights' sum).",
            3, input =>
            {
                var atInit = input.Number == 1;
                var bins = atInit ? 313 : input.Integer(2, 313);
                long[] shape = [input.Integer(1, 4), input.Integer(1, 6), input.Integer(1, 6)];
                var logits = atInit ? zeros(shape[0], bins, shape[1], shape[2]) : randn([shape[0], bins, shape[1], shape[2]], generator: input.Random) * 2;
                var target = randint(0, bins, shape, generator: input.Random);
                var weights = atInit ? ones(shape) : rand(shape, generator: input.Random) * 3;
                input.Description = atInit
                    ? $"a network at initialisation: logits {Comparison.Shape(logits)} all 0, weights 1 (the loss must be log {bins} = {Comparison.Number(Math.Log(bins))})"
                    : $"random logits {Comparison.Shape(logits)}, targets and weights in 0..3";
                return Comparison.Tensors("loss", yours(logits.clone(), target.clone(), weights.clone()), SplitBrainLoss.CrossEntropy(logits, target, weights), 1e-5);
            });
    }
}
