namespace SplitBrain.Data;

/// <summary>
/// A dataset whose images are stored as raw uint8 pixels, so a batch can be read as plain bytes without any TorchSharp
/// call: what <see cref="BatchLoader"/> reads ahead on its background thread.
/// </summary>
/// <remarks>
/// <para>Why a byte-level read: TorchSharp 0.107 does not keep the <c>Scalar</c>s it creates implicitly
/// (<c>x.mul(2.0)</c>) alive during the native call, so a garbage collection started by another thread can finalize one
/// mid-call and crash the process (see <see cref="BatchLoader"/>). A background reader that makes no tensors, and
/// allocates (almost) nothing, neither runs such calls nor triggers such collections; the training thread turns the
/// bytes into one tensor with a single copy.</para>
/// <para>Implemented by <see cref="TensorCache"/> and <see cref="Stl10Dataset"/>. Datasets that need TorchSharp to make
/// their pixels (<see cref="SyntheticShapes"/>) or that decode files and may skip some (<see cref="ImageFolderDataset"/>)
/// are cached first (<see cref="TensorCache.OpenOrBuild"/>), and the cache is read.</para>
/// <para><see cref="ReadBytes"/> must be safe to call from several threads at once and must not call TorchSharp.</para>
/// </remarks>
public interface IByteImageDataset : IImageDataset
{
    /// <summary>
    /// Copies the images at <paramref name="indices"/> into <paramref name="pixels"/> and their labels into
    /// <paramref name="labels"/>, in that order, without calling TorchSharp.
    /// </summary>
    /// <param name="indices">Dataset indices in 0..Count-1; repeats allowed; may be empty.</param>
    /// <param name="pixels">Receives <c>indices.Count</c> images as <c>[B, 3, S, S]</c> uint8 in row-major order
    /// (<see cref="IImageDataset.ImageSize"/> = S); at least <c>indices.Count * 3 * S * S</c> bytes long.</param>
    /// <param name="labels">Receives one label per image (-1 when unlabeled); at least <c>indices.Count</c> long.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside 0..Count-1.</exception>
    /// <exception cref="ArgumentException">A destination is too short.</exception>
    void ReadBytes(IReadOnlyList<int> indices, Span<byte> pixels, Span<long> labels);
}
