using System.Runtime;

namespace SplitBrain.Runs;

/// <summary>
/// A region of code during which the .NET garbage collector does not run (<see cref="GC.TryStartNoGCRegion(long)"/>),
/// as a <c>using</c> block: <c>using (NoGcRegion.Enter()) { ...one training step... }</c>.
/// </summary>
/// <remarks>
/// <para>Why: TorchSharp 0.107 does not keep the <c>Scalar</c>s it creates implicitly (<c>x.mul(2.0)</c>,
/// <c>x + 1</c>) alive while the native call runs (dotnet/TorchSharp pull requests 1434 and 1496). If a garbage
/// collection starts during such a call, the <c>Scalar</c> can be finalized and its native memory freed while libtorch
/// still reads it, which crashes the process (seen here under GC stress as an <c>ExternalException</c> from
/// <c>c10::Scalar</c>, see <see cref="Data.BatchLoader"/>). A collection can be started by any thread's allocations:
/// a notebook kernel, a display update, a test runner. Inside a no-GC region no collection starts, so the TorchSharp
/// calls of a training step are safe whatever the other threads do, as long as the whole process allocates less than
/// the region's budget meanwhile (otherwise the runtime collects and leaves the region; <see cref="Lost"/> tells).</para>
/// <para>Cost: starting a region makes the runtime secure the budget, usually with one gen0 collection, which is cheap
/// on a training loop's small managed heap (TorchSharp's tensors live in native memory); <see cref="Trainer"/>
/// measures it per step and reports it in <see cref="RunSummary.GcGuardMilliseconds"/>.</para>
/// <para>Memory: the collection the runtime makes when a region starts does not free the garbage the regions before it
/// left (seen with .NET 10: a loop of regions that each drop 200 KB grew the managed heap by exactly that much per region,
/// and the resident memory with it; a training run by 1 GB over 2 000 steps), while an ordinary full collection frees it
/// all. So <see cref="Enter"/> makes one (<see cref="GC.Collect()"/>) first whenever the heap has grown by
/// <see cref="CollectAfterBytes"/> since the last: every hundred training steps or so, a few milliseconds each.</para>
/// <para>Regions never nest: when the process is already in one (started by an outer block or another thread),
/// <see cref="Enter"/> starts nothing and <see cref="Dispose"/> ends nothing. A region is ended only if it is still
/// active (<see cref="GCSettings.LatencyMode"/> is <see cref="GCLatencyMode.NoGCRegion"/>), so a region the runtime
/// already left is never ended twice.</para>
/// </remarks>
public sealed class NoGcRegion : IDisposable
{
    /// <summary>
    /// The default <see cref="Budget"/>: 256 MB. Measured on the Small preset's steps (about 30 ms each) while another
    /// thread allocated 1 GB/s: with 32 MB a third of the regions ended early (and one run in a few crashed), with 256 MB
    /// none, at the same cost per step. The budget is committed, not touched: it does not add to the resident memory.
    /// </summary>
    public const long DefaultBudget = 256L << 20;

    /// <summary>
    /// The budget of <see cref="Enter"/> without an argument: managed bytes all threads together may allocate before the
    /// runtime must collect. A training step itself allocates well under 1 MB; the rest is for other threads.
    /// </summary>
    public static long Budget { get; set; } = DefaultBudget;

    /// <summary>
    /// The managed heap's growth since the last full collection at which <see cref="Enter"/> collects before starting a
    /// region (see the remarks): 16 MB, about a hundred steps' garbage, so the resident memory stays within a few percent.
    /// </summary>
    public static long CollectAfterBytes { get; set; } = 16L << 20;

    private static long s_heapAfterCollect;

    private bool _disposed;

    private NoGcRegion(bool started) => Started = started;

    /// <summary>Whether this block started the region (false when one was already active, or the runtime refused).</summary>
    public bool Started { get; }

    /// <summary>After <see cref="Dispose"/>: whether the region this block started ended early because the process
    /// allocated more than the budget (the step then ran partly unprotected).</summary>
    public bool Lost { get; private set; }

    /// <summary>Starts a no-GC region, unless the process is already in one.</summary>
    /// <param name="budgetBytes">Managed bytes all threads may allocate before the runtime collects anyway;
    /// <see cref="Budget"/> when null.</param>
    /// <returns>The block; dispose it to end the region.</returns>
    public static NoGcRegion Enter(long? budgetBytes = null)
    {
        var budget = budgetBytes ?? Budget;
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1, nameof(budgetBytes));
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            return new NoGcRegion(started: false);
        }

        CollectIfGrown();
        try
        {
            return new NoGcRegion(GC.TryStartNoGCRegion(budget));
        }
        catch (InvalidOperationException)
        {
            return new NoGcRegion(started: false); // another thread started one in between: it protects us too
        }
        catch (ArgumentOutOfRangeException)
        {
            return new NoGcRegion(started: false); // a budget larger than this runtime allows: run unprotected
        }
    }

    /// <summary>The number of full collections <see cref="Enter"/> has made so far (for the tests and diagnostics).</summary>
    public static int Collections => s_collections;

    private static int s_collections;

    // Threads may race here: at worst two collect at once, or one collects a little late; neither matters.
    private static void CollectIfGrown()
    {
        if (GC.GetTotalMemory(forceFullCollection: false) - Interlocked.Read(ref s_heapAfterCollect) < CollectAfterBytes)
        {
            return;
        }

        GC.Collect();
        Interlocked.Increment(ref s_collections);
        Interlocked.Exchange(ref s_heapAfterCollect, GC.GetTotalMemory(forceFullCollection: false));
    }

    /// <summary>Ends the region if this block started it and it is still active; records whether it was lost.</summary>
    public void Dispose()
    {
        if (_disposed || !Started)
        {
            _disposed = true;
            return;
        }

        _disposed = true;
        if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
        {
            Lost = true;
            return;
        }

        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            Lost = true; // the runtime collected in between (budget exceeded or a GC was induced)
        }
    }
}
