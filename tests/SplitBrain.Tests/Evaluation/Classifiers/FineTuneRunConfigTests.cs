using System.Text.Json.Nodes;
using SplitBrain.Data;
using SplitBrain.Evaluation;
using SplitBrain.Training;

namespace SplitBrain.Tests.Evaluation;

public class FineTuneRunConfigTests
{
    [Fact]
    public void Json_RoundTrips_WithAndWithoutData_EnumsAsNames()
    {
        var config = FineTuneRunConfig.Default with
        {
            Classifier = ClassifierConfig.Frozen with { Layer = SplitBrain.Models.FeatureLayer.Conv3 },
            Training = ClassifierTrainingConfig.Fast with { Augmentation = AugmentationConfig.ResizedCrops },
            TrainPerClass = 10,
        };
        var withData = config with { Data = PretrainConfig.Paper.Data };

        Assert.Equal(config, FineTuneRunConfig.FromJson(config.ToJson()));
        Assert.Equal(withData, FineTuneRunConfig.FromJson(withData.ToJson()));
        var json = JsonNode.Parse(withData.ToJson())!;
        Assert.Equal("Frozen", json["Classifier"]!["Mode"]!.GetValue<string>());
        Assert.Equal("Stl10", json["Data"]!["Source"]!.GetValue<string>());
        Assert.Null(JsonNode.Parse(config.ToJson())!["Data"]);
    }

    [Fact]
    public void FromJson_PartialJson_KeepsTheDefaultsAtEveryDepth()
    {
        var partial = FineTuneRunConfig.FromJson("""{ "training": { "Epochs": 3 }, "Data": { "MaxImages": 5 }, "TrainPerClass": 10 }""");

        Assert.Equal(FineTuneRunConfig.Default with
        {
            Training = ClassifierTrainingConfig.Default with { Epochs = 3 },
            Data = new DataConfig { MaxImages = 5 },
            TrainPerClass = 10,
        }, partial);
    }

    public static TheoryData<string, string, string> BadFields => new()
    {
        { """{ "Pretrained": " " }""", "Pretrained", "pretraining run" },
        { """{ "Training": { "BatchSize": 1 } }""", "Training.BatchSize", "at least 2" },
        { """{ "Classifier": { "Dropout": 1 } }""", "Classifier.Dropout", "[0, 1)" },
        { """{ "Data": { "MaxImages": -1 } }""", "Data.MaxImages", ">= 0" },
        { """{ "TrainPerClass": -1 }""", "TrainPerClass", "0 for all" },
        { """{ "Device": "gpu" }""", "Device", "auto, cpu, cuda or cuda:N" },
        { """{ "KeepCheckpoints": 0 }""", "KeepCheckpoints", "at least 1" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void Validate_BadField_ThrowsNamingIt(string json, string field, string says)
    {
        var config = FineTuneRunConfig.FromJson(json);

        var e = Assert.ThrowsAny<ArgumentException>(() => config.Validate());

        Assert.Equal(field, e.ParamName);
        Assert.Contains(says, e.Message);
        Assert.Contains(field.Split('.')[^1], e.Message);
    }
}
