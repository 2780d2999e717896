using System.Collections.ObjectModel;
using SplitBrain.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Runs;

/// <summary>
/// What one kind of training supplies to the <see cref="Trainer"/>: its model and optimizer, how many steps an epoch has,
/// its forward pass, what the end of an epoch adds, and the state it keeps beyond the model and optimizer. Everything a
/// run needs besides (the loop, the folder, metrics, checkpoints and exact resume, cancellation, the NaN stop, the GC
/// guard, progress and speed) is the engine's, written once.
/// </summary>
/// <remarks>
/// <para>The kinds: pretraining (<c>SplitBrain.Training.PretrainingTask</c>), classifiers
/// (<c>SplitBrain.Evaluation.ClassifierTask</c>, for fine-tuning runs and in-memory training) and linear probes
/// (<c>SplitBrain.Evaluation.LinearProbeTask</c>).</para>
/// <para>The engine calls, in order: <see cref="BeginEpoch"/> at the start of every epoch (also when a run resumes in the
/// middle of one), <see cref="Forward"/> once per batch (the engine takes the optimisation step), <see cref="EndEpoch(EpochEnd, IReadOnlyDictionary{string, double}, CancellationToken)"/>
/// after the epoch's last batch (or after the last step of a <see cref="TrainingBudget"/> that ends the run inside it). A step and the
/// start of an epoch run inside a dispose scope and a <see cref="NoGcRegion"/> of the engine's: a task makes tensors
/// freely there and reads its numbers out as doubles before it returns.</para>
/// <para>Resuming is exact when every random choice of an epoch comes from the epoch's start (a seeded shuffle), torch's
/// global generator (saved with each checkpoint) or <see cref="RandomState"/>.</para>
/// </remarks>
public abstract class TrainingTask : IDisposable
{
    /// <summary>The model a checkpoint saves (<c>model.bin</c>) and a resumed run loads.</summary>
    public abstract nn.Module Model { get; }

    /// <summary>The optimizer a checkpoint saves (<c>optimizer.bin</c>).</summary>
    public abstract OptimizerHelper Optimizer { get; }

    /// <summary>The device the task computes on.</summary>
    public abstract Device Device { get; }

    /// <summary>The element type the task's convolutions and matrix products compute in: the engine runs every step and
    /// every epoch's end inside <see cref="Autocast.Enter"/> with it. Float32 unless the task says otherwise.</summary>
    public virtual ScalarType ComputeType => ScalarType.Float32;

    /// <summary>How the summary and the registry name <see cref="ComputeType"/>, e.g. <c>bfloat16: 1.9x float32 on this
    /// machine</c> when <see cref="PrecisionProbe"/> timed it; its name unless the task says more.</summary>
    public virtual string ComputeTypeDescription => Precisions.Name(ComputeType);

    /// <summary>Steps (batches) in one epoch.</summary>
    public abstract int StepsPerEpoch { get; }

    /// <summary>The names of the numbers <see cref="Forward"/> returns, as they appear in <c>metrics.jsonl</c> and progress
    /// (e.g. <c>lossF1</c>, <c>lossF2</c>, <c>accF1</c>, <c>accF2</c>).</summary>
    public abstract IReadOnlyList<string> MetricNames { get; }

    /// <summary>How many of the first <see cref="MetricNames"/> are losses, which must stay finite (the NaN stop).</summary>
    public virtual int LossCount => 1;

    /// <summary>The learning-rate schedule the engine applies to <see cref="Optimizer"/> before each step, with the run's
    /// <see cref="Trainer.TotalSteps"/>.</summary>
    public abstract RateSchedule Schedule { get; }

    /// <summary>
    /// The state the task keeps besides the model, the optimizer and torch's generator (e.g. its augmentation's
    /// generator): saved with every checkpoint, and given back when a run resumes at the checkpoint's position (after
    /// <see cref="BeginEpoch"/> when it resumes inside an epoch). Null when there is none.
    /// </summary>
    public virtual byte[]? RandomState
    {
        get => null;
        set { }
    }

