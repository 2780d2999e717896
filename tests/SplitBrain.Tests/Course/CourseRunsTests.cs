using SplitBrain.Course;
using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Tests.Evaluation;
using SplitBrain.Training;

namespace SplitBrain.Tests.Course;

/// <summary>How chapters 05 and 06 get chapter 04's network and the labeled splits.</summary>
[Collection(PretrainedRunsCollection.Name)]
public sealed class CourseRunsTests(PretrainedRuns runs)
{
    [Fact]
    public void LoadOrPretrain_AFinishedRunWithTheSameSettings_IsLoaded_NotTrainedAgain()
    {
        var log = new List<string>();
        var steps = runs.Pretrained.ReadMetrics().Steps.Count;

        using var network = CourseRuns.LoadOrPretrain(runs.Config, runs.Pretrained.Path, log.Add);

        Assert.StartsWith("loading the network of", Assert.Single(log));
        Assert.Equal(steps, runs.Pretrained.ReadMetrics().Steps.Count);
        Assert.False(network.training);
    }

    [Fact]
    public void LoadOrPretrain_AMissingRun_IsTrainedFirst()
    {
        var log = new List<string>();
        var folder = runs.Run("course-runs-missing");

        using var network = CourseRuns.LoadOrPretrain(runs.Config, folder.Path, log.Add);

        Assert.Contains(log, l => l.Contains("pretraining it now", StringComparison.Ordinal));
        Assert.NotNull(folder.ReadSummary());
        Assert.Equal(313, Assert.IsType<SplitBrainNet>(network).F1.Bins);
    }

    [Fact]
    public void LabeledData_OpensTheLabeledSplits_AndRefusesTheUnlabeledOne()
    {
        using var train = LabeledData.Open(runs.Config.Data, DatasetSplit.Train, runs.Workspace);
        using var test = LabeledData.Open(runs.Config.Data, DatasetSplit.Test, runs.Workspace);

        Assert.Equal((40, 20), (train.Count, test.Count));
        Assert.True(train.HasLabels);
        Assert.Equal(10, train.Classes.Count);
        Assert.Contains("no labeled images", Assert.Throws<ArgumentException>(() => LabeledData.Open(runs.Config.Data, DatasetSplit.Unlabeled, runs.Workspace)).Message);
    }
}
