using System.Text.Json.Nodes;
using SplitBrain.Color;
using SplitBrain.Course;
using SplitBrain.Data;
using SplitBrain.Models;
using SplitBrain.Training;

namespace SplitBrain.Tests.Training;

public class PretrainConfigTests
{
    public static TheoryData<string> Presets => ["Default", "Small", "Paper"];

    private static PretrainConfig Preset(string name) => name switch
    {
        "Small" => PretrainConfig.Small,
        "Paper" => PretrainConfig.Paper,
        _ => PretrainConfig.Default,
    };

    [Theory]
    [MemberData(nameof(Presets))]
    public void Presets_AreValid_AndRoundTripThroughJson(string name)
    {
        var config = Preset(name);

        Assert.Same(config, config.Validate());
        Assert.Equal(config, PretrainConfig.FromJson(config.ToJson()));
    }

    [Fact]
    public void ToJson_HasEnumsAsNamesAndNoDerivedImageSize()
    {
        var json = JsonNode.Parse(PretrainConfig.Paper.ToJson())!;

        Assert.Equal("Adam", json["Optimizer"]!.GetValue<string>());
        Assert.Equal("Cosine", json["Schedule"]!.GetValue<string>());
        Assert.Equal("Stl10", json["Data"]!["Source"]!.GetValue<string>());
        Assert.Equal("Unlabeled", json["Data"]!["Split"]!.GetValue<string>());
        Assert.Equal("PadAndCrop", json["Augmentation"]!["Crop"]!.GetValue<string>());
        Assert.Null(json["Data"]!["ImageSize"]);
    }

    [Fact]
    public void FromJson_ChangedNestedFieldsAndMissingOnes_KeepsTheChangesAndTheDefaults()
    {
        var changed = PretrainConfig.Small with
        {
            Model = ModelConfig.Small with { Fc = 96, BatchNorm = false },
            Targets = TargetConfig.SoftEncoded with { AbSoftEncoding = new SplitBrain.Quantization.SoftEncoding(K: 3, Sigma: 4.5) },
            Optimizer = OptimizerKind.Sgd,
            Schedule = LearningRateSchedule.Step,
            LearningRate = 0.1 / 3,
        };
        Assert.Equal(changed, PretrainConfig.FromJson(changed.ToJson()));

        var coarse = PretrainConfig.Small with { Targets = TargetConfig.Hard with { LightnessBins = 20 } };
        Assert.Equal(20, JsonNode.Parse(coarse.ToJson())!["Targets"]!["LightnessBins"]!.GetValue<int>());
        Assert.Equal(coarse, PretrainConfig.FromJson(coarse.ToJson()));

        var partial = PretrainConfig.FromJson("""{ "Epochs": 3, "Data": { "MaxImages": 100 } }""");
        Assert.Equal(PretrainConfig.Default with { Epochs = 3, Data = new DataConfig { MaxImages = 100 } }, partial);
    }

    [Fact]
    public void Knobs_ReachNestedFieldsByPath_AndValidate()
    {
        var overrides = JsonNode.Parse("""{ "LearningRate": 3e-4, "Data.MaxImages": 500, "Fc": 32, "Optimizer": "Sgd" }""")!.AsObject();

        var (config, applied) = Knobs.Apply(PretrainConfig.Small, overrides);

        Assert.Equal(4, applied.Count);
        Assert.Equal(PretrainConfig.Small with
        {
            LearningRate = 3e-4,
            Data = PretrainConfig.Small.Data with { MaxImages = 500 },
            Model = PretrainConfig.Small.Model with { Fc = 32 },
            Optimizer = OptimizerKind.Sgd,
        }, config);
        var bad = Assert.Throws<ArgumentException>(() => Knobs.Apply(PretrainConfig.Small, JsonNode.Parse("""{ "BatchSize": 0 }""")!.AsObject()));
        Assert.Equal("BatchSize", bad.ParamName);
    }

