using SplitBrain.Course;

namespace SplitBrain.Tests.Course;

public class StudyShardTests
{
    private static Func<string, string?> Variables(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Resolve_Option_WinsOverTheEnvironment()
    {
        var shard = StudyShard.Resolve("1/3", Variables(("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_COUNT", "2")));
        Assert.Equal(new StudyShard(1, 3), shard);
    }

    [Fact]
    public void Resolve_NoOptionNoVariables_IsTheWholeStudy()
    {
        Assert.Equal(StudyShard.All, StudyShard.Resolve(null, Variables()));
        Assert.True(StudyShard.All.IsAll);
    }

    [Fact]
    public void FromEnvironment_SlurmArray_IndexCountedFromTheMinimum()
    {
        Assert.Equal(new StudyShard(2, 4), StudyShard.FromEnvironment(Variables(("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_COUNT", "4"))));
        Assert.Equal(new StudyShard(0, 4), StudyShard.FromEnvironment(Variables(
            ("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "1"))));
    }

    [Fact]
    public void FromEnvironment_KubernetesIndexedJob_TakesTheCountFromItsVariable()
    {
        Assert.Equal(new StudyShard(3, 4), StudyShard.FromEnvironment(Variables(("JOB_COMPLETION_INDEX", "3"), (StudyShard.CountVariable, "4"))));
        var error = Assert.Throws<ArgumentException>(() => StudyShard.FromEnvironment(Variables(("JOB_COMPLETION_INDEX", "3"))));
        Assert.Contains(StudyShard.CountVariable, error.Message);
    }

    [Fact]
    public void FromEnvironment_ExplicitVariable_WinsOverTheArrayJobs()
    {
        Assert.Equal(new StudyShard(1, 2), StudyShard.FromEnvironment(Variables((StudyShard.ShardVariable, "1/2"), ("JOB_COMPLETION_INDEX", "0"), (StudyShard.CountVariable, "5"))));
    }

    [Theory]
    [InlineData("2/2")]
    [InlineData("-1/2")]
    [InlineData("0/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void Parse_BadShard_FailsNamingTheSource(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => StudyShard.Parse(text, "--shard"));
        Assert.Contains("--shard", error.Message);
    }

    [Fact]
    public void Select_Shards_PartitionThePlanRoundRobin()
    {
        int[] plan = [0, 1, 2, 3, 4, 5, 6];
        var parts = Enumerable.Range(0, 3).Select(i => new StudyShard(i, 3).Select(plan)).ToList();
        Assert.Equal([0, 3, 6], parts[0]);
        Assert.Equal([1, 4], parts[1]);
        Assert.Equal(plan, parts.SelectMany(p => p).Order());
    }
}
