using SplitBrain.Data;

namespace SplitBrain.Tests.Data;

/// <summary>A dataset that reads from another one and throws an IOException on its n-th ReadBatch call (1-based).</summary>
internal sealed class FailingDataset(IImageDataset inner, int failOnCall) : IImageDataset
{
    public const string Message = "disk on fire (test)";

    private int _calls;

    public string Name => "failing " + inner.Name;
    public int Count => inner.Count;
    public int ImageSize => inner.ImageSize;
    public IReadOnlyList<string> Classes => inner.Classes;
    public bool HasLabels => inner.HasLabels;
    public string Fingerprint => inner.Fingerprint;

    public ImageBatch ReadBatch(IReadOnlyList<int> indices)
    {
        if (Interlocked.Increment(ref _calls) == failOnCall)
            throw new IOException(Message);
        return inner.ReadBatch(indices);
    }

    public void Dispose()
    {
    }
}
