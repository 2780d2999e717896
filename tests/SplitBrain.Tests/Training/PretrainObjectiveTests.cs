using System.Text.Json.Nodes;
using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Runs;
using SplitBrain.Tests.Support;
using SplitBrain.Training;
using SplitBrain.Training.Objectives;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Training;

/// <summary>
/// A new pretraining objective is one small type: this file adds one (predicting each image's mean colour from its
/// lightness) without touching the library, and trains it through <see cref="Pretrainer"/>, resume included.
/// </summary>
[Collection(SerialTensorCountCollection.Name)] // trains through torch's global generator, as PretrainerTests
public sealed class PretrainObjectiveTests : IDisposable
{
    private const string MeanColour = "mean-colour-test";
    private readonly TinyRuns _runs = new();

    public PretrainObjectiveTests() => PretrainObjectives.Register(MeanColour, () => new MeanColourObjective());

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _runs.Dispose();

    [Fact]
    public void Pretrainer_AToyObjective_TrainsUnderItsOwnMetricNames_AndResumesExactly()
    {
        var config = _runs.Config with { Objective = MeanColour, Epochs = 1, PreviewImages = 0, Rebalance = false, LogEverySteps = 4 };

        var (whole, run, summary) = ResumeComparison.AssertExact(_runs, config, "colourLoss", Cancel);

        Assert.Equal(12, whole.Count);
        Assert.True(double.IsFinite(summary.Metric("colourLoss")), "the summary records the objective's own metric");
        Assert.Contains("\"colourLoss\"", File.ReadAllText(run.MetricsPath));
        Assert.True(whole[^1].Value < whole[0].Value, $"the mean-colour loss should fall: {whole[0].Value} then {whole[^1].Value}");
    }

    [Fact]
    public void ReadMetrics_AToyObjective_ItsMetricReachesTheLinesChartsAndRegistry_WithoutLibraryChanges()
    {
        var config = _runs.Config with { Objective = MeanColour, Epochs = 1, PreviewImages = 0, Rebalance = false, LogEverySteps = 4 };
        var run = _runs.Run("toy-metrics");
        using (var trainer = new Pretrainer(config, run, _ => { }))
            trainer.Fit(TrainingProgress.None, Cancel);

        var metrics = run.ReadMetrics();
        var entry = RunRegistry.Load(run.Workspace)[run.Name];
        var chart = JsonNode.Parse(metrics.LossChart().FigureJson)!;

        Assert.Equal(["colourLoss"], metrics.Names);
        Assert.Equal(["colourLoss"], metrics.LossNames);
        Assert.All(metrics.Steps, s => Assert.True(double.IsFinite(s["colourLoss"])));
        Assert.Equal(metrics.Epochs[^1]["colourLoss"], run.ReadSummary()!.Metric("colourLoss"));
        Assert.Equal(["colour loss"], chart["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(metrics.Steps.Count, chart["data"]![0]!["y"]!.AsArray().Count);
        Assert.Contains("colour loss", metrics.EpochTable().Columns);
        Assert.Equal(metrics.Epochs[^1]["colourLoss"], entry.Metrics["colourLoss"]);
        Assert.Contains("colour loss", RunRegistry.Load(run.Workspace).Compare(run.Name).Columns);
        Assert.Equal(["toy-metrics colour loss"],
            JsonNode.Parse(RunRegistry.Load(run.Workspace).Curves(run.Name).FigureJson)!["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Validate_AnObjectiveNobodyRegistered_NamesTheOnesThatExist()
    {
        var e = Assert.Throws<ArgumentException>(() => (_runs.Config with { Objective = "no-such-objective" }).Validate());
        Assert.Contains("Objective", e.Message);
        Assert.Contains(SplitBrainObjective.Name, e.Message);
    }

    /// <summary>F1 predicts the image's mean ab (normalised) as the spatial mean of its first two output channels.</summary>
    private sealed class MeanColourObjective : PretrainObjective
    {
        public override IReadOnlyList<string> MetricNames => ["colourLoss"];

        public override ObjectiveOutput Compute(FeatureNetwork network, SplitBrainTargets batch, ObjectiveStep step)
        {
            var predicted = Expect<SplitBrainNet>(network).F1.call(batch.LInput).narrow(1, 0, 2).mean([2, 3]).to_type(ScalarType.Float32); // [B, 2]
            var target = batch.AbInput.mean([2, 3]).to_type(ScalarType.Float32);                                     // [B, 2]
            var loss = nn.functional.mse_loss(predicted, target);
            return new ObjectiveOutput(loss, [loss]);
        }
    }
}
