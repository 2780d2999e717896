using SplitBrain.Color;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Data;

/// <summary>
/// Draws the images of <see cref="SyntheticShapes"/>: per-image parameters are drawn in C# from
/// (seed, split, index), the pixels are computed for a whole batch at once with tensor operations
/// (coordinate grids, signed distance functions, texture fields, compositing in Lab, then Lab to sRGB).
/// </summary>
/// <remarks>
/// Every pixel operation is element-wise within one image (no reduction across images), so an image's pixels
/// depend only on its parameters, not on the batch it is drawn in.
/// </remarks>
internal static class ShapeRenderer
{
    /// <summary>Images drawn per tensor pass: small enough that the [n, S, S] float temporaries stay in the caches.</summary>
    private const int Chunk = 32;

    internal const int ClassCount = 10;

    internal static readonly string[] ClassNames =
        ["disc", "square", "triangle", "ring", "cross", "star", "diamond", "bar", "crescent", "arrow"];

    // Five hue families, each shared by two classes, so that color narrows the class down to two and the shape
    // must do the rest. Hues are CIE Lab hue angles (degrees in the ab plane); lightness ranges keep each family's
    // saturated colors mostly inside the sRGB gamut (yellow is only saturated when light, violet when dark).
    internal static readonly HueFamily[] Families =
    [
        new("red", 25, 35, 62),
        new("yellow", 85, 64, 86),
        new("green", 148, 42, 70),
        new("teal", 215, 45, 72),
        new("violet", 300, 26, 52),
    ];

    // Class -> family: red {disc, diamond}, yellow {square, star}, green {triangle, arrow}, teal {ring, crescent},
    // violet {cross, bar}. Pairs mix round and angular shapes so neither hue nor a rough outline alone gives the class.
    internal static readonly int[] FamilyOfClass = [0, 1, 2, 3, 4, 1, 0, 4, 3, 2];

    /// <summary>The hue family name of a class, e.g. "red".</summary>
    internal static string FamilyName(int label) => Families[FamilyOfClass[label]].Name;

    /// <summary>The central Lab hue angle of a class in degrees.</summary>
    internal static double HueDegrees(int label) => Families[FamilyOfClass[label]].Hue;

    /// <summary>Draws the images with the given per-image parameters, as uint8 sRGB [B, 3, S, S] on the CPU.</summary>
    internal static Tensor Render(IReadOnlyList<ShapeParameters> images, int size) =>
        DataTensors.RenderInChunks(images.Count, size, Chunk, (start, count) => RenderChunk(images, start, count, size));

