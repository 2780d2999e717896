using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Training;

/// <summary>
/// The split-brain objective of one batch (Zhang, Isola, Efros 2017, eq. 5): each half's cross-entropy and their sum, as
/// scalar tensors (the engine differentiates <c>Total</c>, <see cref="Runs.OptimizerStep"/>). Read them as doubles with <see cref="ReadValues"/>.
/// </summary>
/// <param name="F1">Loss of F1, which predicts the second subset's bins (L -&gt; ab), scalar.</param>
/// <param name="F2">Loss of F2, which predicts the first subset's bins (ab -&gt; L), scalar.</param>
/// <param name="Total"><c>F1 + F2</c>, scalar: what training minimises.</param>
public sealed record SplitBrainLosses(Tensor F1, Tensor F2, Tensor Total) : IDisposable
{
    /// <summary>The three values as doubles (one device-to-host copy each: read once per batch, inside its scope).</summary>
    public (double F1, double F2, double Total) ReadValues() => (Read(F1), Read(F2), Read(Total));

    /// <summary>Disposes the three tensors.</summary>
    public void Dispose()
    {
        F1.Dispose();
        F2.Dispose();
        Total.Dispose();
    }

    private static double Read(Tensor t)
    {
        using var scalar = t.ToScalar();
        return scalar.ToDouble();
    }
}
