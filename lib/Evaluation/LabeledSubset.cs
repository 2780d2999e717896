using System.Security.Cryptography;
using System.Text;
using SplitBrain.Data;

namespace SplitBrain.Evaluation;

/// <summary>
/// Some of the images of a labeled dataset, as a dataset of their own: typically k images of each class
/// (<see cref="PerClass"/>), for label-efficiency curves (accuracy with 10, 100 or all labels per class).
/// </summary>
/// <remarks>
/// <para>The choice is deterministic: it depends only on the labels, k and the seed. Each class's images are put in a
/// seeded random order once, and k takes the first k of them, so for one seed the subsets are nested (the 10 per class
/// of seed s are among its 100 per class): a curve over k then adds labels rather than redrawing them, which makes it
/// smoother.</para>
/// <para>Item i of the subset is item <see cref="Indices"/>[i] of the source, which stay in ascending order (the
/// loaders shuffle). The subset does not own the source: disposing it does nothing, dispose the source yourself.</para>
/// </remarks>
public sealed class LabeledSubset : IImageDataset
{
    /// <summary>For <see cref="PerClass"/>: every image of every class.</summary>
    public const int All = int.MaxValue;

    // Keeps this use of a seed apart from the loaders' shuffles and the synthetic images' parameters.
    private const long SubsetStream = 0x535542534554; // "SUBSET"

    private readonly int[] _indices;

