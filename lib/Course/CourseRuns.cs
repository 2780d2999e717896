namespace SplitBrain.Course;

/// <summary>The names of the runs the chapters share, in the runs folder (<see cref="Chapter.RunDirectory"/>).</summary>
public static class CourseRuns
{
    /// <summary>The pretraining run of chapter 04, which chapters 05 and 06 evaluate.</summary>
    public const string Pretrain = "pretrain";
}
