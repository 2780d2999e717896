using SplitBrain.Models;
using SplitBrain.Runs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Evaluation;

/// <summary>
/// What training a <see cref="LinearProbe"/> supplies to the run engine (<see cref="Trainer"/>, without a folder): per
/// epoch a seeded shuffle of the standardised features, per batch Adam on the cross-entropy plus the L2 term, and at the
/// end of each epoch the accuracy on the held-out part (<see cref="ValidationAccuracy"/>), which the engine's
/// <see cref="EarlyStopping"/> watches: keeping the best epoch's weights and stopping when it has not improved for
/// <see cref="LinearProbeConfig.Patience"/> epochs.
/// </summary>
internal sealed class LinearProbeTask : TrainingTask
{
    /// <summary>The metric each epoch's end measures with a held-out part (what early stopping watches).</summary>
    internal const string ValidationAccuracy = "validationAccuracy";

    private static readonly string[] Names = ["loss"];

    private readonly LinearProbe _probe;
    private readonly Linear _linear;
    private readonly Tensor _x;           // [n, D] standardised
    private readonly Tensor _y;           // [n]
    private readonly Tensor? _validationX; // [v, D] raw (the probe standardises)
    private readonly Tensor? _validationY;
    private readonly LinearProbeConfig _options;
    private readonly OptimizerHelper _optimizer;
    private readonly Generator _generator;
    private readonly long _batch;
    private Tensor? _order;
    private long _next;
    private RateSchedule? _schedule;

    internal LinearProbeTask(LinearProbe probe, Linear linear, Tensor x, Tensor y, Tensor? validationX, Tensor? validationY, LinearProbeConfig options)
    {
        (_probe, _linear, _x, _y, _validationX, _validationY, _options) = (probe, linear, x, y, validationX, validationY, options);
        var n = x.shape[0];
        _batch = options.BatchSize == 0 ? n : Math.Min(options.BatchSize, n);
        _optimizer = optim.Adam(probe.parameters(), lr: options.LearningRate);
        _generator = new Generator((ulong)options.Seed);
    }

    /// <summary>The mean training loss of each epoch.</summary>
    internal List<double> Losses { get; } = [];

    /// <summary>Epochs trained.</summary>
    internal int EpochsRun { get; private set; }

    /// <inheritdoc/>
    public override nn.Module Model => _probe;

    /// <inheritdoc/>
    public override OptimizerHelper Optimizer => _optimizer;

    /// <inheritdoc/>
    public override Device Device => _x.device;

    /// <inheritdoc/>
    public override ScalarType ComputeType => Precisions.Resolve(_options.Precision, _x.device);

    /// <inheritdoc/>
    public override int StepsPerEpoch => (int)((_x.shape[0] + _batch - 1) / _batch);

    /// <inheritdoc/>
    public override IReadOnlyList<string> MetricNames => Names;

    /// <inheritdoc/>
    public override RateSchedule Schedule => _schedule ??= RateSchedule.Constant(_options.LearningRate);

    /// <inheritdoc/>
    protected internal override void BeginEpoch(int epoch, int firstBatch, CancellationToken cancellationToken)
    {
        _probe.train();
        _order?.Dispose();
        _order = randperm(_x.shape[0], generator: _generator).to(_x.device).DetachFromDisposeScope(); // [n] seeded shuffle
        _next = firstBatch * _batch;
    }

    /// <inheritdoc/>
    protected internal override StepOutput Forward()
    {
        var rows = _order!.narrow(0, _next, Math.Min(_batch, _x.shape[0] - _next));
        _next += rows.shape[0];
        var logits = Autocast.Full(Autocast.Linear(_linear, _x.index_select(0, rows)));
        var loss = nn.functional.cross_entropy(logits, _y.index_select(0, rows));
        if (_options.WeightDecay > 0)
            loss = loss + _linear.weight!.square().sum().mul(_options.WeightDecay / 2);
        return new StepOutput(loss, (int)rows.shape[0], [loss]);
    }

    /// <inheritdoc/>
    protected internal override EpochOutcome EndEpoch(int epoch, IReadOnlyDictionary<string, double> means, CancellationToken cancellationToken)
    {
        Losses.Add(means["loss"]);
        EpochsRun = epoch;
        if (_validationX is null || _validationY is null)
            return EpochOutcome.Continue;
        var accuracy = _probe.Accuracy(_validationX, _validationY);
        _probe.train();
        return new EpochOutcome(new Dictionary<string, double> { [ValidationAccuracy] = accuracy });
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _order?.Dispose();
        _optimizer.Dispose();
        _generator.Dispose();
    }
}