    /// <summary>Draws the parameters of image <paramref name="index"/> of a split.</summary>
    internal static ShapeParameters Draw(int seed, DatasetSplit split, int index, int label, int size)
    {
        var random = new DeterministicRandom(seed, (long)split, index);
        var s = (double)size;
        var family = Families[FamilyOfClass[label]];
        var p = new ShapeParameters { Label = label };

        // The object: radius 20%..34% of the side, centred so that it stays (almost) inside the image.
        p.Radius = s * random.Uniform(0.2, 0.34);
        var margin = p.Radius * 0.85;
        p.CenterX = random.Uniform(margin, s - margin);
        p.CenterY = random.Uniform(margin, s - margin);
        p.Rotation = random.Uniform(0, 2 * Math.PI);
        p.Aspect = Math.Exp(random.Uniform(-0.2, 0.2));   // 0.82..1.22, symmetric in log
        p.Hue = Radians(family.Hue + random.Uniform(-12, 12));
        p.Chroma = random.Uniform(34, 60);
        p.Lightness = random.Uniform(family.LightnessLow, family.LightnessHigh);
        p.ShadeAngle = random.Uniform(0, 2 * Math.PI);
        p.ShadeAmplitude = random.Uniform(4, 16);          // L units from the object's centre to its rim
        p.Rim = random.Uniform(0, 14);                     // darkening of the object's outer 3 pixels

        // The background: low saturation, lightness well apart from the object's so the shape shows in L too.
        var gap = random.Uniform(14, 40);
        var below = p.Lightness - gap;
        var above = p.Lightness + gap;
        var coin = random.Chance(0.5); // drawn always, so the later draws do not depend on this branch
        var (belowFits, aboveFits) = (below >= 18, above <= 94);
        var takeBelow = belowFits && aboveFits ? coin : belowFits || (!aboveFits && p.Lightness > 50);
        p.BackgroundLightness = Math.Clamp(takeBelow ? below : above, 14, 94);
        p.GradientAngle = random.Uniform(0, 2 * Math.PI);
        p.GradientAmplitude = random.Uniform(0, 14);      // L units from the centre to the edge
        p.BackgroundHue = random.Uniform(0, 2 * Math.PI);
        p.BackgroundChroma = random.Uniform(0, 12);

        // Texture: stripes, checks or smooth noise (or a mix), in L and a little in ab.
        var kind = random.NextInt(4); // 0 stripes, 1 noise, 2 checks, 3 stripes over noise
        p.StripeAmplitude = kind is 0 or 3 ? random.Uniform(3, 10) : 0;
        p.StripeFrequency = 2 * Math.PI * random.Uniform(2, 9) / s;
        p.StripeAngle = random.Uniform(0, Math.PI);
        p.StripePhase = random.Uniform(0, 2 * Math.PI);
        p.CheckAmplitude = kind == 2 ? random.Uniform(3, 8) : 0;
        p.CheckFrequency = Math.PI * random.Uniform(2, 6) / s;
        p.CheckAngle = random.Uniform(0, Math.PI / 2);
        p.NoiseAmplitude = kind is 1 or 3 ? random.Uniform(4, 10) : random.Uniform(1, 3);
        p.Noise = new float[ShapeParameters.NoiseGrid * ShapeParameters.NoiseGrid];
        for (var i = 0; i < p.Noise.Length; i++)
        {
            p.Noise[i] = (float)random.Uniform(-1, 1);
        }

        var textureHue = random.Uniform(0, 2 * Math.PI);
        var textureColor = random.Uniform(0, 0.5);         // ab units per L unit of texture
        p.TextureA = textureColor * Math.Cos(textureHue);
        p.TextureB = textureColor * Math.Sin(textureHue);
        return p;
    }

    private static Tensor RenderChunk(IReadOnlyList<ShapeParameters> images, int start, int count, int size)
    {
        var table = ParameterTable(images, start, count, size);                      // [P, n]
        Tensor Column(Field f) => table[(int)f].view(count, 1, 1);             // [n, 1, 1]

        var axis = arange(size, ScalarType.Float32).add_(0.5);                 // pixel centres
        var x = axis.view(1, 1, size);
        var y = axis.view(1, size, 1);
        var dx = x - Column(Field.CenterX);                                    // [n, 1, S]
        var dy = y - Column(Field.CenterY);                                    // [n, S, 1]

        // Object-local coordinates (rotated, scaled by the radius and the aspect): the shape fits the unit disc.
        var u = dx * Column(Field.UFromX) + dy * Column(Field.UFromY);         // [n, S, S]
        var v = dy * Column(Field.VFromY) - dx * Column(Field.VFromX);         // [n, S, S]
        var sdf = SignedDistances(images, start, count, u, v);                 // [n, S, S], in radii
        var inside = sdf.mul(Column(Field.Radius)).neg_();                     // pixels inside the edge (< 0 outside)
        var alpha = inside.add(0.5).clamp_(0, 1);                              // one-pixel antialiased edge

        // Object lightness: a linear shading across the object and a darker rim near its edge.
        var shade = dx * Column(Field.ShadeX) + dy * Column(Field.ShadeY);     // [n, S, S]
        var rim = inside.div(3).clamp_(0, 1).sub_(1).mul_(Column(Field.Rim));  // -rim at the edge .. 0 inside
        var objectL = shade.add_(Column(Field.Lightness)).add_(rim);

        // Background: gradient plus texture, the texture also tinting ab slightly.
        var texture = Texture(images, start, count, size, x, y, Column);       // [n, S, S], L units
        var half = size / 2.0;
        var gradient = (x - half) * Column(Field.GradientX) + (y - half) * Column(Field.GradientY);
        var backgroundL = gradient.add_(Column(Field.BackgroundLightness)).add_(texture);
        var backgroundA = texture * Column(Field.TextureA) + Column(Field.BackgroundA);
        var backgroundB = texture * Column(Field.TextureB) + Column(Field.BackgroundB);

        // Composite (straight alpha) in Lab: result = background + alpha * (object - background).
        var l = objectL.sub_(backgroundL).mul_(alpha).add_(backgroundL);
        var a = backgroundA.neg().add_(Column(Field.ObjectA)).mul_(alpha).add_(backgroundA);
        var b = backgroundB.neg().add_(Column(Field.ObjectB)).mul_(alpha).add_(backgroundB);
        var lab = stack([l.clamp_(0, 100), a, b], 1);                         // [n, 3, S, S]
        return Lab.ToRgbBytes(lab);
    }