    /// <summary>Starts epoch <paramref name="epoch"/> (0-based) at batch <paramref name="firstBatch"/> (0 unless the run
    /// resumes inside it): sets up its batches and seeds what it draws.</summary>
    /// <param name="epoch">The epoch, from 0.</param>
    /// <param name="firstBatch">The first batch to train on.</param>
    /// <param name="cancellationToken">Stops the task's data reading.</param>
    protected internal abstract void BeginEpoch(int epoch, int firstBatch, CancellationToken cancellationToken);

    /// <summary>
    /// The forward pass on the epoch's next batch: read it, compute the loss to minimise and the metrics. The engine does
    /// the rest (<see cref="OptimizerStep"/>: zero_grad before, backward, the optimizer's step and one read of the numbers
    /// after), inside its dispose scope, no-GC region and autocast.
    /// </summary>
    /// <returns>The loss, the batch's images, and the metrics in <see cref="MetricNames"/>' order.</returns>
    protected internal abstract StepOutput Forward();

    /// <summary>
    /// The end of epoch <paramref name="epoch"/> (1-based, the epochs done): what the task measures beyond the training
    /// means, and whether training should stop here. (What is not the task's own, e.g. scoring a test set or drawing
    /// previews, is an <see cref="IRunObserver"/>'s.)
    /// </summary>
    /// <param name="epoch">Epochs done, this one included (for the partial epoch a budget ends in, the epoch it belongs to).</param>
    /// <param name="means">The epoch's means of <see cref="MetricNames"/>.</param>
    /// <param name="cancellationToken">Stops long work (scoring).</param>
    /// <returns>What it measured and whether to stop; <see cref="EpochOutcome.Continue"/> by default.</returns>
    protected internal virtual EpochOutcome EndEpoch(int epoch, IReadOnlyDictionary<string, double> means, CancellationToken cancellationToken) =>
        EpochOutcome.Continue;

    /// <summary>
    /// The end of an epoch as the engine reports it: whole, or the partial epoch a <see cref="TrainingBudget"/> ends the run
    /// in, and whether the run's training ends here (<see cref="EpochEnd.Last"/>: the moment to score a classifier). By
    /// default <see cref="EndEpoch(int, IReadOnlyDictionary{string, double}, CancellationToken)"/> with the epoch's number;
    /// a task that needs to know more overrides this one.
    /// </summary>
    /// <param name="end">Which epoch ends, and how.</param>
    /// <param name="means">The epoch's means of <see cref="MetricNames"/> (over its steps so far when it is partial).</param>
    /// <param name="cancellationToken">Stops long work (scoring).</param>
    /// <returns>What it measured and whether to stop (a partial epoch's end is the run's end anyway).</returns>
    protected internal virtual EpochOutcome EndEpoch(EpochEnd end, IReadOnlyDictionary<string, double> means, CancellationToken cancellationToken) =>
        EndEpoch(end.Epoch, means, cancellationToken);

    /// <summary>Frees what the task owns (the model, the optimizer, data).</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what the task owns.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected abstract void Dispose(bool disposing);
}

/// <summary>What the end of an epoch measured, and whether training stops.</summary>
/// <param name="Measured">Numbers to add to the epoch's line of <c>metrics.jsonl</c> (e.g. <c>testAccuracy</c>).</param>
/// <param name="Stop">True to end training after this epoch (early stopping).</param>
/// <param name="Note">A remark for the epoch's progress report (e.g. images that could not be read), or null.</param>
public sealed record EpochOutcome(IReadOnlyDictionary<string, double> Measured, bool Stop = false, string? Note = null)
{
    /// <summary>Nothing measured; go on.</summary>
    public static EpochOutcome Continue { get; } = new(ReadOnlyDictionary<string, double>.Empty);
}
