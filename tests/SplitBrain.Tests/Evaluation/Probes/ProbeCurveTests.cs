using System.Text.Json;
using SplitBrain.Evaluation;
using SplitBrain.Models;

namespace SplitBrain.Tests.Evaluation;

public class ProbeCurveTests
{
    [Fact]
    public void TestAccuracyAndBest_ReadTheLayers()
    {
        var curve = EvaluationPlotsTests.Curve("net", 0.4, 0.7, 0.6);

        Assert.Equal(0.7, curve.TestAccuracy(FeatureLayer.Conv2));
        Assert.Equal(FeatureLayer.Conv2, curve.Best.Layer);
        Assert.Equal(6, curve.TotalSeconds);
        Assert.Equal("net: conv1 40.0%, conv2 70.0%, conv3 60.0%", curve.ToString());
    }

    [Fact]
    public void TestAccuracy_LayerNotProbed_Throws() =>
        Assert.Contains("Fc7 was not probed", Assert.Throws<ArgumentException>(
            () => EvaluationPlotsTests.Curve("net", 0.4).TestAccuracy(FeatureLayer.Fc7)).Message);

    [Fact]
    public void ToTable_RowPerLayer()
    {
        var table = EvaluationPlotsTests.Curve("net", 0.4, 0.7).ToTable();

        Assert.Equal(2, table.Rows.Count);
        Assert.Equal("conv2", table.Rows[1][0]);
        Assert.Equal("10 x 3 x 3", table.Rows[1][2]);
        Assert.Equal(0.7, table.Rows[1][5]);
    }

    [Fact]
    public void Json_RoundTrip_KeepsEveryLayer()
    {
        var curve = EvaluationPlotsTests.Curve("net", 0.4, 0.7);

        var back = JsonSerializer.Deserialize<ProbeCurve>(JsonSerializer.Serialize(curve))!;

        Assert.Equal(curve.Layers.Select(r => (r.Layer, r.Grid, r.TestAccuracy)), back.Layers.Select(r => (r.Layer, r.Grid, r.TestAccuracy)));
        Assert.Equal(("net", 1.0, 2.0, 3.0), (back.Network, back.ExtractionSeconds, back.FitSeconds, back.TestSeconds));
    }
}
