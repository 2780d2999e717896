using System.Diagnostics;
using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Quantization;
using SplitBrain.Runs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SplitBrain.Evaluation;

/// <summary>
/// A linear classifier on frozen features: standardisation with the training features' mean and standard deviation,
/// then one linear layer to class logits (multinomial logistic regression). <see cref="Fit"/> trains one.
/// </summary>
/// <remarks>
/// <para>Children and buffers (the state_dict keys): <c>mean</c> and <c>std</c> ([D] buffers) and <c>linear</c>
/// (<c>linear.weight</c> [C, D], <c>linear.bias</c> [C]).</para>
/// <para>Why standardise: pooled activations of different layers differ in scale by orders of magnitude (and a randomly
/// initialised network's even more), so one learning rate and one weight decay serve every layer only on standardised
/// features. A feature constant over the training set gets a standard deviation of 1 (as scikit-learn's StandardScaler),
/// so it contributes nothing rather than dividing by zero.</para>
/// </remarks>
public sealed class LinearProbe : Module<Tensor, Tensor>
{
    // Standard deviations at or below this count as zero (a constant feature, e.g. a dead ReLU).
    private const double ConstantFeature = 1e-6;

    // Keeps the validation split's use of the seed apart from other seeded choices.
    private const long ValidationStream = 0x56414C4944; // "VALID"

    // Field names are the state_dict keys.
    private readonly Tensor mean;
    private readonly Tensor std;
    private readonly Linear linear;

    private LinearProbe(Tensor featureMean, Tensor featureStd, int classes) : base(nameof(LinearProbe))
    {
        mean = featureMean;
        std = featureStd;
        var dimension = featureMean.shape[0];
        linear = Linear(dimension, classes, device: featureMean.device);
        // Zero weights: the objective is convex, so the start only needs to be the same every time, and zeros (uniform
        // predictions, loss log C) need no generator.
        using (no_grad())
        {
            linear.weight!.zero_();
            linear.bias!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>Dimension D of the features.</summary>
    public int Dimension => (int)mean.shape[0];

    /// <summary>Number of classes C.</summary>
    public int Classes => (int)linear.weight!.shape[0];

    /// <summary>Epochs trained (fewer than asked for when the validation accuracy stopped improving).</summary>
    public int EpochsRun { get; private set; }

    /// <summary>The epoch (1-based) whose weights were kept: the best on the validation split, else the last.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Accuracy on the features it was trained on (the training part, without the validation split).</summary>
    public double TrainAccuracy { get; private set; }

    /// <summary>Accuracy on the held-out validation split at <see cref="BestEpoch"/>; null without one.</summary>
    public double? ValidationAccuracy { get; private set; }

    /// <summary>Mean training loss (cross-entropy plus the L2 term) of each epoch.</summary>
    public IReadOnlyList<double> Losses { get; private set; } = [];

    /// <summary>Time <see cref="Fit"/> took.</summary>
    public double Seconds { get; private set; }

    /// <summary>
    /// Trains a probe on <paramref name="features"/> (on their device) as <paramref name="options"/> say: Adam on the
    /// mean cross-entropy plus <c>WeightDecay / 2 * |W|^2</c>, seeded shuffles, optionally stopping early on a stratified
    /// held-out part.
    /// </summary>
    /// <param name="features">[N, D] floating features (converted to float32).</param>
    /// <param name="labels">[N] int64 classes in 0..classes-1, on the features' device.</param>
    /// <param name="classes">Number of classes C, at least 2.</param>
    /// <param name="options">Epochs, batch size, learning rate, weight decay, validation split, seed;
    /// <see cref="LinearProbeConfig.Default"/> when null. (Its extraction fields are not used here.)</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <returns>The trained probe, in eval mode, on the features' device; the caller owns it.</returns>
    /// <exception cref="ArgumentException">A shape, dtype, device or label does not fit, or an option is out of range.</exception>
    public static LinearProbe Fit(Tensor features, Tensor labels, int classes, LinearProbeConfig? options = null,
        CancellationToken cancellationToken = default)
    {
        options = (options ?? LinearProbeConfig.Default).Validate();
        CheckFeatures(features, labels, nameof(features));
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"{nameof(classes)} must be at least 2; got {classes}.");
        var clock = Stopwatch.StartNew();
        long[] labelArray;
        using (var cpuLabels = labels.cpu())
            labelArray = cpuLabels.data<long>().ToArray();
        if (labelArray.Any(l => l < 0 || l >= classes))
            throw new ArgumentException(
                $"{nameof(labels)} must be classes in 0..{classes - 1}; got values from {labelArray.Min()} to {labelArray.Max()}.", nameof(labels));
        var (trainRows, validationRows) = Split(labelArray, classes, options);

        using var scope = NewDisposeScope();
        var x = Rows(features, trainRows).to_type(ScalarType.Float32);                             // [n, D]
        var y = Rows(labels, trainRows);                                                           // [n]
        var featureMean = x.mean([0]);                                                             // [D]
        var featureStd = x.std(0, unbiased: false);
        featureStd = where(featureStd.gt(ConstantFeature), featureStd, ones_like(featureStd));
        var probe = new LinearProbe(featureMean.DetachFromDisposeScope(), featureStd.DetachFromDisposeScope(), classes);
        try
        {
            var standardized = x.sub(featureMean).div_(featureStd);                                // [n, D]
            var validationX = validationRows is null ? null : Rows(features, validationRows).to_type(ScalarType.Float32);
            var validationY = validationRows is null ? null : Rows(labels, validationRows);
            probe.Train(standardized, y, validationX, validationY, options, cancellationToken);
            probe.TrainAccuracy = probe.Accuracy(x, y);
            probe.Seconds = clock.Elapsed.TotalSeconds;
            return probe;
        }
        catch
        {
            probe.Dispose();
            throw;
        }
    }

    /// <summary>Class logits of features.</summary>
    /// <param name="features">[N, <see cref="Dimension"/>] floating, on the probe's device.</param>
    /// <returns>[N, <see cref="Classes"/>] logits.</returns>
    public override Tensor forward(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2 || features.shape[1] != Dimension || !features.is_floating_point())
            throw new ArgumentException(
                $"{nameof(features)} must be [N, {Dimension}] floating-point features; got {TensorArguments.Describe(features)}.", nameof(features));
        using var scope = NewDisposeScope();
        var standardized = features.to_type(ScalarType.Float32).sub(mean).div_(std);
        return Autocast.Full(Autocast.Linear(linear, standardized)).MoveToOuterDisposeScope(); // logits in float32
    }

