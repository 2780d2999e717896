using SplitBrain.Display;

namespace SplitBrain.Tests.Display;

public class ProgressViewTests
{
    [Fact]
    public void ToText_IsOneLineWithBarCounterValuesAndStatus()
    {
        var view = new ProgressView("pretraining r", 0.25, "step 10 / 40", [("loss F1", "3.210"), ("left", "0:12")], "epoch 1 done");

        Assert.Equal("pretraining r [#####...............] step 10 / 40 | loss F1 3.210 | left 0:12 | epoch 1 done", view.ToText());
    }

    [Fact]
    public void ToHtml_DrawsTheBarAtTheFraction_AndEncodesText()
    {
        var html = new ProgressView("a <b>", 0.5, "1 / 2", [("x", "<y>")]).ToHtml();

        Assert.Contains("width:50%", html);
        Assert.Contains("a &lt;b&gt;", html);
        Assert.Contains("&lt;y&gt;", html);
        Assert.Contains("(50%)", html);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(2, 1)]
    [InlineData(double.NaN, 0)]
    public void Fraction_IsClampedToZeroOne(double given, double expected) =>
        Assert.Equal(expected, new ProgressView("t", given, "c").Fraction);
}
