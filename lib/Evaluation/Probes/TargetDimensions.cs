using System.Globalization;
using SplitBrain.Models;

namespace SplitBrain.Evaluation;

/// <summary>
/// How many values each layer's pooled features should have for a linear probe (<see cref="FeatureExtractor.Plan(FeatureNetwork, int, IEnumerable{FeatureLayer}, TargetDimensions)"/>):
/// one target for every layer (<see cref="Default"/>, the papers' 9,600), and optionally another for some layers
/// (<see cref="PerLayer"/>).
/// </summary>
/// <remarks>
/// <para>Why per layer: the papers give every layer about the same number of values so that layers compare on equal
/// terms. A different budget for some layers answers other questions: fc6 and fc7 of the paper-sized network
/// (2 x 2,048 channels) cannot get under 9,600 without pooling their 12 x 12 grid to 1 x 1 (4,096 values), and a
/// smaller target for the early layers makes probes on large data sets cheaper.</para>
/// <para>Equality compares what the targets do, not the dictionary's identity: two records are equal when they have
/// the same <see cref="Default"/> and the same layers with a target of their own (an entry equal to the default is no
/// exception).</para>
/// </remarks>
/// <param name="Default">The target of every layer not in <paramref name="PerLayer"/>, at least 1;
/// <see cref="FeatureExtractor.PaperDimension"/>.</param>
/// <param name="PerLayer">Targets of particular layers, each at least 1; null or empty for none.</param>
public sealed record TargetDimensions(int Default = FeatureExtractor.PaperDimension, IReadOnlyDictionary<FeatureLayer, int>? PerLayer = null)
{
    /// <summary>The papers' protocol: about 9,600 values at every layer.</summary>
    public static TargetDimensions Paper { get; } = new();

    /// <summary>The target of <paramref name="layer"/>: its own when <see cref="PerLayer"/> has one, else
    /// <see cref="Default"/>.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>The number of values wanted.</returns>
    public int For(FeatureLayer layer) => PerLayer is not null && PerLayer.TryGetValue(layer, out var target) ? target : Default;

    /// <summary>These targets with <paramref name="layer"/>'s set to <paramref name="dimension"/>.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="dimension">Its target, at least 1 (checked by <see cref="Validate"/>).</param>
    /// <returns>A new record; this one is not changed.</returns>
    public TargetDimensions With(FeatureLayer layer, int dimension)
    {
        var perLayer = PerLayer is null ? new Dictionary<FeatureLayer, int>() : new Dictionary<FeatureLayer, int>(PerLayer);
        perLayer[layer] = dimension;
        return this with { PerLayer = perLayer };
    }

    /// <summary>Checks every target, naming the first bad one.</summary>
    /// <returns>These targets, for use inline.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A target is below 1, or a key is not a layer.</exception>
    public TargetDimensions Validate()
    {
        const string record = nameof(TargetDimensions);
        ConfigChecks.AtLeast(record, Default, 1, nameof(Default));
        foreach (var (layer, target) in PerLayer ?? new Dictionary<FeatureLayer, int>())
        {
            if (!Enum.IsDefined(layer))
                throw new ArgumentOutOfRangeException(nameof(PerLayer), layer, $"{record}.{nameof(PerLayer)} has {layer}, which is not a {nameof(FeatureLayer)}.");
            if (target < 1)
                throw new ArgumentOutOfRangeException(nameof(PerLayer), target,
                    $"{record}.{nameof(PerLayer)}[{EvaluationPlots.LayerName(layer)}] must be at least 1; got {target}.");
        }
        return this;
    }

    /// <summary>
    /// Reads targets as a command line gives them: a number for every layer, then optionally <c>layer=number</c> pairs,
    /// comma-separated, e.g. <c>9600</c>, <c>4096,fc6=2048,fc7=2048</c>, or only pairs (<c>conv1=4000</c>, the other
    /// layers keeping the papers' 9,600). Layer names as in tables: conv1..conv5, fc6, fc7, any case.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The targets, validated.</returns>
    /// <exception cref="FormatException">A part is neither a number nor <c>layer=number</c>, names no layer, or a layer is
    /// given twice (the message names the part).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is below 1.</exception>
    public static TargetDimensions Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = Paper;
        var perLayer = new Dictionary<FeatureLayer, int>();
        var sawDefault = false;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            if (equals < 0)
            {
                if (sawDefault)
                    throw new FormatException($"'{text}' gives the target of every layer twice; give one number, then layer=number pairs.");
                result = result with { Default = Number(part, text) };
                sawDefault = true;
                continue;
            }
            var name = part[..equals].Trim();
            if (!Enum.TryParse<FeatureLayer>(name, ignoreCase: true, out var layer) || !Enum.IsDefined(layer) || int.TryParse(name, out _))
                throw new FormatException(
                    $"'{name}' in '{text}' is not a layer; layers are {string.Join(", ", LinearProbes.AllLayers.Select(EvaluationPlots.LayerName))}.");
            if (!perLayer.TryAdd(layer, Number(part[(equals + 1)..].Trim(), text)))
                throw new FormatException($"'{text}' gives the target of {EvaluationPlots.LayerName(layer)} twice.");
        }
        return (perLayer.Count == 0 ? result : result with { PerLayer = perLayer }).Validate();
    }

    /// <inheritdoc/>
    public bool Equals(TargetDimensions? other) =>
        other is not null && Default == other.Default && Exceptions().SequenceEqual(other.Exceptions());

    /// <inheritdoc/>
    public override int GetHashCode() =>
        Exceptions().Aggregate(Default.GetHashCode(), (hash, entry) => HashCode.Combine(hash, entry.Key, entry.Value));

    /// <summary>E.g. <c>9600 per layer</c>, or <c>4096 per layer; fc6 2048, fc7 2048</c>.</summary>
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Default} per layer");
        var own = Exceptions().ToArray();
        return own.Length == 0 ? text
            : text + "; " + string.Join(", ", own.Select(e => string.Create(CultureInfo.InvariantCulture, $"{EvaluationPlots.LayerName(e.Key)} {e.Value}")));
    }

    // The layers whose target is not the default, in network order (so that equality does not depend on the
    // dictionary's order).
    private IEnumerable<KeyValuePair<FeatureLayer, int>> Exceptions() =>
        PerLayer is null ? [] : PerLayer.Where(e => e.Value != Default).OrderBy(e => e.Key);

    private static int Number(string part, string text) =>
        int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{part}' in '{text}' is not a whole number of values.");
}
