using static TorchSharp.torch;

namespace SplitBrain.Color;

/// <summary>
/// How the split-brain autoencoder divides an image's three channels between its two halves: in
/// <see cref="Space"/>, sub-network F1 sees the <see cref="First"/> channels and predicts the
/// <see cref="Second"/> ones, and F2 does the reverse (Zhang, Isola, Efros 2017, section 3).
/// </summary>
/// <remarks>
/// <para>
/// The paper's split is <see cref="Lab"/>: L | ab. <see cref="Swap"/> gives the other direction
/// (ab | L). The record is immutable and validated: the two index lists must be disjoint, together cover
/// channels 0, 1 and 2, and neither may be empty. <see cref="First"/> and <see cref="Second"/> return
/// copies, so a preset cannot be changed by accident.
/// </para>
/// <para>Two splits are equal when their spaces are equal and their index lists hold the same indices in the
/// same order.</para>
/// </remarks>
/// <param name="Space">The color space the channels are taken in.</param>
/// <param name="First">Channel indices (0..2) of the first group, in the order they are stacked.</param>
/// <param name="Second">Channel indices (0..2) of the second group: the remaining channels.</param>
public sealed record ChannelSplit(IColorSpace Space, int[] First, int[] Second)
{
    private readonly int[] _first = Validated(Space, First, Second);
    private readonly int[] _second = [.. Second];

    /// <summary>The paper's split: Lab, First = L (channel 0), Second = ab (channels 1, 2).</summary>
    public static ChannelSplit Lab { get; } = new(ColorSpaces.Lab, [0], [1, 2]);

    /// <summary>The same idea in YCbCr: First = Y (luma), Second = CbCr.</summary>
    public static ChannelSplit YCbCr { get; } = new(ColorSpaces.YCbCr, [0], [1, 2]);

    /// <summary>The color space the channels are taken in.</summary>
    public IColorSpace Space { get; } = Space;

    /// <summary>Channel indices of the first group (a copy).</summary>
    public int[] First => [.. _first];

    /// <summary>Channel indices of the second group (a copy).</summary>
    public int[] Second => [.. _second];

    /// <summary>Display name of the first group: its channel names joined, e.g. <c>"L"</c>.</summary>
    public string FirstName => JoinNames(_first);

    /// <summary>Display name of the second group: its channel names joined, e.g. <c>"ab"</c>.</summary>
    public string SecondName => JoinNames(_second);

    /// <summary>The channel names of the first group, e.g. <c>["L"]</c>.</summary>
    public IReadOnlyList<string> FirstChannelNames => Array.AsReadOnly(_first.Select(i => Space.ChannelNames[i]).ToArray());

    /// <summary>The channel names of the second group, e.g. <c>["a", "b"]</c>.</summary>
    public IReadOnlyList<string> SecondChannelNames => Array.AsReadOnly(_second.Select(i => Space.ChannelNames[i]).ToArray());

    /// <summary>The other direction: the same space with <see cref="First"/> and <see cref="Second"/> exchanged.</summary>
    /// <returns>A new split; <c>Swap().Swap()</c> equals the original.</returns>
    public ChannelSplit Swap() => new(Space, _second, _first);

