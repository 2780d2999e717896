#!/usr/bin/python3
"""Procedural sample images for the color-spaces chapter (RGB vs CIE Lab).

Running this script writes five 192x192 8-bit sRGB PNG images next to it:

    sunset.png         orange->purple sky, sun disc with glow, dark sea with
                       golden reflection streaks (mostly dark L, vivid a/b)
    meadow.png         blue sky with soft clouds, textured green grass and
                       scattered red / yellow / white flowers
    fruit.png          orange, apple, lemon and grapes as shaded spheres on a
                       wooden table, with soft shadows
    mountain-lake.png  layered mountains with snowy peaks, aerial-perspective
                       haze and a lake reflecting them
    coral-reef.png     very saturated, multi-colored reef with fish

Everything is drawn from scratch with numpy (value noise, fractal noise,
gradients, simple sphere / cylinder shading); PIL is used only to write the
PNG files.  No photographs or third-party images are involved.  All random
choices come from fixed seeds, so the output is identical on every run.

The images and this script are our own work, released under CC0 1.0
(public domain dedication).

Usage:  /usr/bin/python3 make_images.py
"""

import os

import numpy as np
from PIL import Image

SIZE = 192                 # final image size in pixels
SS = 2                     # supersampling factor (anti-aliasing)
N = SIZE * SS              # working resolution
OUT_DIR = os.path.dirname(os.path.abspath(__file__))

LIGHT = np.array([-0.45, -0.65, 0.62])          # x right, y down, z to viewer
LIGHT = LIGHT / np.linalg.norm(LIGHT)


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def rgb(*c):
    return np.array(c, dtype=float)


def smoothstep(e0, e1, x):
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def mix(a, b, t):
    """Linear blend; t may be a scalar or an (H, W) array."""
    t = np.asarray(t, dtype=float)
    if t.ndim == 2:
        t = t[..., None]
    return a + (b - a) * t


def ramp(t, stops):
    """Piecewise-linear color gradient; stops = [(position, (r, g, b)), ...]."""
    pos = [p for p, _ in stops]
    cols = np.array([c for _, c in stops], dtype=float)
    t = np.clip(t, 0.0, 1.0)
    return np.stack([np.interp(t, pos, cols[:, k]) for k in range(3)], axis=-1)


def grid():
    """Normalized pixel-center coordinates U (x, right) and V (y, down)."""
    c = (np.arange(N) + 0.5) / N
    return np.meshgrid(c, c)


