namespace SplitBrain.Exercises;

/// <summary>What a check found in a student's exercise.</summary>
public enum ExerciseOutcome
{
    /// <summary>The student's code agrees with the library's on every random input.</summary>
    Passed,

    /// <summary>The student's code disagrees on an input, returns the wrong shape or throws.</summary>
    Failed,

    /// <summary>The exercise still holds its stub (it throws <see cref="NotImplementedException"/>).</summary>
    NotDone,
}
