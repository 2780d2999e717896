using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Quantization;

/// <summary>
/// Nearest-bin search for bin centres that lie on a regular grid (the 313 ab bins on the 10-unit ab grid, uniform L
/// bins): each value is rounded to its grid cell and only the bins of the 3 x 3 cells around it (3 in one channel) are
/// compared, instead of all Q. Gives exactly the index of <see cref="Quantizer"/>'s search over all bins, ties included.
/// </summary>
/// <remarks>
/// <para>Why it is exact: a value is at most half a cell from the cell it rounds to, per channel, so a bin outside the
/// window of radius r around that cell is at least (r + 1/2) cells away. When the nearest bin of the window is closer than
/// that, it is the nearest of all; the squared distances of the window's bins are computed with the same float32
/// operations as the full search (a subtraction, a product, a sum per channel), and an exact tie goes to the lowest bin
/// index, as <c>argmin</c> does. Values whose window has no bin that close (far outside the gamut, or off the table: a value
/// whose cell is beyond the table's margin is more than one and a half cells from every bin) or that are NaN or infinite
/// are searched over all bins, as before.</para>
/// <para>Cost: about 9 candidates per value instead of 313 (ab) and 3 instead of 100 (L), so encoding takes a fraction
/// of the full search's time and memory (measured in README "Benchmarks"). The one host read per call (whether any value
/// needs the full search) is a synchronisation on a GPU. On the CPU, at the size of a batch's targets (64 x 12 x 12 values),
/// the time goes mostly to the fixed cost of each tensor operation, so <see cref="Encode"/> uses as few as it can.</para>
/// </remarks>
internal sealed class BinGrid : IDisposable
{
    // The window's radius in cells, and the margin of the table beyond the cells that hold bins: values may round to
    // one cell outside (e.g. L = 100, half a bin beyond the last centre) and still be encoded from the window.
    private const int Radius = 1;
    private const int Margin = Radius + 1;

    // Centres within this fraction of a cell of a grid point count as on the grid; the bound below allows for it.
    private const double OnGrid = 1e-4;
    private const int MaxCells = 1 << 16;

    private readonly int _bins;
    private readonly int _channels;
    private readonly double _spacing;
    private readonly double _bound2;   // squared distance under which the window's nearest bin is the nearest of all
    private readonly double _first;    // the table index of cell (0, ..., 0)
    private Tensor _origin;            // [C] float32: the value of cell 0 in each channel
    private Tensor _lower;             // [C] float32: the lowest cell the window can serve (-1)
    private Tensor _upper;             // [C] float32: the highest cell the window can serve (extent)
    private Tensor _strides;           // [C] float32: table strides (exact: the table has at most 2^16 cells)
    private Tensor _table;             // [cells] int64: bin of each table cell, -1 where none
    private Tensor _offsets;           // [K] int64: flat table offsets of the window's cells
    private Tensor[] _columns;         // C x [Q] float32: the centres' values in each channel

    private BinGrid(int bins, int channels, double spacing, double[] origin, long[] extent, long[] table, float[] centres)
    {
        _bins = bins;
        _channels = channels;
        _spacing = spacing;
        var reach = (Radius + 0.5 - 2 * OnGrid) * spacing;
        _bound2 = reach * reach;
        var size = extent.Select(e => e + 2 * Margin).ToArray();
        var strides = new long[channels];
        strides[channels - 1] = 1;
        for (var c = channels - 2; c >= 0; c--)
            strides[c] = strides[c + 1] * size[c + 1];
        var offsets = new List<long>();
        foreach (var delta in Window(channels))
            offsets.Add(delta.Select((d, c) => d * strides[c]).Sum());
        _first = strides.Sum() * Margin;

        _origin = OwnedTensors.Create(() => tensor(origin.Select(o => (float)o).ToArray()));
        _lower = OwnedTensors.Create(() => tensor(Enumerable.Repeat(-1f, channels).ToArray()));
        _upper = OwnedTensors.Create(() => tensor(extent.Select(e => (float)e).ToArray()));
        _strides = OwnedTensors.Create(() => tensor(strides.Select(v => (float)v).ToArray()));
        _table = OwnedTensors.Create(() => tensor(table));
        _offsets = OwnedTensors.Create(() => tensor(offsets.ToArray()));
        _columns = [.. Enumerable.Range(0, channels).Select(c =>
            OwnedTensors.Create(() => tensor(Enumerable.Range(0, bins).Select(q => centres[q * channels + c]).ToArray())))];
    }

