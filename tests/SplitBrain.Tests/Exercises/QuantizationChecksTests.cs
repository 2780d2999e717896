using SplitBrain.Exercises;
using SplitBrain.Quantization;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Exercises;

[Collection(ExerciseCollection.Name)]
public class QuantizationChecksTests
{
    private static Tensor SquaredDistances(Tensor values, Tensor centers) =>
        (values.unsqueeze(1) - centers.reshape(1, centers.shape[0], 2, 1, 1)).pow(2).sum(2);   // [N, Q, H, W]

    [Fact]
    public void NearestBin_TheLibraryAndAHandWrittenSearch_Pass()
    {
        Assert.Equal(ExerciseOutcome.Passed, QuantizationChecks.NearestBin((values, _) =>
        {
            using var gamut = Quantizer.AbGamut();
            return gamut.HardEncode(values);
        }).Outcome);
        Assert.Equal(ExerciseOutcome.Passed, QuantizationChecks.NearestBin((values, centers) => SquaredDistances(values, centers).argmin(1)).Outcome);
    }

    [Fact]
    public void NearestBin_FarthestBinOrFloatIndices_FailSayingWhy()
    {
        var farthest = QuantizationChecks.NearestBin((values, centers) => SquaredDistances(values, centers).argmax(1));
        Assert.Equal(ExerciseOutcome.Failed, farthest.Outcome);
        Assert.Contains("not the nearest", farthest.Message);

        var floats = QuantizationChecks.NearestBin((values, centers) => SquaredDistances(values, centers).argmin(1).to_type(ScalarType.Float32));
        Assert.Contains("int64", floats.Message);
    }

    [Fact]
    public void SoftTargets_TheLibraryPasses_NormalisedOverAllBinsFails()
    {
        Assert.Equal(ExerciseOutcome.Passed, QuantizationChecks.SoftTargets((values, _, k, sigma) =>
        {
            using var gamut = Quantizer.AbGamut();
            return gamut.SoftEncode(values, new SoftEncoding(k, sigma));
        }).Outcome);
        var everyBin = QuantizationChecks.SoftTargets((values, centers, _, sigma) => (-SquaredDistances(values, centers) / (2 * sigma * sigma)).softmax(1));
        Assert.Equal(ExerciseOutcome.Failed, everyBin.Outcome);
        Assert.Contains("K = ", everyBin.Message);
    }

    [Fact]
    public void ClassWeights_TheLibraryPasses_UnnormalisedFails()
    {
        Assert.Equal(ExerciseOutcome.Passed, QuantizationChecks.ClassWeights((prior, lambda) =>
        {
            using var weights = RebalancingWeights.FromPrior(prior, lambda);
            return weights.Weights.clone();
        }).Outcome);
        var unnormalised = QuantizationChecks.ClassWeights((prior, lambda) => (prior * (1 - lambda) + lambda / prior.shape[0]).reciprocal());
        Assert.Equal(ExerciseOutcome.Failed, unnormalised.Outcome);
        Assert.Contains("lambda = 0.5", unnormalised.Message);
    }

    [Fact]
    public void AnnealedMean_TheLibraryPasses_ThePlainMeanFails()
    {
        Assert.Equal(ExerciseOutcome.Passed, QuantizationChecks.AnnealedMean((p, _, t) =>
        {
            using var gamut = Quantizer.AbGamut();
            return gamut.Decode(p, DecodeMode.AnnealedMean, t);
        }).Outcome);
        var mean = QuantizationChecks.AnnealedMean((p, centers, _) => einsum("nqhw,qc->nchw", p, centers));
        Assert.Equal(ExerciseOutcome.Failed, mean.Outcome);
        Assert.Contains("T = 0.38", mean.Message);
    }

    [Fact]
    public void EveryCheck_Stub_IsNotDone()
    {
        Assert.Equal(ExerciseOutcome.NotDone, QuantizationChecks.NearestBin((_, _) => throw new NotImplementedException()).Outcome);
        Assert.Equal(ExerciseOutcome.NotDone, QuantizationChecks.SoftTargets((_, _, _, _) => throw new NotImplementedException()).Outcome);
        Assert.Equal(ExerciseOutcome.NotDone, QuantizationChecks.ClassWeights((_, _) => throw new NotImplementedException()).Outcome);
        Assert.Equal(ExerciseOutcome.NotDone, QuantizationChecks.AnnealedMean((_, _, _) => throw new NotImplementedException()).Outcome);
    }
}
