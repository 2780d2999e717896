using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Runs;

/// <summary>
/// The optimisation step every kind of run shares, written once: zero the gradients, the task's forward pass, backward, the
/// optimizer's step, and one device-to-host read of the metrics (one synchronisation per step on a GPU). The only place in
/// the library that calls <c>backward()</c>.
/// </summary>
public static class OptimizerStep
{
    /// <summary>The learning rates of <paramref name="optimizer"/>'s parameter groups as built: what
    /// <see cref="SetRate"/> scales.</summary>
    /// <param name="optimizer">The optimizer.</param>
    public static double[] BaseRates(OptimizerHelper optimizer) => [.. optimizer.ParamGroups.Select(g => g.LearningRate)];

    /// <summary>Sets the first parameter group's rate to <paramref name="rate"/> and the others' in the ratios of
    /// <paramref name="baseRates"/> (see <see cref="RateSchedule"/>).</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="baseRates">The groups' rates as built (<see cref="BaseRates"/>).</param>
    /// <param name="rate">The rate of the first group.</param>
    public static void SetRate(OptimizerHelper optimizer, double[] baseRates, double rate)
    {
        var i = 0;
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = baseRates.Length == 0 || baseRates[0] == 0 ? rate : rate * baseRates[i] / baseRates[0];
            i++;
        }
    }

    /// <summary>One step: zero_grad, <paramref name="forward"/>, backward, the optimizer's step, one read of the metrics.
    /// Inside the caller's dispose scope (and, in the engine, its no-GC region and autocast).</summary>
    /// <param name="optimizer">The optimizer of the parameters the loss depends on.</param>
    /// <param name="forward">The task's forward pass on its next batch.</param>
    /// <returns>The batch's images and its metrics' values.</returns>
    public static StepOutcome Take(OptimizerHelper optimizer, Func<StepOutput> forward)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(forward);
        optimizer.zero_grad();
        var output = forward();
        try
        {
            output.Loss.backward();
            optimizer.step();
            using var numbers = stack([.. output.Metrics.Select(m => m.detach())]).to_type(ScalarType.Float64).cpu();
            return new StepOutcome(output.Images, numbers.data<double>().ToArray());
        }
        finally
        {
            output.Owned?.Dispose();
        }
    }
}
