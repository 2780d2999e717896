namespace SplitBrain.Data;

/// <summary>
/// The random choices behind one image of the <see cref="SyntheticStyle.Scenes"/> style, drawn from (seed, split,
/// index) by <see cref="Draw"/>; <see cref="SceneRenderer"/> turns them into pixels. Lengths in pixels, angles in
/// radians, colors in Lab units.
/// </summary>
/// <remarks>
/// <para>What makes a scene harder than a <see cref="SyntheticStyle.Shapes"/> image, each choice after something
/// photographs do:</para>
/// <list type="bullet">
/// <item>The class object's hue is its class's hue family only with probability <see cref="PreferredHueProbability"/>,
/// otherwise any hue: hue is a weak cue (the family then matches the class in about 44% of images instead of 100%).
/// Lightness still follows hue as the sRGB gamut makes it (yellows light, violets and blues dark), so L predicts ab
/// in part, as in photographs.</item>
/// <item>The class object wears a texture typical of its class (<see cref="TextureNames"/>, two classes per texture,
/// paired across hue families) with probability <see cref="ClassTextureProbability"/>, otherwise a random one.</item>
/// <item>One to three distractors: smaller objects of another class's shape or of a shape of no class, with their own
/// colors and textures, mostly behind the class object (partly hidden by it), sometimes in front of it (hiding part of
/// it).</item>
/// <item>The background is clutter, but smooth in color: a two-color gradient, smooth noise in L, a and b,
/// low-contrast soft blobs and sometimes faint stripes; its lightness is set apart from the class object's, by less
/// than in the Shapes style.</item>
/// </list>
/// </remarks>
internal sealed class SceneParameters
{
    /// <summary>Distractor slots per image (1 to 3 are used; an unused one has <see cref="SceneObject.Shape"/> -1).</summary>
    internal const int MaxDistractors = 3;

    /// <summary>Object slots per image: the class object first, then the distractors.</summary>
    internal const int ObjectSlots = 1 + MaxDistractors;

    /// <summary>Background blob slots per image (2 to 6 are used; an unused one has zero color offsets).</summary>
    internal const int MaxBlobs = 6;

    /// <summary>Side of the coarse random grids of the background's smooth noise (one each for L, a and b).</summary>
    internal const int NoiseGrid = 6;

    /// <summary>Shape number of the hexagon, a shape of no class (distractors only).</summary>
    internal const int Hexagon = ShapeRenderer.ClassCount;

    /// <summary>Shape number of the half-disc, a shape of no class (distractors only).</summary>
    internal const int HalfDisc = ShapeRenderer.ClassCount + 1;

    /// <summary>Shapes the renderer knows: the ten classes' and the two of no class.</summary>
    internal const int ShapeCount = ShapeRenderer.ClassCount + 2;

    /// <summary>How often an object's hue comes from its class's hue family; otherwise it is uniform on the circle.</summary>
    internal const double PreferredHueProbability = 0.3;

    /// <summary>How often the class object wears its class's texture; otherwise one of the five at random.</summary>
    internal const double ClassTextureProbability = 0.75;

    /// <summary>The surface textures, in object coordinates (they turn and scale with the object).</summary>
    internal static readonly string[] TextureNames = ["stripes", "dots", "checks", "rings", "waves"];

