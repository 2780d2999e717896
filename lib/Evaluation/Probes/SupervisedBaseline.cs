using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Runs;

namespace SplitBrain.Evaluation;

/// <summary>
/// The supervised reference of a linear-probe comparison: the same architecture as the network studied, trained from
/// fresh weights as a classifier on the labeled training images (<see cref="ClassifierMode.Scratch"/>), whose backbone
/// is then probed like any other network (the "supervised" curve of the paper's fig. 3 and 4). Owns the classifier:
/// dispose it.
/// </summary>
/// <remarks>
/// <para>Why the head sits on fc7 by default (<see cref="DefaultClassifier"/>), where a classifier of chapter 05 sits on
/// conv5: a classifier trains only the layers up to its head, so with a conv5 head the backbone's fc6 and fc7 would stay
/// at their random initialisation, and their probes would measure random layers on top of a trained conv5. With the head
/// on fc7 every probed layer is trained with the labels, as in the paper's supervised AlexNet.</para>
/// <para>Training length is given in optimizer steps (<see cref="ClassifierTrainingConfig.ForSteps"/>), so that baselines trained
/// on different numbers of labels get the same training.</para>
/// <example><code>
/// using var supervised = SupervisedBaseline.Train(pretrained, probeTrain, steps: 240, seed: 0, test: test);
/// var curve = LinearProbes.Run(supervised.Backbone, probeTrain, test, LinearProbes.AllLayers, name: SupervisedBaseline.Name);
/// </code></example>
/// </remarks>
public sealed class SupervisedBaseline : IDisposable
{
    /// <summary>The legend name of the supervised network.</summary>
    public const string Name = "supervised";

    private SupervisedBaseline(SplitBrainClassifier classifier, FineTuneResult result)
    {
        Classifier = classifier;
        Result = result;
    }

    /// <summary>The classifier the baseline trains by default: from scratch, its head on fc7 (see the remarks), global
    /// average pooling, dropout 0.5.</summary>
    public static ClassifierConfig DefaultClassifier { get; } = ClassifierConfig.Scratch with { Layer = FeatureLayer.Fc7 };

    /// <summary>The trained classifier.</summary>
    public SplitBrainClassifier Classifier { get; }

    /// <summary>Its split-brain network: the one to probe (owned by <see cref="Classifier"/>).</summary>
    public FeatureNetwork Backbone => Classifier.Backbone;

    /// <summary>How training went: every epoch, and the classifier's own test metrics when a test set was given.</summary>
    public FineTuneResult Result { get; }

    /// <summary>
    /// Trains the architecture of <paramref name="like"/> from fresh weights as a classifier of
    /// <paramref name="train"/>'s classes, for at least <paramref name="steps"/> optimizer steps.
    /// </summary>
    /// <param name="like">The network whose architecture and device to copy (not changed, not owned; its weights are
    /// not used).</param>
    /// <param name="train">Labeled training images (e.g. a <see cref="LabeledSubset"/>).</param>
    /// <param name="steps">Optimizer steps, at least 1: the epochs are as many as make them.</param>
    /// <param name="seed">Seeds the weights, the shuffles, the augmentation and dropout; at least 0.</param>
    /// <param name="config">Batch size, learning rate, augmentation, precision; <see cref="ClassifierTrainingConfig.Default"/> when
    /// null. Its <c>Epochs</c> and <c>Seed</c> are replaced.</param>
    /// <param name="test">Labeled test images to score the classifier on after training, or null to skip.</param>
    /// <param name="classifier">What to train; <see cref="DefaultClassifier"/> when null. Its mode must be
    /// <see cref="ClassifierMode.Scratch"/>.</param>
    /// <param name="progress">Told after every batch; nothing when null.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The baseline; the caller owns it.</returns>
    /// <exception cref="ArgumentException">The data has no labels or fewer than 2 classes, or an argument is out of
    /// range.</exception>
    public static SupervisedBaseline Train(FeatureNetwork like, IImageDataset train, int steps, int seed = 0,
        ClassifierTrainingConfig? config = null, IImageDataset? test = null, ClassifierConfig? classifier = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(like);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        classifier ??= DefaultClassifier;
        if (classifier.Mode != ClassifierMode.Scratch)
            throw new ArgumentException(
                $"{nameof(classifier)} must train from scratch ({nameof(ClassifierMode)}.{nameof(ClassifierMode.Scratch)}); got {classifier.Mode}.", nameof(classifier));
        if (!train.HasLabels || train.Count == 0)
            throw new ArgumentException($"{nameof(train)} ({train.Name}) has no labeled images: the supervised baseline trains on labels.", nameof(train));
        var training = (config ?? ClassifierTrainingConfig.Default).ForSteps(steps, train.Count) with { Seed = seed };
        var model = SplitBrainClassifier.Create(like, train.Classes.Count, classifier, seed);
        try
        {
            using var tuner = new FineTuner(model, training);
            var result = tuner.Fit(train, test, progress ?? TrainingProgress.None, Name, cancellationToken);
            return new SupervisedBaseline(model, result);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Frees the classifier and its backbone.</summary>
    public void Dispose() => Classifier.Dispose();

    /// <inheritdoc/>
    public override string ToString() => Result.ToString();
}
