using System.Text.Json.Nodes;
using SplitBrain.Course;
using SplitBrain.Data;
using SplitBrain.Training;

namespace SplitBrain.Tests.Data;

/// <summary>The <see cref="SyntheticShapesConfig.Style"/> setting: its default, its checks, and how configs carry it.</summary>
public sealed class SyntheticShapesConfigTests
{
    [Fact]
    public void Style_DefaultsToShapes_InEveryPreset()
    {
        Assert.Equal(SyntheticStyle.Shapes, new SyntheticShapesConfig().Style);
        Assert.Equal(SyntheticStyle.Shapes, SyntheticShapesConfig.Default.Style);
        Assert.Equal(SyntheticStyle.Shapes, SyntheticShapesConfig.Small.Style);
        Assert.Equal(SyntheticStyle.Shapes, PretrainConfig.Small.Data.Synthetic.Style);
    }

    [Fact]
    public void Validate_UnknownStyle_ThrowsNamingIt()
    {
        var config = SyntheticShapesConfig.Default with { Style = (SyntheticStyle)7 };

        var e = Assert.Throws<ArgumentOutOfRangeException>(config.Validate);
        Assert.Equal("Style", e.ParamName);
        Assert.Contains("Shapes, Scenes", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticShapes(config, DatasetSplit.Train));
        var nested = Assert.ThrowsAny<ArgumentException>(() => (PretrainConfig.Small with
        {
            Data = PretrainConfig.Small.Data with { Synthetic = config },
        }).Validate());
        Assert.Contains("Style", nested.Message);
    }

    [Fact]
    public void PretrainConfigJson_CarriesTheStyleAsAName_AndRoundTrips()
    {
        var scenes = PretrainConfig.Small with
        {
            Data = PretrainConfig.Small.Data with { Synthetic = PretrainConfig.Small.Data.Synthetic with { Style = SyntheticStyle.Scenes } },
        };

        var json = JsonNode.Parse(scenes.ToJson())!;
        Assert.Equal("Scenes", json["Data"]!["Synthetic"]!["Style"]!.GetValue<string>());
        Assert.Equal("Shapes", JsonNode.Parse(PretrainConfig.Small.ToJson())!["Data"]!["Synthetic"]!["Style"]!.GetValue<string>());
        Assert.Equal(scenes, PretrainConfig.FromJson(scenes.ToJson()));
        Assert.Equal(SyntheticStyle.Scenes, PretrainConfig.FromJson("""{ "Data": { "Synthetic": { "Style": "Scenes" } } }""").Data.Synthetic.Style);
    }

    [Fact]
    public void PretrainConfigJson_WithoutAStyle_ReadsAsShapes()
    {
        // A config.json written before the setting existed.
        var json = JsonNode.Parse(PretrainConfig.Small.ToJson())!.AsObject();
        json["Data"]!["Synthetic"]!.AsObject().Remove("Style");

        var config = PretrainConfig.FromJson(json.ToJsonString());

        Assert.Equal(SyntheticStyle.Shapes, config.Data.Synthetic.Style);
        Assert.Equal(PretrainConfig.Small, config);
    }

    [Fact]
    public void KnobOverride_ByName_SelectsTheStyle()
    {
        // What `--set Pretrain.Data.Synthetic.Style=Scenes` does to a chapter's PretrainConfig knob.
        var (config, applied) = Knobs.Apply(PretrainConfig.Small, JsonNode.Parse("""{ "Data.Synthetic.Style": "Scenes" }""")!.AsObject());

        Assert.Equal(SyntheticStyle.Scenes, config.Data.Synthetic.Style);
        Assert.Equal(("Shapes", "Scenes"), (applied.Single().Default, applied.Single().Value));
    }
}
