using SplitBrain.Display;

namespace SplitBrain.Tests.Display;

public class TableTests
{
    private sealed record Metric(string Layer, double Accuracy, int Epoch);

    [Fact]
    public void From_Records_OneColumnPerPropertyInDeclarationOrder()
    {
        var table = Table.From([new Metric("conv1", 0.5, 1), new Metric("conv2", 0.625, 2)]);

        Assert.Equal(["Layer", "Accuracy", "Epoch"], table.Columns);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal("conv2", table.Rows[1][0]);
    }

    [Fact]
    public void Of_Record_NameValueRowsWithTypeAsTitle()
    {
        var table = Table.Of(new Metric("fc6", 0.25, 3));

        Assert.Equal("Metric", table.Title);
        Assert.Equal(["name", "value"], table.Columns);
        Assert.Equal(["Layer", "Accuracy", "Epoch"], table.Rows.Select(r => (string)r[0]!));
    }

    [Fact]
    public void ToText_AlignsColumnsAndFormatsNumbersInvariantly()
    {
        var table = new Table(["name", "value"], [["lr", 0.00030000000000000003], ["loss", 1234567.0], ["steps", 20]]);

        var lines = table.ToText().Split('\n');

        Assert.Equal("name   value", lines[0]);
        Assert.Equal("-----  -------", lines[1]);
        Assert.Equal("lr     3e-4", lines[2]);
        Assert.Equal("loss   1.235e6", lines[3]);
        Assert.Equal("steps  20", lines[4]);
    }

    [Fact]
    public void ToHtml_EncodesTextAndRightAlignsNumbers()
    {
        var html = new Table(["a<b"], [["<script>"], [1.5]], "t & u").ToHtml();

        Assert.Contains("<th style=\"border-bottom:1px solid #999;padding:2px 10px;text-align:left\">a&lt;b</th>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("text-align:right\">1.5</td>", html);
        Assert.Contains("t &amp; u", html);
    }

    [Fact]
    public void Constructor_RowOfWrongLength_ThrowsNamingTheRow()
    {
        var error = Assert.Throws<ArgumentException>(() => new Table(["a", "b"], [["x", 1], ["y"]]));

        Assert.Contains("Row 1 has 1 values but the table has 2 columns", error.Message);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.0, "0")]
    [InlineData(0.00012, "1.2e-4")]
    [InlineData(-2.5, "-2.5")]
    public void FormatValue_Doubles(double value, string expected) => Assert.Equal(expected, Table.FormatValue(value));

    [Fact]
    public void FormatValue_SequencesAndNull()
    {
        Assert.Equal("[48, 128]", Table.FormatValue(new[] { 48, 128 }));
        Assert.Equal("", Table.FormatValue(null));
    }
}
