using SplitBrain.Course;
using SplitBrain.Training.Objectives;

namespace SplitBrain.Tests.Course;

/// <summary>The paper's Table 2 as transcribed: checks a typo would break (the paper's own statements about its table).</summary>
public sealed class PaperAblationTests
{
    [Fact]
    public void Rows_AreTheChaptersRows_EachWithFiveLayersOrNoneWhereThePaperHasNoRow()
    {
        Assert.Equal(WhySplitChapterConfig.PaperRows, PaperAblation.Rows.Select(r => r.Objective));
        Assert.All(PaperAblation.Rows.Where(r => r.Objective != "split-brain-cl-reg"), r =>
        {
            Assert.Equal(5, r.ImageNet!.Length);
            Assert.All(r.ImageNet, v => Assert.InRange(v, PaperAblation.Gaussian.ImageNet![0] - 1, 40));
        });
        Assert.Null(PaperAblation.Of("split-brain-cl-reg")!.ImageNet);
        Assert.Equal("not in the paper", PaperAblation.Of("split-brain-cl-reg")!.Numbers);
    }

    [Fact]
    public void SplitBrainClCl_IsTheBestRowAtEveryLayer_AsThePaperSays()
    {
        var ours = PaperAblation.Of(PretrainObjectives.Default)!.ImageNet!;
        for (var layer = 0; layer < 5; layer++)
            Assert.All(PaperAblation.Rows.Where(r => r.ImageNet is not null && r.Objective != PretrainObjectives.Default),
                r => Assert.True(ours[layer] > r.ImageNet![layer], $"{r.Row} at conv{layer + 1}: {r.ImageNet![layer]} >= {ours[layer]}"));
    }

    [Fact]
    public void TheAutoencoder_FallsBelowGaussianAtConv5_AndDroppingInputsAddsAboutAPoint_AsThePaperSays()
    {
        Assert.True(PaperAblation.Of("autoencoder")!.ImageNet![4] < PaperAblation.Gaussian.ImageNet![4]);
        Assert.InRange(PaperAblation.Of("denoising-autoencoder")!.ImageNet![4] - PaperAblation.Of("autoencoder")!.ImageNet![4], 0.5, 1.5);
        Assert.Equal("17.7 / 29.3 / 35.4 / 35.2 / 32.8", PaperAblation.Of(PretrainObjectives.Default)!.Numbers);
    }

    [Fact]
    public void EveryOrderingTheChapterTests_IsThePapersOrderAtConv5()
    {
        foreach (var (better, worse, claim) in WhySplitResults.PaperOrderings)
        {
            var (b, w) = (PaperAblation.Of(better)?.ImageNet, PaperAblation.Of(worse)?.ImageNet);
            if (b is null || w is null)
                continue; // a row the paper does not have (cl,reg)
            Assert.True(b[4] > w[4], $"{claim}: the paper has {better} {b[4]} and {worse} {w[4]} at conv5");
        }
    }
}