    private static Tensor Texture(
        IReadOnlyList<ShapeParameters> images, int start, int count, int size, Tensor x, Tensor y, Func<Field, Tensor> column)
    {
        // Stripes: a sine wave along a random direction.
        var stripes = (x * column(Field.StripeX) + y * column(Field.StripeY)).add_(column(Field.StripePhase)).sin_()
            .mul_(column(Field.StripeAmplitude));

        // Checks: the product of two perpendicular sines, sharpened by tanh into soft-edged squares.
        var p = x * column(Field.CheckX1) + y * column(Field.CheckY1);
        var q = x * column(Field.CheckX2) + y * column(Field.CheckY2);
        var checks = p.sin_().mul_(q.sin_()).mul_(4).tanh_().mul_(column(Field.CheckAmplitude));

        // Smooth noise: a coarse random grid upsampled bicubically.
        var grid = ShapeParameters.NoiseGrid;
        var values = new float[count * grid * grid];
        for (var i = 0; i < count; i++)
        {
            images[start + i].Noise.CopyTo(values, i * grid * grid);
        }

        var coarse = tensor(values, [count, 1, grid, grid]);
        var noise = nn.functional.interpolate(
                coarse, size: [size, size], mode: InterpolationMode.Bicubic, align_corners: true)
            .squeeze(1).mul_(column(Field.NoiseAmplitude));
        return stripes.add_(checks).add_(noise);                               // [n, S, S]
    }

    /// <summary>
    /// Signed distance to each image's shape in object units (negative inside): each class's formula runs only on the
    /// images of that class, so a batch costs one distance field per image, not ten.
    /// </summary>
    private static Tensor SignedDistances(IReadOnlyList<ShapeParameters> images, int start, int count, Tensor u, Tensor v)
    {
        var sdf = empty_like(u);
        for (var label = 0; label < ClassCount; label++)
        {
            var members = Enumerable.Range(0, count).Where(i => images[start + i].Label == label)
                .Select(i => (long)i).ToArray();
            if (members.Length == 0)
            {
                continue;
            }

            var index = tensor(members, ScalarType.Int64);
            var distance = ShapeDistance(label, u.index_select(0, index), v.index_select(0, index));
            sdf.index_copy_(0, index, distance);
        }

        return sdf;
    }

    /// <summary>The signed distance functions of the ten classes (after Inigo Quilez's 2D distance functions).</summary>
    internal static Tensor ShapeDistance(int label, Tensor u, Tensor v)
    {
        var au = u.abs();
        var av = v.abs();
        return label switch
        {
            0 => Length(u, v).sub_(0.9),                                                   // disc
            1 => maximum(au, av).sub_(0.72),                                               // square
            2 => Triangle(u, v, 0.5),                                                      // triangle
            3 => Length(u, v).sub_(0.68).abs_().sub_(0.24),                                // ring
            4 => minimum(Box(au, av, 0.9, 0.28), Box(au, av, 0.28, 0.9)),                  // cross
            5 => Star(u, v),                                                               // star
            6 => au.div(0.62).add_(av).sub_(1).mul_(0.53),                                 // diamond (rhombus)
            7 => Box(au, av, 0.98, 0.34),                                                  // bar
            8 => maximum(Length(u, v).sub_(0.9), Length(u - 0.42, v).sub_(0.72).neg_()),   // crescent
            9 => Arrow(u, v, av),                                                          // arrow
            _ => throw new ArgumentOutOfRangeException(nameof(label), label, "Expected a class 0..9."),
        };
    }

