namespace SplitBrain.Display;

/// <summary>One named line of a line chart.</summary>
/// <param name="Name">The legend entry.</param>
/// <param name="X">The x values.</param>
/// <param name="Y">The y values, one per x.</param>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>A series with x = 0, 1, 2, ...</summary>
    public static Series Of(string name, IReadOnlyList<double> y) =>
        new(name, Enumerable.Range(0, y.Count).Select(i => (double)i).ToList(), y);
}
