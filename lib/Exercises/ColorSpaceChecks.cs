using SplitBrain.Color;
using static TorchSharp.torch;

namespace SplitBrain.Exercises;

/// <summary>The checks of chapter 01's exercises (color spaces).</summary>
public static class ColorSpaceChecks
{
    /// <summary>
    /// Exercise 1.1: the networks' inputs. <paramref name="yours"/> takes Lab images <c>[N, 3, H, W]</c> and returns L
    /// <c>[N, 1, H, W]</c> centred on 50 and divided by 100, and ab <c>[N, 2, H, W]</c> divided by 110
    /// (<see cref="ChannelSplit"/> and <see cref="LabNormalization"/>).
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult NetworkInputs(Func<Tensor, (Tensor L, Tensor Ab)> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("1.1", "the networks' inputs from Lab",
            "L goes from 0..100 to -0.5..0.5 ((L - 50) / 100); a and b are divided by 110. Keep the channel dimension: "
            + "lab[.., ..1] is [N, 1, H, W], lab[.., 1..] is [N, 2, H, W].",
            3, input =>
            {
                var lab = RandomLab(input);
                var (l, ab) = yours(lab);
                var (expectedL, expectedAb) = ChannelSplit.Lab.Split(lab);
                return Comparison.All(
                    Comparison.Tensors("L input", l, LabNormalization.NormalizeL(expectedL), 1e-5),
                    Comparison.Tensors("ab input", ab, LabNormalization.NormalizeAb(expectedAb), 1e-5));
            });
    }

    /// <summary>
    /// Exercise 1.2: Lab to sRGB. <paramref name="yours"/> takes Lab images <c>[N, 3, H, W]</c> of colors sRGB can show and
    /// returns sRGB in 0..1, compared with <see cref="Lab.ToRgb"/>.
    /// </summary>
    /// <param name="yours">The student's function.</param>
    public static CheckResult LabToRgb(Func<Tensor, Tensor> yours)
    {
        ArgumentNullException.ThrowIfNull(yours);
        return ExerciseCheck.Run("1.2", "Lab to sRGB on a batch",
            "Invert the steps of 1.4 in reverse order: f_y = (L + 16) / 116, f_x = f_y + a / 500, f_z = f_y - b / 200; "
            + "t = f^3 above 6/29 (0.2069), else (f - 16/116) / 7.787; multiply by the white point; the inverse matrix "
            + "(linalg.inv of 1.4's); then gamma: 1.055 v^(1/2.4) - 0.055 above 0.0031308, else 12.92 v.",
            3, input =>
            {
                var lab = RandomLab(input);
                return Comparison.Tensors("sRGB", yours(lab), Lab.ToRgb(lab), 1e-3);
            });
    }

    // Lab of random sRGB colors (so in gamut), in a batch of random size.
    private static Tensor RandomLab(CheckInput input)
    {
        long[] shape = [input.Integer(1, 3), 3, input.Integer(2, 9), input.Integer(2, 9)];
        input.Description = $"Lab {Comparison.Shape(shape)} of random sRGB colors";
        return Lab.FromRgb(rand(shape, generator: input.Random));
    }
}
