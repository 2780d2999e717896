using static TorchSharp.torch;

namespace SplitBrain.Runs;

/// <summary>What a task's forward pass gives the engine for one batch: the loss to minimise and the values of its metrics,
/// still on the device. The engine does the rest once for every kind of run (<see cref="OptimizerStep"/>).</summary>
/// <param name="Loss">The scalar the optimizer minimises (e.g. the sum of both halves' losses).</param>
/// <param name="Images">Images in the batch (the weight of its values in the means).</param>
/// <param name="Metrics">Scalar tensors in <see cref="TrainingTask.MetricNames"/>' order; the first
/// <see cref="TrainingTask.LossCount"/> are losses, which must stay finite.</param>
/// <param name="Owned">What the forward pass made outside the dispose scope (e.g. a batch's targets), disposed once the
/// step's numbers are read; null for nothing.</param>
public sealed record StepOutput(Tensor Loss, int Images, IReadOnlyList<Tensor> Metrics, IDisposable? Owned = null);

/// <summary>What one step gives the engine, read to the host.</summary>
/// <param name="Images">Images in the batch (the weight of its values in the means).</param>
/// <param name="Values">The values of the task's metrics for the batch, in <see cref="TrainingTask.MetricNames"/>' order.</param>
public readonly record struct StepOutcome(int Images, double[] Values);
