using SplitBrain.Color;
using SplitBrain.Tests.Support;
using TorchSharp;
using static SplitBrain.Tests.Color.ColorTestTensors;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Color;

public class ChannelSplitTests
{
    public static TheoryData<int[], int[]> AllSplits =>
        new()
        {
            { [0], [1, 2] }, { [1], [0, 2] }, { [2], [0, 1] },
            { [1, 2], [0] }, { [0, 2], [1] }, { [0, 1], [2] },
            { [2, 1], [0] }, { [1], [2, 0] },
        };

    [Fact]
    public void Lab_IsThePapersSplit()
    {
        var split = ChannelSplit.Lab;

        Assert.Equal(ColorSpaces.Lab, split.Space);
        Assert.Equal([0], split.First);
        Assert.Equal([1, 2], split.Second);
        Assert.Equal("L", split.FirstName);
        Assert.Equal("ab", split.SecondName);
        Assert.Equal(["a", "b"], split.SecondChannelNames);
        Assert.Equal("Lab: L | ab", split.ToString());
    }

    [Fact]
    public void YCbCr_IsLumaAgainstChroma()
    {
        Assert.Equal("YCbCr: Y | CbCr", ChannelSplit.YCbCr.ToString());
        Assert.Equal(["Y"], ChannelSplit.YCbCr.FirstChannelNames);
    }

    [Fact]
    public void Swap_ExchangesTheGroups_AndTwiceGivesTheOriginal()
    {
        var swapped = ChannelSplit.Lab.Swap();

        Assert.Equal("Lab: ab | L", swapped.ToString());
        Assert.Equal([1, 2], swapped.First);
        Assert.NotEqual(ChannelSplit.Lab, swapped);
        Assert.Equal(ChannelSplit.Lab, swapped.Swap());
        Assert.Equal(ChannelSplit.Lab.GetHashCode(), swapped.Swap().GetHashCode());
    }

    [Fact]
    public void Equals_SameIndicesInNewArrays_IsTrue()
    {
        Assert.Equal(ChannelSplit.Lab, new ChannelSplit(new LabColorSpace(), [0], [1, 2]));
        Assert.NotEqual(ChannelSplit.Lab, new ChannelSplit(ColorSpaces.YCbCr, [0], [1, 2]));
        Assert.NotEqual(ChannelSplit.Lab, new ChannelSplit(ColorSpaces.Lab, [0], [2, 1]));
    }

    [Fact]
    public void First_ReturnsACopy_SoPresetsCannotBeChanged()
    {
        ChannelSplit.Lab.First[0] = 2;
        ChannelSplit.Lab.Second[0] = 0;

        Assert.Equal("Lab: L | ab", ChannelSplit.Lab.ToString());
    }

    [Fact]
    public void Split_LabBatch_ReturnsLAndAb()
    {
        using var scope = NewDisposeScope();
        var lab = rand([2, 3, 4, 5], generator: new Generator(1));

        var (l, ab) = ChannelSplit.Lab.Split(lab);

        Assert.Equal([2L, 1, 4, 5], l.shape);
        Assert.Equal([2L, 2, 4, 5], ab.shape);
        Assert.True(Same(lab[.., 0..1], l));
        Assert.True(Same(lab[.., 1..3], ab));
    }

    [Fact]
    public void Split_GroupOutOfOrder_StacksChannelsInTheGivenOrder()
    {
        using var scope = NewDisposeScope();
        var x = arange(3f).reshape(1, 3, 1, 1);
        var split = new ChannelSplit(ColorSpaces.Rgb, [2, 0], [1]);

        var (first, second) = split.Split(x);

        Assert.Equal([2f, 0f], first.data<float>().ToArray());
        Assert.Equal([1f], second.data<float>().ToArray());
        Assert.Equal("RGB: BR | G", split.ToString());
    }

    [Theory]
    [MemberData(nameof(AllSplits))]
    public void Join_OfSplit_ReturnsTheInput(int[] first, int[] second)
    {
        using var scope = NewDisposeScope();
        var x = rand([2, 3, 3, 4], generator: new Generator(2));
        var split = new ChannelSplit(ColorSpaces.Lab, first, second);

        var (a, b) = split.Split(x);
        var joined = split.Join(a, b);

        Assert.True(Same(x, joined));
    }

