using System.Runtime;
using SplitBrain.Tests.Support;
using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Tests.Runs;

/// <summary>No-GC regions are process-wide: these tests run alone.</summary>
[Collection(SerialTensorCountCollection.Name)]
public sealed class NoGcRegionTests
{
    [Fact]
    public void Enter_StartsARegionWithoutCollections_AndDisposeEndsIt()
    {
        var collections = GC.CollectionCount(0);
        using (var region = NoGcRegion.Enter())
        {
            Assert.True(region.Started);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            collections = GC.CollectionCount(0); // starting may collect once; inside, nothing does
            for (var i = 0; i < 1000; i++)
                GC.KeepAlive(new byte[1024]);
            Assert.Equal(collections, GC.CollectionCount(0));
        }

        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void Enter_Nested_TheInnerBlockNeitherStartsNorEnds()
    {
        using var outer = NoGcRegion.Enter();
        using (var inner = NoGcRegion.Enter())
            Assert.False(inner.Started);

        Assert.True(outer.Started);
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode); // still the outer's region
    }

    [Fact]
    public void Enter_ManyRegionsThatEachLeaveGarbage_KeepTheHeapBounded()
    {
        // Each region drops 200 KB, as a training step does: without the collection Enter makes when the heap has grown,
        // the collections of the region starts left all of it (300 MB over these 1 500 regions, and as much resident memory).
        var collections = NoGcRegion.Collections;
        var keep = new object[16];
        long highest = 0;
        for (var region = 0; region < 1500; region++)
        {
            using (NoGcRegion.Enter())
            {
                for (var i = 0; i < 2000; i++)
                    keep[i % keep.Length] = new byte[80];
            }

            highest = Math.Max(highest, GC.GetTotalMemory(forceFullCollection: false));
        }

        Assert.True(NoGcRegion.Collections > collections, "Enter never collected");
        Assert.True(highest < 2 * NoGcRegion.CollectAfterBytes + (32L << 20), $"the managed heap reached {highest >> 20} MB");
        GC.KeepAlive(keep);
    }

    [Fact]
    public void Dispose_AfterTheBudgetWasExceeded_ReportsLostAndDoesNotThrow()
    {
        var region = NoGcRegion.Enter(budgetBytes: 1 << 20);
        Assert.True(region.Started);
        var keep = new List<byte[]>();
        for (var i = 0; i < 64; i++)
            keep.Add(new byte[1 << 20]); // 64 MB against a 1 MB budget: the runtime collects and leaves the region

        region.Dispose();
        region.Dispose(); // twice is harmless

        Assert.True(region.Lost);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        GC.KeepAlive(keep);
    }

    [Fact]
    public void EnterAndDispose_CostLittleNextToATrainingStep()
    {
        for (var i = 0; i < 10; i++)
            NoGcRegion.Enter().Dispose(); // warm up
        var clock = System.Diagnostics.Stopwatch.StartNew();
        const int count = 200;
        for (var i = 0; i < count; i++)
            NoGcRegion.Enter().Dispose();

        // Measured about 0.1 ms on a quiet machine; the bound leaves room for a busy one and is still far below the
        // 20-30 ms of a Small step.
        var perRegion = clock.Elapsed.TotalMilliseconds / count;
        Assert.True(perRegion < 5, $"a region costs {perRegion:F3} ms");
    }
}
