using System.Text.Json.Nodes;
using SplitBrain.Course;

namespace SplitBrain.Tests.Course;

public class KnobsTests
{
    private enum Optimizer { Adam, Sgd }

    private sealed record Model(int Fc = 512, bool BatchNorm = true);

    private sealed record Config(int Epochs = 8, double LearningRate = 3e-4, Optimizer Optimizer = Optimizer.Adam, Model? Model = null, string Name = "run")
    {
        public Model Model { get; init; } = Model ?? new Model();

        public void Validate()
        {
            if (Epochs < 1) throw new ArgumentException($"{nameof(Epochs)} must be at least 1; got {Epochs}.", nameof(Epochs));
        }
    }

    private sealed record Ambiguous(Model A, Model B);

    private static JsonObject Overrides(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Apply_NoOverrides_ReturnsDefaultsUnchanged()
    {
        var defaults = new Config();

        var (config, applied) = Knobs.Apply(defaults, null);

        Assert.Same(defaults, config);
        Assert.Empty(applied);
    }

    [Fact]
    public void Apply_TopLevelCaseInsensitive_ChangesACopyOnly()
    {
        var defaults = new Config();

        var (config, applied) = Knobs.Apply(defaults, Overrides("""{"epochs": 2, "LEARNINGRATE": 0.01, "optimizer": "Sgd", "Name": "quick"}"""));

        Assert.Equal(new Config(2, 0.01, Optimizer.Sgd, Name: "quick") { Model = defaults.Model }, config);
        Assert.Equal(8, defaults.Epochs);
        Assert.Equal(["Config.Epochs", "Config.LearningRate", "Config.Optimizer", "Config.Name"], applied.Select(a => a.Path));
        Assert.Equal(("8", "2"), (applied[0].Default, applied[0].Value));
    }

    [Fact]
    public void Apply_DottedAndPlainNestedKeys_ReachNestedRecords()
    {
        var (dotted, _) = Knobs.Apply(new Config(), Overrides("""{"Model.Fc": 64}"""));
        var (plain, applied) = Knobs.Apply(new Config(), Overrides("""{"batchnorm": false}"""));

        Assert.Equal(64, dotted.Model.Fc);
        Assert.False(plain.Model.BatchNorm);
        Assert.Equal("Config.Model.BatchNorm", applied.Single().Path);
    }

    [Fact]
    public void Apply_UnknownKeys_AreLeftForOtherChapters()
    {
        var (config, applied) = Knobs.Apply(new Config(), Overrides("""{"PriorImages": 10}"""));

        Assert.Equal(new Config() { Model = config.Model }, config);
        Assert.Empty(applied);
    }

    [Fact]
    public void Apply_NumbersAsStrings_AreConverted()
    {
        var (config, _) = Knobs.Apply(new Config(), Overrides("""{"Epochs": "3"}"""));

        Assert.Equal(3, config.Epochs);
    }

    [Fact]
    public void Apply_ValueOfWrongType_ThrowsNamingFieldAndType()
    {
        var error = Assert.Throws<ArgumentException>(() => Knobs.Apply(new Config(), Overrides("""{"Optimizer": "Lion"}""")));

        Assert.Contains("Optimizer=\"Lion\"", error.Message);
        Assert.Contains("one of Adam, Sgd", error.Message);
    }

    [Fact]
    public void Apply_InvalidResult_ThrowsTheRecordsValidationError()
    {
        var error = Assert.Throws<ArgumentException>(() => Knobs.Apply(new Config(), Overrides("""{"Epochs": 0}""")));

        Assert.Equal("Epochs", error.ParamName);
    }

    [Fact]
    public void Apply_AmbiguousPlainKey_ThrowsListingCandidates()
    {
        var error = Assert.Throws<ArgumentException>(() => Knobs.Apply(new Ambiguous(new Model(), new Model()), Overrides("""{"Fc": 1}""")));

        Assert.Contains("A.Fc or B.Fc", error.Message);
    }

    [Fact]
    public void Apply_ChapterKnobRecords_Validate()
    {
        Assert.Throws<ArgumentException>(() => Knobs.Apply(new QuantizationChapterConfig(), Overrides("""{"Temperature": 0}""")));
        Assert.Throws<ArgumentException>(() => Knobs.Apply(new ColorSpacesChapterConfig(), Overrides("""{"ImageSize": 8}""")));
    }
}
