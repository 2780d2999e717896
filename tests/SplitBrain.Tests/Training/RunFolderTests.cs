using SplitBrain.Training;

namespace SplitBrain.Tests.Training;

public sealed class RunFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-runfolder-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private RunFolder Run(string name = "r") => new(Path.Combine(_folder, name));

    private static StepMetrics Step(long step, int epoch = 1) => new(step, epoch, 5.0 - step / 10.0, 4.5, 0.1, 0.02, 1e-3, 100, step);

    [Fact]
    public void Named_RejectsPaths_ResolveTakesPathsAsGiven()
    {
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => RunFolder.Named("a/b")).ParamName);
        Assert.Throws<ArgumentException>(() => RunFolder.Named(".."));
        Assert.Equal(Path.Combine(_folder, "x"), RunFolder.Resolve(Path.Combine(_folder, "x")).Path);
        Assert.Equal("small-1", RunFolder.Named("small-1").Name);
    }

    [Fact]
    public void Metrics_WrittenLineByLine_ReadBackByKind_AKilledLastLineIsIgnored()
    {
        var run = Run();
        run.Append(Step(1));
        run.Append(Step(2));
        run.Append(new EpochMetrics(1, 2, 4.9, 4.5, 0.1, 0.02, 100, 2, 2));
        File.AppendAllText(run.MetricsPath, "{\"kind\":\"step\",\"step\":3,\"lo"); // cut short by a crash

        var metrics = run.ReadMetrics();

        Assert.Equal([Step(1), Step(2)], metrics.Steps);
        Assert.Equal(4.9, Assert.Single(metrics.Epochs).LossF1);
        var first = File.ReadLines(run.MetricsPath).First();
        Assert.StartsWith("{\"kind\":\"step\",\"step\":1,\"epoch\":1,\"lossF1\":4.9,\"lossF2\":4.5,\"accF1\":0.1,\"accF2\":0.02,\"lr\":0.001,", first);
        Assert.Contains("\"imagesPerSecond\":100,\"elapsed\":1}", first);
    }

    [Fact]
    public void Metrics_ABadLineBeforeTheLast_IsReportedWithItsNumber()
    {
        var run = Run();
        Directory.CreateDirectory(run.Path);
        File.WriteAllLines(run.MetricsPath, ["{\"kind\":\"step\",", "{}"]);

        Assert.Contains("line 1", Assert.Throws<InvalidDataException>(run.ReadMetrics).Message);
    }

    [Fact]
    public void TruncateTo_KeepsWhatTheCheckpointAccountsFor_InFileOrder()
    {
        var run = Run();
        run.Append(Step(1));
        run.Append(Step(2));
        run.Append(new EpochMetrics(1, 2, 4.9, 4.5, 0.1, 0.02, 100, 2, 2));
        run.Append(Step(3, epoch: 2));
        run.Append(Step(4, epoch: 2));
        run.Append(new EpochMetrics(2, 4, 4.8, 4.5, 0.1, 0.02, 100, 2, 4));
        run.WriteSummary(new PretrainSummary("r", 4, 2, 1, 1, 1, 1, 1, 1, 1, "cpu", 2, 0.1, 0, null, DateTime.UtcNow));

        run.TruncateTo(step: 3, completedEpochs: 1);

        var kinds = File.ReadLines(run.MetricsPath).Select(l => l[..16]).ToList();
        Assert.Equal(["{\"kind\":\"step\",\"", "{\"kind\":\"step\",\"", "{\"kind\":\"epoch\",", "{\"kind\":\"step\",\""], kinds);
        Assert.Null(run.ReadSummary());
    }

    [Fact]
    public void Config_WrittenAndRead_AllFindsOnlyStartedRuns()
    {
        Run("b").WriteConfig(PretrainConfig.Small);
        Run("a").WriteConfig(PretrainConfig.Paper);
        Directory.CreateDirectory(Path.Combine(_folder, "cache"));

        Assert.Equal(["a", "b"], RunFolder.All(_folder).Select(r => r.Name));
        Assert.Equal(PretrainConfig.Paper, Run("a").ReadConfig());
        Assert.Throws<FileNotFoundException>(() => Run("none").ReadConfig());
        Run("a").Clear();
        Assert.False(Directory.Exists(Run("a").Path));
    }

    [Fact]
    public void LossCurves_OfARunWithoutMetrics_SaysToTrainFirst()
    {
        Assert.Contains("Fit", Assert.Throws<InvalidOperationException>(() => Run().LossCurves()).Message);
        Assert.Throws<InvalidOperationException>(() => Run().Previews());
    }

    [Fact]
    public void LossCurves_HaveOneLinePerHalf()
    {
        var run = Run();
        run.Append(Step(1));
        run.Append(Step(2));

        var chart = run.LossCurves();

        Assert.Contains("F1: L", chart.FigureJson);
        Assert.Contains("F2: ab", chart.FigureJson);
    }
}
