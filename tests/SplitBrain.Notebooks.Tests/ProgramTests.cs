namespace SplitBrain.Notebooks.Tests;

public class ProgramTests
{
    [Fact]
    public void Arguments_ParseOverridesAsJsonWhenTheyParse()
    {
        var parsed = Program.Arguments.Parse(["a.ipynb", "--set", "Epochs=2", "--set", "Name=quick", "--set", "Soft=true", "--out", "o", "--keep-going"]);

        Assert.Equal(["a.ipynb"], parsed.Positional);
        Assert.Equal("o", parsed.Out);
        Assert.True(parsed.KeepGoing);
        Assert.Equal("""{"Epochs":2,"Name":"quick","Soft":true}""", parsed.Overrides.ToJsonString());
    }

    [Fact]
    public void Arguments_NullClearsAnOptionalSetting()
    {
        var parsed = Program.Arguments.Parse(["a.ipynb", "--set", "Pretrain.Minutes=null", "--set", "Name=nullable"]);

        Assert.Equal("""{"Pretrain.Minutes":null,"Name":"nullable"}""", parsed.Overrides.ToJsonString());
    }

    [Theory]
    [InlineData("--set", "novalue")]
    [InlineData("--bogus")]
    [InlineData("--out")]
    public void Arguments_Bad_ThrowArgumentException(params string[] args) =>
        Assert.Throws<ArgumentException>(() => Program.Arguments.Parse(args));

    [Fact]
    public async Task Main_UnknownCommand_Exits2()
    {
        var writer = new StringWriter();
        var error = Console.Error;
        Console.SetError(writer);
        try
        {
            Assert.Equal(2, await Program.Main(["frobnicate"]));
            Assert.Contains("unknown command 'frobnicate'", writer.ToString());
        }
        finally
        {
            Console.SetError(error);
        }
    }

    [Fact]
    public async Task Main_PublishWithoutExecutedChapters_Exits2NamingTheCourseCommand()
    {
        var empty = Repository.TempFolder("publish-from");
        var writer = new StringWriter();
        var error = Console.Error;
        Console.SetError(writer);
        try
        {
            Assert.Equal(2, await Program.Main(["publish", "01", "--from", empty, "--out", Path.Combine(empty, "out")]));
            Assert.Contains("No executed copy of 01-color-spaces", writer.ToString());
            Assert.Contains("-- course", writer.ToString());
            Assert.False(Directory.Exists(Path.Combine(empty, "out")));
        }
        finally
        {
            Console.SetError(error);
            Directory.Delete(empty, recursive: true);
        }
    }
}
