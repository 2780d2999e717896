using System.Collections.Concurrent;
using SplitBrain.Models;

namespace SplitBrain.Training.Objectives;

/// <summary>
/// The pretraining objectives by name: the one place where an objective is registered. Built in: every row of the
/// paper's ablation (Zhang, Isola, Efros 2017, table 2): <c>split-brain</c> (cl,cl, the default),
/// <c>split-brain-reg-reg</c>, <c>split-brain-cl-reg</c>, <c>l-to-ab-cl</c>, <c>l-to-ab-reg</c>, <c>ab-to-l-cl</c>,
/// <c>ab-to-l-reg</c>, <c>autoencoder</c>, <c>denoising-autoencoder</c>, <c>alternative-aggregation</c>. <see cref="PretrainConfig.Objective"/>
/// names one; a run (and a resumed run) creates it with <see cref="Create"/>. Adding an objective is its own file plus one
/// line here (or, from a notebook or a test, a call of <see cref="Register"/>).
/// </summary>
public static class PretrainObjectives
{
    private static readonly ConcurrentDictionary<string, Func<PretrainObjective>> Known = new(StringComparer.Ordinal)
    {
        [SplitBrainObjective.Name] = () => new SplitBrainObjective(),
        [SplitBrainObjective.RegRegName] = () => new SplitBrainObjective(LossKind.Regression, LossKind.Regression),
        [SplitBrainObjective.ClRegName] = () => new SplitBrainObjective(LossKind.Classification, LossKind.Regression),
        [CrossChannelObjective.LToAbClName] = () => new CrossChannelObjective(NetworkInput.First, LossKind.Classification),
        [CrossChannelObjective.LToAbRegName] = () => new CrossChannelObjective(NetworkInput.First, LossKind.Regression),
        [CrossChannelObjective.AbToLClName] = () => new CrossChannelObjective(NetworkInput.Second, LossKind.Classification),
        [CrossChannelObjective.AbToLRegName] = () => new CrossChannelObjective(NetworkInput.Second, LossKind.Regression),
        [AutoencoderObjective.Name] = () => new AutoencoderObjective(),
        [AutoencoderObjective.DenoisingName] = () => new AutoencoderObjective(denoising: true),
        [AlternativeAggregationObjective.Name] = () => new AlternativeAggregationObjective(),
    };

    /// <summary>The objective of a config that names none: <see cref="SplitBrainObjective"/>.</summary>
    public const string Default = SplitBrainObjective.Name;

    /// <summary>The names registered, sorted.</summary>
    public static IReadOnlyList<string> Names => [.. Known.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    /// <param name="name">An objective's name.</param>
    public static bool Contains(string name) => Known.ContainsKey(name);

    /// <summary>Registers an objective under <paramref name="name"/> (again with the same name replaces it).</summary>
    /// <param name="name">Its name in configs (lower case, hyphens; e.g. <c>mean-colour</c>).</param>
    /// <param name="create">Makes a fresh one for a run.</param>
    public static void Register(string name, Func<PretrainObjective> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        Known[name] = create;
    }

    /// <summary>A fresh objective named <paramref name="name"/> (<see cref="Default"/> when null).</summary>
    /// <param name="name">A registered name, or null.</param>
    /// <exception cref="ArgumentException">No objective has that name (the message lists those that exist).</exception>
    public static PretrainObjective Create(string? name) =>
        Known.TryGetValue(name ?? Default, out var create)
            ? create()
            : throw new ArgumentException($"No pretraining objective is named '{name}'; the objectives are {string.Join(", ", Names)}. "
                + $"Register another with {nameof(PretrainObjectives)}.{nameof(Register)}.", nameof(name));
}
