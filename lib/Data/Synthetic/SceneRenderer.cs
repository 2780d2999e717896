using SplitBrain.Color;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Data;

/// <summary>
/// Draws the images of the <see cref="SyntheticStyle.Scenes"/> style from their <see cref="SceneParameters"/>, a
/// whole batch at once with tensor operations, as <see cref="ShapeRenderer"/> does for the Shapes style: a cluttered
/// background, then the objects (signed distance functions on coordinate grids, textures in object coordinates)
/// composited in Lab in depth order, then Lab to sRGB.
/// </summary>
/// <remarks>
/// <para>Every pixel operation is element-wise within one image, or a sum over one image's own blobs, so an image's
/// pixels depend only on its parameters, not on the batch it is drawn in.</para>
/// <para>Two economies keep the style within about two to three times the Shapes style's rendering time: the background,
/// smooth by design, is computed at half resolution and upsampled; the distractors, small by design, are computed in
/// windows a quarter of the image's area (<see cref="DistractorWindow"/>) and composited there.</para>
/// </remarks>
internal static class SceneRenderer
{
    /// <summary>Images drawn per tensor pass: small enough that the [n, S, S] float temporaries stay in the caches.</summary>
    private const int Chunk = 32;

    /// <summary>Draws the images with the given per-image parameters, as uint8 sRGB [B, 3, S, S] on the CPU.</summary>
    internal static Tensor Render(IReadOnlyList<SceneParameters> scenes, int size) =>
        DataTensors.RenderInChunks(scenes.Count, size, Chunk,
            (start, count) => RenderChunk([.. Enumerable.Range(start, count).Select(i => scenes[i])], size));

    /// <summary>
    /// The side of the square window a distractor is drawn in: twice its largest reach from its centre (radius up to 16%
    /// of the side, stretched by the aspect up to e^0.3, shapes reaching 1.05 radii) plus two pixels of edge.
    /// </summary>
    internal static int DistractorWindow(int size) =>
        Math.Min(size, 2 * (int)Math.Ceiling(0.16 * Math.Exp(0.3) * 1.05 * size + 2));

    private static Tensor RenderChunk(SceneParameters[] chunk, int size)
    {
        var lab = Background(chunk, size);                                     // [n, 3, S, S], contiguous

        // Depth order: the distractors behind the class object (slot by slot, so that an image has at most one object
        // in a pass), the class object, then the distractors in front of it.
        for (var slot = 1; slot <= SceneParameters.MaxDistractors; slot++)
        {
            DrawDistractors(lab, chunk, slot, inFront: false, size);
        }

        var axis = arange(size, ScalarType.Float32).add_(0.5);                 // pixel centres
        var (alpha, color) = ObjectLayers([.. chunk.Select(p => p.Objects[0])], axis.view(1, 1, size), axis.view(1, size, 1));
        lab.add_(color.sub_(lab).mul_(alpha));                                 // straight alpha: below + alpha * (object - below)
        for (var slot = 1; slot <= SceneParameters.MaxDistractors; slot++)
        {
            DrawDistractors(lab, chunk, slot, inFront: true, size);
        }

        lab.select(1, 0).clamp_(0, 100);
        return Lab.ToRgbBytes(lab);
    }

