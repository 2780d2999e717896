using SplitBrain.Runs;
using SplitBrain.Training;

namespace SplitBrain.Tests.Runs;

public class DevicesTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData(" CPU ")]
    public void Resolve_Cpu_IsTheCpu(string request) => Assert.Equal("cpu", Devices.Resolve(request).ToString());

    [Fact]
    public void Resolve_Auto_WithoutCuda_IsTheCpu()
    {
        Assert.SkipWhen(Devices.CudaAvailable, "this machine has a CUDA GPU");

        Assert.Equal("cpu", Devices.Resolve("auto").ToString());
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("cuda:1")]
    public void Resolve_CudaWithoutCuda_ThrowsSayingHowToFallBack(string request)
    {
        Assert.SkipWhen(Devices.CudaAvailable, "this machine has a CUDA GPU");

        var error = Assert.Throws<ArgumentException>(() => Devices.Resolve(request));

        Assert.Contains("no CUDA GPU", error.Message);
        Assert.Contains("\"cpu\"", error.Message);
        Assert.Contains("TorchBackend=cuda", error.Message);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:x")]
    [InlineData("")]
    public void Resolve_Unknown_ThrowsListingChoices(string request)
    {
        var error = Assert.Throws<ArgumentException>(() => Devices.Resolve(request));

        Assert.Contains(Devices.Choices, error.Message);
    }
}
