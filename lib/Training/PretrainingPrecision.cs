using SplitBrain.Color;
using System.Globalization;
using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Training.Objectives;
using static TorchSharp.torch;

namespace SplitBrain.Training;

/// <summary>
/// The precision a pretraining run computes in: the one its config forces, or for <see cref="Precision.Auto"/> the faster
/// of float32 and bfloat16 for this machine, network, batch, threads and device, timed once by <see cref="PrecisionProbe"/>
/// on a network and optimizer of its own (the run's are not touched) with the run's step (its objective,
/// <see cref="OptimizerStep"/>) and kept in the workspace's cache.
/// </summary>
internal static class PretrainingPrecision
{
    /// <summary>What <paramref name="config"/> computes in on <paramref name="device"/> with the threads set now.</summary>
    /// <param name="config">The run's settings: its precision, network, targets, batch, image size and optimizer.</param>
    /// <param name="device">The device that trains.</param>
    /// <param name="workspace">Whose cache folder keeps the decision.</param>
    /// <param name="log">Receives the probe's line when it times.</param>
    /// <param name="clock">The probe's clock (tests); the system's when null.</param>
    /// <returns>The choice.</returns>
    /// <remarks>Call it before seeding the run's weights: the probe's network draws from torch's global generator.</remarks>
    internal static PrecisionChoice Choose(PretrainConfig config, Device device, Workspace workspace, Action<string> log, TimeProvider? clock = null)
    {
        if (config.Precision != Precision.Auto)
            return new PrecisionChoice(Precisions.Resolve(config.Precision, device), Reason: "asked for");
        var size = config.Data.ImageSize;
        // The default objective's key names none, as keys did before objectives: decisions already cached stay valid.
        var workload = string.Create(CultureInfo.InvariantCulture,
            $"{config.Model} | {size} px | {config.Targets} | {config.Optimizer}{(config.Objective is { } name ? $" | {name}" : "")}{(config.Split != ColorSplit.Lab ? $" | {config.Split}" : "")}");
        var probe = new PrecisionProbe(workspace.Cache, clock, log);
        var key = PrecisionProbe.Key(workload, config.BatchSize, device);
        if (!Precisions.HasNativeBFloat16(device))
            return probe.Choose(key, _ => { }, bfloat16InHardware: false);

        using var targets = new TargetBuilder(config.Targets, device, config.Split);
        var objective = PretrainObjectives.Create(config.Objective);
        using var network = objective.CreateNetwork(config.Model, targets.LightnessQuantizer, targets.AbQuantizer, device); // the run's own network
        using var optimizer = optim.Adam(network.parameters(), config.LearningRate);
        using var images = randint(0, 256, [config.BatchSize, 3, size, size], ScalarType.Byte, device); // speed does not depend on the values
        using var batch = targets.Build(images);
        network.train();
        return probe.Choose(key, _ =>
        {
            using var scope = NewDisposeScope();
            OptimizerStep.Take(optimizer, () => // the run's step, its one read of the numbers waiting for the device
            {
                var (loss, metrics) = objective.Compute(network, batch, new ObjectiveStep(0, config.Seed));
                return new StepOutput(loss, config.BatchSize, metrics);
            });
        });
    }
}