    /// <summary>
    /// A grid for <paramref name="centres"/> (<c>[Q, C]</c> float32, C of 1 or 2) when every centre sits on the grid of
    /// step <paramref name="spacing"/> through the lowest centre of each channel, one bin per cell, in a table of at
    /// most 65 536 cells; null otherwise (the quantizer then searches all bins).
    /// </summary>
    internal static BinGrid? TryCreate(Tensor centres, double spacing)
    {
        var (bins, channels) = ((int)centres.shape[0], (int)centres.shape[1]);
        if (channels is < 1 or > 2 || !(spacing > 0) || !double.IsFinite(spacing))
            return null;
        float[] values;
        using (NewDisposeScope()) // detach, cpu and contiguous may each make a tensor
            values = centres.detach().cpu().contiguous().data<float>().ToArray();

        var origin = new double[channels];
        var extent = new long[channels];
        var cells = new long[bins, channels];
        for (var c = 0; c < channels; c++)
        {
            origin[c] = Enumerable.Range(0, bins).Min(q => (double)values[q * channels + c]);
            for (var q = 0; q < bins; q++)
            {
                var cell = (values[q * channels + c] - origin[c]) / spacing;
                if (!double.IsFinite(cell) || Math.Abs(cell - Math.Round(cell)) > OnGrid)
                    return null;
                cells[q, c] = (long)Math.Round(cell);
                extent[c] = Math.Max(extent[c], cells[q, c] + 1);
            }
        }

        var size = extent.Select(e => e + 2 * Margin).ToArray();
        if (size.Aggregate(1L, (a, b) => a * b) > MaxCells)
            return null;
        var table = new long[size.Aggregate(1L, (a, b) => a * b)];
        Array.Fill(table, -1L);
        for (var q = 0; q < bins; q++)
        {
            long flat = 0;
            for (var c = 0; c < channels; c++)
                flat = flat * size[c] + cells[q, c] + Margin;
            if (table[flat] >= 0)
                return null; // two centres in one cell: not a grid of this spacing
            table[flat] = q;
        }

        return new BinGrid(bins, channels, spacing, origin, extent, table, values);
    }

    /// <summary>Moves the grid's tensors to <paramref name="device"/>.</summary>
    internal void To(Device device)
    {
        OwnedTensors.MoveTo(ref _origin, device);
        OwnedTensors.MoveTo(ref _lower, device);
        OwnedTensors.MoveTo(ref _upper, device);
        OwnedTensors.MoveTo(ref _strides, device);
        OwnedTensors.MoveTo(ref _table, device);
        OwnedTensors.MoveTo(ref _offsets, device);
        for (var c = 0; c < _columns.Length; c++)
            OwnedTensors.MoveTo(ref _columns[c], device);
    }

    /// <summary>The index of the nearest centre of each value.</summary>
    /// <param name="x">[N, C, H, W] float32 values, on the grid's device.</param>
    /// <param name="search">The full search, for the values the window cannot serve: [M, C, 1, 1] -&gt; [M, 1, 1] int64.</param>
    /// <returns>[N, H, W] int64 bin indices; in the caller's dispose scope.</returns>
    internal Tensor Encode(Tensor x, Func<Tensor, Tensor> search)
    {
        var (n, h, w) = (x.shape[0], x.shape[2], x.shape[3]);
        var points = x.permute(0, 2, 3, 1).reshape(-1, _channels);                  // [P, C]

        // Each value's cell, kept on the table: NaN and infinities become finite here, and a value clamped back onto the
        // table is too far from every bin for the bound below, so both go to the full search.
        var cells = points.sub(_origin).div_(_spacing).round_().nan_to_num_(0).clamp_(_lower, _upper); // [P, C]
        var flat = cells.matmul(_strides).add_(_first).to_type(ScalarType.Int64);  // [P] table index of the cell
        var candidates = _table.take(flat.unsqueeze(1).add(_offsets));             // [P, K] bin or -1
        var bins = candidates.clamp_min(0);

        // The full search's arithmetic: per channel (value - centre), squared, summed in channel order.
        Tensor? d2 = null;
        for (var c = 0; c < _channels; c++)
        {
            var diff = points.narrow(1, c, 1).sub(_columns[c].take(bins));          // [P, K]
            var square = diff.mul_(diff);
            d2 = d2 is null ? square : d2.add_(square);
        }

        d2 = d2!.masked_fill_(candidates.lt(0), double.PositiveInfinity);
        var best = d2.amin([1], keepdim: true);                                     // [P, 1]
        var index = bins.masked_fill_(d2.ne(best), _bins).amin([1]);               // [P]: the lowest bin at the least distance
        var searchAll = best.squeeze(1);
        searchAll = searchAll.ge(_bound2).logical_or_(searchAll.isnan());          // [P] too far, off the table, NaN
        if (searchAll.any().item<bool>())
        {
            var at = searchAll.nonzero().squeeze(1);                                // [M]
            var found = search(points.index_select(0, at).view(-1, _channels, 1, 1)); // [M, 1, 1]
            index.index_copy_(0, at, found.flatten());
        }

        return index.view(n, h, w);
    }

    /// <summary>Frees the grid's tensors.</summary>
    public void Dispose()
    {
        _origin.Dispose();
        _lower.Dispose();
        _upper.Dispose();
        _strides.Dispose();
        _table.Dispose();
        _offsets.Dispose();
        foreach (var column in _columns)
            column.Dispose();
    }

    // The cell offsets of the window, in row-major order: (-1), (0), (1) or (-1, -1), (-1, 0), ... (1, 1).
    private static IEnumerable<int[]> Window(int channels) => channels == 1
        ? Enumerable.Range(-Radius, 2 * Radius + 1).Select(d => new[] { d })
        : from a in Enumerable.Range(-Radius, 2 * Radius + 1) from b in Enumerable.Range(-Radius, 2 * Radius + 1) select new[] { a, b };
}
