// Solutions to the exercises of chapter 01 (color spaces): notebooks/01-color-spaces.ipynb.
// Each section replaces the exercise cell whose first line it shares; the exercise runs after the chapter's setup
// cell only. `dotnet run --project tools/SplitBrain.Notebooks -- exercises` checks that every check fails on the
// chapter's stub and passes on the solution here. Teachers: leave this folder out of what you hand to students.

// Exercise 1.1: the networks' inputs from Lab
(Tensor L, Tensor Ab) ToNetworkInputs(Tensor lab)
{
    var l = (lab[.., ..1] - 50) / 100;   // [N, 1, H, W], about -0.5..0.5
    var ab = lab[.., 1..] / 110;          // [N, 2, H, W], about -1..1
    return (l, ab);
}

// Exercise 1.2: Lab to sRGB on a batch
Tensor LabToSrgb(Tensor lab)
{
    var fy = (lab[.., 0] + 16) / 116;                                                   // undo 3: f of X, Y, Z
    var f = stack([fy + lab[.., 1] / 500, fy, fy - lab[.., 2] / 200], 1);               // [N, 3, H, W]
    var t = where(f > 6.0 / 29, f.pow(3), (f - 16.0 / 116) / 7.787);
    var white = tensor(new[] { 0.95047f, 1f, 1.08883f }).reshape(1, 3, 1, 1);
    var toXyz = tensor(new float[,] { { 0.412453f, 0.357580f, 0.180423f },
                                      { 0.212671f, 0.715160f, 0.072169f },
                                      { 0.019334f, 0.119193f, 0.950227f } });
    var linear = einsum("ij,njhw->nihw", linalg.inv(toXyz), t * white).clamp(0, 1);     // undo 2
    return where(linear > 0.0031308, 1.055 * linear.pow(1 / 2.4) - 0.055, 12.92 * linear); // undo 1
}
