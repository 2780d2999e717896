using SplitBrain.Tests.Support;
using SplitBrain.Training;
using static TorchSharp.torch;

namespace SplitBrain.Tests.Training;

public sealed class PreviewSheetTests
{
    [Fact]
    public void Read_OfASavedSheet_GivesBackItsFirstAndLastRowsExactly()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sheet-{Guid.NewGuid():N}.png");
        using var originals = TestTensors.Uniform(0, 255, 1, 3, 3, 16, 16).to_type(ScalarType.Byte);
        using var grey = TestTensors.Uniform(0, 255, 2, 3, 3, 16, 16).to_type(ScalarType.Byte);
        using var colorized = TestTensors.Uniform(0, 255, 3, 3, 3, 16, 16).to_type(ScalarType.Byte);
        try
        {
            PreviewSheet.Grid(originals, grey, colorized, "t").Save(path); // the gap of ImageGrid.Save is the sheet's

            var (first, last) = PreviewSheet.Read(path);
            using (first)
            using (last)
            {
                Assert.Equal(originals.data<byte>().ToArray(), first.data<byte>().ToArray());
                Assert.Equal(colorized.data<byte>().ToArray(), last.data<byte>().ToArray());
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
