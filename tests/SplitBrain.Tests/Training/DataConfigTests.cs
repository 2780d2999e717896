using SplitBrain.Training;

namespace SplitBrain.Tests.Training;

public class DataConfigTests
{
    [Fact]
    public void Stl10_WithoutAPath_ReadsWhereTheDataScriptPutsIt_SoOneSettingMovesARunToStl10()
    {
        var data = new DataConfig { Source = DataSource.Stl10 };

        data.Validate();

        Assert.Equal("data/stl10", data.SourcePath);
        Assert.Equal("elsewhere", (data with { Path = "elsewhere" }).SourcePath);
        Assert.Null(new DataConfig().SourcePath);
    }
}