    /// <summary>The images of <paramref name="source"/> at <paramref name="indices"/>.</summary>
    /// <param name="source">The dataset (not owned).</param>
    /// <param name="indices">Distinct indices into it, in the order the subset lists them.</param>
    /// <param name="description">What the subset is, for <see cref="Name"/> (e.g. "10 per class, seed 0").</param>
    /// <exception cref="ArgumentException">An index is out of range or repeated.</exception>
    public LabeledSubset(IImageDataset source, IReadOnlyList<int> indices, string description = "subset")
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(description);
        var seen = new HashSet<int>();
        for (var i = 0; i < indices.Count; i++)
        {
            if ((uint)indices[i] >= (uint)source.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), indices[i],
                    $"indices[{i}] = {indices[i]} is outside 0..{source.Count - 1} ({source.Name} has {source.Count} images).");
            if (!seen.Add(indices[i]))
                throw new ArgumentException($"indices[{i}] = {indices[i]} is repeated; a subset lists each image once.", nameof(indices));
        }
        Source = source;
        _indices = [.. indices];
        Description = description;
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"subset of {source.Fingerprint}: {string.Join(',', _indices)}")));
    }

    /// <summary>
    /// <paramref name="perClass"/> images of each class of <paramref name="source"/>, chosen by <paramref name="seed"/>
    /// (see the class remarks).
    /// </summary>
    /// <param name="source">A labeled dataset (not owned).</param>
    /// <param name="perClass">Images per class, at least 1, or <see cref="All"/>.</param>
    /// <param name="seed">Selects the images; any value.</param>
    /// <returns>The subset, its indices ascending.</returns>
    /// <exception cref="ArgumentException">The dataset has no labels, or a class has fewer than
    /// <paramref name="perClass"/> images (the message says which and how many).</exception>
    public static LabeledSubset PerClass(IImageDataset source, int perClass, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.HasLabels)
            throw new ArgumentException($"{source.Name} has no labels: a per-class subset needs a labeled dataset.", nameof(source));
        var indices = ChooseIndices(ReadLabels(source), source.Classes, perClass, seed);
        var amount = perClass == All ? "all" : $"{perClass} per class";
        return new LabeledSubset(source, indices, $"{amount}, seed {seed}");
    }

    /// <summary>The choice behind <see cref="PerClass"/>, on labels alone.</summary>
    /// <param name="labels">The label of each item, in 0..classes-1.</param>
    /// <param name="classNames">The class names (their count is the number of classes; names go into error messages).</param>
    /// <param name="perClass">Items per class, at least 1, or <see cref="All"/>.</param>
    /// <param name="seed">Selects the items.</param>
    /// <returns>Indices into <paramref name="labels"/>, ascending.</returns>
    /// <exception cref="ArgumentException">A label is out of range, or a class has fewer than
    /// <paramref name="perClass"/> items.</exception>
    public static int[] ChooseIndices(IReadOnlyList<long> labels, IReadOnlyList<string> classNames, int perClass, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (perClass < 1)
            throw new ArgumentOutOfRangeException(nameof(perClass), perClass, $"{nameof(perClass)} must be at least 1 (or {nameof(LabeledSubset)}.{nameof(All)}); got {perClass}.");
        var members = Enumerable.Range(0, classNames.Count).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i] < 0 || labels[i] >= classNames.Count)
                throw new ArgumentException(
                    $"{nameof(labels)}[{i}] = {labels[i]} is not a class in 0..{classNames.Count - 1}.", nameof(labels));
            members[labels[i]].Add(i);
        }
        var chosen = new List<int>();
        for (var c = 0; c < members.Length; c++)
        {
            if (perClass != All && members[c].Count < perClass)
                throw new ArgumentException(
                    $"Class {c} ('{classNames[c]}') has {members[c].Count} examples, fewer than the {perClass} per class asked for.",
                    nameof(perClass));
            var order = new DeterministicRandom(SubsetStream, seed, c).Permutation(members[c].Count);
            chosen.AddRange(order.Take(Math.Min(perClass, members[c].Count)).Select(j => members[c][j]));
        }
        chosen.Sort();
        return [.. chosen];
    }

    /// <summary>
    /// Every label of <paramref name="dataset"/>, in index order. Datasets that know their labels without decoding
    /// images (<see cref="SyntheticShapes"/>, <see cref="ImageFolderDataset"/>, a subset of either) answer at once; others
    /// are read in batches.
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <returns>One label per item (-1 where the dataset has none).</returns>
    public static long[] ReadLabels(IImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        switch (dataset)
        {
            case SyntheticShapes shapes when shapes.HasLabels:
                return [.. Enumerable.Range(0, shapes.Count).Select(i => (long)shapes.ShapeOf(i))];
            case ImageFolderDataset folder when folder.HasLabels:
                return [.. Enumerable.Range(0, folder.Count).Select(i => (long)folder.LabelOf(i))];
            case LabeledSubset subset:
                var source = ReadLabels(subset.Source);
                return [.. subset._indices.Select(i => source[i])];
        }
        const int batchSize = 256;
        var labels = new long[dataset.Count];
        Array.Fill(labels, -1L); // items a dataset skips as unreadable stay unlabeled
        for (var start = 0; start < dataset.Count; start += batchSize)
        {
            var requested = Enumerable.Range(start, Math.Min(batchSize, dataset.Count - start)).ToArray();
            using var batch = dataset.ReadBatch(requested);
            var read = batch.LabelArray();
            for (var i = 0; i < batch.Count; i++)
                labels[batch.Indices[i]] = read[i];
        }
        return labels;
    }

    /// <summary>The dataset the images come from.</summary>
    public IImageDataset Source { get; }

    /// <summary>Which source items the subset holds: item i is <c>Source[Indices[i]]</c>.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <summary>What the subset is, e.g. "10 per class, seed 0".</summary>
    public string Description { get; }

    /// <inheritdoc/>
    public string Name => $"{Source.Name}, {Description}";

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public int ImageSize => Source.ImageSize;

    /// <inheritdoc/>
    public IReadOnlyList<string> Classes => Source.Classes;

    /// <inheritdoc/>
    public bool HasLabels => Source.HasLabels;

    /// <inheritdoc/>
    public string Fingerprint { get; }

    /// <inheritdoc/>
    public ImageBatch ReadBatch(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var sourceIndices = new int[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            if ((uint)indices[i] >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), indices[i],
                    $"indices[{i}] = {indices[i]} is outside 0..{Count - 1} ({Name} has {Count} images).");
            sourceIndices[i] = _indices[indices[i]];
        }
        var batch = Source.ReadBatch(sourceIndices);
        // The rows come back in the order asked for, possibly with unreadable items left out: walk both lists to give
        // each row its subset index. The new batch takes over the tensors (the source's batch is not disposed).
        var own = new List<int>(batch.Count);
        var next = 0;
        foreach (var sourceIndex in batch.Indices)
        {
            while (sourceIndices[next] != sourceIndex)
                next++;
            own.Add(indices[next++]);
        }
        return new ImageBatch(batch.Images, batch.Labels, own);
    }

    /// <summary>Nothing to free: the source is not owned.</summary>
    public void Dispose()
    {
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Count} images {ImageSize}x{ImageSize}, {Classes.Count} classes";
}
