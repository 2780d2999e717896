using System.Text.Json.Nodes;

namespace SplitBrain.Notebooks.Tests;

public class CourseFolderTests
{
    private static string NewCourse()
    {
        var folder = Repository.TempFolder("course-folder");
        Directory.CreateDirectory(Path.Combine(folder, "pretrain"));
        Directory.CreateDirectory(Path.Combine(folder, "cache"));
        File.WriteAllText(Path.Combine(folder, "pretrain", "config.json"), "{}");
        File.WriteAllText(Path.Combine(folder, "cache", "synthetic.sbc"), "bytes");
        return folder;
    }

    [Fact]
    public void Prepare_SameSettingsAsTheLastCourse_KeepsItsRuns()
    {
        var folder = NewCourse();
        var settings = new JsonObject { ["Pretrain.Epochs"] = 2 };
        CourseFolder.Prepare(folder, settings, TextWriter.Null);

        var log = new StringWriter();
        CourseFolder.Prepare(folder, (JsonObject)settings.DeepClone(), log);

        Assert.True(File.Exists(Path.Combine(folder, "pretrain", "config.json")));
        Assert.Contains("reusing", log.ToString());
    }

    [Fact]
    public void Prepare_OtherSettings_RemovesThePreviousRuns_ButKeepsTheDataCache_AndSaysSo()
    {
        var folder = NewCourse();
        CourseFolder.Prepare(folder, new JsonObject { ["Pretrain.Epochs"] = 2 }, TextWriter.Null);

        var log = new StringWriter();
        CourseFolder.Prepare(folder, new JsonObject { ["Pretrain.Epochs"] = 3 }, log);

        Assert.False(Directory.Exists(Path.Combine(folder, "pretrain")));
        Assert.True(File.Exists(Path.Combine(folder, "cache", "synthetic.sbc")));
        Assert.Contains("other settings", log.ToString());
        Assert.Equal("""{"Pretrain.Epochs":3}""", File.ReadAllText(Path.Combine(folder, CourseFolder.OverridesFile)));
    }

    [Fact]
    public void PrintSummaries_PrintsEveryChaptersTable_InChapterOrder()
    {
        var folder = Repository.TempFolder("course-summaries");
        var summaries = Directory.CreateDirectory(Path.Combine(folder, SplitBrain.Course.CourseContract.SummaryFolder)).FullName;
        File.WriteAllText(Path.Combine(summaries, "06-evaluation.txt"), "probes table\n");
        File.WriteAllText(Path.Combine(summaries, "05-fine-tuning.txt"), "label efficiency table\n");

        var log = new StringWriter();
        CourseFolder.PrintSummaries(folder, log);

        var text = log.ToString();
        Assert.True(text.IndexOf("label efficiency table", StringComparison.Ordinal) < text.IndexOf("probes table", StringComparison.Ordinal), text);
    }
}
