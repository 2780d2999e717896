using SplitBrain.Runs;
using SplitBrain.Tests.Support;
using SplitBrain.Training;

namespace SplitBrain.Tests.Training;

/// <summary>The pretraining previews as an observer of the engine: the untrained network's before the first step, one per
/// epoch, the stale ones removed when a run starts, none without preview images.</summary>
[Collection(SerialTensorCountCollection.Name)] // trains through torch's global generator, as PretrainerTests
public sealed class PreviewObserverTests : IDisposable
{
    private static readonly Action<string> Quiet = _ => { };
    private readonly TinyRuns _runs = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _runs.Dispose();

    private static IEnumerable<string> Names(RunFolder run) => run.PreviewFiles().Select(Path.GetFileName)!;

    [Fact]
    public void Resume_InsideTheFirstEpoch_KeepsTheUntrainedNetworksPreview_AndDrawsEachEpochOnce()
    {
        var config = _runs.Config with { Epochs = 1 };
        var run = _runs.Run("resumed");
        using var stop = new CancellationTokenSource();
        using (var first = new Pretrainer(config, run, Quiet))
            Assert.ThrowsAny<OperationCanceledException>(() => first.Fit(new ProgressRelay<TrainingProgress>(p => { if (p.Step == 5) stop.Cancel(); }), stop.Token));
        Assert.Equal(["epoch-000.png"], Names(run));

        using var resumed = new Pretrainer(config, run, Quiet);
        Assert.Equal(["epoch-000.png"], Names(run)); // resumed inside epoch 1: the untrained network's preview stays
        var result = resumed.Fit(TrainingProgress.None, Cancel);

        Assert.Equal(["epoch-000.png", "epoch-001.png"], Names(run));
        Assert.Same(resumed.LastPreview, result.LastPreview);
        Assert.NotNull(result.LastPreview);
    }

    [Fact]
    public void Fit_ARunCompleteAlready_ShowsTheNetworkAsItIs_AndSavesNoNewPreview()
    {
        var config = _runs.Config with { Epochs = 1 };
        var run = _runs.Run("complete");
        using (var first = new Pretrainer(config, run, Quiet))
            first.Fit(TrainingProgress.None, Cancel);
        var files = Names(run).ToList();

        using var again = new Pretrainer(config, run, Quiet);
        var result = again.Fit(TrainingProgress.None, Cancel);

        Assert.NotNull(result.LastPreview); // the result of a reused run still shows its colorizations
        Assert.Equal(files, Names(run));
    }

    [Fact]
    public void Start_AFreshRun_RemovesThePreviewsAnOlderRunLeft()
    {
        var run = _runs.Run("fresh");
        var stale = Path.Combine(run.Path, "previews", "epoch-007.png");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        File.WriteAllBytes(stale, [1, 2, 3]);

        using var trainer = new Pretrainer(_runs.Config, run, Quiet);

        Assert.False(File.Exists(stale));
        Assert.Empty(run.PreviewFiles());
    }

    [Fact]
    public void Fit_WithoutPreviewImages_DrawsNone_AndPreviewSaysWhy()
    {
        var run = _runs.Run("none");
        using var trainer = new Pretrainer(_runs.Config with { Epochs = 1, PreviewImages = 0 }, run, Quiet);

        var result = trainer.Fit(TrainingProgress.None, Cancel);

        Assert.Empty(run.PreviewFiles());
        Assert.Null(result.LastPreview);
        Assert.Contains("PreviewImages is 0", Assert.Throws<InvalidOperationException>(() => trainer.Preview()).Message);
    }
}
