using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Runs;
using static TorchSharp.torch;

namespace SplitBrain.Evaluation;

/// <summary>
/// The label-efficiency experiment: for every label budget (labeled images per class) and every way of training
/// (<see cref="LabelEfficiencyWay"/>), a classifier on the same layer trains for the same number of optimizer steps and
/// is scored on the whole test split. The picture to look at for any self-supervised method: how much pretraining
/// helps when labels are few, and how the gap closes as they grow.
/// </summary>
/// <remarks>
/// Every budget trains for <c>steps</c> steps (the epochs are rounded up), so that a small budget is not also a short
/// training; the labeled subsets are nested (<see cref="LabeledSubset.PerClass"/>). The random networks of the frozen
/// controls are built once, seeded, with the pretrained network's architecture (<see cref="RandomNetworks"/>): random init
/// and random+BN have the same weights.
/// </remarks>
public static class LabelEfficiency
{
    /// <summary>Trains and scores every classifier of the experiment.</summary>
    /// <param name="pretrained">The pretrained network (not changed: every classifier works on a copy).</param>
    /// <param name="train">The labeled training split the budgets are drawn from.</param>
    /// <param name="test">The labeled test split, with the same classes.</param>
    /// <param name="labelsPerClass">The budgets; each at least 1.</param>
    /// <param name="steps">Optimizer steps of every classifier, at least 1.</param>
    /// <param name="fineTune">How classifiers train (its epochs are replaced, see above).</param>
    /// <param name="classifier">Layer, pooling and dropout of the head (its mode is each way's).</param>
    /// <param name="ways">The ways; <see cref="LabelEfficiencyWay.All"/> when null.</param>
    /// <param name="seed">Seeds the subsets, the random networks, the heads and the training.</param>
    /// <param name="unlabeled">The images random+BN's statistics are estimated on (labels are not read); the training
    /// split's images when null.</param>
    /// <param name="progress">Told during every classifier's training.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The accuracies.</returns>
    /// <exception cref="ArgumentException">A budget or the step count is below 1, or the datasets have no labels.</exception>
    public static LabelEfficiencyResult Run(FeatureNetwork pretrained, IImageDataset train, IImageDataset test,
        IReadOnlyList<int> labelsPerClass, int steps, ClassifierTrainingConfig fineTune, ClassifierConfig? classifier = null,
        IReadOnlyList<LabelEfficiencyWay>? ways = null, int seed = 0, IProgress<LabelEfficiencyProgress>? progress = null,
        IImageDataset? unlabeled = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pretrained);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(labelsPerClass);
        ArgumentNullException.ThrowIfNull(fineTune);
        if (labelsPerClass.Count == 0 || labelsPerClass.Any(k => k < 1))
            throw new ArgumentException($"{nameof(labelsPerClass)} must hold at least one budget, each at least 1; got [{string.Join(", ", labelsPerClass)}].", nameof(labelsPerClass));
        if (steps < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"{nameof(steps)} must be at least 1.");
        ways ??= LabelEfficiencyWay.All;
        classifier ??= ClassifierConfig.FineTune;
        var classes = train.Classes.Count;
        if (classes < 2)
            throw new ArgumentException("The training split has no labels: the experiment needs a labeled split.", nameof(train));

        var budgets = labelsPerClass.Distinct().Order().ToList();
        var runs = budgets.Count * ways.Count;
        var points = new List<LabelEfficiencyPoint>();
        bool Needs(StartingWeights start) => ways.Any(w => w.Start == start && w.Mode != ClassifierMode.Scratch);
        using var random = Needs(StartingWeights.Random) ? RandomNetworks.Random(pretrained, seed) : null;
        using var randomBatchNorm = Needs(StartingWeights.RandomWithBatchNorm)
            ? RandomNetworks.RandomWithBatchNorm(pretrained, seed, unlabeled ?? train, precision: fineTune.Precision)
            : null;
        foreach (var perClass in budgets)
        {
            var subset = LabeledSubset.PerClass(train, perClass, seed);
            var config = fineTune.ForSteps(steps, subset.Count) with { Seed = seed, EvaluateEveryEpoch = false };
            foreach (var way in ways)
            {
                var name = $"{way.Name}, {perClass}/class";
                var run = points.Count + 1;
                var network = way.Mode == ClassifierMode.Scratch ? pretrained : way.Start switch
                {
                    StartingWeights.Random => random!,
                    StartingWeights.RandomWithBatchNorm => randomBatchNorm!,
                    _ => pretrained,
                };
                using var model = SplitBrainClassifier.Create(network, classes, classifier with { Mode = way.Mode }, seed);
                using var tuner = new FineTuner(model, config);
                var relay = (IProgress<TrainingProgress>?)ProgressRelay<TrainingProgress>.To(progress, p => new LabelEfficiencyProgress(run, runs, name, p)) ?? TrainingProgress.None;
                var result = tuner.Fit(subset, test, relay, name, cancellationToken);
                points.Add(new LabelEfficiencyPoint(way, perClass, result));
            }
        }
        return new LabelEfficiencyResult(points, test.Count);
    }
}
