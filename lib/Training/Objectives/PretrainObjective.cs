using SplitBrain.Data;
using SplitBrain.Models;
using static TorchSharp.torch;

namespace SplitBrain.Training.Objectives;

/// <summary>
/// What a pretraining run minimises: given the network and a batch's inputs and targets (<see cref="SplitBrainTargets"/>),
/// the loss and its named metrics. The objective is the one part of pretraining that differs between the paper's
/// alternatives (split-brain cross-entropy, autoencoders, regression, cross-channel encoders); everything else (data,
/// targets, the step, checkpoints, metric lines, the registry) is shared. An objective is one small type, registered by
/// name in <see cref="PretrainObjectives"/> and chosen by <see cref="PretrainConfig.Objective"/>.
/// </summary>
/// <remarks>It runs inside the engine's dispose scope, no-GC region and autocast; it returns tensors still on the device,
/// which the engine reads once per step. It keeps no state between steps (a resumed run recreates it by name).</remarks>
public abstract class PretrainObjective
{
    /// <summary>The names of the numbers <see cref="Compute"/> returns, losses first, as they appear in
    /// <c>metrics.jsonl</c>, progress, the summary and the registry (e.g. <c>lossF1</c>, <c>lossF2</c>, <c>accF1</c>).</summary>
    public abstract IReadOnlyList<string> MetricNames { get; }

    /// <summary>How many of the first <see cref="MetricNames"/> are losses, which must stay finite (the NaN stop). 1 by default.</summary>
    public virtual int LossCount => 1;

    /// <summary>The loss to minimise and the metrics of one batch.</summary>
    /// <param name="network">The network being trained.</param>
    /// <param name="batch">The batch's inputs and targets on the network's device.</param>
    /// <returns>The loss (a scalar with autograd history) and scalars in <see cref="MetricNames"/>' order.</returns>
    public abstract ObjectiveOutput Compute(SplitBrainNet network, SplitBrainTargets batch);
}

/// <summary>What an objective computed for one batch.</summary>
/// <param name="Loss">The scalar the optimizer minimises.</param>
/// <param name="Metrics">Scalars in <see cref="PretrainObjective.MetricNames"/>' order.</param>
public sealed record ObjectiveOutput(Tensor Loss, IReadOnlyList<Tensor> Metrics);