    [Fact]
    public void Join_SwappedSplit_RestoresTheChannelOrder()
    {
        using var scope = NewDisposeScope();
        var lab = rand([1, 3, 2, 2], generator: new Generator(3));
        var (l, ab) = ChannelSplit.Lab.Split(lab);

        var joined = ChannelSplit.Lab.Swap().Join(ab, l);

        Assert.True(Same(lab, joined));
    }

    [Fact]
    public void SplitAndJoin_SingleImage_KeepRankThree()
    {
        using var scope = NewDisposeScope();
        var image = rand([3, 4, 4]);

        var (l, ab) = ChannelSplit.Lab.Split(image);
        var joined = ChannelSplit.Lab.Join(l, ab);

        Assert.Equal([1L, 4, 4], l.shape);
        Assert.True(Same(image, joined));
    }

    [Fact]
    public void SplitAndJoin_LeaveNoLiveTensors()
    {
        using var x = rand([2, 3, 4, 4]);
        var split = new ChannelSplit(ColorSpaces.Lab, [2], [0, 1]); // a gather and a join that reorders
        TensorLeaks.WarmUpConstants(); // cached on first use: not this call's tensors
        var before = LiveTensors;

        var (first, second) = split.Split(x);
        using (first)
        using (second)
        using (var joined = split.Join(first, second))
        {
            Assert.Equal(before + 3, LiveTensors);
        }

        Assert.Equal(before, LiveTensors);
    }

    [Theory]
    [InlineData(new[] { 0 }, new[] { 0, 1 })]
    [InlineData(new[] { 0 }, new[] { 1 })]
    [InlineData(new[] { 0, 1, 2 }, new int[0])]
    [InlineData(new[] { 0, 0 }, new[] { 1, 2 })]
    public void Constructor_NotAPartitionOfThreeChannels_Throws(int[] first, int[] second)
    {
        var e = Assert.Throws<ArgumentException>(() => new ChannelSplit(ColorSpaces.Lab, first, second));

        Assert.Contains($"First [{string.Join(", ", first)}]", e.Message);
        Assert.Contains($"Second [{string.Join(", ", second)}]", e.Message);
    }

    [Fact]
    public void Constructor_IndexOutOfRange_ThrowsArgumentOutOfRange()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelSplit(ColorSpaces.Lab, [3], [1, 2]));

        Assert.Equal("First", e.ParamName);
        Assert.Contains("0, 1 or 2", e.Message);
    }

    [Fact]
    public void Constructor_NullSpace_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new ChannelSplit(null!, [0], [1, 2]));
    }

    [Fact]
    public void Split_WrongShape_ThrowsNamingShape()
    {
        using var x = zeros([2, 2, 4, 4]);

        var e = Assert.Throws<ArgumentException>(() => ChannelSplit.Lab.Split(x));

        Assert.Equal("x", e.ParamName);
        Assert.Contains("[2, 2, 4, 4]", e.Message);
    }

    [Fact]
    public void Join_WrongChannelCount_ThrowsNamingGroup()
    {
        using var l = zeros([2, 2, 4, 4]);
        using var ab = zeros([2, 2, 4, 4]);

        var e = Assert.Throws<ArgumentException>(() => ChannelSplit.Lab.Join(l, ab));

        Assert.Equal("first", e.ParamName);
        Assert.Contains("L channels of shape [N, 1, H, W]", e.Message);
        Assert.Contains("[2, 2, 4, 4]", e.Message);
    }

    [Fact]
    public void Join_MismatchedSizesOrDtypes_Throws()
    {
        using var scope = NewDisposeScope();
        var l = zeros([2, 1, 4, 4]);

        var sizes = Assert.Throws<ArgumentException>(() => ChannelSplit.Lab.Join(l, zeros([2, 2, 4, 5])));
        var dtypes = Assert.Throws<ArgumentException>(() => ChannelSplit.Lab.Join(l, zeros([2, 2, 4, 4], ScalarType.Float64)));

        Assert.Contains("[2, 2, 4, 5]", sizes.Message);
        Assert.Contains("Float64", dtypes.Message);
    }
}
