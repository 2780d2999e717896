using System.Globalization;
using SplitBrain.Models;

namespace SplitBrain.Evaluation;

/// <summary>Where <see cref="LinearProbes.Run"/> stands: reported after each batch of images and after each probe.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Done">Images (extraction, test) or layers (fitting) done in this stage.</param>
/// <param name="Total">Images or layers of this stage.</param>
/// <param name="Seconds">Time since the stage started.</param>
/// <param name="Layer">While fitting: the layer whose probe was just trained.</param>
/// <param name="Accuracy">While fitting: that probe's training accuracy.</param>
public sealed record ProbeProgress(ProbeStage Stage, int Done, int Total, double Seconds, FeatureLayer? Layer = null, double? Accuracy = null)
{
    /// <summary>A progress bar for <see cref="Display.LiveProgress{T}"/>; the three stages (extract the training
    /// features, fit the probes, score the test images) fill it in turn.</summary>
    /// <param name="title">What is probed, e.g. "probing pretrained".</param>
    /// <returns>The view.</returns>
    public Display.ProgressView ToView(string title = "linear probes")
    {
        var within = Total <= 0 ? 1 : Math.Clamp((double)Done / Total, 0, 1);
        return new(title, ((int)Stage + within) / 3, $"{Stage.ToString().ToLowerInvariant()} {Done}/{Total}",
            [("seconds", Seconds.ToString("0.0", CultureInfo.InvariantCulture))]);
    }

    /// <inheritdoc/>
    public override string ToString() => Stage switch
    {
        ProbeStage.Fit => string.Create(CultureInfo.InvariantCulture,
            $"fit {Done}/{Total} layers ({Layer?.ToString().ToLowerInvariant()}: train {ClassificationReport.Percent(Accuracy)}), {Seconds:0.0} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Stage.ToString().ToLowerInvariant()} {Done}/{Total} images, {Seconds:0.0} s"),
    };
}

/// <summary>The stages of <see cref="LinearProbes.Run"/>, in order.</summary>
public enum ProbeStage
{
    /// <summary>Extracting the training images' features (all layers in one pass); counted in images.</summary>
    Extract,

    /// <summary>Training one probe per layer; counted in layers.</summary>
    Fit,

    /// <summary>Scoring every probe on the test images (one pass); counted in images.</summary>
    Test,
}
