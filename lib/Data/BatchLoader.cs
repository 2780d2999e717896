using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace SplitBrain.Data;

/// <summary>
/// Iterates a dataset in batches for one epoch at a time, reading ahead on a background thread so that loading
/// overlaps with training.
/// </summary>
/// <remarks>
/// <para>The order of an epoch is fixed by (<see cref="BatchLoaderOptions.Seed"/>, epoch): two loaders with the same
/// options give the same batches, and an interrupted run resumes with the same order. Every item is visited once per
/// epoch (the last partial batch is left out with <see cref="BatchLoaderOptions.DropLast"/>).</para>
/// <para>A background thread reads batches (<see cref="IImageDataset.ReadBatch"/>, then the copy to
/// <see cref="BatchLoaderOptions.Device"/>) into a bounded queue of <see cref="BatchLoaderOptions.QueueCapacity"/>
/// batches; the consumer takes them in order. It creates its tensors outside any dispose scope and hands them over:
/// by default a batch stays valid until the next one is asked for and is then disposed
/// (<see cref="BatchLoaderOptions.DisposeBatches"/>). Stopping early (<c>break</c>, an exception in the loop body,
/// cancellation) stops the thread and disposes every batch read ahead. An exception in the background thread is
/// rethrown to the consumer, as it was thrown (same type, message and stack), after the batches read before it.</para>
/// <para>A known hazard of TorchSharp 0.107 that a second thread exposes: a <c>Scalar</c> made implicitly for an
/// operation (<c>x.mul(2.0)</c>) is not kept alive during the native call, so a garbage collection started by
/// another thread's allocations can finalize it mid-call (dotnet/TorchSharp pull requests 1434 and 1496; a stress
/// test that forces a collection every 5 ms hits it within a minute, as an <c>ExternalException</c> from
/// <c>c10::Scalar</c>). Single-threaded code is not exposed, because a collection then only starts at that thread's
/// own allocations. Tensors made inside a dispose scope are rooted by it and are not affected.</para>
/// <example><code>
/// var loader = new BatchLoader(dataset, new BatchLoaderOptions(BatchSize: 64, Seed: 1));
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

    /// <summary>A loader over <paramref name="dataset"/> (not owned: dispose the dataset yourself).</summary>
    /// <param name="dataset">The dataset to read.</param>
    /// <param name="options">Batch size, shuffling, read-ahead; <see cref="BatchLoaderOptions"/>'s defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public BatchLoader(IImageDataset dataset, BatchLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new BatchLoaderOptions();
        options.Validate();
        Dataset = dataset;
        Options = options;
    }

    /// <summary>The dataset read.</summary>
    public IImageDataset Dataset { get; }

    /// <summary>The options.</summary>
    public BatchLoaderOptions Options { get; }

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

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>, read ahead on a background thread that starts with the
    /// enumeration.
    /// </summary>
    /// <param name="epoch">The epoch, from 0; it selects the shuffle.</param>
    /// <param name="cancellationToken">Stops the epoch: the enumeration throws
    /// <see cref="OperationCanceledException"/> and read-ahead batches are disposed.</param>
    /// <returns>The batches, in order. With <see cref="BatchLoaderOptions.DisposeBatches"/> (the default) each one is
    /// disposed when the next is asked for.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public IEnumerable<ImageBatch> Epoch(int epoch, CancellationToken cancellationToken = default)
    {
        var order = Order(epoch); // checked now, not at the first MoveNext
        var batches = new List<int[]>(BatchesPerEpoch);
        for (var start = 0; start < order.Length; start += Options.BatchSize)
        {
            var length = Math.Min(Options.BatchSize, order.Length - start);
            if (length == Options.BatchSize || !Options.DropLast)
            {
                batches.Add(order[start..(start + length)]);
            }
        }

        return Run(batches, cancellationToken);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"BatchLoader: {Dataset.Name}, {BatchesPerEpoch} batches of {Options.BatchSize} per epoch, "
        + (Options.Shuffle ? $"shuffled (seed {Options.Seed})" : "in order");

    private IEnumerable<ImageBatch> Run(List<int[]> batches, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var queue = new BlockingCollection<ImageBatch>(Options.QueueCapacity);
        ExceptionDispatchInfo? failure = null;
        var producer = new Thread(() => failure = Produce(batches, queue, stop.Token))
        {
            IsBackground = true, // never keeps a process alive
            Name = "SplitBrain batch loader",
        };
        producer.Start();

        ImageBatch? current = null;
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(cancellationToken))
            {
                if (Options.DisposeBatches)
                {
                    current?.Dispose();
                }

                current = batch;
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
                unread.Dispose();
            }

            if (Options.DisposeBatches)
            {
                current?.Dispose();
            }
        }
    }

    // Runs on the background thread. It has no dispose scope, so the batches it makes are owned by whoever takes them.
    private ExceptionDispatchInfo? Produce(List<int[]> batches, BlockingCollection<ImageBatch> queue, CancellationToken stop)
    {
        try
        {
            foreach (var indices in batches)
            {
                stop.ThrowIfCancellationRequested();
                var batch = Dataset.ReadBatch(indices);
                try
                {
                    if (Options.Device is { } device && (batch.Device.type != device.type || batch.Device.index != device.index))
                    {
                        var moved = batch.To(device);
                        batch.Dispose();
                        batch = moved;
                    }

                    queue.Add(batch, stop);
                }
                catch
                {
                    batch.Dispose(); // not handed over: ours to free
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
        }
    }
}
