using SplitBrain.Data;

namespace SplitBrain.Tests.Data;

/// <summary>A dataset that reads from another one and throws an IOException on its n-th ReadBatch call (1-based).</summary>
internal sealed class FailingDataset(IImageDataset inner, int failOnCall) : WrappedDataset(inner)
{
    public const string Message = "disk on fire (test)";

    private int _calls;

    public override string Name => "failing " + base.Name;

    public override ImageBatch ReadBatch(IReadOnlyList<int> indices)
    {
        if (Interlocked.Increment(ref _calls) == failOnCall)
            throw new IOException(Message);
        return base.ReadBatch(indices);
    }
}
