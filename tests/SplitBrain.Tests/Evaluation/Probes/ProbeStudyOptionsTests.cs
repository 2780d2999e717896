using SplitBrain.Evaluation;
using SplitBrain.Models;

namespace SplitBrain.Tests.Evaluation;

public class ProbeStudyOptionsTests
{
    [Fact]
    public void Defaults_OneSeedEveryLayerPretrainedAndBothRandomBaselines()
    {
        var options = new ProbeStudyOptions().Validate();

        Assert.Equal([0], options.Seeds);
        Assert.Equal(LinearProbes.AllLayers, options.Layers);
        Assert.Equal(LinearProbeOptions.Default, options.Probes);
        Assert.Equal([ProbeStudy.PretrainedName, RandomNetworks.RandomName, RandomNetworks.RandomBatchNormName], options.Networks);
    }

    [Fact]
    public void Networks_BaselinesOnlyWithSupervised_InTableOrder() =>
        Assert.Equal([RandomNetworks.RandomName, RandomNetworks.RandomBatchNormName, SupervisedBaseline.Name],
            new ProbeStudyOptions(NetworkName: null, SupervisedSteps: 10).Networks);

    public static TheoryData<ProbeStudyOptions, string> Invalid => new()
    {
        { new(Seeds: []), "Seeds" },
        { new(Seeds: [0, -1]), "Seeds" },
        { new(Seeds: [2, 2]), "Seeds" },
        { new(Layers: []), "Layers" },
        { new(Layers: [(FeatureLayer)42]), "Layers" },
        { new(LabelsPerClass: 0), "LabelsPerClass" },
        { new(NetworkName: " "), "NetworkName" },
        { new(NetworkName: RandomNetworks.RandomName), "NetworkName" },
        { new(NetworkName: null, RandomInit: false, RandomBatchNorm: false), "NetworkName" },
        { new(BatchNormImages: 0), "BatchNormImages" },
        { new(SupervisedSteps: -1), "SupervisedSteps" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_BadField_ThrowsNamingIt(ProbeStudyOptions options, string field) =>
        ConfigAssert.RejectsField(() => options.Validate(), nameof(ProbeStudyOptions), field);

    [Fact]
    public void Validate_BadProbeOptions_NamesTheirField() =>
        ConfigAssert.RejectsField(() => new ProbeStudyOptions(Probes: LinearProbeOptions.Default with { Epochs = 0 }).Validate(),
            nameof(LinearProbeOptions), nameof(LinearProbeOptions.Epochs));
}
