using SplitBrain.Models;
using SplitBrain.Tests.Support;
using SplitBrain.Training;
using SplitBrain.Training.Objectives;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Training.Objectives;

/// <summary>
/// Every registered objective through the whole engine: it trains, its run loads back as the network it trained, with
/// features as wide as the split network's, and a non-default objective resumes exactly.
/// </summary>
[Collection(SerialTensorCountCollection.Name)] // trains through torch's global generator, as PretrainerTests
public sealed class PretrainObjectivesTests : IDisposable
{
    private static readonly Action<string> Quiet = _ => { };
    private readonly TinyRuns _runs = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _runs.Dispose();

    private static readonly string[] Ablation =
    [
        SplitBrainObjective.Name, SplitBrainObjective.RegRegName, SplitBrainObjective.ClRegName,
        CrossChannelObjective.LToAbClName, CrossChannelObjective.LToAbRegName, CrossChannelObjective.AbToLClName,
        CrossChannelObjective.AbToLRegName, AutoencoderObjective.Name, AutoencoderObjective.DenoisingName,
        AlternativeAggregationObjective.Name,
    ];

    /// <summary>The paper's ablation rows, each registered by its name.</summary>
    public static TheoryData<string> Builtin => new(Ablation);

    [Fact]
    public void Names_HoldEveryRowOfTheAblation_LowerCaseHyphenated_WithSplitBrainTheDefault()
    {
        Assert.All(Ablation, name => Assert.Contains(name, PretrainObjectives.Names));
        Assert.All(PretrainObjectives.Names, n => Assert.Matches("^[a-z]+(-[a-z]+)*$", n));
        Assert.Equal(SplitBrainObjective.Name, PretrainObjectives.Default);
        Assert.IsType<SplitBrainObjective>(PretrainObjectives.Create(null));
    }

    [Theory]
    [MemberData(nameof(Builtin))]
    public void Pretrainer_EachObjective_TrainsTwoSteps_AndItsRunLoadsBackWithTheSplitNetworksFeatureWidths(string objective)
    {
        var config = _runs.Config with { Objective = objective, Steps = 2, Rebalance = true };
        var run = _runs.Run(objective);
        using (var trainer = new Pretrainer(config, run, Quiet))
        {
            var summary = trainer.Fit(cancellationToken: Cancel).Summary;
            Assert.Equal(2, trainer.Step);
            Assert.All(PretrainObjectives.Create(objective).MetricNames, m => Assert.True(double.IsFinite(summary.Metric(m)), $"{objective}: {m}"));
        }

        // Previews need a network that predicts ab's bins from L alone (PreviewColorizer); the others draw none.
        Assert.Equal(objective is SplitBrainObjective.Name or SplitBrainObjective.ClRegName or CrossChannelObjective.LToAbClName,
            Directory.Exists(Path.Combine(run.Path, "previews")));
        using var loaded = run.LoadModel();
        using var split = SplitBrainNet.Create(config.Model, 1, 2, 100, 313);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (l, ab) = (rand(2, 1, 32, 32) - 0.5, rand(2, 2, 32, 32) - 0.5);
        foreach (var layer in Enum.GetValues<FeatureLayer>())
        {
            Assert.Equal(split.FeatureChannels(layer), loaded.FeatureChannels(layer));
            Assert.Equal(split.FeatureChannels(layer), loaded.Features(l, ab, layer).shape[1]);
        }
        Assert.Equal(objective is SplitBrainObjective.Name or SplitBrainObjective.RegRegName or SplitBrainObjective.ClRegName,
            loaded is SplitBrainNet);
    }

    [Theory]
    [InlineData(AutoencoderObjective.DenoisingName)]
    [InlineData(AlternativeAggregationObjective.Name)]
    public void Pretrainer_ANonDefaultObjective_ResumesExactly(string objective)
    {
        var config = _runs.Config with { Objective = objective, Epochs = 1, PreviewImages = 0, LogEverySteps = 4 };

        var (whole, _, summary) = ResumeComparison.AssertExact(_runs, config, "loss", Cancel);

        Assert.Equal(12, whole.Count);
        Assert.True(double.IsFinite(summary.Metric("loss")), objective);
    }
}
