using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Quantization;
using static TorchSharp.torch;

namespace SplitBrain.Training.Objectives;

/// <summary>
/// What a pretraining run minimises, and the network it trains: given the network and a batch's inputs and targets
/// (<see cref="SplitBrainTargets"/>), the loss and its named metrics. The objective is the one part of pretraining that
/// differs between the paper's alternatives (split-brain cross-entropy, autoencoders, regression, cross-channel encoders);
/// everything else (data, targets, the step, checkpoints, metric lines, the registry) is shared. An objective is one small
/// type, registered by name in <see cref="PretrainObjectives"/> and chosen by <see cref="PretrainConfig.Objective"/>.
/// </summary>
/// <remarks>It runs inside the engine's dispose scope, no-GC region and autocast; it returns tensors still on the device,
/// which the engine reads once per step. It keeps no state between steps (a resumed run recreates it by name); what it
/// draws or alternates per step comes from <see cref="ObjectiveStep"/>.</remarks>
public abstract class PretrainObjective
{
    /// <summary>The names of the numbers <see cref="Compute"/> returns, losses first, as they appear in
    /// <c>metrics.jsonl</c>, progress, the summary and the registry (e.g. <c>lossF1</c>, <c>lossF2</c>, <c>accF1</c>).</summary>
    public abstract IReadOnlyList<string> MetricNames { get; }

    /// <summary>How many of the first <see cref="MetricNames"/> are losses, which must stay finite (the NaN stop). 1 by default.</summary>
    public virtual int LossCount => 1;

    /// <summary>
    /// The network this objective trains, freshly initialised from torch's global generator (the run seeds it first). By
    /// default the split network (<see cref="SplitBrainNet"/>): F1 sees the first subset and predicts the second's bins,
    /// F2 the other way round. A run's network is rebuilt the same way when it is loaded, so evaluation reads any objective's
    /// run (<see cref="PretrainingRuns.LoadModel"/>).
    /// </summary>
    /// <param name="model">The architecture of one half (<see cref="PretrainConfig.Model"/>).</param>
    /// <param name="first">The quantizer of the first subset (L): its channels and bins.</param>
    /// <param name="second">The quantizer of the second subset (ab).</param>
    /// <param name="device">Where to put the weights; the CPU when null.</param>
    public virtual FeatureNetwork CreateNetwork(ModelConfig model, Quantizer first, Quantizer second, Device? device = null) =>
        SplitBrainNet.Create(model, first, second, device);

    /// <summary>The loss to minimise and the metrics of one batch.</summary>
    /// <param name="network">The network being trained (made by <see cref="CreateNetwork"/>).</param>
    /// <param name="batch">The batch's inputs and targets on the network's device.</param>
    /// <param name="step">The step's number and the run's seed.</param>
    /// <returns>The loss (a scalar with autograd history) and scalars in <see cref="MetricNames"/>' order.</returns>
    public abstract ObjectiveOutput Compute(FeatureNetwork network, SplitBrainTargets batch, ObjectiveStep step);

    /// <summary><paramref name="network"/> as the kind this objective made, or an error that says what it got.</summary>
    /// <typeparam name="TNetwork">The kind <see cref="CreateNetwork"/> makes.</typeparam>
    /// <param name="network">The network given to <see cref="Compute"/>.</param>
    protected TNetwork Expect<TNetwork>(FeatureNetwork network) where TNetwork : FeatureNetwork =>
        network as TNetwork ?? throw new ArgumentException(
            $"{GetType().Name} trains a {typeof(TNetwork).Name}, made by its {nameof(CreateNetwork)}; got a {network?.GetType().Name ?? "null"}.",
            nameof(network));
}

/// <summary>What an objective computed for one batch.</summary>
/// <param name="Loss">The scalar the optimizer minimises.</param>
/// <param name="Metrics">Scalars in <see cref="PretrainObjective.MetricNames"/>' order.</param>
public sealed record ObjectiveOutput(Tensor Loss, IReadOnlyList<Tensor> Metrics);