    /// <summary>
    /// Takes the two channel groups apart: <c>[N, 3, H, W]</c> becomes <c>[N, |First|, H, W]</c> and
    /// <c>[N, |Second|, H, W]</c> (a single image <c>[3, H, W]</c> works the same way without N).
    /// </summary>
    /// <param name="x">Images already in <see cref="Space"/> (e.g. the output of its FromRgb), any dtype and device.</param>
    /// <returns>
    /// The two groups, channels in the order of <see cref="First"/> and <see cref="Second"/>. A group whose
    /// indices are consecutive and ascending (e.g. L, or ab) is a view sharing <paramref name="x"/>'s memory
    /// (no copy); other groups are copies. Dispose both.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not <c>[N, 3, H, W]</c> or <c>[3, H, W]</c>.</exception>
    public (Tensor First, Tensor Second) Split(Tensor x)
    {
        ColorTensors.CheckImage(x, nameof(x), $"{Space.Name} images");
        using var scope = NewDisposeScope();
        var first = Take(x, _first);
        var second = Take(x, _second);
        return (first.MoveToOuterDisposeScope(), second.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The inverse of <see cref="Split"/>: puts the two groups back into one <c>[N, 3, H, W]</c> tensor with
    /// the channels in the space's order (e.g. a predicted ab joined with the input L gives Lab).
    /// </summary>
    /// <param name="first">The first group, <c>[N, |First|, H, W]</c> (or without N).</param>
    /// <param name="second">The second group, <c>[N, |Second|, H, W]</c>, same other sizes and dtype.</param>
    /// <returns>A new tensor <c>[N, 3, H, W]</c> (or <c>[3, H, W]</c>), on the inputs' device.</returns>
    /// <exception cref="ArgumentException">A group has the wrong rank or channel count, or the two groups
    /// differ in batch size, height, width or dtype.</exception>
    public Tensor Join(Tensor first, Tensor second)
    {
        CheckGroup(first, _first, nameof(first), FirstName);
        CheckGroup(second, _second, nameof(second), SecondName);
        var sameOtherSizes = first.dim() == second.dim()
            && Enumerable.Range(0, (int)first.dim()).All(d => d == first.dim() - 3 || first.size(d) == second.size(d));
        if (!sameOtherSizes || first.dtype != second.dtype)
        {
            throw new ArgumentException(
                $"Expected {FirstName} and {SecondName} with the same batch size, height, width and dtype; got "
                + $"{nameof(first)} {ColorTensors.Shape(first)} {first.dtype} and "
                + $"{nameof(second)} {ColorTensors.Shape(second)} {second.dtype}.",
                nameof(second));
        }

        int[] stacked = [.. _first, .. _second];
        using var scope = NewDisposeScope();
        var joined = cat([first, second], -3);
        if (stacked.SequenceEqual([0, 1, 2]))
        {
            return joined.MoveToOuterDisposeScope();
        }

        // Channel c of the result is at position IndexOf(stacked, c) of the concatenation.
        var order = Enumerable.Range(0, 3).Select(c => (long)Array.IndexOf(stacked, c)).ToArray();
        var index = tensor(order, device: joined.device);
        return joined.index_select(-3, index).MoveToOuterDisposeScope();
    }

    /// <summary>Whether both splits use equal spaces and the same channel indices in the same order.</summary>
    /// <param name="other">The split to compare with.</param>
    /// <returns><c>true</c> when equal.</returns>
    public bool Equals(ChannelSplit? other) =>
        other is not null
        && Space.Equals(other.Space)
        && _first.SequenceEqual(other._first)
        && _second.SequenceEqual(other._second);

    /// <summary>A hash consistent with <see cref="Equals(ChannelSplit)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Space);
        foreach (var i in _first)
        {
            hash.Add(i);
        }

        hash.Add(-1); // separates the groups, so [0] | [1, 2] and [0, 1] | [2] differ
        foreach (var i in _second)
        {
            hash.Add(i);
        }

        return hash.ToHashCode();
    }

    /// <summary>The space and the two groups, e.g. <c>"Lab: L | ab"</c>.</summary>
    /// <returns>The display text.</returns>
    public override string ToString() => $"{Space.Name}: {FirstName} | {SecondName}";

    private string JoinNames(int[] indices) => string.Concat(indices.Select(i => Space.ChannelNames[i]));

    private static Tensor Take(Tensor x, int[] indices)
    {
        // Consecutive ascending channels are a narrow view (no copy); any other selection needs a gather.
        var consecutive = indices.Select((c, k) => c == indices[0] + k).All(b => b);
        if (consecutive)
        {
            return x.narrow(-3, indices[0], indices.Length);
        }

        var index = tensor(indices.Select(i => (long)i).ToArray(), device: x.device);
        return x.index_select(-3, index);
    }

    private static void CheckGroup(Tensor group, int[] indices, string paramName, string groupName)
    {
        ArgumentNullException.ThrowIfNull(group, paramName);
        if ((group.dim() != 3 && group.dim() != 4) || group.size(-3) != indices.Length)
        {
            throw new ArgumentException(
                $"Expected the {groupName} channels of shape [N, {indices.Length}, H, W] (or [{indices.Length}, H, W]); "
                + $"got shape {ColorTensors.Shape(group)}.",
                paramName);
        }
    }

    // Runs before the properties are set (field initialisers run first), so an invalid split is never built.
    private static int[] Validated(IColorSpace space, int[] first, int[] second)
    {
        ArgumentNullException.ThrowIfNull(space, nameof(Space));
        ArgumentNullException.ThrowIfNull(first, nameof(First));
        ArgumentNullException.ThrowIfNull(second, nameof(Second));
        var got = $"got {nameof(First)} [{string.Join(", ", first)}] and {nameof(Second)} [{string.Join(", ", second)}]";
        if (first.Length == 0 || second.Length == 0)
        {
            throw new ArgumentException(
                $"Expected two non-empty channel groups; {got}.", first.Length == 0 ? nameof(First) : nameof(Second));
        }

        if (first.Concat(second).Any(c => c is < 0 or > 2))
        {
            throw new ArgumentOutOfRangeException(
                first.Any(c => c is < 0 or > 2) ? nameof(First) : nameof(Second),
                $"Expected channel indices 0, 1 or 2; {got}.");
        }

        if (first.Length + second.Length != 3 || first.Concat(second).Distinct().Count() != 3)
        {
            throw new ArgumentException(
                $"Expected {nameof(First)} and {nameof(Second)} to be disjoint and to cover channels 0, 1 and 2 "
                + $"together; {got}.",
                nameof(Second));
        }

        return [.. first];
    }
}