    // Class -> texture: stripes {disc, square}, dots {triangle, ring}, checks {cross, star}, rings {diamond, bar},
    // waves {crescent, arrow}. Each pair's classes have different hue families (ShapeRenderer.FamilyOfClass), so a
    // texture and a hue family together, when both follow the class, name one class.
    internal static readonly int[] TextureOfClass = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4];

    /// <summary>The class, 0..9 (the shape of <see cref="Objects"/>[0]).</summary>
    internal int Label;

    /// <summary>The class object, then <see cref="MaxDistractors"/> distractor slots.</summary>
    internal SceneObject[] Objects = [];

    /// <summary>Background lightness at the image centre, before the gradient, noise and blobs.</summary>
    internal double Lightness;

    /// <summary>Direction of the background gradient, and the change in L from the centre to the edge along it.</summary>
    internal double GradientAngle, GradientAmplitude;

    /// <summary>The background's a and b at the two ends of the gradient (at -1 and +1 along its direction).</summary>
    internal double StartA, StartB, EndA, EndB;

    /// <summary>Faint stripes over the background (amplitude 0 for none), in L units.</summary>
    internal double StripeAmplitude, StripeFrequency, StripeAngle, StripePhase;

    /// <summary>Amplitudes of the smooth noise in L and in each of a and b.</summary>
    internal double NoiseL, NoiseAb;

    /// <summary>The coarse noise grids, L then a then b, each <see cref="NoiseGrid"/> squared values in -1..1.</summary>
    internal float[] Noise = [];

    /// <summary><see cref="MaxBlobs"/> soft blobs of the background.</summary>
    internal SceneBlob[] Blobs = [];

    /// <summary>Draws the parameters of image <paramref name="index"/> of a split of the Scenes style.</summary>
    /// <param name="seed">The dataset's seed.</param>
    /// <param name="split">The split.</param>
    /// <param name="index">The image's index in the split.</param>
    /// <param name="label">Its class, 0..9.</param>
    /// <param name="size">The image side in pixels.</param>
    internal static SceneParameters Draw(int seed, DatasetSplit split, int index, int label, int size)
    {
        // The style is a key of the stream, so a scene is not made of the same draws as the Shapes image of its index.
        var random = new DeterministicRandom(seed, (long)split, index, (long)SyntheticStyle.Scenes);
        var s = (double)size;
        var p = new SceneParameters { Label = label, Objects = new SceneObject[ObjectSlots] };

        // The class object: radius 17%..30% of the side (smaller than the Shapes style's 20%..34%, to leave room for
        // clutter), centred so that it stays (almost) inside the image.
        var target = new SceneObject { Shape = label };
        target.Radius = s * random.Uniform(0.17, 0.30);
        var margin = target.Radius * 0.85;
        target.CenterX = random.Uniform(margin, s - margin);
        target.CenterY = random.Uniform(margin, s - margin);
        target.Rotation = random.Uniform(0, 2 * Math.PI);
        target.Aspect = Math.Exp(random.Uniform(-0.25, 0.25));
        DrawColor(target, random, chromaLow: 30, chromaHigh: 58);
        var classTexture = random.Chance(ClassTextureProbability);
        var otherTexture = random.NextInt(TextureNames.Length);      // drawn always, so later draws do not depend on the coin
        target.Texture = classTexture ? TextureOfClass[label] : otherTexture;
        DrawTexture(target, random, amplitudeLow: 5, amplitudeHigh: 12);
        p.Objects[0] = target;

        // The background: its lightness a gap away from the object's (smaller than in the Shapes style: contrast is
        // sometimes low, as in photographs), then gradient, color noise, blobs and stripes.
        var gap = random.Uniform(10, 32);
        var below = target.Lightness - gap;
        var above = target.Lightness + gap;
        var coin = random.Chance(0.5);
        var (belowFits, aboveFits) = (below >= 16, above <= 92);
        var takeBelow = belowFits && aboveFits ? coin : belowFits || (!aboveFits && target.Lightness > 50);
        p.Lightness = Math.Clamp(takeBelow ? below : above, 14, 92);
        p.GradientAngle = random.Uniform(0, 2 * Math.PI);
        p.GradientAmplitude = random.Uniform(0, 16);
        (p.StartA, p.StartB) = Polar(random.Uniform(0, 24), random.Uniform(0, 2 * Math.PI));
        (p.EndA, p.EndB) = Polar(random.Uniform(0, 24), random.Uniform(0, 2 * Math.PI));
        p.NoiseL = random.Uniform(2, 7);
        p.NoiseAb = random.Uniform(2, 9);
        p.Noise = new float[3 * NoiseGrid * NoiseGrid];
        for (var i = 0; i < p.Noise.Length; i++)
        {
            p.Noise[i] = (float)random.Uniform(-1, 1);
        }

        var stripes = random.Chance(0.35);
        p.StripeAmplitude = stripes ? random.Uniform(2, 5) : 0;
        p.StripeFrequency = 2 * Math.PI * random.Uniform(3, 10) / s;
        p.StripeAngle = random.Uniform(0, Math.PI);
        p.StripePhase = random.Uniform(0, 2 * Math.PI);

        var blobs = 2 + random.NextInt(MaxBlobs - 1);
        p.Blobs = new SceneBlob[MaxBlobs];
        for (var k = 0; k < MaxBlobs; k++)
        {
            var blob = new SceneBlob
            {
                CenterX = random.Uniform(0, s),
                CenterY = random.Uniform(0, s),
                RadiusX = s * random.Uniform(0.08, 0.3),
                RadiusY = s * random.Uniform(0.08, 0.3),
                Rotation = random.Uniform(0, Math.PI),
                Softness = random.Uniform(1.5, 6),
                L = random.Uniform(-12, 12),
            };
            (blob.A, blob.B) = Polar(random.Uniform(0, 16), random.Uniform(0, 2 * Math.PI));
            if (k >= blobs)
            {
                (blob.L, blob.A, blob.B) = (0, 0, 0);   // an unused slot adds nothing
            }

            p.Blobs[k] = blob;
        }

        // Distractors: another class's shape or a shape of no class, about half as large as the class object, anywhere
        // behind it; or, less often, in front of it, smaller still and on its rim, so that it hides a part of it.
        var distractors = 1 + random.NextInt(MaxDistractors);
        for (var k = 0; k < MaxDistractors; k++)
        {
            var d = new SceneObject();
            var noClass = random.Chance(0.5);
            var noClassShape = Hexagon + random.NextInt(2);
            var otherClass = random.NextInt(ShapeRenderer.ClassCount - 1);
            d.Shape = noClass ? noClassShape : otherClass < label ? otherClass : otherClass + 1;
            d.InFront = random.Chance(0.3);
            d.Radius = s * (d.InFront ? random.Uniform(0.07, 0.12) : random.Uniform(0.08, 0.16));
            var inside = d.Radius * 0.3;                  // distractors may be cut by the image's edge
            var (anywhereX, anywhereY) = (random.Uniform(inside, s - inside), random.Uniform(inside, s - inside));
            var (rimX, rimY) = Polar(target.Radius * random.Uniform(0.7, 1.1), random.Uniform(0, 2 * Math.PI));
            d.CenterX = d.InFront ? Math.Clamp(target.CenterX + rimX, inside, s - inside) : anywhereX;
            d.CenterY = d.InFront ? Math.Clamp(target.CenterY + rimY, inside, s - inside) : anywhereY;
            d.Rotation = random.Uniform(0, 2 * Math.PI);
            d.Aspect = Math.Exp(random.Uniform(-0.3, 0.3));
            DrawColor(d, random, chromaLow: 18, chromaHigh: 55);
            var textured = random.Chance(0.5);
            var texture = random.NextInt(TextureNames.Length);
            d.Texture = textured ? texture : -1;
            DrawTexture(d, random, amplitudeLow: 3, amplitudeHigh: 8);
            if (k >= distractors)
            {
                d.Shape = -1;                              // an unused slot draws nothing
            }

            p.Objects[1 + k] = d;
        }

        return p;
    }

    // Hue (the class's family with PreferredHueProbability, else uniform; shapes of no class always uniform), chroma,
    // a lightness where that hue's saturated colors fit the gamut, and the shading.
    private static void DrawColor(SceneObject o, DeterministicRandom random, double chromaLow, double chromaHigh)
    {
        var preferred = random.Chance(PreferredHueProbability) && o.Shape < ShapeRenderer.ClassCount;
        var jitter = random.Uniform(-12, 12);
        var anyHue = random.Uniform(0, 360);
        var hue = preferred ? ShapeRenderer.HueDegrees(o.Shape) + jitter : anyHue;
        o.Hue = ShapeRenderer.Radians(hue);
        o.Chroma = random.Uniform(chromaLow, chromaHigh);
        var (low, high) = LightnessRange(hue);
        o.Lightness = random.Uniform(low, high);
        o.ShadeAngle = random.Uniform(0, 2 * Math.PI);
        o.ShadeAmplitude = random.Uniform(4, 14);
        o.Rim = random.Uniform(0, 12);
    }

    // The texture's scale (2 to 3.5 periods per radius), orientation, phase and contrast in L, and its tint: the texture
    // moves ab along a random direction in proportion to its L, so a two-tone pattern's colors follow its lightness.
    private static void DrawTexture(SceneObject o, DeterministicRandom random, double amplitudeLow, double amplitudeHigh)
    {
        o.TextureFrequency = 2 * Math.PI * random.Uniform(2, 3.5);
        o.TextureAngle = random.Uniform(0, Math.PI);
        o.TexturePhase = random.Uniform(0, 2 * Math.PI);
        o.TextureAmplitude = o.Texture < 0 ? 0 : random.Uniform(amplitudeLow, amplitudeHigh);
        (o.TextureA, o.TextureB) = Polar(random.Uniform(0.2, 0.9), random.Uniform(0, 2 * Math.PI));
    }

    /// <summary>
    /// The lightness range in which saturated colors of a Lab hue (degrees) stay mostly inside the sRGB gamut: the hue
    /// families' ranges (<see cref="ShapeRenderer.Families"/>), interpolated linearly around the hue circle.
    /// </summary>
    internal static (double Low, double High) LightnessRange(double hueDegrees)
    {
        var families = ShapeRenderer.Families;
        var hue = ((hueDegrees % 360) + 360) % 360;
        for (var i = 0; i < families.Length; i++)
        {
            var from = families[i];
            var to = families[(i + 1) % families.Length];
            var span = ((to.Hue - from.Hue) % 360 + 360) % 360;
            var offset = ((hue - from.Hue) % 360 + 360) % 360;
            if (offset <= span)
            {
                var t = offset / span;
                return (from.LightnessLow + t * (to.LightnessLow - from.LightnessLow),
                    from.LightnessHigh + t * (to.LightnessHigh - from.LightnessHigh));
            }
        }

        throw new InvalidOperationException($"Hue {hueDegrees} fell between no two families."); // unreachable: the spans cover the circle
    }

    private static (double A, double B) Polar(double radius, double angle) => (radius * Math.Cos(angle), radius * Math.Sin(angle));
}

/// <summary>One object of a scene: the class object or a distractor (lengths in pixels, angles in radians, Lab units).</summary>
internal sealed class SceneObject
{
    /// <summary>0..9 a class's shape, <see cref="SceneParameters.Hexagon"/> or <see cref="SceneParameters.HalfDisc"/>;
    /// -1 for an unused slot.</summary>
    internal int Shape;

    /// <summary>-1 for none, else an index into <see cref="SceneParameters.TextureNames"/>.</summary>
    internal int Texture;

    /// <summary>Whether a distractor is drawn over the class object (else under it).</summary>
    internal bool InFront;

    internal double CenterX, CenterY, Radius, Rotation, Aspect;
    internal double Hue, Chroma, Lightness, ShadeAngle, ShadeAmplitude, Rim;
    internal double TextureFrequency, TextureAngle, TexturePhase, TextureAmplitude, TextureA, TextureB;
}

/// <summary>A soft, low-contrast ellipse of a scene's background that shifts its L, a and b.</summary>
internal sealed class SceneBlob
{
    internal double CenterX, CenterY, RadiusX, RadiusY, Rotation, Softness, L, A, B;
}
