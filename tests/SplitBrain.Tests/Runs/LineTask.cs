using System.Runtime;
using SplitBrain.Runs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Runs;

/// <summary>
/// The engine's test task: a line y = 2x + 1 fitted to 32 noisy points in batches of 8 (4 steps an epoch). Each forward pass adds
/// noise from the task's own generator and drops inputs with torch's global generator, and each epoch's end draws from
/// torch's generator too, so resuming is exact only if both are restored where an uninterrupted run has them.
/// </summary>
internal sealed class LineTask : TrainingTask
{
    private readonly Linear _model;
    private readonly OptimizerHelper _optimizer;
    private readonly Generator _noise = new(7);
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly long _nanAtStep;
    private readonly int _stopAfterEpoch;
    private readonly int _stepMilliseconds;
    private readonly Func<long, long, double> _schedule;
    private int _next;
    private long _step;

    /// <param name="nanAtStep">The step (from 1) whose loss is reported as NaN; none by default.</param>
    /// <param name="stopAfterEpoch">The epoch after which the task asks to stop (early stopping); none by default.</param>
    /// <param name="stepMilliseconds">How long each step sleeps, so that a minutes budget has something to time.</param>
    /// <param name="schedule">The learning rate of (step, total steps); 0.05 throughout by default.</param>
    public LineTask(long nanAtStep = -1, int stopAfterEpoch = 0, int stepMilliseconds = 0, Func<long, long, double>? schedule = null)
    {
        (_nanAtStep, _stopAfterEpoch, _stepMilliseconds) = (nanAtStep, stopAfterEpoch, stepMilliseconds);
        _schedule = schedule ?? ((_, _) => 0.05);
        using var data = new Generator(3);
        _x = rand([32, 1], generator: data);
        _y = _x * 2 + 1;
        manual_seed(1);
        _model = nn.Linear(1, 1);
        _optimizer = optim.SGD(_model.parameters(), 0.05);
    }

    public List<(int Epoch, int FirstBatch)> EpochStarts { get; } = [];

    /// <summary>Every end of an epoch the engine reported, in order.</summary>
    public List<EpochEnd> EpochEnds { get; } = [];

    /// <summary>Every (step, total steps) the engine asked the schedule about, in order.</summary>
    public List<(long Step, long Total)> Asked { get; } = [];

    /// <summary>The learning rate each step trained with, in order.</summary>
    public List<double> Rates { get; } = [];

    public bool EveryStepInANoGcRegion { get; private set; } = true;

    public override nn.Module Model => _model;

    public override OptimizerHelper Optimizer => _optimizer;

    public override Device Device => CPU;

    public override int StepsPerEpoch => 4;

    public override IReadOnlyList<string> MetricNames => ["loss"];

    public override RateSchedule Schedule => RateSchedule.Of((step, totalSteps) =>
    {
        Asked.Add((step, totalSteps));
        return _schedule(step, totalSteps);
    });

    public override byte[]? RandomState
    {
        get
        {
            using var state = _noise.get_state();
            return state.bytes.ToArray();
        }
        set
        {
            using var state = tensor(value!, ScalarType.Byte);
            _noise.set_state(state);
        }
    }

    protected internal override void BeginEpoch(int epoch, int firstBatch, CancellationToken cancellationToken)
    {
        EpochStarts.Add((epoch, firstBatch));
        _next = firstBatch;
    }

    protected internal override StepOutput Forward()
    {
        EveryStepInANoGcRegion &= GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;
        if (_stepMilliseconds > 0)
            Thread.Sleep(_stepMilliseconds);
        _step++;
        Rates.Add(_optimizer.ParamGroups.First().LearningRate);
        var rows = arange(_next * 8, _next * 8 + 8, ScalarType.Int64);
        _next++;
        var keep = rand([8, 1]).gt(0.1).to_type(ScalarType.Float32);            // torch's global generator
        var x = _x.index_select(0, rows) * keep + randn([8, 1], generator: _noise) * 0.01;
        var loss = nn.functional.mse_loss(_model.call(x), _y.index_select(0, rows));
        return new StepOutput(loss, 8, [_step == _nanAtStep ? full([], double.NaN) : loss]);
    }

    protected internal override EpochOutcome EndEpoch(EpochEnd end, IReadOnlyDictionary<string, double> means, CancellationToken cancellationToken)
    {
        EpochEnds.Add(end);
        rand(1).Dispose(); // an epoch's end that draws from torch's generator (as dropout while re-estimating BatchNorm)
        return new(new Dictionary<string, double> { ["measured"] = 0.5 }, Stop: end.Epoch == _stopAfterEpoch);
    }

    protected override void Dispose(bool disposing)
    {
        _optimizer.Dispose();
        _model.Dispose();
        _noise.Dispose();
        _x.Dispose();
        _y.Dispose();
    }
}