    /// <summary>
    /// Composites into <paramref name="lab"/> ([n, 3, S, S], contiguous) the distractors of one slot that lie on one
    /// side of the class object: each computed in its own window, read from and written back to its image through flat
    /// indices (one object per image in a pass, so no two write the same pixel).
    /// </summary>
    private static void DrawDistractors(Tensor lab, SceneParameters[] chunk, int slot, bool inFront, int size)
    {
        var members = Enumerable.Range(0, chunk.Length)
            .Where(i => chunk[i].Objects[slot] is { Shape: >= 0 } o && o.InFront == inFront).ToArray();
        if (members.Length == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var window = DistractorWindow(size);
        var objects = members.Select(i => chunk[i].Objects[slot]).ToArray();

        // The window's top-left pixel: centred on the object, moved inside the image where it would stick out (the part
        // of the object inside the image stays inside the window, since the window is at least twice its reach).
        long Origin(double centre) => Math.Clamp((long)Math.Round(centre) - window / 2, 0, size - window);
        var originX = tensor(objects.Select(o => Origin(o.CenterX)).ToArray(), ScalarType.Int64).view(-1, 1, 1);
        var originY = tensor(objects.Select(o => Origin(o.CenterY)).ToArray(), ScalarType.Int64).view(-1, 1, 1);
        var steps = arange(window, ScalarType.Int64);
        var columns = originX + steps.view(1, 1, window);                      // [m, 1, W]
        var rows = originY + steps.view(1, window, 1);                         // [m, W, 1]

        var (alpha, color) = ObjectLayers(objects, columns.to_type(ScalarType.Float32).add_(0.5), rows.to_type(ScalarType.Float32).add_(0.5));

        // Flat indices into lab: ((image * 3 + channel) * S + row) * S + column, [m, 3, W, W].
        var images = tensor(members.Select(i => (long)i).ToArray(), ScalarType.Int64).view(-1, 1, 1, 1);
        var channels = arange(3, ScalarType.Int64).view(1, 3, 1, 1);
        var pixels = (rows * size + columns).unsqueeze(1);                     // [m, 1, W, W]
        var index = (images * 3 + channels).mul_((long)size * size).add(pixels).view(-1);
        var flat = lab.view(-1);
        var below = flat.index_select(0, index).view(color.shape);
        flat.index_copy_(0, index, color.sub_(below).mul_(alpha).add_(below).view(-1));
    }

    /// <summary>
    /// The background in Lab, [n, 3, S, S] and contiguous: lightness with a gradient, a two-color gradient in ab, smooth
    /// noise in all three channels, soft blobs, and faint stripes. Everything in it is smooth, so its color is
    /// predictable from a neighbourhood, as a photograph's background is; and so it is computed at half resolution and
    /// upsampled bilinearly, which changes little but costs a quarter.
    /// </summary>
    private static Tensor Background(SceneParameters[] chunk, int size)
    {
        var count = chunk.Length;
        var low = (size + 1) / 2;
        var half = size / 2.0;
        var table = Table<BackgroundField>(count, 1, (set, i, _) =>
        {
            var p = chunk[i];
            var (sin, cos) = Math.SinCos(p.GradientAngle);
            set(BackgroundField.Lightness, p.Lightness);
            set(BackgroundField.GradientX, cos / half);
            set(BackgroundField.GradientY, sin / half);
            set(BackgroundField.GradientL, p.GradientAmplitude);
            set(BackgroundField.MiddleA, (p.StartA + p.EndA) / 2);
            set(BackgroundField.MiddleB, (p.StartB + p.EndB) / 2);
            set(BackgroundField.HalfSpanA, (p.EndA - p.StartA) / 2);
            set(BackgroundField.HalfSpanB, (p.EndB - p.StartB) / 2);
            set(BackgroundField.StripeX, Math.Cos(p.StripeAngle) * p.StripeFrequency);
            set(BackgroundField.StripeY, Math.Sin(p.StripeAngle) * p.StripeFrequency);
            set(BackgroundField.StripePhase, p.StripePhase);
            set(BackgroundField.StripeAmplitude, p.StripeAmplitude);
            set(BackgroundField.NoiseL, p.NoiseL);
            set(BackgroundField.NoiseAb, p.NoiseAb);
        });
        Tensor Column(BackgroundField f) => table[(int)f].view(count, 1, 1);  // [n, 1, 1]

        // The low-resolution grid's pixel centres, in full-resolution pixels (what bilinear upsampling without aligned
        // corners assumes).
        var axis = arange(low, ScalarType.Float32).add_(0.5).mul_((double)size / low);
        var x = axis.view(1, 1, low);
        var y = axis.view(1, low, 1);

        // g runs from about -1 to +1 along the gradient's direction (to ±1.4 in the corners).
        var g = (x - half) * Column(BackgroundField.GradientX) + (y - half) * Column(BackgroundField.GradientY); // [n, s, s]
        var stripes = (x * Column(BackgroundField.StripeX) + y * Column(BackgroundField.StripeY))
            .add_(Column(BackgroundField.StripePhase)).sin_().mul_(Column(BackgroundField.StripeAmplitude));

        // Smooth noise: coarse random grids upsampled bicubically, one per channel.
        var grid = SceneParameters.NoiseGrid;
        var values = new float[count * 3 * grid * grid];
        for (var i = 0; i < count; i++)
        {
            chunk[i].Noise.CopyTo(values, i * 3 * grid * grid);
        }

        var noise = nn.functional.interpolate(
            tensor(values, [count, 3, grid, grid]), size: [low, low], mode: InterpolationMode.Bicubic, align_corners: true); // [n, 3, s, s]
        var blobs = Blobs(chunk, x, y);                                        // [n, 3, s, s]

        var l = (g * Column(BackgroundField.GradientL)).add_(Column(BackgroundField.Lightness)).add_(stripes)
            .add_(noise.select(1, 0).mul_(Column(BackgroundField.NoiseL)));
        var a = (g * Column(BackgroundField.HalfSpanA)).add_(Column(BackgroundField.MiddleA))
            .add_(noise.select(1, 1).mul_(Column(BackgroundField.NoiseAb)));
        var b = g.mul_(Column(BackgroundField.HalfSpanB)).add_(Column(BackgroundField.MiddleB))
            .add_(noise.select(1, 2).mul_(Column(BackgroundField.NoiseAb)));
        var lab = stack([l, a, b], 1).add_(blobs);                            // [n, 3, s, s]
        return nn.functional.interpolate(lab, size: [size, size], mode: InterpolationMode.Bilinear, align_corners: false).contiguous();
    }

    /// <summary>The blobs' summed Lab offsets, [n, 3, s, s] on the grid <paramref name="x"/> by <paramref name="y"/>:
    /// each a rotated ellipse with a soft (sigmoid) edge.</summary>
    private static Tensor Blobs(SceneParameters[] chunk, Tensor x, Tensor y)
    {
        const int k = SceneParameters.MaxBlobs;
        var count = chunk.Length;
        var table = Table<BlobField>(count, k, (set, i, j) =>
        {
            var blob = chunk[i].Blobs[j];
            var (sin, cos) = Math.SinCos(blob.Rotation);
            set(BlobField.CenterX, blob.CenterX);
            set(BlobField.CenterY, blob.CenterY);
            set(BlobField.PFromX, cos / blob.RadiusX);
            set(BlobField.PFromY, sin / blob.RadiusX);
            set(BlobField.QFromX, sin / blob.RadiusY);
            set(BlobField.QFromY, cos / blob.RadiusY);
            set(BlobField.Sharpness, (blob.RadiusX + blob.RadiusY) / 2 / blob.Softness); // edge about Softness pixels wide
            set(BlobField.L, blob.L);
            set(BlobField.A, blob.A);
            set(BlobField.B, blob.B);
        });
        Tensor Column(BlobField f) => table[(int)f].view(count, k, 1, 1);      // [n, K, 1, 1]

        var dx = x.unsqueeze(0) - Column(BlobField.CenterX);                   // [n, K, 1, s]
        var dy = y.unsqueeze(0) - Column(BlobField.CenterY);                   // [n, K, s, 1]
        var p = dx * Column(BlobField.PFromX) + dy * Column(BlobField.PFromY);  // [n, K, s, s], in radii
        var q = dy * Column(BlobField.QFromY) - dx * Column(BlobField.QFromX);
        var weight = ShapeRenderer.Length(p, q).neg_().add_(1).mul_(Column(BlobField.Sharpness)).sigmoid_().flatten(2); // [n, K, s*s]

        // The sum over blobs of weight times offset, for L, a and b at once: [n, 3, K] x [n, K, s*s].
        var offsets = stack([table[(int)BlobField.L], table[(int)BlobField.A], table[(int)BlobField.B]], 0).view(3, count, k).permute(1, 0, 2);
        return offsets.bmm(weight).view(count, 3, y.shape[^2], x.shape[^1]);
    }

    /// <summary>
    /// One layer per object: coverage (alpha, [m, 1, H, W]) and Lab color ([m, 3, H, W]) on the pixel centres
    /// <paramref name="xs"/> ([1 or m, 1, W]) by <paramref name="ys"/> ([1 or m, H, 1]). An object is colored
    /// consistently: its own Lab color, shaded across and darker at the rim, with its texture moving L and, in
    /// proportion, ab.
    /// </summary>
    private static (Tensor Alpha, Tensor Color) ObjectLayers(SceneObject[] objects, Tensor xs, Tensor ys)
    {
        var m = objects.Length;
        var table = Table<ObjectField>(m, 1, (set, i, _) =>
        {
            var o = objects[i];
            var (sin, cos) = Math.SinCos(o.Rotation);
            var (textureSin, textureCos) = Math.SinCos(o.TextureAngle);
            set(ObjectField.CenterX, o.CenterX);
            set(ObjectField.CenterY, o.CenterY);
            set(ObjectField.Radius, o.Radius);
            set(ObjectField.UFromX, cos / (o.Radius * o.Aspect));
            set(ObjectField.UFromY, sin / (o.Radius * o.Aspect));
            set(ObjectField.VFromX, sin * o.Aspect / o.Radius);
            set(ObjectField.VFromY, cos * o.Aspect / o.Radius);
            set(ObjectField.ShadeX, Math.Cos(o.ShadeAngle) * o.ShadeAmplitude / o.Radius);
            set(ObjectField.ShadeY, Math.Sin(o.ShadeAngle) * o.ShadeAmplitude / o.Radius);
            set(ObjectField.Rim, o.Rim);
            set(ObjectField.Lightness, o.Lightness);
            set(ObjectField.A, o.Chroma * Math.Cos(o.Hue));
            set(ObjectField.B, o.Chroma * Math.Sin(o.Hue));
            set(ObjectField.TextureCos, textureCos * o.TextureFrequency);
            set(ObjectField.TextureSin, textureSin * o.TextureFrequency);
            set(ObjectField.TextureFrequency, o.TextureFrequency);
            set(ObjectField.TexturePhase, o.TexturePhase);
            set(ObjectField.TextureAmplitude, o.TextureAmplitude);
            set(ObjectField.TextureA, o.TextureA);
            set(ObjectField.TextureB, o.TextureB);
        });
        Tensor Column(ObjectField f) => table[(int)f].view(m, 1, 1);          // [m, 1, 1]

        var dx = xs - Column(ObjectField.CenterX);                            // [m, 1, W]
        var dy = ys - Column(ObjectField.CenterY);                            // [m, H, 1]

        // Object-local coordinates (rotated, scaled by the radius and the aspect): the shape fits the unit disc.
        var u = dx * Column(ObjectField.UFromX) + dy * Column(ObjectField.UFromY); // [m, H, W]
        var v = dy * Column(ObjectField.VFromY) - dx * Column(ObjectField.VFromX);
        var sdf = Grouped([.. objects.Select(o => o.Shape)], u, v, Distance);
        var inside = sdf.mul_(Column(ObjectField.Radius)).neg_();             // pixels inside the edge (< 0 outside)
        var alpha = inside.add(0.5).clamp_(0, 1);                              // one-pixel antialiased edge

        // Texture in object coordinates (it turns and scales with the object), in radians of the pattern, then in L
        // units; it tints ab in proportion.
        var phase = Column(ObjectField.TexturePhase);
        var tu = (u * Column(ObjectField.TextureCos)).add_(v * Column(ObjectField.TextureSin)).add_(phase);
        var tv = (v * Column(ObjectField.TextureCos)).sub_(u * Column(ObjectField.TextureSin));
        var texture = Grouped([.. objects.Select(o => o.Texture)], tu, tv, (family, pu, pv, index) => Texture(family, pu, pv,
                () => ShapeRenderer.Length(u.index_select(0, index), v.index_select(0, index))
                    .mul_(Column(ObjectField.TextureFrequency).index_select(0, index)).add_(phase.index_select(0, index))))
            .mul_(Column(ObjectField.TextureAmplitude));                      // [m, H, W], L units

        var shade = dx * Column(ObjectField.ShadeX) + dy * Column(ObjectField.ShadeY);   // [m, H, W]
        var rim = inside.div_(3).clamp_(0, 1).sub_(1).mul_(Column(ObjectField.Rim));   // -rim at the edge .. 0 inside
        var l = shade.add_(Column(ObjectField.Lightness)).add_(rim).add_(texture);
        var a = texture * Column(ObjectField.TextureA) + Column(ObjectField.A);
        var b = texture.mul_(Column(ObjectField.TextureB)).add_(Column(ObjectField.B));
        return (alpha.unsqueeze(1), stack([l, a, b], 1));
    }

    /// <summary>Signed distance (in object units, negative inside) of a class's shape or of a shape of no class.</summary>
    private static Tensor Distance(int shape, Tensor u, Tensor v, Tensor index) => shape switch
    {
        < ShapeRenderer.ClassCount => ShapeRenderer.ShapeDistance(shape, u, v),
        SceneParameters.Hexagon => Hexagon(u.abs(), v.abs()),
        SceneParameters.HalfDisc => HalfDisc(u, v),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, $"Expected a shape 0..{SceneParameters.ShapeCount - 1}."),
    };

