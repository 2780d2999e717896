"""Regenerates LabReferenceValues.cs: the scikit-image numbers the Lab tests compare against.

Run by hand, never from the tests:
    /usr/bin/python3 generate_lab_reference.py > LabReferenceValues.cs
It needs numpy and scikit-image (0.19.3 made the committed file).
"""
import numpy as np, warnings
from skimage.color import rgb2lab, lab2rgb
warnings.simplefilter("ignore")
def f(v):
    s = "%.9g" % v
    return s
out = []
w = out.append
w("namespace SplitBrain.Tests.Color;")
w("")
w("/// <summary>")
w("/// Reference values computed with scikit-image 0.19.3 (skimage.color.rgb2lab and lab2rgb, illuminant D65,")
w("/// observer 2°) in float64 by tests/SplitBrain.Tests/Color/generate_lab_reference.py, printed to 9")
w("/// significant digits. The tests compare against them with a tolerance of 1e-3.")
w("/// </summary>")
w("internal static class LabReferenceValues")
w("{")
corners = [[r,g,b] for r in (0,255) for g in (0,255) for b in (0,255)]
greys = [[v,v,v] for v in (1,2,5,10,50,100,128,200,254)]
near = [[1,0,0],[0,1,0],[0,0,1],[3,7,10],[10,10,11],[11,10,10]]
u8 = np.array(corners+greys+near, dtype=np.uint8)
lab_u8 = rgb2lab(u8[None])[0]
w("    /// <summary>uint8 sRGB (R, G, B) then skimage Lab (L, a, b): the 8 cube corners, greys, near-black colors.</summary>")
w("    public static readonly double[][] Bytes =")
w("    [")
for r,l in zip(u8, lab_u8): w("        [" + ", ".join(str(int(x)) for x in r) + ", " + ", ".join(f(x) for x in l) + "],")
w("    ];")
w("")
rng = np.random.default_rng(20170416)
rnd = rng.random((64,3))
nb = np.array([[0.001,0.002,0.003],[0.01,0.0,0.02],[0.04,0.04,0.04],[0.0404,0.0405,0.0406],[0.03,0.001,0.039],[0.005,0.005,0.005]])
fl = np.concatenate([rnd, nb])
lab_fl = rgb2lab(fl[None])[0]
w("    /// <summary>")
w("    /// Float sRGB in 0..1 then skimage Lab: 64 random colors (numpy default_rng(20170416)), then six colors")
w("    /// on the linear segment of the sRGB curve (c &lt;= 0.04045) or next to its threshold.")
w("    /// </summary>")
w("    public static readonly double[][] Floats =")
w("    [")
for r,l in zip(fl, lab_fl): w("        [" + ", ".join(f(x) for x in r) + ", " + ", ".join(f(x) for x in l) + "],")
w("    ];")
w("")
oog = [[50,100,-100],[100,50,50],[0,50,50],[20,0,-150],[10,0,100],[50,-128,127],[75,127,-128],[100,0,0],[0,0,0],[110,0,0],[-10,0,0],[60,-80,90],[30,80,-110],[5,20,40],[90,-60,100],[40,0,60]]
rl = np.column_stack([rng.uniform(0,100,32), rng.uniform(-110,110,32), rng.uniform(-110,110,32)])
lab_in = np.concatenate([np.array(oog,float), rl])
rgb_out = lab2rgb(lab_in[None])[0]
w("    /// <summary>")
w("    /// Lab (L, a, b) then skimage lab2rgb (R, G, B in 0..1): hand-picked out-of-gamut and edge values (L beyond")
w("    /// 0..100, f(Z) &lt; 0 as in (10, 0, 100), saturated corners), then 32 random Lab values (L 0..100, a and b")
w("    /// −110..110, most of them out of the sRGB gamut).")
w("    /// </summary>")
w("    public static readonly double[][] LabToRgb =")
w("    [")
for l,r in zip(lab_in, rgb_out): w("        [" + ", ".join(f(x) for x in l) + ", " + ", ".join(f(x) for x in r) + "],")
w("    ];")
w("}")
print("\n".join(out))