    /// <summary>Test metrics of the probe on labeled features (evaluated in chunks, without autograd).</summary>
    /// <param name="features">[N, D] floating features.</param>
    /// <param name="labels">[N] int64 classes, on the features' device.</param>
    /// <param name="classNames">One name per class for the report; numbers when null.</param>
    /// <returns>The report.</returns>
    public ClassificationReport Evaluate(Tensor features, Tensor labels, IReadOnlyList<string>? classNames = null)
    {
        CheckFeatures(features, labels, nameof(features));
        var metrics = new ClassificationMetrics(Classes, classNames: classNames);
        Score(features, labels, metrics);
        return metrics.Report();
    }

    /// <summary>Adds the probe's predictions for labeled features to <paramref name="metrics"/>.</summary>
    internal void Score(Tensor features, Tensor labels, ClassificationMetrics metrics)
    {
        const long chunk = 1024; // bounds the standardised copy of a large feature matrix
        eval();
        using var _ = no_grad();
        for (long start = 0; start < features.shape[0]; start += chunk)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(chunk, features.shape[0] - start);
            metrics.Add(forward(features.narrow(0, start, n)), labels.narrow(0, start, n));
        }
    }

    internal double Accuracy(Tensor features, Tensor labels)
    {
        var metrics = new ClassificationMetrics(Classes, topK: 1);
        Score(features, labels, metrics);
        return metrics.Report().Top1;
    }

    // The optimisation, on standardised features, by the run engine (no folder): keeps the weights of the best validation
    // epoch when there is a split.
    private void Train(Tensor x, Tensor y, Tensor? validationX, Tensor? validationY, LinearProbeConfig options,
        CancellationToken cancellationToken)
    {
        using var task = new LinearProbeTask(this, linear, x, y, validationX, validationY, options);
        using var best = new EarlyStopping(LinearProbeTask.ValidationAccuracy, options.Patience, keepBestOf: this);
        var trainer = new Trainer("linear probe", new TrainerConfig(options.Epochs)).Observe(best);
        trainer.Start(task);
        try
        {
            trainer.Fit(TrainingProgress.None, cancellationToken);
        }
        finally
        {
            eval();
        }
        var validated = validationX is not null && validationY is not null;
        (EpochsRun, BestEpoch, ValidationAccuracy, Losses) = (task.EpochsRun, validated ? best.BestEpoch : task.EpochsRun, best.BestValue, task.Losses);
    }

    // Training rows and (with a validation fraction) held-out rows: the same fraction of every class, chosen by the seed.
    private static (long[] Train, long[]? Validation) Split(long[] labels, int classes, LinearProbeConfig options)
    {
        var all = Enumerable.Range(0, labels.Length).Select(i => (long)i).ToArray();
        if (options.ValidationFraction == 0)
            return (all, null);
        var validation = new HashSet<long>();
        for (var c = 0; c < classes; c++)
        {
            var members = all.Where(i => labels[i] == c).ToArray();
            var take = (int)Math.Round(options.ValidationFraction * members.Length);
            if (take == 0 || take == members.Length) // a class needs examples on both sides
                continue;
            var order = new DeterministicRandom(ValidationStream, options.Seed, c).Permutation(members.Length);
            validation.UnionWith(order.Take(take).Select(j => members[j]));
        }
        return validation.Count == 0
            ? (all, null)
            : (all.Where(i => !validation.Contains(i)).ToArray(), validation.Order().ToArray());
    }

    private static Tensor Rows(Tensor t, long[] rows) =>
        rows.Length == t.shape[0] ? t.alias() : t.index_select(0, tensor(rows, device: t.device));

    private static void CheckFeatures(Tensor features, Tensor labels, string paramName)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() != 2 || !features.is_floating_point() || features.shape[0] == 0)
            throw new ArgumentException($"{paramName} must be [N, D] floating-point features with N > 0; got {TensorArguments.Describe(features)}.", paramName);
        if (labels.dim() != 1 || labels.dtype != ScalarType.Int64 || labels.shape[0] != features.shape[0])
            throw new ArgumentException(
                $"{nameof(labels)} must be [{features.shape[0]}] int64 classes (one per row of {paramName}); got {TensorArguments.Describe(labels)}.",
                nameof(labels));
        if (labels.device_type != features.device_type || labels.device_index != features.device_index)
            throw new ArgumentException($"{nameof(labels)} are on {labels.device} but {paramName} on {features.device}.", nameof(labels));
    }
}
