using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Quantization;

/// <summary>
/// Nearest-bin quantization of a C-channel value map onto Q fixed bin centres, the step that turns regression
/// targets (ab or L) into classification targets, and decoding back from predicted distributions.
/// </summary>
/// <remarks>
/// <para>Two quantizers are used by the split-brain network: <see cref="AbGamut"/> (313 ab bins, C = 2) is the target of
/// the L -&gt; ab sub-network and <see cref="Lightness"/> (100 L bins, C = 1) the target of the ab -&gt; L one.</para>
/// <para>The quantizer owns <see cref="Centers"/>; dispose it when done. Move it to the training device once with
/// <see cref="To"/> (or create it there): every method expects its inputs on the quantizer's device and throws
/// otherwise rather than copying each batch. Methods never dispose their inputs; what they return belongs to the
/// caller. All work is batched tensor operations over the whole map, on CPU or CUDA alike.</para>
/// <para>Encoding builds an [N, Q, h, w] distance map, so encode downsampled targets
/// (<see cref="TargetDownsampler"/>), not full-resolution images.</para>
/// </remarks>
public sealed class Quantizer : IDisposable
{
    private Tensor _centers; // [Q, C] float32
    private readonly BinGrid? _grid; // for centres on a regular grid: HardEncode compares a few neighbours only
    private bool _disposed;

    private Quantizer(string name, Tensor centers, double spacing)
    {
        Name = name;
        _centers = centers;
        Spacing = spacing;
        Bins = (int)centers.shape[0];
        Channels = (int)centers.shape[1];
        _grid = BinGrid.TryCreate(centers, spacing);
        if (centers.device_type != DeviceType.CPU)
            _grid?.To(centers.device);
        DefaultSoftEncoding = new SoftEncoding(
            Math.Min(QuantizationDefaults.SoftEncodingK, Bins),
            QuantizationDefaults.SoftEncodingSigmaPerSpacing * spacing);
    }

    /// <summary>A short name for displays and run logs, e.g. "ab313" or "L100".</summary>
    public string Name { get; }

    /// <summary>Number of bins Q.</summary>
    public int Bins { get; }

    /// <summary>Number of value channels C a bin centre has (2 for ab, 1 for L).</summary>
    public int Channels { get; }

    /// <summary>Distance between neighbouring bin centres (10 for the ab grid, the bin width for uniform bins).</summary>
    public double Spacing { get; }

    /// <summary>
    /// The soft encoding used when <see cref="SoftEncode"/> is given none: K = 5 and sigma = half the
    /// <see cref="Spacing"/>, which is the paper's sigma 5 on the 10-unit ab grid and 0.5 L units for 1-unit L bins.
    /// </summary>
    public SoftEncoding DefaultSoftEncoding { get; }

