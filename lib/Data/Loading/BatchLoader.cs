using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using TorchSharp;

namespace SplitBrain.Data;

/// <summary>
/// Iterates a dataset in batches for one epoch at a time; for datasets stored as raw bytes it reads ahead on a
/// background thread, so that reading overlaps with training.
/// </summary>
/// <remarks>
/// <para>The order of an epoch is fixed by (<see cref="BatchLoaderConfig.Seed"/>, epoch): two loaders with the same
/// options give the same batches, and an interrupted run resumes with the same order
/// (<see cref="Epoch(int, int, CancellationToken)"/> starts an epoch part way through). Every item is visited once per
/// epoch (the last partial batch is left out with <see cref="BatchLoaderConfig.DropLast"/>).</para>
/// <para>Threads. A known hazard of TorchSharp 0.107 decides the design: a <c>Scalar</c> made implicitly for an
/// operation (<c>x.mul(2.0)</c>) is not kept alive during the native call, so a garbage collection started by another
/// thread's allocations can finalize it mid-call and crash the process (dotnet/TorchSharp pull requests 1434 and 1496;
/// a stress test that forces a collection every 5 ms hits it within a minute, as an <c>ExternalException</c> from
/// <c>c10::Scalar</c>). So the background thread makes no tensors and allocates (almost) nothing:</para>
/// <list type="bullet">
/// <item>For an <see cref="IByteImageDataset"/> (<see cref="TensorCache"/>, <see cref="Stl10Dataset"/>) the background
/// thread reads raw uint8 pixels and labels into pooled byte buffers (reused across batches and epochs) and queues up to
/// <see cref="BatchLoaderConfig.QueueCapacity"/> of them; the consuming thread turns each into tensors with one copy
/// when it asks for the batch, then hands the buffer back.</item>
/// <item>Any other dataset (<see cref="SyntheticShapes"/>, which renders with TorchSharp; <see cref="ImageFolderDataset"/>,
/// which may skip files) is read on the consuming thread, when the batch is asked for: no read-ahead. To train on one,
/// cache it once (<see cref="TensorCache.OpenOrBuild"/>) and load the cache.</item>
/// </list>
/// <para>Tensors are thus made only on the consuming thread, which also copies them to
/// <see cref="BatchLoaderConfig.Device"/> (a uint8 batch is a quarter of the bytes of float32). By default a batch stays
/// valid until the next one is asked for and is then disposed (<see cref="BatchLoaderConfig.DisposeBatches"/>).
/// Stopping early (<c>break</c>, an exception in the loop body, cancellation) stops the thread. An exception in the
/// background thread is rethrown to the consumer, as it was thrown (same type, message and stack), after the batches
/// read before it.</para>
/// <example><code>
/// var loader = new BatchLoader(cache, new BatchLoaderConfig(BatchSize: 64, Seed: 1));
/// for (var epoch = 0; epoch &lt; epochs; epoch++)
///     foreach (var batch in loader.Epoch(epoch))
///     {
///         using var scope = torch.NewDisposeScope();
///         // batch.Images [64, 3, 96, 96] uint8, batch.Labels [64] int64
///     }
/// </code></example>
/// </remarks>
public sealed class BatchLoader
{
    // Keeps shuffles of different uses of one seed apart from the synthetic images' parameters.
    private const long ShuffleStream = 0x5348554646; // "SHUFF"

    // Byte buffers of the read-ahead, reused across batches and epochs (at most QueueCapacity + 2 are ever made).
    private readonly ConcurrentBag<ByteBatch> _buffers = [];
    private long _producerTensorCount;

