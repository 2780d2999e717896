namespace SplitBrain.Evaluation;

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