    // Regular hexagon with inradius 0.8 (flat sides up and down): the largest of its three edge distances (exact inside,
    // a little short outside the corners, which only matters beyond the one-pixel edge).
    private static Tensor Hexagon(Tensor au, Tensor av) =>
        maximum(au.mul(Math.Sqrt(3) / 2).add_(av * 0.5), av).sub_(0.8);

    // Half-disc of radius 0.95, flat side down, centred on its bounding box.
    private static Tensor HalfDisc(Tensor u, Tensor v)
    {
        var shifted = v + 0.45;
        return maximum(ShapeRenderer.Length(u, shifted).sub_(0.95), shifted.neg());
    }

    /// <summary>The five surface textures, in -1..1, of pattern coordinates in radians (u along the pattern with the
    /// phase added, v across it, and on demand the distance from the object's centre, with the phase added).</summary>
    private static Tensor Texture(int family, Tensor u, Tensor v, Func<Tensor> radius) => family switch
    {
        0 => u.sin(),                                                          // stripes
        1 => u.cos().add_(v.cos()).sub_(1).mul_(3).tanh_(),                    // dots on a square lattice
        2 => u.sin().mul_(v.sin()).mul_(4).tanh_(),                           // checks
        3 => radius().sin_(),                                                  // concentric rings
        4 => v.mul(0.8).sin_().mul_(1.6).add_(u).sin_(),                      // waves
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, $"Expected a texture 0..{SceneParameters.TextureNames.Length - 1}."),
    };

    /// <summary>
    /// A per-row formula that differs by group (a shape, a texture): each group's formula runs only on its rows, so a
    /// batch costs one field per object, not one per group and object. Rows of no group (-1) get 0, which is right for
    /// both uses: no texture, or no object (only distractor slots are ever empty, and those are never drawn).
    /// </summary>
    private static Tensor Grouped(int[] groups, Tensor u, Tensor v, Func<int, Tensor, Tensor, Tensor, Tensor> formula)
    {
        var result = zeros_like(u);
        foreach (var group in groups.Where(g => g >= 0).Distinct().Order())
        {
            var members = Enumerable.Range(0, groups.Length).Where(r => groups[r] == group).Select(r => (long)r).ToArray();
            var index = tensor(members, ScalarType.Int64);
            result.index_copy_(0, index, formula(group, u.index_select(0, index), v.index_select(0, index), index));
        }

        return result;
    }

    /// <summary>A [fields, n * per] float32 table of per-image (or per image and slot) numbers, filled by
    /// <paramref name="fill"/>(set, image, slot).</summary>
    private static Tensor Table<TField>(int count, int per, Action<Action<TField, double>, int, int> fill)
        where TField : struct, Enum
    {
        var fields = Enum.GetValues<TField>().Length;
        var rows = count * per;
        var values = new float[fields * rows];
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < per; j++)
            {
                var row = i * per + j;
                fill((f, value) => values[Convert.ToInt32(f) * rows + row] = (float)value, i, j);
            }
        }

        return tensor(values, [fields, rows]);
    }

    private enum BackgroundField
    {
        Lightness, GradientX, GradientY, GradientL, MiddleA, MiddleB, HalfSpanA, HalfSpanB,
        StripeX, StripeY, StripePhase, StripeAmplitude, NoiseL, NoiseAb,
    }

    private enum BlobField
    {
        CenterX, CenterY, PFromX, PFromY, QFromX, QFromY, Sharpness, L, A, B,
    }

    private enum ObjectField
    {
        CenterX, CenterY, Radius, UFromX, UFromY, VFromX, VFromY, ShadeX, ShadeY, Rim, Lightness, A, B,
        TextureCos, TextureSin, TextureFrequency, TexturePhase, TextureAmplitude, TextureA, TextureB,
    }
}
