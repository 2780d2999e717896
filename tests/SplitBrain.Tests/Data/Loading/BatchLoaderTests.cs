using SplitBrain.Data;
using SplitBrain.Tests.Support;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Data;

[Collection(SerialTensorCountCollection.Name)]
public sealed class BatchLoaderTests : IDisposable
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly SyntheticShapesConfig Tiny = new(UnlabeledCount: 50, TrainCount: 20, TestCount: 10, Seed: 1, ImageSize: 16);

    private readonly string _folder = Directory.CreateTempSubdirectory("splitbrain-loader-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The tiny unlabeled split cached as raw bytes: a dataset the loader reads ahead.</summary>
    private TensorCache Cached()
    {
        using var source = new SyntheticShapes(Tiny, DatasetSplit.Unlabeled);
        return TensorCache.OpenOrBuild(source, Path.Combine(_folder, "tiny.sbc"), cancellationToken: Cancel);
    }

    [Fact]
    public void Epoch_ByteDataset_ReadsAheadOnAnotherThreadWithoutMakingTensors()
    {
        using var cache = Cached();
        var probe = new ProbeByteDataset(cache);
        var loader = new BatchLoader(probe, new BatchLoaderConfig(BatchSize: 8, Seed: 2));
        var seen = new List<int>();
        foreach (var batch in loader.Epoch(0, Cancel))
            seen.AddRange(batch.Indices);

        Assert.Equal(Enumerable.Range(0, 50), seen.Order());
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, probe.ReadThreads);
        Assert.Equal(0, loader.ProducerTensorCount);

        // The counter does see tensors made there: a dataset that breaks the rule is caught.
        var rogue = new BatchLoader(new ProbeByteDataset(cache, makeTensors: true), new BatchLoaderConfig(BatchSize: 8));
        foreach (var _ in rogue.Epoch(0, Cancel)) { }
        Assert.Equal(rogue.BatchesPerEpoch, rogue.ProducerTensorCount);
    }

    [Fact]
    public void Epoch_ByteDataset_GivesTheSameBatchesAsReadingTheSourceInPlace()
    {
        using var source = new SyntheticShapes(Tiny, DatasetSplit.Unlabeled);
        using var cache = Cached();
        var options = new BatchLoaderConfig(BatchSize: 7, Seed: 4);
        Assert.Equal(Read(new BatchLoader(source, options), epoch: 1).Select(b => b.Pixels), Read(new BatchLoader(cache, options), epoch: 1).Select(b => b.Pixels));
        Assert.Equal(Read(new BatchLoader(source, options), epoch: 1).Select(b => b.Indices), Read(new BatchLoader(cache, options), epoch: 1).Select(b => b.Indices));
    }

    [Fact]
    public void Epoch_OtherDataset_IsReadOnTheConsumingThread()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Unlabeled);
        var recording = new ThreadRecordingDataset(data);
        var loader = new BatchLoader(recording, new BatchLoaderConfig(BatchSize: 16));
        Assert.Equal(4, loader.Epoch(0, Cancel).Count());
        Assert.Equal([Environment.CurrentManagedThreadId], recording.ReadThreads);
    }

    [Fact]
    public void Epoch_SkipBatches_GivesTheRestOfTheEpochExactly()
    {
        using var cache = Cached();
        var loader = new BatchLoader(cache, new BatchLoaderConfig(BatchSize: 8, Seed: 9, DropLast: true));
        var whole = Read(loader, epoch: 3);
        var rest = loader.Epoch(3, skipBatches: 4, Cancel).Select(b => (b.Indices.ToArray(), b.Images.data<byte>().ToArray())).ToList();

        Assert.Equal(whole.Skip(4).Select(b => b.Indices), rest.Select(b => b.Item1));
        Assert.Equal(whole.Skip(4).Select(b => b.Pixels), rest.Select(b => b.Item2));
        Assert.Empty(loader.Epoch(3, skipBatches: loader.BatchesPerEpoch, Cancel));
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.Epoch(0, skipBatches: loader.BatchesPerEpoch + 1, Cancel));
    }

    [Fact]
    public void Epoch_ByteDataset_ProducerFailure_IsRethrownAfterTheEarlierBatches()
    {
        using var cache = Cached();
        var loader = new BatchLoader(new ProbeByteDataset(cache, failOnCall: 3), new BatchLoaderConfig(BatchSize: 5));
        var received = 0;
        var e = Assert.Throws<IOException>(() =>
        {
            foreach (var _ in loader.Epoch(0, Cancel))
                received++;
        });
        Assert.Equal(FailingDataset.Message, e.Message);
        Assert.Equal(2, received);
    }

    [Fact]
    public void Epoch_ByteDataset_FullEpochAndEarlyBreak_LeakNoTensors()
    {
        using var cache = Cached();
        var loader = new BatchLoader(cache, new BatchLoaderConfig(BatchSize: 4, QueueCapacity: 2));
        TensorLeaks.AssertNoneOnAnyThread(() =>
        {
            foreach (var batch in loader.Epoch(0)) { }
            foreach (var batch in loader.Epoch(1))
            {
                Thread.Sleep(20); // let the reader fill the queue
                break;
            }
        });
    }

    [Fact]
    public void Epoch_VisitsEveryItemOnce_InBatchesOfTheSize()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Unlabeled);
        var loader = new BatchLoader(data, new BatchLoaderConfig(BatchSize: 8, Seed: 3));

        var sizes = new List<int>();
        var seen = new List<int>();
        foreach (var batch in loader.Epoch(0, Cancel))
        {
            sizes.Add(batch.Count);
            seen.AddRange(batch.Indices);
            Assert.Equal([batch.Count, 3L, 16, 16], batch.Images.shape);
        }

        Assert.Equal([8, 8, 8, 8, 8, 8, 2], sizes);
        Assert.Equal(7, loader.BatchesPerEpoch);
        Assert.Equal(Enumerable.Range(0, 50), seen.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), seen); // shuffled
    }

    [Fact]
    public void Epoch_DropLast_LeavesOutThePartialBatch()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Unlabeled);
        var loader = new BatchLoader(data, new BatchLoaderConfig(BatchSize: 8, DropLast: true));
        Assert.Equal(6, loader.BatchesPerEpoch);
        Assert.All(loader.Epoch(0, Cancel).Select(b => b.Count).ToList(), n => Assert.Equal(8, n));
        Assert.Equal(6, loader.Epoch(1, Cancel).Count());
    }

    [Fact]
    public void Epoch_SameSeedAndEpoch_SameOrderAndSameBatches()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Train);
        var options = new BatchLoaderConfig(BatchSize: 6, Seed: 11);
        var first = Read(new BatchLoader(data, options), epoch: 2);
        var second = Read(new BatchLoader(data, options), epoch: 2);

        Assert.Equal(first.Select(b => b.Indices), second.Select(b => b.Indices));
        Assert.Equal(first.Select(b => b.Pixels), second.Select(b => b.Pixels));
        Assert.Equal(first.Select(b => b.Labels), second.Select(b => b.Labels));
    }

    [Fact]
    public void Order_DiffersBetweenEpochsAndSeeds_AndIsIdentityWithoutShuffle()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Unlabeled);
        var loader = new BatchLoader(data, new BatchLoaderConfig(Seed: 5));
        Assert.Equal(loader.Order(0), loader.Order(0));
        Assert.NotEqual(loader.Order(0), loader.Order(1));
        Assert.NotEqual(loader.Order(0), new BatchLoader(data, new BatchLoaderConfig(Seed: 6)).Order(0));
        Assert.Equal(Enumerable.Range(0, 50), new BatchLoader(data, BatchLoaderConfig.Evaluation()).Order(4));
    }

    [Fact]
    public void Epoch_ProducerThrows_ConsumerGetsTheEarlierBatchesThenTheOriginalException()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Unlabeled);
        using var failing = new FailingDataset(data, failOnCall: 3);
        var loader = new BatchLoader(failing, new BatchLoaderConfig(BatchSize: 5));
        var received = 0;

        var e = Assert.Throws<IOException>(() =>
        {
            foreach (var _ in loader.Epoch(0, Cancel))
                received++;
        });

        Assert.Equal(FailingDataset.Message, e.Message);
        Assert.Equal(2, received);
        Assert.Contains(nameof(FailingDataset), e.StackTrace); // thrown as it was, with the producer's stack
    }

    [Fact]
    public void Epoch_Cancelled_ThrowsOperationCanceled()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Unlabeled);
        var loader = new BatchLoader(data, new BatchLoaderConfig(BatchSize: 5, QueueCapacity: 2));
        using var cancel = new CancellationTokenSource();
        var received = 0;

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in loader.Epoch(0, cancel.Token))
            {
                received++;
                cancel.Cancel();
            }
        });
        Assert.Equal(1, received);
    }

    [Fact]
    public void Epoch_FullEpochEarlyBreakAndFailure_LeakNoTensors()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Unlabeled);
        var loader = new BatchLoader(data, new BatchLoaderConfig(BatchSize: 4, QueueCapacity: 2));
        TensorLeaks.AssertNoneOnAnyThread(() =>
        {
            foreach (var batch in loader.Epoch(0))
            {
                using var scope = NewDisposeScope();
                using var mean = batch.Images.to_type(ScalarType.Float32).mean();
            }
        });
        TensorLeaks.AssertNoneOnAnyThread(() =>
        {
            foreach (var batch in loader.Epoch(1))
            {
                Thread.Sleep(20); // let the producer fill the queue
                break;
            }
        });
        using var failing = new FailingDataset(data, failOnCall: 4);
        TensorLeaks.AssertNoneOnAnyThread(() =>
            Assert.Throws<IOException>(() => new BatchLoader(failing, loader.Options).Epoch(0, Cancel).ToList()));
    }

    [Fact]
    public void Epoch_DisposeBatchesFalse_BatchesStayValidForTheCaller()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Test);
        var loader = new BatchLoader(data, new BatchLoaderConfig(BatchSize: 4, DisposeBatches: false));
        var batches = loader.Epoch(0, Cancel).ToList();
        try
        {
            Assert.Equal(10, batches.Sum(b => (int)b.Images.size(0)));
        }
        finally
        {
            batches.ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public void Constructor_BadOptions_ThrowNamingTheField()
    {
        using var data = new SyntheticShapes(Tiny, DatasetSplit.Test);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(data, new BatchLoaderConfig(BatchSize: 0)));
        Assert.Equal("BatchSize", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(data, new BatchLoaderConfig(QueueCapacity: 0)));
        Assert.Equal("QueueCapacity", e.ParamName);
    }

    private static List<(int[] Indices, byte[] Pixels, long[] Labels)> Read(BatchLoader loader, int epoch) =>
        [.. loader.Epoch(epoch).Select(b => (b.Indices.ToArray(), b.Images.data<byte>().ToArray(), b.LabelArray()))];
}
