namespace SplitBrain.Notebooks.Tests;

/// <summary>
/// The exercises command as CI runs it: every check fails on its chapter's stub and passes on its solution, each exercise
/// in a fresh kernel after its chapter's setup cell.
/// </summary>
[Collection(FrontEndCollection.Name)]
public class ExercisesCommandTests
{
    [Fact]
    public void Exercises_EveryCheckFailsOnItsBlankAndPassesOnItsSolution()
    {
        var (exitCode, log) = Repository.Run("dotnet", [Repository.RunnerDll, "exercises"], Repository.Root, TimeSpan.FromMinutes(8));

        Assert.True(exitCode == 0, $"exercises failed (exit {exitCode}):\n{log}");
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var perExercise = lines.Where(l => l.Contains(" blank: ")).ToList();
        Assert.All(perExercise, l => Assert.Contains("blank: not done", l));
        Assert.All(perExercise, l => Assert.Contains("solution: passed", l));
        Assert.InRange(perExercise.Count, 2 * Repository.Chapters.Count, 4 * Repository.Chapters.Count);
        Assert.StartsWith($"exercises: {perExercise.Count} of {perExercise.Count} ok", lines[^1]);
    }
}