    /// <summary>The bin centres, [Q, C] float32 on <see cref="Device"/>. Owned by the quantizer: do not dispose it.</summary>
    public Tensor Centers
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _centers;
        }
    }

    /// <summary>The device the centres live on; inputs must be on it too.</summary>
    public Device Device => Centers.device;

    /// <summary>
    /// The 313 in-gamut ab bins of Zhang et al. on a 10-unit grid (the embedded <c>ab_gamut_313.txt</c>), C = 2.
    /// Bin q is line q of that table, so indices agree with the released colorization and split-brain models.
    /// </summary>
    /// <param name="device">Where to put the centres; the CPU when null.</param>
    public static Quantizer AbGamut(Device? device = null) =>
        new("ab" + QuantizationDefaults.AbBins,
            OwnedTensors.Create(() => tensor(AbGamutTable.Interleaved, QuantizationDefaults.AbBins, 2, ScalarType.Float32, device)),
            QuantizationDefaults.AbGridSpacing);

    /// <summary>
    /// <paramref name="bins"/> equal-width bins over [<paramref name="min"/>, <paramref name="max"/>] in one channel,
    /// with centres at the middle of each interval. Values outside the range fall into the first or last bin.
    /// </summary>
    /// <param name="bins">Number of bins, at least 1.</param>
    /// <param name="min">Lower end of the range.</param>
    /// <param name="max">Upper end of the range, greater than <paramref name="min"/>.</param>
    /// <param name="device">Where to put the centres; the CPU when null.</param>
    /// <param name="name">Display name; "uniform{bins}" when null.</param>
    public static Quantizer Uniform(int bins, double min, double max, Device? device = null, string? name = null)
    {
        if (bins < 1)
            throw new ArgumentOutOfRangeException(nameof(bins), bins, $"{nameof(bins)} must be at least 1; got {bins}.");
        if (!double.IsFinite(min) || !double.IsFinite(max) || !(max > min))
            throw new ArgumentException(
                $"{nameof(min)} and {nameof(max)} must be finite with {nameof(min)} < {nameof(max)}; got [{min}, {max}].",
                nameof(max));
        var width = (max - min) / bins;
        var centers = new float[bins];
        for (var i = 0; i < bins; i++)
            centers[i] = (float)(min + (i + 0.5) * width);
        return new Quantizer(name ?? "uniform" + bins,
            OwnedTensors.Create(() => tensor(centers, bins, 1, ScalarType.Float32, device)), width);
    }

    /// <summary>
    /// The L bins of the ab -&gt; L sub-network: <see cref="QuantizationDefaults.LightnessBins"/> (100) bins 1 L unit wide
    /// over 0..100, named "L100".
    /// </summary>
    /// <param name="device">Where to put the centres; the CPU when null.</param>
    public static Quantizer Lightness(Device? device = null) =>
        Uniform(QuantizationDefaults.LightnessBins, QuantizationDefaults.LightnessMin, QuantizationDefaults.LightnessMax,
            device, "L" + QuantizationDefaults.LightnessBins);

    /// <summary>
    /// A quantizer over any bin centres, e.g. a coarser ab grid for an exercise. The centres are copied (as float32, on
    /// their device); the caller keeps ownership of <paramref name="centers"/>.
    /// </summary>
    /// <param name="name">Display name.</param>
    /// <param name="centers">[Q, C] bin centres, floating point.</param>
    /// <param name="spacing">Typical distance between neighbouring centres; sets <see cref="DefaultSoftEncoding"/>.</param>
    public static Quantizer FromCenters(string name, Tensor centers, double spacing)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        TensorArguments.RequireRank(centers, 2, "a [Q, C] tensor of bin centres", nameof(centers));
        TensorArguments.RequireFloating(centers, "a [Q, C] tensor of bin centres", nameof(centers));
        if (centers.shape[0] < 1 || centers.shape[1] < 1)
            throw new ArgumentException(
                $"{nameof(centers)} must hold at least one centre of at least one channel; got {TensorArguments.Describe(centers)}.",
                nameof(centers));
        TensorArguments.RequirePositive(spacing, nameof(spacing));
        return new Quantizer(name, OwnedTensors.Create(() => centers.detach().to_type(ScalarType.Float32, copy: true)), spacing);
    }

    /// <summary>Moves the centres to <paramref name="device"/> (in place, like a module's <c>to</c>) and returns this quantizer.</summary>
    /// <param name="device">The device every later input will be on.</param>
    public Quantizer To(Device device)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        OwnedTensors.MoveTo(ref _centers, device);
        _grid?.To(device);
        return this;
    }

    /// <summary>Index of the nearest bin centre at each position (an exact tie goes to the lowest index, as <c>argmin</c>'s).</summary>
    /// <remarks>When the centres lie on a regular grid (<see cref="AbGamut"/>, <see cref="Uniform"/>, and grids given to
    /// <see cref="FromCenters"/>), only the bins of the grid cells around each value are compared, with the same result as
    /// comparing all Q (see <c>BinGrid</c>); otherwise every bin is.</remarks>
    /// <param name="x">[N, C, H, W] values (ab or L), floating point, on <see cref="Device"/>.</param>
    /// <returns>[N, H, W] int64 bin indices in 0..Q-1.</returns>
    public Tensor HardEncode(Tensor x)
    {
        CheckValues(x, nameof(x));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var encoded = _grid is { } grid
            ? grid.Encode(x.to_type(ScalarType.Float32), SearchAll)
            : SearchAll(x);
        return encoded.MoveToOuterDisposeScope(); // [N, H, W]
    }

    /// <summary><see cref="HardEncode"/> by comparing every bin, whatever the centres: the reference the grid search is
    /// tested against.</summary>
    internal Tensor HardEncodeBySearch(Tensor x)
    {
        CheckValues(x, nameof(x));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return SearchAll(x).MoveToOuterDisposeScope();
    }

    /// <summary>Whether <see cref="HardEncode"/> searches a grid neighbourhood rather than all bins.</summary>
    internal bool HasGrid => _grid is not null;

    private Tensor SearchAll(Tensor x) => SquaredDistances(x).argmin(1); // [N, Q, H, W] -> [N, H, W]

    /// <summary>
    /// Soft encoding (Zhang 2016, sec. 2.1; the released <c>NNEncode</c>): each position's value spread over its K
    /// nearest bin centres with weights <c>exp(-d^2 / (2 sigma^2))</c>, normalised to sum to 1.
    /// </summary>
    /// <param name="x">[N, C, H, W] values (ab or L), floating point, on <see cref="Device"/>.</param>
    /// <param name="options">K and sigma (in this quantizer's units); <see cref="DefaultSoftEncoding"/> when null.</param>
    /// <returns>[N, Q, H, W] float32 distribution: K non-zeros per position, summing to 1, largest at the nearest bin.</returns>
    public Tensor SoftEncode(Tensor x, SoftEncoding? options = null)
    {
        options ??= DefaultSoftEncoding;
        if (options.K < 1 || options.K > Bins)
            throw new ArgumentOutOfRangeException(nameof(options), options.K,
                $"{nameof(options)}.{nameof(SoftEncoding.K)} must be in 1..{Bins} (the number of bins Q of {Name}); got {options.K}.");
        TensorArguments.RequirePositive(options.Sigma, $"{nameof(options)}.{nameof(SoftEncoding.Sigma)}");
        CheckValues(x, nameof(x));

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var d2 = SquaredDistances(x);                                              // [N, Q, H, W]
        var (nearest, indices) = d2.topk(options.K, dim: 1, largest: false);         // [N, K, H, W] each, nearest first
        // Softmax of -d^2 / (2 sigma^2) is the normalised Gaussian, computed relative to the nearest bin so that values
        // far outside the gamut still get finite weights instead of 0 / 0.
        var weights = (nearest * (-0.5 / (options.Sigma * options.Sigma))).softmax(1); // [N, K, H, W]
        return zeros_like(d2).scatter_(1, indices, weights).MoveToOuterDisposeScope(); // [N, Q, H, W]
    }

    /// <summary>The bin centre of each index: the inverse of <see cref="HardEncode"/> up to quantization error.</summary>
    /// <param name="indices">[N, H, W] int64 bin indices in 0..Q-1, on <see cref="Device"/>.</param>
    /// <returns>[N, C, H, W] float32 values.</returns>
    public Tensor DecodeIndices(Tensor indices)
    {
        const string expected = "a [N, H, W] int64 tensor of bin indices";
        TensorArguments.RequireRank(indices, 3, expected, nameof(indices));
        if (indices.dtype != ScalarType.Int64)
            throw new ArgumentException($"{nameof(indices)} must be {expected}; got {TensorArguments.Describe(indices)}.", nameof(indices));
        TensorArguments.RequireSameDevice(indices, Centers, "quantizer", nameof(indices));
        using var scope = NewDisposeScope();
        return CentersAt(indices).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One value per position from a distribution over the bins: the centre of the most likely bin, the mean, or the
    /// annealed mean (Zhang 2016, sec. 2.3).
    /// </summary>
    /// <param name="distribution">[N, Q, H, W] probabilities (each position summing to 1), on <see cref="Device"/>.
    /// For raw network outputs use <see cref="DecodeLogits"/>.</param>
    /// <param name="mode">Which summary of the distribution to take.</param>
    /// <param name="temperature">T of <see cref="DecodeMode.AnnealedMean"/>, &gt; 0 (checked for every mode); default 0.38.</param>
    /// <returns>[N, C, H, W] float32 values (ab or L), computed without autograd (for display and evaluation).</returns>
    public Tensor Decode(Tensor distribution, DecodeMode mode,
        double temperature = QuantizationDefaults.AnnealedMeanTemperature)
    {
        CheckDistribution(distribution, nameof(distribution), "probabilities", temperature);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return DecodeCore(distribution, isLogits: false, mode, temperature).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="Decode"/> for unnormalised scores (the network's output before softmax): the distribution is
    /// <c>softmax(logits)</c>, and the annealed one <c>softmax(logits / T)</c>.
    /// </summary>
    /// <param name="logits">[N, Q, H, W] scores, on <see cref="Device"/>.</param>
    /// <param name="mode">Which summary of the distribution to take.</param>
    /// <param name="temperature">T of <see cref="DecodeMode.AnnealedMean"/>, &gt; 0 (checked for every mode); default 0.38.</param>
    /// <returns>[N, C, H, W] float32 values (ab or L), computed without autograd (for display and evaluation).</returns>
    public Tensor DecodeLogits(Tensor logits, DecodeMode mode,
        double temperature = QuantizationDefaults.AnnealedMeanTemperature)
    {
        CheckDistribution(logits, nameof(logits), "scores", temperature);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return DecodeCore(logits, isLogits: true, mode, temperature).MoveToOuterDisposeScope();
    }

    /// <summary>Frees the centres.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _centers.Dispose();
        _grid?.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Bins} bins x {Channels} channel(s), spacing {Spacing}";

    private void CheckValues(Tensor x, string paramName)
    {
        TensorArguments.RequireNchw(x, Channels, $"values for {Name}", paramName);
        TensorArguments.RequireSameDevice(x, Centers, "quantizer", paramName);
    }

    private void CheckDistribution(Tensor t, string paramName, string what, double temperature)
    {
        TensorArguments.RequireNchw(t, Bins, $"{what} over the {Bins} bins of {Name}", paramName);
        TensorArguments.RequireSameDevice(t, Centers, "quantizer", paramName);
        TensorArguments.RequirePositive(temperature, nameof(temperature));
    }

    /// <summary>Squared Euclidean distance from every position to every centre, one channel at a time (C is 1 or 2),
    /// exact rather than via |x|^2 - 2xc + |c|^2, whose cancellation would misorder near-ties. Each square and each sum
    /// is its own rounded operation (no fused multiply-add), so the grid search (<c>BinGrid</c>) gets the same numbers.</summary>
    private Tensor SquaredDistances(Tensor x)
    {
        var xf = x.to_type(ScalarType.Float32);              // [N, C, H, W]
        Tensor? d2 = null;
        for (var c = 0; c < Channels; c++)
        {
            var centre = _centers.select(1, c).view(1, Bins, 1, 1); // [1, Q, 1, 1]
            var diff = xf.narrow(1, c, 1) - centre;                // [N, Q, H, W]
            d2 = d2 is null ? diff.mul_(diff) : d2.add_(diff.mul_(diff));
        }
        return d2!;                                             // [N, Q, H, W]
    }

    /// <summary>Decoding of probabilities p or logits z, [N, Q, H, W] -> [N, C, H, W].</summary>
    private Tensor DecodeCore(Tensor input, bool isLogits, DecodeMode mode, double temperature)
    {
        var z = input.to_type(ScalarType.Float32);
        return mode switch
        {
            // argmax p = argmax z: no softmax needed.
            DecodeMode.Mode => CentersAt(z.argmax(1)),
            DecodeMode.Mean => Expectation(isLogits ? z.softmax(1) : z),
            // p^(1/T) renormalised is softmax(log(p) / T) (or softmax(z / T)): no overflow for small T, and p = 0 stays 0.
            DecodeMode.AnnealedMean => Expectation(((isLogits ? z : z.log()) / temperature).softmax(1)),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, $"{nameof(mode)} {mode} is not a {nameof(DecodeMode)}."),
        };
    }

    private Tensor CentersAt(Tensor indices) // [N, H, W] -> [N, C, H, W]
    {
        var n = indices.shape[0];
        var h = indices.shape[1];
        var w = indices.shape[2];
        var values = _centers.index_select(0, indices.reshape(-1)); // [N*H*W, C]
        return values.view(n, h, w, Channels).permute(0, 3, 1, 2).contiguous();
    }

    private Tensor Expectation(Tensor p) => einsum("nqhw,qc->nchw", p, _centers); // [N, Q, H, W] -> [N, C, H, W]
}

/// <summary>How <see cref="Quantizer.Decode"/> turns a distribution over bins into one value per position.</summary>
public enum DecodeMode
{
    /// <summary>The centre of the most probable bin. Vivid but blotchy: neighbouring pixels jump between bins.</summary>
    Mode,

    /// <summary>The expectation of the centres under the distribution. Smooth but desaturated (Zhang 2016, fig. 3).</summary>
    Mean,

    /// <summary>
    /// The expectation under the distribution sharpened to <c>p^(1/T)</c> and renormalised (Zhang 2016, sec. 2.3, eq. 5).
    /// T = 1 is <see cref="Mean"/>; T towards 0 approaches <see cref="Mode"/>; the paper uses T = 0.38.
    /// </summary>
    AnnealedMean,
}
