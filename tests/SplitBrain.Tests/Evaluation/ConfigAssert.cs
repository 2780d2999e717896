namespace SplitBrain.Tests.Evaluation;

/// <summary>The check every config record's Validate() gets: the bad field is named, in the parameter and the message.</summary>
internal static class ConfigAssert
{
    /// <summary>Asserts that <paramref name="validate"/> throws an ArgumentOutOfRangeException naming
    /// <c>record.field</c>.</summary>
    public static void RejectsField(Action validate, string record, string field)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(validate);
        Assert.Equal(field, error.ParamName);
        Assert.Contains($"{record}.{field}", error.Message);
    }
}
