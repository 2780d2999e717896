using SplitBrain.Color;
using SplitBrain.Evaluation;
using SplitBrain.Models;
using SplitBrain.Quantization;
using SplitBrain.Tests.Support;
using SplitBrain.Training;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Training;

/// <summary>Pretraining in another split than Lab's: a YCbCr run trains, its previews decode to color, and the network it
/// leaves loads back with its split and gives features; an unknown split is refused before anything is written.</summary>
[Collection(SerialTensorCountCollection.Name)]
public sealed class PretrainerSplitTests : IDisposable
{
    private static readonly Action<string> Quiet = _ => { };

    private readonly TinyRuns _runs = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _runs.Dispose();

    [Fact]
    public void Fit_YCbCr_TwoSteps_LoadsBackWithItsSplit_GivesFeatures_AndPreviewsInColor()
    {
        var config = _runs.Config with { Split = ColorSplit.YCbCr, Steps = 2, Epochs = 1 };
        var run = _runs.Run("ycbcr");
        var progress = new RecordingProgress();
        using var trainer = new Pretrainer(config, run, Quiet);

        var result = trainer.Fit(progress, Cancel);

        var cbcrBins = GamutGrid.Bins(SplitSpace.YCbCr);
        var model = Assert.IsType<SplitBrainNet>(trainer.Model);
        Assert.Equal((100, cbcrBins), (model.F2.Bins, model.F1.Bins));
        Assert.Equal(2, progress.Steps.Count);
        Assert.InRange(progress.Steps[0].LossF1(), 0.5 * Math.Log(cbcrBins), 2 * Math.Log(cbcrBins)); // rebalanced, near log Q
        Assert.All(progress.Steps, p => Assert.True(double.IsFinite(p.LossF1()) && double.IsFinite(p.LossF2())));
        Assert.Equal(ColorSplit.YCbCr, run.ReadConfig().Split);

        // The previews: the originals, grey (Y alone) and the colorization, decoded from CbCr back to sRGB.
        Assert.NotNull(result.LastPreview);
        Assert.Equal(2, run.PreviewFiles().Count); // before training and after the epoch
        var (originals, colorized) = PreviewSheet.Read(run.PreviewFiles()[^1]);
        using (originals)
        using (colorized)
        {
            Assert.Equal([4L, 3, 32, 32], colorized.shape);
            Assert.Equal(ScalarType.Byte, colorized.dtype);
            Assert.Equal(originals.shape, colorized.shape);
        }

        using var loaded = run.LoadModel();
        Assert.Equal(ColorSplit.YCbCr, loaded.Split);
        Assert.Equal(cbcrBins, Assert.IsType<SplitBrainNet>(loaded).F1.Bins);
        using var scope = NewDisposeScope();
        using var images = TestTensors.Uniform(0, 1, 5, 2, 3, 32, 32);
        var (y, cbcr) = NetworkInputs.FromImages(images, loaded);
        var features = loaded.Features(y, cbcr, FeatureLayer.Conv5);
        Assert.Equal(2, features.shape[0]);
        Assert.True(features.isfinite().all().item<bool>());
    }

    [Fact]
    public void Constructor_UnknownSplit_NamesTheFieldAndTheSplits_BeforeWritingTheRun()
    {
        var run = _runs.Run("unknown-split");

        var e = Assert.ThrowsAny<ArgumentException>(() => new Pretrainer(_runs.Config with { Split = (ColorSplit)7 }, run, Quiet));

        Assert.Equal("Split", e.ParamName);
        Assert.StartsWith("PretrainConfig.Split must be one of Lab, YCbCr, Rgb; got 7.", e.Message);
        Assert.False(Directory.Exists(run.Path));
        Assert.False(Directory.Exists(Path.Combine(_runs.Folder, "cache")));
    }
}
