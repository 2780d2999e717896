namespace SplitBrain.Evaluation;

/// <summary>The range checks of the evaluation's config records, so that every message names the record and the field
/// the same way ("ClassifierTrainingConfig.Epochs must be at least 1; got 0.").</summary>
internal static class ConfigChecks
{
    /// <summary>Throws unless <paramref name="value"/> is at least <paramref name="min"/>.</summary>
    internal static void AtLeast(string record, int value, int min, string field)
    {
        if (value < min)
            throw new ArgumentOutOfRangeException(field, value, $"{record}.{field} must be at least {min}; got {value}.");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and &gt; 0.</summary>
    internal static void Positive(string record, double value, string field)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(field, value, $"{record}.{field} must be a finite number > 0; got {value}.");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and &gt;= 0.</summary>
    internal static void NonNegative(string record, double value, string field)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(field, value, $"{record}.{field} must be a finite number >= 0; got {value}.");
    }

    /// <summary>Throws unless <paramref name="value"/> lies in [<paramref name="low"/>, <paramref name="high"/>]
    /// (or (<paramref name="low"/>, ...] when <paramref name="lowOpen"/>, [..., <paramref name="high"/>) when
    /// <paramref name="highOpen"/>).</summary>
    internal static void InRange(string record, double value, double low, double high, string field, bool lowOpen = false, bool highOpen = false)
    {
        var above = lowOpen ? value > low : value >= low;
        var below = highOpen ? value < high : value <= high;
        if (!(above && below))
            throw new ArgumentOutOfRangeException(field, value,
                $"{record}.{field} must be in {(lowOpen ? '(' : '[')}{low}, {high}{(highOpen ? ')' : ']')}; got {value}.");
    }
}
