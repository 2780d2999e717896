using SplitBrain.Color;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Support;

/// <summary>
/// Leak checks by counting live tensors, as TorchSharp's own TestDisposeScopes does: the count is per thread, and a
/// synchronous test runs on one thread, so tensors made and freed by other tests do not disturb it.
/// </summary>
internal static class TensorLeaks
{
    /// <summary>Runs <paramref name="action"/> (which must dispose what it creates) and asserts no tensor outlives it.</summary>
    public static void AssertNone(Action action)
    {
        WarmUpConstants();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        action();
        var after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.True(before == after, $"{after - before} tensor(s) leaked ({before} live before, {after} after).");
    }

    /// <summary>
    /// Like <see cref="AssertNone"/>, for code that creates tensors on other threads (a background loader): counts every
    /// live tensor of the process. Only meaningful in a test class of the <see cref="SerialTensorCountCollection"/>
    /// collection, which runs alone. Finalizers are run first, so tensors other tests dropped are not counted, and the
    /// action runs in a no-GC region where possible, so a tensor it drops undisposed is not quietly finalized and missed.
    /// </summary>
    public static void AssertNoneOnAnyThread(Action action)
    {
        WarmUpConstants();
        Settle();
        var before = torch.Tensor.TotalCount;
        var noCollections = GC.TryStartNoGCRegion(NoGcBudget);
        try
        {
            action();
        }
        finally
        {
            if (noCollections && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
                GC.EndNoGCRegion();
        }

        var after = torch.Tensor.TotalCount;
        Assert.True(after <= before, $"{after - before} tensor(s) leaked ({before} live before, {after} after, all threads).");
    }

    /// <summary>
    /// The color code keeps a few constant tensors per device (lookup tables, matrices), made on first use and never
    /// freed. Making them before counting keeps a first use from looking like a leak, so a leak test passes whether
    /// or not another test used the color code first. Call it before reading a live-tensor count.
    /// </summary>
    public static void WarmUpConstants()
    {
        using var scope = NewDisposeScope();
        var bytes = zeros(1, 3, 1, 1, ScalarType.Byte);
        Lab.ToRgb(Lab.FromRgb(bytes));
        Lab.FromRgb(bytes.to_type(ScalarType.Float32));
        ColorSpaces.YCbCr.ToRgb(ColorSpaces.YCbCr.FromRgb(bytes));
    }

    // Managed allocation allowed without a collection: far more than the small tests that use it allocate.
    private const long NoGcBudget = 64L << 20;

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}

/// <summary>Test classes that count the live tensors of the whole process: they run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTensorCountCollection
{
    /// <summary>The collection's name, for <c>[Collection(SerialTensorCountCollection.Name)]</c>.</summary>
    public const string Name = "Process-wide tensor count";

}
