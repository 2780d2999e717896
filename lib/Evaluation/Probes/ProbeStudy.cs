using System.Globalization;
using SplitBrain.Data;
using SplitBrain.Models;

namespace SplitBrain.Evaluation;

/// <summary>
/// The paper's linear-probe comparison on any labeled data (Zhang, Isola, Efros 2017, sec. 4.2, fig. 4): a network and
/// the baselines it is measured against, each probed at every layer (<see cref="LinearProbes.Run"/>) with one or more
/// seeds, in one <see cref="ProbeTable"/>.
/// </summary>
/// <remarks>
/// <para>The columns, per seed s (<see cref="ProbeStudyConfig"/> chooses which):</para>
/// <list type="bullet">
/// <item>the network studied (e.g. "pretrained"), as it is;</item>
/// <item>"random init": its architecture at a fresh initialisation drawn with s (<see cref="RandomNetworks.Random"/>);</item>
/// <item>"random+BN": the same weights with BatchNorm statistics re-estimated on the training images, without their
/// labels (<see cref="RandomNetworks.RandomWithBatchNorm"/>): what normalisation alone gives;</item>
/// <item>"supervised": the architecture trained from scratch with the labels the probes see
/// (<see cref="SupervisedBaseline"/>): the reference from above.</item>
/// </list>
/// <para>Seed s also draws the labeled subset (with <see cref="ProbeStudyConfig.LabelsPerClass"/>) and the probes'
/// shuffles, so the spread over seeds of the studied network's column is the probes' own noise, and that of the
/// baselines adds their weights'. Each network is made, probed and freed in turn, so memory holds one baseline at a
/// time besides the studied network.</para>
/// <example><code>
/// var table = ProbeStudy.Run(pretrained, train, test, new ProbeStudyConfig(Seeds: [0, 1, 2], SupervisedSteps: 240));
/// table.ToTable()   // rows conv1..fc7, columns pretrained, random init, random+BN, supervised: "78.9 ± 1.2"
/// </code></example>
/// </remarks>
public static class ProbeStudy
{
    /// <summary>The default name of the studied network's column.</summary>
    public const string PretrainedName = "pretrained";

    /// <summary>Probes <paramref name="network"/> and its baselines at every layer, for every seed.</summary>
    /// <param name="network">The network studied, on any device; its architecture and device are the baselines'. Not
    /// changed (its mode is restored); not probed itself when <see cref="ProbeStudyConfig.NetworkName"/> is null.</param>
    /// <param name="train">Labeled images the probes (and the supervised baseline) train on; also the unlabeled images of
    /// the BatchNorm re-estimation.</param>
    /// <param name="test">Labeled images the probes are scored on, with the same classes.</param>
    /// <param name="options">Seeds, layers, probes, labels, baselines; <c>new ProbeStudyConfig()</c> when null.</param>
    /// <param name="log">Told one line per network and seed probed (and per supervised baseline trained); nothing when
    /// null.</param>
    /// <param name="cancellationToken">Stops between batches and steps.</param>
    /// <returns>The table: one curve per network and seed.</returns>
    /// <exception cref="ArgumentException">A dataset has no labels, the two disagree on the classes, a class has fewer
    /// images than <see cref="ProbeStudyConfig.LabelsPerClass"/>, or an option is out of range. All of these are found
    /// before any network is trained or probed.</exception>
    public static ProbeTable Run(FeatureNetwork network, IImageDataset train, IImageDataset test, ProbeStudyConfig? options = null,
        Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        options = (options ?? new ProbeStudyConfig()).Validate();
        LinearProbes.CheckDatasets(train, test);
        var subsets = Subsets(train, options); // before any work, so that too few labels fail at once

        var curves = new List<SeededProbeCurve>();
        foreach (var seed in options.Seeds)
        {
            var probeTrain = subsets[seed];
            var probes = options.Probes with { Seed = seed };
            void Probe(FeatureNetwork net, string name)
            {
                var curve = LinearProbes.Run(net, probeTrain, test, options.Layers, probes, name: name, cancellationToken: cancellationToken);
                curves.Add(new SeededProbeCurve(seed, curve));
                log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"seed {seed}, {name}: best {EvaluationPlots.LayerName(curve.Best.Layer)} {ClassificationReport.Percent(curve.Best.TestAccuracy)} "
                    + $"(extract {curve.ExtractionSeconds:0.0} s, fit {curve.FitSeconds:0.0} s, test {curve.TestSeconds:0.0} s)"));
            }

            if (options.NetworkName is { } networkName)
                Probe(network, networkName);
            if (options.RandomInit)
            {
                using var random = RandomNetworks.Random(network, seed);
                Probe(random, RandomNetworks.RandomName);
            }
            if (options.RandomBatchNorm)
            {
                using var renormalized = RandomNetworks.RandomWithBatchNorm(network, seed, train, options.BatchNormImages, options.Probes.Precision);
                Probe(renormalized, RandomNetworks.RandomBatchNormName);
            }
            if (options.SupervisedSteps > 0)
            {
                using var supervised = SupervisedBaseline.Train(network, probeTrain, options.SupervisedSteps, seed,
                    options.Supervised, test, cancellationToken: cancellationToken);
                log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"seed {seed}, {SupervisedBaseline.Name}: classifier on {EvaluationPlots.LayerName(supervised.Classifier.Config.Layer)} trained "
                    + $"{supervised.Result.Epochs.Count} epochs ({options.SupervisedSteps} steps) on {probeTrain.Count} images, "
                    + $"test top-1 {ClassificationReport.Percent(supervised.Result.Test?.Top1)}"));
                Probe(supervised.Backbone, SupervisedBaseline.Name);
            }
        }
        return new ProbeTable(curves);
    }

    // Each seed's labeled training images: the whole set, or its per-class subset drawn with that seed. The labels are
    // read once for all seeds.
    private static Dictionary<int, IImageDataset> Subsets(IImageDataset train, ProbeStudyConfig options)
    {
        if (options.LabelsPerClass == LabeledSubset.All)
            return options.Seeds.ToDictionary(seed => seed, _ => train);
        var labels = LabeledSubset.ReadLabels(train);
        return options.Seeds.ToDictionary(seed => seed, IImageDataset (seed) => new LabeledSubset(train,
            LabeledSubset.ChooseIndices(labels, train.Classes, options.LabelsPerClass, seed),
            $"{options.LabelsPerClass} per class, seed {seed}"));
    }
}
