using static TorchSharp.torch;

namespace SplitBrain.Exercises;

/// <summary>
/// One random input of a check: its number, a seeded generator to draw it with, and a description the check sets once
/// it has drawn it (shown when the student's code fails or throws on it).
/// </summary>
public sealed class CheckInput
{
    internal CheckInput(int number, Generator random)
    {
        Number = number;
        Random = random;
    }

    /// <summary>1 for the first input of a check.</summary>
    public int Number { get; }

    /// <summary>Draws this input's random values; seeded by the input's number, so every run checks the same inputs.</summary>
    public Generator Random { get; }

    /// <summary>What the input is, e.g. <c>rgb [2, 3, 7, 5], uniform in [0, 1)</c>.</summary>
    public string Description { get; set; } = "";

    /// <summary>An integer in [<paramref name="low"/>, <paramref name="high"/>] drawn from <see cref="Random"/>.</summary>
    /// <param name="low">The smallest value.</param>
    /// <param name="high">The largest value.</param>
    public int Integer(int low, int high) => (int)randint(low, high + 1, [1], generator: Random).item<long>();
}