def value_noise(rng, shape, cells):
    """Smoothly interpolated random lattice values in [0, 1].

    cells = (rows, cols): how many lattice cells span the array."""
    h, w = shape
    cy, cx = cells
    g = rng.random((int(np.ceil(cy)) + 3, int(np.ceil(cx)) + 3))
    y = np.arange(h) * (cy / h) + rng.random()
    x = np.arange(w) * (cx / w) + rng.random()
    y0, x0 = np.floor(y).astype(int), np.floor(x).astype(int)
    fy, fx = y - y0, x - x0
    fy = (fy * fy * fy * (fy * (fy * 6 - 15) + 10))[:, None]   # quintic fade
    fx = (fx * fx * fx * (fx * (fx * 6 - 15) + 10))[None, :]
    a = g[y0][:, x0]
    b = g[y0][:, x0 + 1]
    c = g[y0 + 1][:, x0]
    d = g[y0 + 1][:, x0 + 1]
    return (a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy


def fbm(rng, shape, cells, octaves=5, gain=0.5, lacunarity=2.0):
    """Fractal (multi-octave) value noise, stretched to roughly [0, 1]."""
    total = np.zeros(shape)
    amp, norm = 1.0, 0.0
    cy, cx = cells
    for _ in range(octaves):
        total += amp * value_noise(rng, shape, (cy, cx))
        norm += amp
        amp *= gain
        cy, cx = cy * lacunarity, cx * lacunarity
    return stretch(total / norm)


def fbm1d(rng, n, cells, octaves=5, gain=0.5):
    return fbm(rng, (1, n), (1, cells), octaves, gain)[0]


def stretch(x, lo=1, hi=99):
    """Rescale so that the given percentiles map to 0 and 1 (clipped)."""
    a, b = np.percentile(x, [lo, hi])
    return np.clip((x - a) / (b - a + 1e-12), 0.0, 1.0)


def blur(img, sigma):
    """Separable Gaussian blur (sigma in working-resolution pixels)."""
    r = int(3 * sigma) + 1
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    out = img.astype(float)
    for axis in (0, 1):
        pad = [(0, 0)] * out.ndim
        pad[axis] = (r, r)
        p = np.pad(out, pad, mode="reflect")
        acc = np.zeros_like(out)
        n = out.shape[axis]
        for i, w in enumerate(k):
            acc += w * np.take(p, np.arange(i, i + n), axis=axis)
        out = acc
    return out


def smooth1d(x, sigma):
    """Gaussian smoothing of a 1-D array (edges padded with end values)."""
    r = int(3 * sigma) + 1
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    return np.convolve(np.pad(x, r, mode="edge"), k / k.sum(), mode="valid")


def window(cx, cy, rx, ry):
    """Pixel window around (cx, cy) with half-extent (rx, ry), plus coords."""
    x0, x1 = max(int((cx - rx) * N) - 2, 0), min(int((cx + rx) * N) + 3, N)
    y0, y1 = max(int((cy - ry) * N) - 2, 0), min(int((cy + ry) * N) + 3, N)
    if x0 >= x1 or y0 >= y1:
        return None
    X, Y = np.meshgrid((np.arange(x0, x1) + 0.5) / N,
                       (np.arange(y0, y1) + 0.5) / N)
    return (slice(y0, y1), slice(x0, x1)), X, Y


def paint(img, sl, mask, color):
    """Alpha-blend color (constant or per-pixel) into img[sl] with mask."""
    img[sl] = img[sl] * (1 - mask[..., None]) + color * mask[..., None]


def shade(nx, ny, base, ambient=0.22, spec=0.45, shininess=30.0):
    """Lambert + Blinn-Phong shading for a surface with normal (nx, ny, nz)."""
    nz = np.sqrt(np.clip(1 - nx * nx - ny * ny, 0, 1))
    lam = np.clip(nx * LIGHT[0] + ny * LIGHT[1] + nz * LIGHT[2], 0, 1)
    h = LIGHT + np.array([0, 0, 1.0])
    h /= np.linalg.norm(h)
    sp = np.clip(nx * h[0] + ny * h[1] + nz * h[2], 0, 1) ** shininess
    return base * (ambient + (1 - ambient) * lam)[..., None] + spec * sp[..., None]


def ellipsoid(img, cx, cy, rx, ry, base, spec=0.45, shininess=30.0,
              bump=None, ambient=0.22, bounce=None):
    """Draw a shaded ellipse-shaped 'sphere'. base: color or f(nx, ny)->colors.

    bump(nx, ny) -> (dnx, dny) perturbs the normal for surface texture;
    bounce adds light reflected from below (e.g. from the table)."""
    w = window(cx, cy, rx, ry)
    if w is None:
        return
    sl, X, Y = w
    nx, ny = (X - cx) / rx, (Y - cy) / ry
    r = np.sqrt(nx * nx + ny * ny)
    aa = 1.2 / (N * min(rx, ry))
    mask = smoothstep(1 + aa, 1 - aa, r)
    col = base(nx, ny) if callable(base) else np.broadcast_to(base, nx.shape + (3,))
    sx, sy = nx, ny
    if bump is not None:
        dx, dy = bump(nx, ny)
        sx, sy = np.clip(nx + dx, -1, 1), np.clip(ny + dy, -1, 1)
    c = shade(sx, sy, col, ambient=ambient, spec=spec, shininess=shininess)
    if bounce is not None:
        c = c + bounce * (np.clip(ny, 0, 1) ** 2 * 0.25)[..., None] * col
    paint(img, sl, mask, c)


def capsule(img, p0, p1, r0, r1, color, spec=0.15):
    """Shaded tapered cylinder with round ends from p0 to p1 (coral branches)."""
    (x0, y0), (x1, y1) = p0, p1
    rmax = max(r0, r1)
    w = window((x0 + x1) / 2, (y0 + y1) / 2,
               abs(x1 - x0) / 2 + rmax, abs(y1 - y0) / 2 + rmax)
    if w is None:
        return
    sl, X, Y = w
    dx, dy = x1 - x0, y1 - y0
    L2 = dx * dx + dy * dy + 1e-12
    t = np.clip(((X - x0) * dx + (Y - y0) * dy) / L2, 0, 1)
    qx, qy = X - (x0 + t * dx), Y - (y0 + t * dy)
    dist = np.sqrt(qx * qx + qy * qy)
    r = r0 + (r1 - r0) * t
    mask = smoothstep(r + 1.0 / N, r - 1.0 / N, dist)
    ln = np.sqrt(L2)
    px, py = -dy / ln, dx / ln                  # unit perpendicular
    s = np.clip((qx * px + qy * py) / np.maximum(r, 1e-6), -1, 1)
    c = shade(s * px, s * py, np.broadcast_to(color, X.shape + (3,)),
              ambient=0.3, spec=spec, shininess=12)
    paint(img, sl, mask, c)


def save(img, name):
    small = img.reshape(SIZE, SS, SIZE, SS, 3).mean(axis=(1, 3))
    data = np.round(np.clip(small, 0, 1) * 255).astype(np.uint8)
    path = os.path.join(OUT_DIR, name)
    Image.fromarray(data, "RGB").save(path, optimize=True)
    return path


# --------------------------------------------------------------------------
# Scenes
# --------------------------------------------------------------------------

def sunset(seed=1):
    rng = np.random.default_rng(seed)
    U, V = grid()
    hor = 0.64
    img = ramp(V / hor, [(0.00, (0.10, 0.05, 0.22)),
                         (0.30, (0.30, 0.10, 0.38)),
                         (0.58, (0.70, 0.22, 0.38)),
                         (0.82, (0.96, 0.46, 0.20)),
                         (1.00, (1.00, 0.70, 0.32))])

    # sun with a two-part glow
    sx, sy, sr = 0.52, 0.585, 0.06
    d = np.hypot(U - sx, V - sy)
    img += rgb(1.0, 0.50, 0.18) * (0.55 * np.exp(-(d / 0.09) ** 1.5)
                                   + 0.22 * np.exp(-d / 0.28))[..., None]
    img = mix(img, rgb(1.0, 0.95, 0.78), smoothstep(sr + 0.004, sr - 0.004, d))

    # long thin clouds, dark with glowing edges near the sun
    n = fbm(rng, (N, N), (10, 2), octaves=6)
    band = smoothstep(0.05, 0.2, V) * (1 - smoothstep(0.48, 0.60, V))
    dens = smoothstep(0.55, 0.82, n) * band
    core = ramp(V / hor, [(0.0, (0.14, 0.05, 0.20)), (0.6, (0.32, 0.09, 0.24)),
                          (1.0, (0.55, 0.18, 0.20))])
    edge = smoothstep(0.55, 0.64, n) - smoothstep(0.64, 0.80, n)
    core = core + rgb(1.0, 0.55, 0.28) * (edge * (0.3 + 1.2 * np.exp(-d / 0.18)))[..., None]
    img = mix(img, core, dens * 0.92)

    # dark headlands on the horizon
    prof = fbm1d(rng, N, 6)
    u = U[0]
    env = smoothstep(0.0, 0.08, u) * (1 - smoothstep(0.22, 0.40, u)) \
        + 0.5 * smoothstep(0.78, 0.90, u)
    top = hor - env * (0.025 + 0.045 * prof)
    land = smoothstep(-1.0 / N, 1.0 / N, V - top[None, :]) * (V < hor + 0.002)
    img = mix(img, rgb(0.08, 0.03, 0.10), land)

    # sea: dark gradient, perspective-compressed streaks, golden sun path
    sea = V >= hor
    t = np.clip((V - hor) / (1 - hor), 0, 1)
    water = ramp(t, [(0.00, (0.50, 0.18, 0.28)), (0.12, (0.24, 0.08, 0.20)),
                     (1.00, (0.03, 0.02, 0.07))])
    waves = fbm(rng, (N, N), (90, 5), octaves=4)
    rows = (np.sqrt(t[:, 0]) * (N - 1)).astype(int)
    waves = waves[rows]
    streak = smoothstep(0.55, 0.82, waves)
    width = 0.04 + 0.17 * t
    path = np.exp(-((U - sx) / width) ** 2)
    water = water + rgb(1.0, 0.68, 0.30) * (1.3 * streak * path * (1 - 0.6 * t))[..., None]
    water = water + rgb(0.70, 0.25, 0.35) * (0.25 * streak * (1 - t) ** 2)[..., None]
    glow = np.exp(-np.abs(U - sx) / 0.18) * (1 - t) ** 6 * 0.5     # glow near horizon
    water = water + rgb(0.6, 0.25, 0.1) * glow[..., None]
    img = np.where(sea[..., None], water, img)
    save(img, "sunset.png")


def meadow(seed=2):
    rng = np.random.default_rng(seed)
    U, V = grid()
    hor = 0.50
    img = ramp(V / hor, [(0.0, (0.14, 0.33, 0.76)), (0.7, (0.42, 0.63, 0.91)),
                         (1.0, (0.74, 0.85, 0.95))])

    # soft cumulus clouds: brighter tops, grey undersides
    n = fbm(rng, (N, N), (3, 4.5), octaves=6, gain=0.45)
    n = n * (1 - 0.5 * smoothstep(0.2, 0.48, V))         # fewer clouds near horizon
    dens = smoothstep(0.46, 0.66, n)
    above = np.vstack([np.repeat(n[:1], 12, axis=0), n[:-12]])
    under = np.clip(0.3 + (above - n) * 5.0 + 0.4 * smoothstep(0.7, 1.0, n), 0, 1)
    cloud = mix(rgb(1.0, 1.0, 1.0), rgb(0.62, 0.66, 0.76), under * 0.8)
    img = mix(img, cloud, dens * 0.95)

    # hazy distant hill and a darker tree line at the horizon
    hill = hor - 0.045 - 0.04 * fbm1d(rng, N, 3)
    trees = hor - 0.012 - 0.022 * fbm1d(rng, N, 40, octaves=3) \
        - 0.015 * fbm1d(rng, N, 4)
    img = mix(img, rgb(0.50, 0.62, 0.70),
              smoothstep(-1 / N, 1 / N, V - hill[None, :]))
    tn = fbm(rng, (N, N), (40, 40), octaves=2)
    tree_col = mix(rgb(0.18, 0.31, 0.22), rgb(0.30, 0.44, 0.30), tn)
    img = mix(img, tree_col, smoothstep(-1 / N, 1 / N, V - trees[None, :]))

    # grass: distance gradient, large patches, fine blade streaks
    grass = V >= hor
    t = np.clip((V - hor) / (1 - hor), 0, 1)
    base = ramp(t, [(0.0, (0.56, 0.66, 0.30)), (0.4, (0.36, 0.56, 0.16)),
                    (1.0, (0.16, 0.38, 0.07))])
    patches = fbm(rng, (N, N), (5, 5), octaves=4)
    base = base * (0.82 + 0.36 * patches)[..., None] \
        + rgb(0.10, 0.05, -0.03) * (patches - 0.5)[..., None]
    blades = fbm(rng, (N, N), (14, 110), octaves=3)
    rows = (np.sqrt(t[:, 0]) * (N - 1)).astype(int)
    blades = blades[rows]
    base = base * (1 + 0.45 * (blades - 0.5) * (0.3 + 0.7 * t))[..., None]
    img = np.where(grass[..., None], base, img)

    # flowers, far (small, dense) to near (large)
    palette = [rgb(0.86, 0.08, 0.10), rgb(1.0, 0.84, 0.08), rgb(0.97, 0.96, 0.92),
               rgb(0.62, 0.25, 0.80)]
    centres = [rgb(0.25, 0.05, 0.05), rgb(0.85, 0.45, 0.05), rgb(1.0, 0.80, 0.10),
               rgb(1.0, 0.90, 0.40)]
    flowers = []
    for _ in range(230):
        ft = rng.random() ** 1.6
        flowers.append((hor + 0.012 + ft * (0.99 - hor), rng.random(), ft,
                        rng.choice(4, p=[0.36, 0.32, 0.26, 0.06]),
                        0.85 + 0.2 * rng.random(), rng.random() * 2 * np.pi))
    for fy, fx, ft, k, bright, ang in sorted(flowers):
        r = 0.0035 + 0.020 * ft ** 1.2
        col = palette[k] * bright
        if r > 0.010:                                   # stem
            capsule(img, (fx, fy), (fx + 0.2 * r, fy + 2.5 * r), 0.0018, 0.0022,
                    rgb(0.16, 0.36, 0.08), spec=0.0)
        if r > 0.011:                                   # five petals
            for p in range(5):
                a = ang + p * 2 * np.pi / 5
                ellipsoid(img, fx + 0.55 * r * np.cos(a), fy + 0.4 * r * np.sin(a),
                          0.55 * r, 0.42 * r, col, spec=0.1, ambient=0.55)
            ellipsoid(img, fx, fy, 0.35 * r, 0.28 * r, centres[k], spec=0.2, ambient=0.5)
        else:
            ellipsoid(img, fx, fy, r, 0.75 * r, col, spec=0.1, ambient=0.6)
            if r > 0.006:
                ellipsoid(img, fx, fy, 0.35 * r, 0.3 * r, centres[k], spec=0.0, ambient=0.6)
    save(img, "meadow.png")


def fruit(seed=3):
    rng = np.random.default_rng(seed)
    U, V = grid()
    edge = 0.40

    # back wall: warm, darker towards the right (light comes from the left)
    wall = ramp(V / edge, [(0, (0.30, 0.25, 0.22)), (1, (0.48, 0.40, 0.33))])
    wall = wall * (1.05 - 0.35 * U)[..., None]
    wall = wall * (0.95 + 0.1 * fbm(rng, (N, N), (4, 4), octaves=4))[..., None]

    # wooden table: planks with long, gently wavy grain lines and fine fibres
    seams = [edge, 0.57, 0.76, 0.95, 1.2]
    plank = np.searchsorted(seams, V) - 1
    warp = fbm(rng, (N, N), (3, 1.5), octaves=5)
    phase = rng.random(len(seams))[plank]
    grain = np.sin(2 * np.pi * (V * 26 + 1.6 * warp + 4 * phase)) * 0.5 + 0.5
    fibres = fbm(rng, (N, N), (90, 3), octaves=3)
    knots = fbm(rng, (N, N), (6, 3), octaves=3)
    wood = mix(rgb(0.72, 0.48, 0.27), rgb(0.46, 0.27, 0.13), grain ** 2 * 0.8 + 0.2 * knots)
    wood = wood * (0.88 + 0.24 * fibres)[..., None]
    wood = wood * (0.9 + 0.2 * phase)[..., None]               # planks differ a bit
    for seam in seams[1:-1]:
        wood = wood * (1 - 0.6 * np.exp(-((V - seam) / 0.004) ** 2))[..., None]
    wood = wood * (1.10 - 0.30 * U - 0.15 * (V - edge))[..., None]
    img = np.where((V < edge)[..., None], wall, wood)
    img = mix(img, img * 0.55, np.exp(-((V - edge) / 0.006) ** 2))   # wall/table crease

    # soft contact shadows cast towards the lower right
    fruits = {"grapes": (0.27, 0.50, 0.15), "lemon": (0.76, 0.56, 0.13),
              "orange": (0.38, 0.71, 0.155), "apple": (0.67, 0.75, 0.15)}
    shadow = np.zeros((N, N))
    for name, (cx, cy, r) in fruits.items():
        bottom = cy + (0.07 if name == "grapes" else (0.09 if name == "lemon" else r))
        wide = np.exp(-(((U - cx - 0.07) / (r * 1.25)) ** 2
                        + ((V - bottom + 0.01) / (r * 0.32)) ** 2))
        tight = np.exp(-(((U - cx - 0.01) / (r * 0.8)) ** 2 + ((V - bottom) / (r * 0.12)) ** 2))
        shadow = np.maximum(shadow, 0.55 * wide + 0.4 * tight)
    shadow = blur(np.clip(shadow, 0, 0.85), 3)
    img = img * (1 - shadow)[..., None]
    table = rgb(0.55, 0.35, 0.18)

    # grapes: a cluster of small dusky spheres
    cx, cy, _ = fruits["grapes"]
    grapes = []
    for row, cnt in enumerate([4, 5, 4, 3, 2]):
        for i in range(cnt):
            gx = cx + (i - (cnt - 1) / 2) * 0.052 + 0.008 * rng.standard_normal()
            gy = cy - 0.11 + row * 0.042 + 0.006 * rng.standard_normal()
            grapes.append((gy, gx, 0.030 + 0.004 * rng.random(), rng.random()))
    capsule(img, (cx + 0.01, cy - 0.17), (cx - 0.02, cy - 0.13), 0.005, 0.004,
            rgb(0.35, 0.45, 0.18))
    for gy, gx, gr, tone in sorted(grapes):
        base = mix(rgb(0.30, 0.10, 0.34), rgb(0.45, 0.16, 0.40), tone)
        bloom = lambda nx, ny, b=base: mix(b, rgb(0.55, 0.45, 0.62), 0.25 * (nx * nx + ny * ny))
        ellipsoid(img, gx, gy, gr, gr * 1.08, bloom, spec=0.55, shininess=45,
                  bounce=table)

    # lemon: ellipsoid with pointed ends and a pitted peel
    cx, cy, r = fruits["lemon"]
    pores = fbm(rng, (N, N), (60, 60), octaves=2)
    gy_, gx_ = np.gradient(pores)
    sl, X, Y = window(cx, cy, r * 1.3, r)
    ny = (Y - cy) / (r * 0.72)
    rx = r * (1 + 0.22 * np.exp(-(ny / 0.22) ** 2))
    nx = (X - cx) / rx
    rr = np.sqrt(nx * nx + ny * ny)
    mask = smoothstep(1.02, 0.98, rr)
    col = mix(rgb(0.98, 0.86, 0.12), rgb(0.80, 0.75, 0.10), smoothstep(0.7, 1.0, np.abs(nx)))
    c = shade(np.clip(nx + 1.0 * gx_[sl], -1, 1), np.clip(ny + 1.0 * gy_[sl], -1, 1),
              col, spec=0.35, shininess=25)
    c = c + table * (np.clip(ny, 0, 1) ** 2 * 0.2)[..., None]
    paint(img, sl, mask, c)

    # orange: dimpled peel and a small navel
    cx, cy, r = fruits["orange"]
    dimples = fbm(rng, (N, N), (70, 70), octaves=2)
    dgy, dgx = np.gradient(dimples)
    osl = window(cx, cy, r, r * 0.97)[0]
    ellipsoid(img, cx, cy, r, r * 0.97,
              lambda nx, ny: mix(rgb(0.99, 0.50, 0.04), rgb(0.85, 0.32, 0.02),
                                 smoothstep(0.6, 1.0, np.hypot(nx, ny))),
              spec=0.35, shininess=20, bounce=table,
              bump=lambda nx, ny: (0.7 * dgx[osl], 0.7 * dgy[osl]))
    ellipsoid(img, cx + 0.02, cy - 0.05, 0.010, 0.007, rgb(0.45, 0.30, 0.05), spec=0.0)

    # apple: red with yellow-green streaks following the surface, stem on top
    cx, cy, r = fruits["apple"]
    streaks = value_noise(rng, (1, 400), (1, 60))[0]

    def apple_color(nx, ny):
        nz = np.sqrt(np.clip(1 - nx * nx - ny * ny, 0, 1))
        ang = np.arctan2(nx, nz + 1e-6)                 # longitude
        s = streaks[((ang / np.pi + 0.5) * 399).astype(int).clip(0, 399)]
        red = mix(rgb(0.72, 0.05, 0.06), rgb(0.90, 0.55, 0.12),
                  0.55 * smoothstep(0.5, 0.95, s) * (0.4 + 0.6 * smoothstep(-0.4, 0.9, ny)))
        return mix(red, rgb(0.50, 0.03, 0.05), 0.5 * smoothstep(-0.2, -1.0, ny))
    ellipsoid(img, cx, cy, r * 1.06, r, apple_color, spec=0.7, shininess=40, bounce=table)
    ellipsoid(img, cx - 0.005, cy - r * 0.80, 0.028, 0.012, rgb(0.35, 0.08, 0.05),
              spec=0.0, ambient=0.4)
    capsule(img, (cx - 0.005, cy - r * 0.82), (cx + 0.015, cy - r * 1.15), 0.006, 0.005,
            rgb(0.40, 0.25, 0.10))
    save(img, "fruit.png")


def mountain_lake(seed=4):
    rng = np.random.default_rng(seed)
    U, V = grid()
    hor = 0.62
    haze_col = rgb(0.78, 0.85, 0.92)
    img = ramp(V / hor, [(0.0, (0.22, 0.44, 0.78)), (0.6, (0.50, 0.68, 0.88)),
                         (1.0, (0.80, 0.87, 0.93))])
    wisps = fbm(rng, (N, N), (8, 2), octaves=5)
    img = mix(img, rgb(0.95, 0.96, 0.98), 0.45 * smoothstep(0.6, 0.9, wisps) * (V < 0.4))

    u = U[0]
    # rocky ranges, far to near: (base line, height, profile cells, haze, snowline)
    layers = [(0.46, 0.30, 2.0, 0.50, 0.31),
              (0.56, 0.25, 2.6, 0.22, 0.39)]
    for base, amp, cells, haze, snowline in layers:
        rough = fbm1d(rng, N, cells, octaves=8, gain=0.58)
        peaks = 1 - np.abs(2 * fbm1d(rng, N, cells * 1.3, octaves=2) - 1)
        h = 0.6 * rough + 0.4 * peaks                     # ridge height, 0..1
        top = base - amp * h
        mask = smoothstep(-1 / N, 1 / N, V - top[None, :]) * (V < hor + 0.01)
        below = np.clip((V - top[None, :]) * N, 0, None)   # pixels below the ridge

        # Light comes from the left: faces whose ridge rises to the right are lit.
        # Just under the ridge the fine slope matters; further down only the
        # broad shape, so use ever smoother profiles, with wandering spurs.
        scales = [1, 2, 4, 8, 16, 32, 64]
        slopes = np.array([np.gradient(smooth1d(h, s)) * N * amp for s in scales])
        spur = fbm(rng, (N, N), (6, 8), octaves=4)
        ui = np.clip((np.arange(N)[None, :] + (spur - 0.5) * below * 0.9).astype(int), 0, N - 1)
        k = np.clip(np.log2(below / 3 + 1), 0, len(scales) - 1.001)
        k0 = k.astype(int)
        slope = slopes[k0, ui] + (slopes[k0 + 1, ui] - slopes[k0, ui]) * (k - k0)
        lit = np.clip(0.45 + 0.8 * slope, 0, 1)
        strata = fbm(rng, (N, N), (30, 10), octaves=3)
        rock = mix(rgb(0.20, 0.21, 0.28), rgb(0.60, 0.53, 0.46), lit)
        rock = rock * (0.85 + 0.3 * strata)[..., None]
        snow = mix(rgb(0.58, 0.66, 0.84), rgb(0.99, 0.99, 1.0), lit)
        sn = fbm(rng, (N, N), (10, 20), octaves=5)
        line = snowline + 0.09 * (sn - 0.5) + 0.04 * (lit - 0.5)
        col = mix(rock, snow, smoothstep(line + 0.008, line - 0.008, V))
        # aerial perspective: haze grows with distance and down in the valley
        valley = smoothstep(0.3, 1.0, (V - top[None, :]) / (hor - top[None, :]))
        col = mix(col, haze_col, np.clip(haze + 0.35 * valley, 0, 0.9))
        img = mix(img, col, mask)

    # forested foothills along the shore: a row of conifer silhouettes
    ground = 0.595 - 0.025 * fbm1d(rng, N, 3)
    trees = ground.copy()
    for _ in range(170):
        tx, th = rng.random(), 0.015 + 0.035 * rng.random()
        trees = np.minimum(trees, ground[int(tx * N)] - th + 3.2 * np.abs(u - tx))
    tex = fbm(rng, (N, N), (40, 70), octaves=2)
    forest = mix(rgb(0.03, 0.11, 0.08), rgb(0.12, 0.25, 0.13), tex)
    forest = mix(forest, haze_col, 0.12)
    img = mix(img, forest, smoothstep(-1 / N, 1 / N, V - trees[None, :]) * (V < hor + 0.01))

    # lake: rippled, darkened mirror image of the scene above the shoreline
    t = np.clip((V - hor) / (1 - hor), 0, 1)
    src_rows = np.clip(((2 * hor - V[:, 0]) * N).astype(int), 0, N - 1)
    ripple = fbm(rng, (N, N), (120, 3), octaves=3)
    shift = ((ripple - 0.5) * (2 + 14 * t)).astype(int)
    cols = np.clip(np.arange(N)[None, :] + shift, 0, N - 1)
    refl = img[src_rows[:, None], cols]
    refl = blur(refl, 1.2)
    water = mix(refl * 0.82, rgb(0.10, 0.22, 0.30), (0.15 + 0.45 * t))
    sparkle = smoothstep(0.72, 0.92, ripple) * (0.15 + 0.25 * (1 - t))
    water = water + rgb(0.75, 0.85, 0.95) * (0.25 * sparkle)[..., None]
    water = water * (1 - 0.4 * np.exp(-((V - hor) / 0.004) ** 2))[..., None]   # shore line
    img = np.where((V >= hor)[..., None], water, img)
    save(img, "mountain-lake.png")


def fish(img, cx, cy, length, height, facing, body, tail, pattern=None, tilt=0.0):
    """A simple side-view fish: shaded body, fins, tail, eye.

    pattern(x, y, col) may recolor the body; x in [-1, 1] runs tail->head."""
    w = window(cx, cy, length * 0.9, height * 1.1)
    if w is None:
        return
    sl, X, Y = w
    ca, sa = np.cos(tilt), np.sin(tilt)
    lx = ((X - cx) * ca + (Y - cy) * sa) * facing / (length / 2)
    ly = (-(X - cx) * sa + (Y - cy) * ca) / (height / 2)
    aa = 2.0 / (N * height)
    # tail: a triangular fin behind the body
    tx = -lx - 0.75
    tail_mask = smoothstep(0, 0.05, tx) * smoothstep(0.02, -0.02, np.abs(ly) - (0.15 + 1.0 * tx)) \
        * smoothstep(0.02, -0.02, tx - 0.55 + 0.3 * (1 - np.abs(ly)))
    paint(img, sl, np.clip(tail_mask, 0, 1),
          tail * (0.8 + 0.2 * smoothstep(-1, 0.5, -ly))[..., None])
    # dorsal and ventral fins
    fin = smoothstep(0.03, -0.03, np.abs(lx + 0.05) - 0.55 * (1 - np.abs(ly) / 1.35)) \
        * (np.abs(ly) > 0.6) * smoothstep(1.37, 1.30, np.abs(ly))
    paint(img, sl, fin, tail * 0.85)
    # body
    bx = lx * 1.15
    taper = (0.55 + 0.45 * smoothstep(-1.0, 0.1, lx)) * (1 - 0.35 * smoothstep(0.4, 1.0, lx))
    by = ly / taper                       # slimmer towards tail and snout
    r = np.sqrt(bx * bx + by * by)
    mask = smoothstep(1 + aa, 1 - aa, r)
    col = np.broadcast_to(body, X.shape + (3,)).copy()
    if pattern is not None:
        col = pattern(lx, ly, col)
    c = shade(np.clip(bx * facing * 0.6, -1, 1), np.clip(by, -1, 1), col,
              ambient=0.45, spec=0.35, shininess=25)
    paint(img, sl, mask, c)
    # eye: white ring, black pupil, tiny highlight (distances in image units)
    er = np.hypot((lx - 0.62) * length / 2, (ly + 0.18) * height / 2) / (height * 0.095)
    paint(img, sl, smoothstep(1.15, 0.9, er), rgb(0.95, 0.95, 0.9))
    paint(img, sl, smoothstep(0.75, 0.5, er), rgb(0.02, 0.02, 0.03))
    hl = np.hypot((lx - 0.64) * length / 2, (ly + 0.24) * height / 2) / (height * 0.095)
    paint(img, sl, smoothstep(0.3, 0.1, hl), rgb(1.0, 1.0, 1.0))


def branch(img, rng, x, y, ang, length, radius, depth, color, tip_color):
    """Recursive branching coral made of tapered capsules."""
    x2, y2 = x + length * np.cos(ang), y - length * np.sin(ang)
    tip = depth == 0
    col = mix(color, tip_color, 0.6) if tip else color
    capsule(img, (x, y), (x2, y2), radius, radius * 0.8, col)
    if tip:
        capsule(img, (x2, y2), (x2, y2), radius * 0.8, radius * 0.8, tip_color)
        return
    for da in (-0.45 - 0.2 * rng.random(), 0.35 + 0.25 * rng.random()):
        branch(img, rng, x2, y2, ang + da, length * (0.72 + 0.12 * rng.random()),
               radius * 0.78, depth - 1, color, tip_color)


def coral_reef(seed=5):
    rng = np.random.default_rng(seed)
    U, V = grid()
    water = ramp(V, [(0.0, (0.20, 0.78, 0.92)), (0.45, (0.04, 0.48, 0.78)),
                     (1.0, (0.02, 0.26, 0.55))])
    # slanted light shafts from the surface
    rays = stretch(fbm(rng, (1, 2 * N), (1, 18), octaves=3)[0])
    xr = np.clip(((U - 0.35 * V + 0.4) / 1.8 * (2 * N - 1)).astype(int), 0, 2 * N - 1)
    shafts = 0.3 * smoothstep(0.55, 0.95, rays[xr]) * (1 - V) ** 1.5
    img = water + rgb(0.55, 0.90, 1.0) * shafts[..., None]
    haze = lambda col, h: mix(col, water, h)

    # distant reef silhouettes
    back = 0.66 - 0.10 * fbm1d(rng, N, 6)
    img = mix(img, haze(np.broadcast_to(rgb(0.35, 0.25, 0.55), img.shape), 0.6),
              smoothstep(-1 / N, 1 / N, V - back[None, :]))

    # sand floor with caustics
    sand_top = 0.80 - 0.03 * fbm1d(rng, N, 4)
    c = fbm(rng, (N, N), (9, 9), octaves=2)
    caust = (1 - np.abs(2 * c - 1)) ** 6
    sand = mix(rgb(0.92, 0.82, 0.58), rgb(0.70, 0.64, 0.50), fbm(rng, (N, N), (30, 30), 3) * 0.5)
    sand = sand + rgb(0.6, 0.8, 0.8) * (0.35 * caust)[..., None]
    sand = haze(sand, 0.45 * (1 - smoothstep(0.78, 1.0, V)))
    img = mix(img, sand, smoothstep(-1 / N, 1 / N, V - sand_top[None, :]))

    # red sea fan (behind), a few thin branches
    sub = np.random.default_rng(seed + 10)
    fan = np.zeros_like(img)
    branch(fan, sub, 0.46, 0.80, np.pi / 2, 0.10, 0.008, 6,
           rgb(1.0, 0.15, 0.22), rgb(1.0, 0.45, 0.40))
    fan_mask = (fan.sum(-1) > 0).astype(float)
    img = mix(img, haze(fan, 0.08), blur(fan_mask, 0.7))

    # purple tube sponges
    for x, h, r in [(0.60, 0.22, 0.028), (0.655, 0.16, 0.024), (0.55, 0.12, 0.022)]:
        capsule(img, (x, 0.92), (x, 0.92 - h), r, r * 1.1, rgb(0.45, 0.22, 0.90), spec=0.2)
        ellipsoid(img, x, 0.92 - h - 0.002, r * 0.85, r * 0.35, rgb(0.12, 0.03, 0.25),
                  spec=0.0, ambient=0.9)

    # yellow-orange brain coral: a dome covered in thin meandering grooves
    ridges = fbm(rng, (N, N), (4, 4), octaves=3)
    contour = np.abs((ridges * 13) % 1.0 - 0.5) * 2            # many level lines
    groove = blur(smoothstep(0.35, 0.0, contour), 0.8)         # -> parallel meanders
    gy_, gx_ = np.gradient(groove)
    cx, cy, rx, ry = 0.20, 0.95, 0.24, 0.21
    sl = window(cx, cy, rx, ry)[0]
    ellipsoid(img, cx, cy, rx, ry,
              lambda nx, ny: mix(rgb(1.0, 0.78, 0.15), rgb(0.55, 0.25, 0.02), 0.8 * groove[sl]),
              spec=0.2, shininess=12,
              bump=lambda nx, ny: (-2 * gx_[sl], -2 * gy_[sl]))

    # magenta staghorn coral with pale tips
    sub = np.random.default_rng(seed + 20)
    for x0, a in [(0.80, 1.75), (0.88, 1.35), (0.72, 2.0)]:
        branch(img, sub, x0, 1.0, a, 0.085, 0.017, 4, rgb(0.85, 0.12, 0.65), rgb(1.0, 0.75, 0.88))

    # green anemone: curved tentacles with pink tips fanning out of a base
    sub = np.random.default_rng(seed + 30)
    for i in range(34):
        a = np.pi * (0.08 + 0.84 * i / 33) + 0.05 * sub.standard_normal()
        x, y = 0.46, 1.0
        length = 0.045 + 0.02 * sub.random()
        bend = 0.25 * sub.standard_normal()
        for j in range(3):
            x2, y2 = x + length * np.cos(a), y - length * np.sin(a)
            col = mix(rgb(0.15, 0.95, 0.40), rgb(1.0, 0.40, 0.80), (j / 2) ** 1.5)
            capsule(img, (x, y), (x2, y2), 0.009 - 0.002 * j, 0.008 - 0.002 * j, col)
            x, y, a = x2, y2, a + bend

    # fish
    def clown(x, y, col):
        for bx in (0.45, -0.05, -0.55):
            d = np.abs(x - bx)
            col = mix(col, rgb(0.02, 0.02, 0.02), smoothstep(0.15, 0.12, d))
            col = mix(col, rgb(1.0, 1.0, 1.0), smoothstep(0.11, 0.08, d))
        return col

    def tang(x, y, col):
        # blue tang: dark 'palette' marking sweeping along the upper body
        off = np.abs(y + 0.12 - 0.4 * x * x) - 0.12 * x
        dark = smoothstep(0.32, 0.22, off) * smoothstep(0.6, 0.45, x)
        return mix(col, rgb(0.02, 0.03, 0.12), dark)

    for k in range(9):                                   # a distant school
        fish(img, 0.08 + 0.05 * k + 0.02 * rng.random(), 0.16 + 0.08 * rng.random(),
             0.045, 0.018, 1, rgb(0.55, 0.72, 0.84), rgb(0.45, 0.65, 0.80))
    fish(img, 0.27, 0.42, 0.20, 0.15, 1, rgb(1.0, 0.90, 0.08), rgb(1.0, 0.85, 0.05))
    fish(img, 0.74, 0.30, 0.22, 0.11, -1, rgb(0.10, 0.32, 0.95), rgb(1.0, 0.85, 0.05),
         pattern=tang, tilt=0.1)
    fish(img, 0.55, 0.60, 0.16, 0.075, 1, rgb(1.0, 0.42, 0.02), rgb(1.0, 0.42, 0.02),
         pattern=clown, tilt=-0.1)
    fish(img, 0.72, 0.66, 0.12, 0.056, -1, rgb(1.0, 0.42, 0.02), rgb(1.0, 0.42, 0.02),
         pattern=clown)
    save(img, "coral-reef.png")


def main():
    for make in (sunset, meadow, fruit, mountain_lake, coral_reef):
        make()
    for name in ("sunset.png", "meadow.png", "fruit.png", "mountain-lake.png",
                 "coral-reef.png"):
        path = os.path.join(OUT_DIR, name)
        print(f"{name:18s} {os.path.getsize(path) / 1024:6.1f} KB")


if __name__ == "__main__":
    main()
