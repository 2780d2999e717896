namespace SplitBrain.Notebooks.Tests;

public class ChapterExerciseTests
{
    private static Notebook Chapter(params string[] code) => Notebook.FromCode(Path.Combine(Repository.Root, "notebooks", "99-test.ipynb"), code);

    [Fact]
    public void Find_PairsEachExerciseCellWithTheNextCellAndItsSolution()
    {
        var chapter = Chapter("// setup", "var x = 1;", "// Exercise 9.1: a title\nint F() => throw new NotImplementedException();", "Check(F)",
            "// Exercise 9.2: another\nint G() => 0;", "Check(G)");

        var exercises = ChapterExercise.Find(chapter, new Dictionary<string, string> { ["9.1"] = "// Exercise 9.1: a title\nint F() => 1;\n" });

        Assert.Equal(["9.1", "9.2"], exercises.Select(e => e.Id));
        Assert.Equal("a title", exercises[0].Title);
        Assert.Equal("// setup", exercises[0].Setup);
        Assert.Equal("Check(F)", exercises[0].Check);
        Assert.StartsWith("// Exercise 9.1", exercises[0].Solution);
        Assert.Null(exercises[1].Solution);
    }

    [Fact]
    public void Find_AnExerciseWithoutACheckCell_Throws()
    {
        Assert.Throws<InvalidDataException>(() => ChapterExercise.Find(Chapter("// setup", "// Exercise 9.1: last"), new Dictionary<string, string>()));
        Assert.Throws<InvalidDataException>(() => ChapterExercise.Find(Chapter("// setup", "// Exercise 9.1: a", "// Exercise 9.2: b", "c"), new Dictionary<string, string>()));
        Assert.Throws<InvalidDataException>(() => ChapterExercise.Find(Chapter("// setup", "// Exercise 9.1: a", "c", "// Exercise 9.1: a", "c"), new Dictionary<string, string>()));
    }

    [Fact]
    public void ParseSolutions_SplitsAtMarkerLinesAndSkipsTheHeader()
    {
        var solutions = ChapterExercise.ParseSolutions("// header\n\n// Exercise 1.1: one\nint A() => 1;\n\n// Exercise 1.2: two\r\nint B() => 2;\n", "s.cs");

        Assert.Equal(["1.1", "1.2"], solutions.Keys.Order());
        Assert.Equal("// Exercise 1.1: one\nint A() => 1;\n", solutions["1.1"]);
        Assert.Equal("// Exercise 1.2: two\nint B() => 2;\n", solutions["1.2"]);
        Assert.Throws<InvalidDataException>(() => ChapterExercise.ParseSolutions("// Exercise 1.1: a\n// Exercise 1.1: b\n", "s.cs"));
    }

    [Fact]
    public void EveryChapter_HasTwoToFourExercisesEachWithASolution()
    {
        foreach (var path in Repository.Chapters)
        {
            var solutionsPath = ChapterExercise.SolutionsPath(path);
            Assert.True(File.Exists(solutionsPath), $"{solutionsPath} is missing");
            var solutions = ChapterExercise.ParseSolutions(File.ReadAllText(solutionsPath), solutionsPath);
            var exercises = ChapterExercise.Find(Notebook.Load(path), solutions);

            Assert.InRange(exercises.Count, 2, 4);
            Assert.All(exercises, e => Assert.NotNull(e.Solution));
            Assert.Equal(exercises.Select(e => e.Id).Order(), solutions.Keys.Order());
            var number = int.Parse(Path.GetFileName(path)[..2]).ToString();
            Assert.All(exercises, e => Assert.StartsWith(number + ".", e.Id));
            Assert.All(exercises, e => Assert.Contains("throw new NotImplementedException", e.Blank));   // the student's edition
        }
    }
}