    internal static Tensor Length(Tensor u, Tensor v) => u.square().add_(v.square()).sqrt_();

    private static Tensor Box(Tensor au, Tensor av, double halfWidth, double halfHeight) =>
        maximum(au - halfWidth, av - halfHeight);

    // Equilateral triangle with the given inradius: the largest of its three edge distances.
    private static Tensor Triangle(Tensor u, Tensor v, double inradius)
    {
        var s = Math.Sqrt(3) / 2;
        var up = v.neg();                                  // edge normal (0, -1)
        var right = u * s + v * 0.5;                       // edge normal (cos 30°, sin 30°)
        var left = v * 0.5 - u * s;                        // edge normal (-cos 30°, sin 30°)
        return maximum(maximum(up, right), left).sub_(inradius);
    }

    // Five-pointed star, outer radius 1, inner 0.45: the angle is folded into one half-point (0 at a point,
    // 36° at a notch), where the boundary is the straight edge from the point (1, 0) to the notch.
    private static Tensor Star(Tensor u, Tensor v)
    {
        const double half = Math.PI / 5;
        var angle = atan2(v, u).div_(2 * half);
        var folded = angle.sub(angle.floor()).mul_(2 * half).sub_(half).abs_().neg_().add_(half); // 0..36°
        var length = Length(u, v);
        var qx = folded.cos().mul_(length);
        var qy = folded.sin_().mul_(length);
        return qx.sub_(1).mul_(StarNormalX).add_(qy.mul_(StarNormalY));
    }

    // The outward unit normal of the star's edge from (1, 0) to 0.45 (cos 36°, sin 36°).
    private static readonly double StarNormalX = StarNormal().X;
    private static readonly double StarNormalY = StarNormal().Y;

    private static (double X, double Y) StarNormal()
    {
        var (dx, dy) = (0.45 * Math.Cos(Math.PI / 5) - 1, 0.45 * Math.Sin(Math.PI / 5));
        var length = Math.Sqrt(dx * dx + dy * dy);
        return (dy / length, -dx / length);
    }

    // Arrow pointing along +u: a shaft and a triangular head.
    private static Tensor Arrow(Tensor u, Tensor v, Tensor av)
    {
        var shaft = Box((u + 0.3).abs_(), av, 0.6, 0.2);
        var n = 1 / Math.Sqrt(0.6 * 0.6 + 0.7 * 0.7);                   // the head's slanted edges, from (0.95, 0)
        var slanted = (u - 0.95).mul_(0.6 * n).add_(av * (0.7 * n));
        var back = u.neg().add_(0.2);
        return minimum(shaft, maximum(slanted, back));
    }