    public static TheoryData<string, string, string> BadFields => new()
    {
        { """{ "LearningRate": -0.001 }""", "LearningRate", "positive" },
        { """{ "BatchSize": 0 }""", "BatchSize", "at least 2" },
        { """{ "Epochs": 0 }""", "Epochs", "at least 1" },
        { """{ "Device": "gpu" }""", "Device", "auto, cpu, cuda or cuda:N" },
        { """{ "Momentum": 1 }""", "Momentum", "[0, 1)" },
        { """{ "RebalanceLambda": 1.5 }""", "RebalanceLambda", "[0, 1]" },
        { """{ "PreviewImages": 33 }""", "PreviewImages", "0..32" },
        { """{ "KeepCheckpoints": 0 }""", "KeepCheckpoints", "at least 1" },
        { """{ "LogEverySteps": 0 }""", "LogEverySteps", "at least 1" },
        { """{ "Data": { "Synthetic": { "ImageSize": 52 } } }""", "Data.ImageSize", "divisible by the network's total stride 8" },
        { """{ "Model": { "Conv1Stride": 2 } }""", "Targets.DownsampleFactor", "total stride" },
        { """{ "Model": { "Conv1": 0 } }""", "Model.Conv1", "at least 1" },
        { """{ "Data": { "MaxImages": -1 } }""", "Data.MaxImages", ">= 0" },
        { """{ "Data": { "Synthetic": { "Seed": -2 } } }""", "Data.Synthetic.Seed", "Seed" },
        { """{ "Data": { "Source": "ImageFolder" } }""", "Data.Path", "image folder" },
        { """{ "Augmentation": { "Padding": 0 } }""", "Augmentation.Padding", "at least 1" },
        { """{ "Targets": { "LightnessSoftEncoding": { "K": 101 } } }""", "Targets.LightnessSoftEncoding.K", "1..100" },
        { """{ "Targets": { "AbSoftEncoding": { "Sigma": 0 } } }""", "Targets.AbSoftEncoding.Sigma", "positive" },
        { """{ "Targets": { "LightnessBins": 1 } }""", "Targets.LightnessBins", "at least 2" },
        { """{ "Targets": { "LightnessBins": 20, "LightnessSoftEncoding": { "K": 21 } } }""", "Targets.LightnessSoftEncoding.K", "1..20" },
        { """{ "Steps": 0 }""", "Steps", "at least 1" },
        { """{ "Split": 7 }""", "Split", "be one of Lab, YCbCr, Rgb; got 7." },
        { """{ "Split": "YCbCr", "Targets": { "AbSoftEncoding": { "K": 400 } } }""", "Targets.AbSoftEncoding.K", "1..327" },
        { """{ "Minutes": -1 }""", "Minutes", "finite number > 0" },
        { """{ "Steps": 1000, "Minutes": 8 }""", "Minutes", "are both set" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void Validate_BadField_ThrowsNamingIt(string json, string field, string says)
    {
        var config = PretrainConfig.FromJson(json);

        var e = Assert.ThrowsAny<ArgumentException>(() => config.Validate());

        Assert.Equal(field, e.ParamName);
        Assert.Contains(says, e.Message);
        Assert.Contains(field.Split('.')[^1], e.Message);
    }

    [Fact]
    public void LearningRateAt_WarmsUpLinearly_ThenFollowsTheSchedule()
    {
        var config = PretrainConfig.Default with { LearningRate = 0.1, WarmupSteps = 10, Epochs = 4 };
        const int perEpoch = 10; // 40 steps

        Assert.Equal(0.01, config.LearningRateAt(0, perEpoch), 12);
        Assert.Equal(0.1, config.LearningRateAt(9, perEpoch), 12);
        var cosine = config with { Schedule = LearningRateSchedule.Cosine };
        Assert.Equal(0.1, cosine.LearningRateAt(10, perEpoch), 12);
        Assert.Equal(0.05, cosine.LearningRateAt(25, perEpoch), 12); // half way through the 30 cosine steps
        Assert.True(cosine.LearningRateAt(39, perEpoch) < 0.001);
        var step = config with { Schedule = LearningRateSchedule.Step, StepEpochs = 2, StepFactor = 0.5 };
        Assert.Equal(0.1, step.LearningRateAt(19, perEpoch), 12);
        Assert.Equal(0.05, step.LearningRateAt(20, perEpoch), 12);
        Assert.Equal(0.1, (config with { Schedule = LearningRateSchedule.Constant }).LearningRateAt(39, perEpoch), 12);
    }

    [Fact]
    public void Budget_RoundTripsThroughJson_AndOverridesByName_NullIncluded()
    {
        foreach (var budgeted in new[] { PretrainConfig.Small with { Steps = 1000 }, PretrainConfig.Paper with { Minutes = 7.5 } })
        {
            Assert.Equal(budgeted, PretrainConfig.FromJson(budgeted.ToJson()));
            Assert.Same(budgeted, budgeted.Validate());
        }
        var json = JsonNode.Parse((PretrainConfig.Small with { Minutes = 8 }).ToJson())!;
        Assert.Equal(8.0, json["Minutes"]!.GetValue<double>());
        Assert.True(json.AsObject().ContainsKey("Steps") && json["Steps"] is null, "Steps is written, as null");
        Assert.Null(PretrainConfig.Small.Steps);
        Assert.Null(PretrainConfig.FromJson("""{ "Epochs": 3 }""").Minutes);
        Assert.Equal(8, PretrainConfig.FromJson("""{ "minutes": 8 }""").Minutes);

        // What tools/pretrain.cs and the course do with --set Minutes=8 (--set Pretrain.Minutes=8 in the chapters' knobs).
        var (key, value) = CourseContract.ParseOverride("Minutes=8");
        var (minutes, applied) = Knobs.Apply(PretrainConfig.Small, new JsonObject { [key] = value });
        Assert.Equal(PretrainConfig.Small with { Minutes = 8 }, minutes);
        Assert.Equal(("null", "8"), (applied[0].Default, applied[0].Value));
        var (knobs, _) = Knobs.Apply(new PretrainingChapterConfig(), new JsonObject { ["Pretrain.Steps"] = 1000 });
        Assert.Equal(1000, knobs.Pretrain.Steps);
        var (cleared, _) = Knobs.Apply(minutes, new JsonObject { ["Minutes"] = null, ["Steps"] = 500 });
        Assert.Equal(PretrainConfig.Small with { Steps = 500 }, cleared);
        var both = Assert.Throws<ArgumentException>(() => Knobs.Apply(minutes, new JsonObject { ["Steps"] = 500 }));
        Assert.Contains("set the other to null", both.Message);
    }

    [Fact]
    public void LearningRateAt_WithABudget_SpansItsSteps_AndWithMinutesDecaysOnlyOnceTheCountIsFixed()
    {
        var config = PretrainConfig.Default with { LearningRate = 0.1, WarmupSteps = 10, Epochs = 4 };
        const int perEpoch = 10;

        var steps = config with { Steps = 50 };
        Assert.Equal(50, steps.TotalSteps(perEpoch));
        Assert.Equal(0.05, steps.LearningRateAt(30, perEpoch), 12);                   // half way through the 40 cosine steps
        Assert.Equal(config.LearningRateAt(30, perEpoch, 50), steps.LearningRateAt(30, perEpoch), 12);

        // With minutes the decay waits for step 25, by which the count is fixed: the rates before it do not depend on it.
        var minutes = config with { Minutes = 5 };
        Assert.Null(minutes.TotalSteps(perEpoch));
        Assert.Contains("LearningRateAt(step, stepsPerEpoch, totalSteps)", Assert.Throws<InvalidOperationException>(() => minutes.LearningRateAt(30, perEpoch)).Message);
        foreach (var step in new long[] { 0, 9, 10, 24 })
            Assert.Equal(minutes.LearningRateAt(step, perEpoch, 30), minutes.LearningRateAt(step, perEpoch, 3000), 12);
        Assert.Equal(0.1, minutes.LearningRateAt(24, perEpoch, 125), 12);
        Assert.Equal(0.05, minutes.LearningRateAt(75, perEpoch, 125), 12);          // half way through the 100 steps after 25
        Assert.Equal(0, minutes.LearningRateAt(125, perEpoch, 125), 12);
        var longWarmup = config with { WarmupSteps = 30 };                          // a warm-up of 25 or more: a step budget's schedule
        Assert.Equal((longWarmup with { Steps = 125 }).LearningRateAt(80, perEpoch), (longWarmup with { Minutes = 5 }).LearningRateAt(80, perEpoch, 125), 12);
    }

    [Fact]
    public void ImageSize_FollowsTheSource()
    {
        Assert.Equal(96, PretrainConfig.Small.Data.ImageSize);
        Assert.Equal(96, PretrainConfig.Paper.Data.ImageSize);
        Assert.Equal(64, new DataConfig { Source = DataSource.ImageFolder, Path = "x", FolderImageSize = 64 }.ImageSize);
    }

    [Fact]
    public void Split_LabIsLeftOutOfTheJson_OthersAreWrittenAsNames_AndRoundTrip()
    {
        var ycbcr = PretrainConfig.Small with { Split = ColorSplit.YCbCr };

        Assert.Null(JsonNode.Parse(PretrainConfig.Small.ToJson())!["Split"]); // runs written before splits keep their identity
        Assert.Equal("YCbCr", JsonNode.Parse(ycbcr.ToJson())!["Split"]!.GetValue<string>());
        Assert.Equal(ycbcr, PretrainConfig.FromJson(ycbcr.ToJson()));
        Assert.Equal(ColorSplit.Lab, PretrainConfig.FromJson("{}").Split);
    }

    [Fact]
    public void Split_SetByName_AndAnUnknownOneNamesTheFieldAndTheSplitsInOneLine()
    {
        var (config, _) = Knobs.Apply(PretrainConfig.Small, new JsonObject { ["Split"] = "YCbCr" });
        Assert.Equal(ColorSplit.YCbCr, config.Split);

        var e = Assert.Throws<ArgumentException>(() => Knobs.Apply(PretrainConfig.Small, new JsonObject { ["Split"] = "Hsv" }));

        Assert.StartsWith("Override Split=\"Hsv\": Split of PretrainConfig is a ColorSplit (one of Lab, YCbCr, Rgb)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

}
