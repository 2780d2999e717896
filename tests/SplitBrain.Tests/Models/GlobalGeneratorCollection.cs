namespace SplitBrain.Tests.Models;

/// <summary>
/// Tests that seed torch's global generator (<c>torch.manual_seed</c>) and then draw from it: they run alone, since a
/// network built by a test running in parallel would draw from the same generator in between.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGeneratorCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "torch global generator";
}