    /// <summary>The per-image numbers the pixel formulas need, as a [fields, n] float32 table.</summary>
    private static Tensor ParameterTable(IReadOnlyList<ShapeParameters> images, int start, int count, int size)
    {
        var fields = Enum.GetValues<Field>().Length;
        var half = size / 2.0;
        var values = new float[fields * count];
        void Set(Field f, int i, double value) => values[(int)f * count + i] = (float)value;
        for (var i = 0; i < count; i++)
        {
            var p = images[start + i];
            var (sin, cos) = Math.SinCos(p.Rotation);
            Set(Field.CenterX, i, p.CenterX);
            Set(Field.CenterY, i, p.CenterY);
            Set(Field.Radius, i, p.Radius);
            Set(Field.UFromX, i, cos / (p.Radius * p.Aspect));
            Set(Field.UFromY, i, sin / (p.Radius * p.Aspect));
            Set(Field.VFromX, i, sin * p.Aspect / p.Radius);
            Set(Field.VFromY, i, cos * p.Aspect / p.Radius);
            Set(Field.ShadeX, i, Math.Cos(p.ShadeAngle) * p.ShadeAmplitude / p.Radius);
            Set(Field.ShadeY, i, Math.Sin(p.ShadeAngle) * p.ShadeAmplitude / p.Radius);
            Set(Field.Rim, i, p.Rim);
            Set(Field.Lightness, i, p.Lightness);
            Set(Field.ObjectA, i, p.Chroma * Math.Cos(p.Hue));
            Set(Field.ObjectB, i, p.Chroma * Math.Sin(p.Hue));
            Set(Field.BackgroundLightness, i, p.BackgroundLightness);
            Set(Field.GradientX, i, Math.Cos(p.GradientAngle) * p.GradientAmplitude / half);
            Set(Field.GradientY, i, Math.Sin(p.GradientAngle) * p.GradientAmplitude / half);
            Set(Field.BackgroundA, i, p.BackgroundChroma * Math.Cos(p.BackgroundHue));
            Set(Field.BackgroundB, i, p.BackgroundChroma * Math.Sin(p.BackgroundHue));
            Set(Field.TextureA, i, p.TextureA);
            Set(Field.TextureB, i, p.TextureB);
            Set(Field.StripeX, i, Math.Cos(p.StripeAngle) * p.StripeFrequency);
            Set(Field.StripeY, i, Math.Sin(p.StripeAngle) * p.StripeFrequency);
            Set(Field.StripePhase, i, p.StripePhase);
            Set(Field.StripeAmplitude, i, p.StripeAmplitude);
            Set(Field.CheckX1, i, Math.Cos(p.CheckAngle) * p.CheckFrequency);
            Set(Field.CheckY1, i, Math.Sin(p.CheckAngle) * p.CheckFrequency);
            Set(Field.CheckX2, i, -Math.Sin(p.CheckAngle) * p.CheckFrequency);
            Set(Field.CheckY2, i, Math.Cos(p.CheckAngle) * p.CheckFrequency);
            Set(Field.CheckAmplitude, i, p.CheckAmplitude);
            Set(Field.NoiseAmplitude, i, p.NoiseAmplitude);
        }

        return tensor(values, [fields, count]);
    }

    internal static double Radians(double degrees) => degrees * Math.PI / 180;

    /// <summary>A hue family: its name, its Lab hue angle in degrees, and the lightness range in which its saturated
    /// colors stay mostly inside the sRGB gamut.</summary>
    internal sealed record HueFamily(string Name, double Hue, double LightnessLow, double LightnessHigh);

    private enum Field
    {
        CenterX, CenterY, Radius, UFromX, UFromY, VFromX, VFromY, ShadeX, ShadeY, Rim, Lightness, ObjectA, ObjectB,
        BackgroundLightness, GradientX, GradientY, BackgroundA, BackgroundB, TextureA, TextureB,
        StripeX, StripeY, StripePhase, StripeAmplitude, CheckX1, CheckY1, CheckX2, CheckY2, CheckAmplitude, NoiseAmplitude,
    }
}

/// <summary>The random choices behind one synthetic image (lengths in pixels, angles in radians, Lab units).</summary>
internal sealed class ShapeParameters
{
    internal const int NoiseGrid = 6;

    internal int Label;
    internal double CenterX, CenterY, Radius, Rotation, Aspect;
    internal double Hue, Chroma, Lightness, ShadeAngle, ShadeAmplitude, Rim;
    internal double BackgroundLightness, GradientAngle, GradientAmplitude, BackgroundHue, BackgroundChroma;
    internal double StripeAmplitude, StripeFrequency, StripeAngle, StripePhase;
    internal double CheckAmplitude, CheckFrequency, CheckAngle, NoiseAmplitude;
    internal double TextureA, TextureB;
    internal float[] Noise = [];
}
