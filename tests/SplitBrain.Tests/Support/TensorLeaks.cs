using TorchSharp;

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
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        action();
        var after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.True(before == after, $"{after - before} tensor(s) leaked ({before} live before, {after} after).");
    }
}
