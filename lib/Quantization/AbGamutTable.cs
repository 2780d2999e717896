using System.Globalization;

namespace SplitBrain.Quantization;

/// <summary>
/// The 313 in-gamut ab bin centres, read once from the embedded <c>ab_gamut_313.txt</c> ("a b" per line).
/// </summary>
/// <remarks>
/// The table is the <c>pts_in_hull</c> of Zhang et al.: the points of the 10-unit ab grid inside the convex hull of the
/// ab values of all sRGB colours, plus their 8 grid neighbours. It is shipped as data rather than derived at run time
/// so that bin indices mean the same as in the released models.
/// </remarks>
internal static class AbGamutTable
{
    /// <summary>Manifest name of the table (SplitBrain.Lib.csproj embeds <c>lib/**/*.txt</c> as <c>SplitBrain.&lt;file&gt;</c>).</summary>
    internal const string ResourceName = "SplitBrain.ab_gamut_313.txt";

    private static readonly Lazy<float[]> Values = new(Load);

    /// <summary>The centres interleaved, a0 b0 a1 b1 ...: 2 * 313 values in file order (the bin index order).</summary>
    internal static float[] Interleaved => Values.Value;

    private static float[] Load()
    {
        using var stream = typeof(AbGamutTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException(
                $"The embedded resource {ResourceName} is missing from {typeof(AbGamutTable).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var values = new List<float>(2 * QuantizationDefaults.AbBins);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
                continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
                throw new InvalidDataException($"{ResourceName} line {lineNumber}: expected \"a b\", got \"{line}\".");
            foreach (var part in parts)
                values.Add(float.Parse(part, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        if (values.Count != 2 * QuantizationDefaults.AbBins)
            throw new InvalidDataException(
                $"{ResourceName} holds {values.Count / 2} centres; expected {QuantizationDefaults.AbBins}.");
        return values.ToArray();
    }
}
