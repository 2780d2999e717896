using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Quantization;
using SplitBrain.Runs;
using SplitBrain.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Exercises;

/// <summary>The checks of chapter 04's exercises (pretraining).</summary>
public static class PretrainingChecks
{
    /// <summary>
    /// Exercise 4.1: the learning-rate schedule. <paramref name="yours"/> takes a step (from 0), the run's total steps, the
    /// warm-up steps and the peak learning rate, and returns the learning rate of that step: a linear warm-up, then a
    /// cosine decay to 0 at the last step (<see cref="PretrainConfig.LearningRateAt(long, int, long)"/>).
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult LearningRate(Func<long, long, int, double, double> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("4.1", "the learning-rate schedule",
            "Warm-up: peak * (step + 1) / warmup for step < warmup. After it, with progress = (step - warmup) / (total - warmup): "
            + "peak * 0.5 * (1 + cos(pi * progress)).",
            4, input =>
            {
                var warmup = input.Integer(1, 200);
                var total = warmup + input.Integer(1, 2_000);
                var peak = Math.Pow(10, -4 + 2 * rand([1], generator: input.Random).item<float>());
                var config = PretrainConfig.Small with { LearningRate = peak, WarmupSteps = warmup, Steps = null, Minutes = null };
                long[] steps = [0, warmup - 1, warmup, (warmup + total) / 2, total - 1, input.Integer(0, total - 1)];
                input.Description = $"{total} steps, warm-up {warmup}, peak {Comparison.Number(peak)}, steps {string.Join(", ", steps)}";
                return Comparison.All([.. steps.Select(step =>
                    Comparison.Numbers($"learning rate at step {step}", yours(step, total, warmup, peak), config.LearningRateAt(step, 1, total), 1e-6))]);
            });
    }

    /// <summary>
    /// Exercise 4.2: one training step. <paramref name="yours"/> takes a network, an optimizer and a batch of inputs,
    /// targets and rebalancing weights (<see cref="TargetBuilder.Build"/>), makes one step on the sum of both halves'
    /// rebalanced cross-entropies, and returns that loss. Compared with the library's loss
    /// (<see cref="SplitBrainLoss.Compute"/>) on a copy of the network: the losses of two steps in a row, and how much the
    /// step moved every parameter (plain SGD, so that the change is the gradient).
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult TrainingStep(Func<SplitBrainNet, optim.Optimizer, SplitBrainTargets, double> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("4.2", "one training step",
            "optimizer.zero_grad() first (gradients add up otherwise, and the second step moves the weights too far); net.call(batch.LInput, batch.AbInput) "
            + "gives F1's ab logits and F2's L logits; F1 learns batch.AbTarget weighted by batch.AbWeights, F2 batch.LTarget by "
            + "batch.LWeights; backward() on the sum, optimizer.step(), return the sum's value.",
            1, input =>
            {
                using var targets = new TargetBuilder();
                using var abWeights = RebalancingWeights.FromPrior(RandomPrior(targets.AbQuantizer.Bins, input));
                using var lWeights = RebalancingWeights.FromPrior(RandomPrior(targets.LightnessQuantizer.Bins, input));
                var size = 8 * input.Integer(3, 4);
                using var batch = targets.Build(randint(0, 256, [input.Integer(2, 4), 3, size, size], ScalarType.Byte, generator: input.Random), abWeights, lWeights);
                input.Description = $"a small network (ModelConfig.Small), {batch.Count} random {size}x{size} images, SGD at 0.05, two steps";
                manual_seed(input.Number);
                using var mine = SplitBrainNet.Create(ModelConfig.Small, targets.LightnessQuantizer, targets.AbQuantizer);
                using var reference = SplitBrainNet.Create(ModelConfig.Small, targets.LightnessQuantizer, targets.AbQuantizer);
                reference.load_state_dict(mine.state_dict());
                var before = EvaluationChecks.FlatParameters(reference);
                using var myOptimizer = optim.SGD(mine.parameters(), 0.05);
                using var referenceOptimizer = optim.SGD(reference.parameters(), 0.05);
                var comparisons = new List<Comparison>();
                for (var step = 1; step <= 2; step++)
                {
                    var yourLoss = yours(mine, myOptimizer, batch);
                    comparisons.Add(Comparison.Numbers($"loss of step {step}", yourLoss, ReferenceStep(reference, referenceOptimizer, batch), 1e-4));
                }
                comparisons.Add(Comparison.Tensors("change of the parameters", EvaluationChecks.FlatParameters(mine) - before, EvaluationChecks.FlatParameters(reference) - before, 1e-3));
                return Comparison.All([.. comparisons]);
            });
    }

    // The library's step (the engine's OptimizerStep) on the library's loss.
    private static double ReferenceStep(SplitBrainNet net, OptimizerHelper optimizer, SplitBrainTargets batch)
    {
        using var scope = NewDisposeScope();
        net.train();
        return OptimizerStep.Take(optimizer, () =>
        {
            var losses = SplitBrainLoss.Compute(net.call(batch.LInput, batch.AbInput), batch.AbTarget, batch.LTarget, batch.AbWeights, batch.LWeights);
            return new StepOutput(losses.Total, (int)batch.Count, [losses.Total]);
        }).Values[0];
    }

    private static Tensor RandomPrior(int bins, CheckInput input)
    {
        var prior = rand([bins], generator: input.Random).pow(3);
        return prior / prior.sum();
    }
}
