using SplitBrain.Evaluation;
using SplitBrain.Models;

namespace SplitBrain.Tests.Evaluation;

public class ProbeStudyOptionsTests
{
    [Fact]
    public void Defaults_OneSeedEveryLayerPretrainedAndBothRandomBaselines()
    {
        var options = new ProbeStudyConfig().Validate();

        Assert.Equal([0], options.Seeds);
        Assert.Equal(LinearProbes.AllLayers, options.Layers);
        Assert.Equal(LinearProbeConfig.Default, options.Probes);
        Assert.Equal([ProbeStudy.PretrainedName, RandomNetworks.RandomName, RandomNetworks.RandomBatchNormName], options.Networks);
    }

    [Fact]
    public void Networks_BaselinesOnlyWithSupervised_InTableOrder() =>
        Assert.Equal([RandomNetworks.RandomName, RandomNetworks.RandomBatchNormName, SupervisedBaseline.Name],
            new ProbeStudyConfig(NetworkName: null, SupervisedSteps: 10).Networks);

    public static TheoryData<ProbeStudyConfig, string> Invalid => new()
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
    public void Validate_BadField_ThrowsNamingIt(ProbeStudyConfig options, string field) =>
        ConfigAssert.RejectsField(() => options.Validate(), nameof(ProbeStudyConfig), field);

    [Fact]
    public void Validate_BadProbeOptions_NamesTheirField() =>
        ConfigAssert.RejectsField(() => new ProbeStudyConfig(Probes: LinearProbeConfig.Default with { Epochs = 0 }).Validate(),
            nameof(LinearProbeConfig), nameof(LinearProbeConfig.Epochs));
}
