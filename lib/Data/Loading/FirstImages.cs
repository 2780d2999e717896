using System.Security.Cryptography;
using System.Text;

namespace SplitBrain.Data;

/// <summary>The first <see cref="Count"/> images of another dataset, in its order: a dataset cut to a size (for instance
/// to cache only part of a large folder). Does not own the dataset it reads.</summary>
internal sealed class FirstImages : IImageDataset
{
    private readonly IImageDataset _inner;

    internal FirstImages(IImageDataset inner, int count)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (count < 0 || count > inner.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Expected 0..{inner.Count} images of {inner.Name}; got {count}.");
        }

        _inner = inner;
        Count = count;
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"first {count} of {inner.Fingerprint}")));
    }

    public string Name => $"{_inner.Name} (first {Count})";

    public int Count { get; }

    public int ImageSize => _inner.ImageSize;

    public IReadOnlyList<string> Classes => _inner.Classes;

    public bool HasLabels => _inner.HasLabels;

    public string Fingerprint { get; }

    public ImageBatch ReadBatch(IReadOnlyList<int> indices)
    {
        DataTensors.CheckIndices(indices, Count, Name);
        return _inner.ReadBatch(indices);
    }

    public void Dispose()
    {
    }
}