    /// <summary>A loader over <paramref name="dataset"/> (not owned: dispose the dataset yourself).</summary>
    /// <param name="dataset">The dataset to read.</param>
    /// <param name="options">Batch size, shuffling, read-ahead; <see cref="BatchLoaderConfig"/>'s defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public BatchLoader(IImageDataset dataset, BatchLoaderConfig? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new BatchLoaderConfig();
        options.Validate();
        Dataset = dataset;
        Options = options;
    }

    /// <summary>The dataset read.</summary>
    public IImageDataset Dataset { get; }

    /// <summary>The options.</summary>
    public BatchLoaderConfig Options { get; }

    /// <summary>Batches in one epoch.</summary>
    public int BatchesPerEpoch => Options.DropLast
        ? Dataset.Count / Options.BatchSize
        : (Dataset.Count + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>The order in which epoch <paramref name="epoch"/> visits the items (before batching).</summary>
    /// <param name="epoch">The epoch, from 0.</param>
    /// <returns>A permutation of 0..Count-1 (the identity when not shuffling).</returns>
    public int[] Order(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return Options.Shuffle
            ? new DeterministicRandom(ShuffleStream, Options.Seed, epoch).Permutation(Dataset.Count)
            : [.. Enumerable.Range(0, Dataset.Count)];
    }

    /// <summary>The batches of epoch <paramref name="epoch"/>, in order.</summary>
    /// <param name="epoch">The epoch, from 0; it selects the shuffle.</param>
    /// <param name="cancellationToken">Stops the epoch: the enumeration throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The batches. With <see cref="BatchLoaderConfig.DisposeBatches"/> (the default) each one is disposed when
    /// the next is asked for.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public IEnumerable<ImageBatch> Epoch(int epoch, CancellationToken cancellationToken = default) =>
        Epoch(epoch, skipBatches: 0, cancellationToken);

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/> from batch <paramref name="skipBatches"/> on: the rest of an
    /// interrupted epoch, exactly as an uninterrupted run would have seen it. The skipped batches are not read.
    /// </summary>
    /// <param name="epoch">The epoch, from 0; it selects the shuffle.</param>
    /// <param name="skipBatches">Batches of the epoch to leave out at its start, 0..<see cref="BatchesPerEpoch"/>.</param>
    /// <param name="cancellationToken">Stops the epoch: the enumeration throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The batches, in order (see <see cref="Epoch(int, CancellationToken)"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative, or
    /// <paramref name="skipBatches"/> is outside 0..<see cref="BatchesPerEpoch"/>.</exception>
    public IEnumerable<ImageBatch> Epoch(int epoch, int skipBatches, CancellationToken cancellationToken = default)
    {
        var order = Order(epoch); // checked now, not at the first MoveNext
        if (skipBatches < 0 || skipBatches > BatchesPerEpoch)
        {
            throw new ArgumentOutOfRangeException(
                nameof(skipBatches), skipBatches, $"{nameof(skipBatches)} must be in 0..{BatchesPerEpoch} (the batches of an epoch); got {skipBatches}.");
        }

        var batches = new List<int[]>(BatchesPerEpoch - skipBatches);
        for (var start = skipBatches * Options.BatchSize; start < order.Length; start += Options.BatchSize)
        {
            var length = Math.Min(Options.BatchSize, order.Length - start);
            if (length == Options.BatchSize || !Options.DropLast)
            {
                batches.Add(order[start..(start + length)]);
            }
        }

        var read = Dataset is IByteImageDataset bytes
            ? ReadAhead(bytes, batches, cancellationToken)
            : ReadOnConsumer(batches, cancellationToken);
        return Deliver(read);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"BatchLoader: {Dataset.Name}, {BatchesPerEpoch} batches of {Options.BatchSize} per epoch, "
        + (Options.Shuffle ? $"shuffled (seed {Options.Seed})" : "in order")
        + (Dataset is IByteImageDataset ? $", {Options.QueueCapacity} read ahead as bytes" : ", read when asked for");

    /// <summary>
    /// Tensors the background thread of the last finished read-ahead epoch created (TorchSharp's per-thread count): 0 by
    /// design, checked by the tests.
    /// </summary>
    internal long ProducerTensorCount => Interlocked.Read(ref _producerTensorCount);

    // Moves each batch to the device, and disposes it when the next is asked for (or when the enumeration ends).
    private IEnumerable<ImageBatch> Deliver(IEnumerable<ImageBatch> read)
    {
        ImageBatch? current = null;
        try
        {
            foreach (var batch in read)
            {
                var delivered = batch;
                if (Options.Device is { } device && (batch.Device.type != device.type || batch.Device.index != device.index))
                {
                    try
                    {
                        delivered = batch.To(device);
                    }
                    finally
                    {
                        batch.Dispose();
                    }
                }

                if (Options.DisposeBatches)
                {
                    current?.Dispose();
                }

                current = delivered;
                yield return delivered;
            }
        }
        finally
        {
            if (Options.DisposeBatches)
            {
                current?.Dispose();
            }
        }
    }

    private IEnumerable<ImageBatch> ReadOnConsumer(List<int[]> batches, CancellationToken cancellationToken)
    {
        foreach (var indices in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Dataset.ReadBatch(indices);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private IEnumerable<ImageBatch> ReadAhead(IByteImageDataset dataset, List<int[]> batches, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var queue = new BlockingCollection<ByteBatch>(Options.QueueCapacity);
        ExceptionDispatchInfo? failure = null;
        var producer = new Thread(() => failure = Produce(dataset, batches, queue, stop.Token))
        {
            IsBackground = true, // never keeps a process alive
            Name = "SplitBrain batch reader (bytes only)",
        };
        producer.Start();
        try
        {
            foreach (var bytes in queue.GetConsumingEnumerable(cancellationToken))
            {
                ImageBatch batch;
                try
                {
                    batch = DataTensors.FromBytes(bytes.Pixels, bytes.Labels, bytes.Indices, dataset.ImageSize);
                }
                finally
                {
                    _buffers.Add(bytes); // copied out: the reader may fill it again
                }

                yield return batch;
            }

            producer.Join(); // makes `failure` visible here
            cancellationToken.ThrowIfCancellationRequested();
            failure?.Throw();
        }
        finally
        {
            stop.Cancel();
            producer.Join();
            while (queue.TryTake(out var unread))
            {
                _buffers.Add(unread);
            }
        }
    }

    // Runs on the background thread: plain byte reads into pooled buffers, no TorchSharp call, no allocation per batch.
    private ExceptionDispatchInfo? Produce(IByteImageDataset dataset, List<int[]> batches, BlockingCollection<ByteBatch> queue, CancellationToken stop)
    {
        var tensorsBefore = TensorsCreatedOnThisThread();
        try
        {
            foreach (var indices in batches)
            {
                stop.ThrowIfCancellationRequested();
                var buffer = RentBuffer(dataset.ImageSize);
                try
                {
                    dataset.ReadBytes(indices, buffer.Pixels, buffer.Labels);
                    buffer.Indices = indices;
                    queue.Add(buffer, stop);
                }
                catch
                {
                    _buffers.Add(buffer); // not handed over
                    throw;
                }
            }

            return null;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null; // the consumer stopped; it reports cancellation itself
        }
        catch (Exception e)
        {
            return ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            queue.CompleteAdding();
            Interlocked.Exchange(ref _producerTensorCount, TensorsCreatedOnThisThread() - tensorsBefore);
        }
    }

    private ByteBatch RentBuffer(int imageSize)
    {
        var pixels = Options.BatchSize * DataTensors.ImageBytes(imageSize);
        while (_buffers.TryTake(out var buffer))
        {
            if (buffer.Pixels.Length == pixels)
            {
                return buffer;
            }
        }

        return new ByteBatch(new byte[pixels], new long[Options.BatchSize]);
    }

    private static long TensorsCreatedOnThisThread()
    {
        var statistics = DisposeScopeManager.Statistics;
        return statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
    }

    /// <summary>A pooled buffer for one batch of raw images and labels, and which items it holds.</summary>
    private sealed class ByteBatch(byte[] pixels, long[] labels)
    {
        public byte[] Pixels { get; } = pixels;

        public long[] Labels { get; } = labels;

        public int[] Indices { get; set; } = [];
    }
}
