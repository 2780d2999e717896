using SplitBrain.Models;
using static TorchSharp.torch;

namespace SplitBrain.Training;

/// <summary>
/// What draws a run's previews: the network's logits over the second subset's bins (ab) from the normalised first subset
/// (L), when its objective trains one that predicts them from the first subset alone: F1 of a split network that classifies
/// (<c>split-brain</c>, <c>split-brain-cl-reg</c>) or a full-width L -&gt; ab classifier (<c>l-to-ab-cl</c>). The other
/// objectives (autoencoders, ab -&gt; L, regression of ab, the alternative aggregation) draw no previews.
/// </summary>
internal static class PreviewColorizer
{
    /// <summary>The colorizer of <paramref name="network"/>, or null when it has none.</summary>
    /// <param name="network">The run's network.</param>
    /// <param name="secondBins">Bins of the second subset (313 ab bins).</param>
    /// <returns>Normalised [P, C1, S, S] first subset in, [P, secondBins, h, w] logits out.</returns>
    internal static Func<Tensor, Tensor>? Of(FeatureNetwork network, int secondBins) => network switch
    {
        SplitBrainNet split when split.F1.Bins == secondBins => split.F1.call,
        FullWidthNet { Input: NetworkInput.First } full when full.Outputs == secondBins => full.call,
        _ => null,
    };
}
