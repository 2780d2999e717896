using static TorchSharp.torch;

namespace SplitBrain.Quantization;

/// <summary>
/// Helpers for the long-lived tensors an IDisposable owner keeps (bin centres, counts, weights): they must not be
/// caught by a dispose scope the caller happens to have open, or they would be freed under the owner.
/// </summary>
internal static class OwnedTensors
{
    /// <summary>Runs <paramref name="create"/> and keeps its result out of every dispose scope.</summary>
    internal static Tensor Create(Func<Tensor> create)
    {
        using var scope = NewDisposeScope();
        return create().DetachFromDisposeScope();
    }

    /// <summary>Replaces <paramref name="owned"/> by its copy on <paramref name="device"/>, freeing the old one.</summary>
    internal static void MoveTo(ref Tensor owned, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var source = owned;
        var moved = Create(() => source.to(device));
        owned.Dispose();
        owned = moved;
    }
}
