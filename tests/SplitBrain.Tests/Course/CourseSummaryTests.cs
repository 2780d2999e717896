using SplitBrain.Course;
using SplitBrain.Display;

namespace SplitBrain.Tests.Course;

public sealed class CourseSummaryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-summary-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Table Sample(string? title = "Pretraining") =>
        new(["run", "loss F1", "epochs", "rebalanced"], [["pretrain", 1.71234, 10, true], ["pretrain-l20", null, 12L, false]], title);

    [Fact]
    public void Save_WritesATitledAlignedTextAndJson_ReadAllGivesThemBackInChapterOrder()
    {
        CourseSummary.Save(Sample(), chapter: "10-last", folder: _folder);
        CourseSummary.Save(Sample(null), "Fine-tuning: 10 labels per class", chapter: "05-fine-tuning", folder: _folder);
        CourseSummary.Save(Sample(), chapter: "notebook", folder: _folder);
        var saved = CourseSummary.Save(Sample("Again"), chapter: "04-pretraining", folder: _folder);
        CourseSummary.Save(Sample(), chapter: "04-pretraining", folder: _folder); // replaces

        var all = CourseSummary.ReadAll(_folder);

        Assert.Equal(["04-pretraining", "05-fine-tuning", "10-last", "notebook"], all.Select(s => s.Chapter));
        Assert.Equal("Fine-tuning: 10 labels per class", all[1].Title);
        Assert.Equal(["pretrain", 1.71234, 10L, true], all[0].Table.Rows[0]);
        Assert.Equal(["pretrain-l20", null, 12L, false], all[0].Table.Rows[1]);
        var text = File.ReadAllLines(Path.Combine(_folder, "05-fine-tuning.txt"));
        Assert.Equal(
        [
            "05-fine-tuning: Fine-tuning: 10 labels per class",
            "run           loss F1  epochs  rebalanced",
            "------------  -------  ------  ----------",
            "pretrain      1.7123   10      True",
            "pretrain-l20           12      False",
        ], text);
        Assert.Equal(string.Join(Environment.NewLine, text), all[1].ToText());
        Assert.Equal("Again", saved.Title);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void Save_WithoutATitleOrWithAPathAsChapter_Throws()
    {
        Assert.Equal("title", Assert.Throws<ArgumentException>(() => CourseSummary.Save(Sample(null), chapter: "01-x", folder: _folder)).ParamName);
        Assert.Equal("chapter", Assert.Throws<ArgumentException>(() => CourseSummary.Save(Sample(), chapter: "../x", folder: _folder)).ParamName);
        Assert.Empty(CourseSummary.ReadAll(Path.Combine(_folder, "none")));
    }

    [Fact]
    public void Folder_IsSummaryInTheRunsFolder() =>
        Assert.Equal(Path.Combine(Chapter.Workspace.Runs, CourseContract.SummaryFolder), CourseSummary.Folder);
}
