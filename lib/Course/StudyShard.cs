using System.Globalization;

namespace SplitBrain.Course;

/// <summary>
/// One of <see cref="Count"/> independent parts of a study, for array jobs: shard <see cref="Index"/> runs the plan's
/// runs at positions <c>Index</c>, <c>Index + Count</c>, ... (round robin, so that every shard gets a share of every
/// recipe). Every shard writes ordinary run folders into the same runs folder; the study's tables read them all.
/// </summary>
/// <param name="Index">This shard, from 0.</param>
/// <param name="Count">How many shards, at least 1.</param>
public sealed record StudyShard(int Index, int Count)
{
    /// <summary>Names <c>i/n</c> explicitly, overriding the array job's variables.</summary>
    public const string ShardVariable = "SPLITBRAIN_SHARD";

    /// <summary>The shard count for a Kubernetes Indexed Job (set it to the Job's <c>completions</c>): Kubernetes gives each
    /// pod its <c>JOB_COMPLETION_INDEX</c> but not the count.</summary>
    public const string CountVariable = "SPLITBRAIN_SHARD_COUNT";

    /// <summary>The whole study in one process.</summary>
    public static StudyShard All { get; } = new(0, 1);

    /// <summary>Whether this is the whole study.</summary>
    public bool IsAll => Count == 1;

    /// <summary>The shard of <c>--shard i/n</c> when given, else of the environment (<see cref="FromEnvironment"/>), else
    /// <see cref="All"/>.</summary>
    /// <param name="option">The option's value, or null.</param>
    /// <param name="variable">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    public static StudyShard Resolve(string? option, Func<string, string?>? variable = null) =>
        option is not null ? Parse(option, "--shard") : FromEnvironment(variable) ?? All;

    /// <summary>
    /// The shard an array job gives this process, or null outside one: <see cref="ShardVariable"/> (<c>i/n</c>); Slurm's
    /// <c>SLURM_ARRAY_TASK_ID</c> with <c>SLURM_ARRAY_TASK_COUNT</c> (the index counted from <c>SLURM_ARRAY_TASK_MIN</c>, so
    /// <c>--array=1-4</c> works as well as <c>0-3</c>); a Kubernetes Indexed Job's <c>JOB_COMPLETION_INDEX</c> with
    /// <see cref="CountVariable"/>.
    /// </summary>
    /// <param name="variable">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    /// <exception cref="ArgumentException">A variable is malformed, or an index comes without its count.</exception>
    public static StudyShard? FromEnvironment(Func<string, string?>? variable = null)
    {
        variable ??= Environment.GetEnvironmentVariable;
        string? Read(string name) => variable(name) is { Length: > 0 } value ? value.Trim() : null;
        if (Read(ShardVariable) is { } explicitShard)
            return Parse(explicitShard, ShardVariable);
        if (Read("SLURM_ARRAY_TASK_ID") is { } task)
        {
            var count = Read("SLURM_ARRAY_TASK_COUNT")
                ?? throw new ArgumentException("SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT: submit with sbatch --array=0-N.");
            var min = Read("SLURM_ARRAY_TASK_MIN") ?? "0";
            return Create(Integer(task, "SLURM_ARRAY_TASK_ID") - Integer(min, "SLURM_ARRAY_TASK_MIN"), Integer(count, "SLURM_ARRAY_TASK_COUNT"),
                "SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN");
        }
        if (Read("JOB_COMPLETION_INDEX") is { } index)
        {
            var count = Read(CountVariable)
                ?? throw new ArgumentException($"JOB_COMPLETION_INDEX is set but not {CountVariable}: set it to the Job's completions in its pod template.");
            return Create(Integer(index, "JOB_COMPLETION_INDEX"), Integer(count, CountVariable), "JOB_COMPLETION_INDEX");
        }
        return null;
    }

    /// <summary>A shard written <c>i/n</c>, e.g. <c>0/2</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="source">Where it came from, for the message.</param>
    /// <exception cref="ArgumentException">Not <c>i/n</c> with 0 &lt;= i &lt; n.</exception>
    public static StudyShard Parse(string text, string source = "the shard")
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            throw new ArgumentException($"{source} must be INDEX/COUNT, e.g. 0/4; got '{text}'.");
        return Create(index, count, source);
    }

    /// <summary>This shard's part of <paramref name="plan"/>: the items at positions <see cref="Index"/> modulo
    /// <see cref="Count"/>, in order.</summary>
    /// <param name="plan">The whole study's runs, in the order every shard computes alike.</param>
    public IReadOnlyList<T> Select<T>(IReadOnlyList<T> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return [.. plan.Where((_, position) => position % Count == Index)];
    }

    /// <summary><c>i/n</c>.</summary>
    public override string ToString() => $"{Index}/{Count}";

    private static StudyShard Create(int index, int count, string source)
    {
        if (count < 1 || index < 0 || index >= count)
            throw new ArgumentException($"{source} gives shard {index} of {count}: the index must be at least 0 and below the count.");
        return new StudyShard(index, count);
    }

    private static int Integer(string text, string name) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{name} must be an integer; got '{text}'.");
}
