using static TorchSharp.torch;

namespace SplitBrain.Data;

/// <summary>How a <see cref="BatchLoader"/> walks a dataset.</summary>
/// <param name="BatchSize">Images per batch, at least 1. Default 64.</param>
/// <param name="Shuffle">Visit the items in a random order that changes every epoch (training), or in index order
/// (evaluation). Default true.</param>
/// <param name="Seed">Seed of the shuffle: the order of epoch e depends only on (Seed, e). Default 0.</param>
/// <param name="DropLast">Leave out the last batch of an epoch when it is smaller than <see cref="BatchSize"/> (keeps
/// batch statistics comparable across steps). Default false.</param>
/// <param name="QueueCapacity">Batches read ahead as raw bytes by the background thread (for an
/// <see cref="IByteImageDataset"/>), at least 1. Default 3: enough to hide a slow read behind a training step without
/// holding many batches in memory.</param>
/// <param name="Device">Where the batches are delivered. The copy is made on the consuming thread when the batch is asked
/// for (tensors are never made on the background thread, see <see cref="BatchLoader"/>); uint8 is a quarter of the bytes
/// of float32. Null (the default) keeps them on the CPU.</param>
/// <param name="DisposeBatches">Dispose each batch when the next one is asked for (and at the end of the epoch), as
/// TorchSharp's DataLoader does by default, so a training loop cannot leak them. Set false to keep batches beyond their
/// iteration; the caller then disposes each one. Default true.</param>
public sealed record BatchLoaderConfig(
    int BatchSize = 64,
    bool Shuffle = true,
    int Seed = 0,
    bool DropLast = false,
    int QueueCapacity = 3,
    Device? Device = null,
    bool DisposeBatches = true)
{
    /// <summary>Options for evaluation: index order, the last partial batch kept, batches of <paramref name="batchSize"/>.</summary>
    /// <param name="batchSize">Images per batch.</param>
    /// <returns>The options.</returns>
    public static BatchLoaderConfig Evaluation(int batchSize = 64) => new(BatchSize: batchSize, Shuffle: false);

    /// <summary>Checks every field, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public void Validate()
    {
        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"{nameof(BatchSize)} must be at least 1; got {BatchSize}.");
        }

        if (QueueCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(QueueCapacity), QueueCapacity, $"{nameof(QueueCapacity)} must be at least 1; got {QueueCapacity}.");
        }
    }
}
