namespace SplitBrain.Models;

/// <summary>Which of an image's two channel subsets a <see cref="FullWidthNet"/> sees.</summary>
public enum NetworkInput
{
    /// <summary>The first subset only (L of Lab): a cross-channel encoder L -&gt; ab.</summary>
    First,

    /// <summary>The second subset only (ab of Lab): a cross-channel encoder ab -&gt; L.</summary>
    Second,

    /// <summary>Both, concatenated along the channels, first then second (Lab): autoencoders and the alternative aggregation.</summary>
    Both,
}
