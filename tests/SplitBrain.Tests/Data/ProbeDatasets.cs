using System.Collections.Concurrent;
using SplitBrain.Data;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Data;

/// <summary>A dataset that reads another one (not owned), for test doubles that watch or break the reads.</summary>
internal abstract class WrappedDataset(IImageDataset inner) : IImageDataset
{
    public virtual string Name => "wrapped " + inner.Name;
    public int Count => inner.Count;
    public int ImageSize => inner.ImageSize;
    public IReadOnlyList<string> Classes => inner.Classes;
    public bool HasLabels => inner.HasLabels;
    public string Fingerprint => inner.Fingerprint;

    public virtual ImageBatch ReadBatch(IReadOnlyList<int> indices) => inner.ReadBatch(indices);

    public void Dispose()
    {
    }
}

/// <summary>
/// A byte-readable dataset over another one that records the threads it is read on and, with
/// <paramref name="makeTensors"/>, breaks the byte-read rule by making (and freeing) a tensor in every read: the positive
/// control of the test that the loader's background thread makes no tensors. It throws an IOException on its
/// <paramref name="failOnCall"/>-th read (1-based; 0 for never).
/// </summary>
internal sealed class ProbeByteDataset(IByteImageDataset inner, bool makeTensors = false, int failOnCall = 0) : WrappedDataset(inner), IByteImageDataset
{
    private readonly ConcurrentBag<int> _threads = [];
    private int _calls;

    public IReadOnlyCollection<int> ReadThreads => [.. _threads.Distinct()];

    public void ReadBytes(IReadOnlyList<int> indices, Span<byte> pixels, Span<long> labels)
    {
        _threads.Add(Environment.CurrentManagedThreadId);
        if (Interlocked.Increment(ref _calls) == failOnCall)
            throw new IOException(FailingDataset.Message);
        if (makeTensors)
        {
            using var t = zeros(1);
        }

        inner.ReadBytes(indices, pixels, labels);
    }
}

/// <summary>A dataset (not byte-readable) over another one that records the threads its batches are read on.</summary>
internal sealed class ThreadRecordingDataset(IImageDataset inner) : WrappedDataset(inner)
{
    private readonly ConcurrentBag<int> _threads = [];

    public IReadOnlyCollection<int> ReadThreads => [.. _threads.Distinct()];

    public override ImageBatch ReadBatch(IReadOnlyList<int> indices)
    {
        _threads.Add(Environment.CurrentManagedThreadId);
        return base.ReadBatch(indices);
    }
}
