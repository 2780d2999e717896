"""An image folder as one uint8 tensor, for train_ddp.py: PIL when it is installed (any format), else a small PNG
reader in plain Python (8-bit grey, RGB or RGBA, not interlaced: what data-scripts/synthetic-folder.cs writes), since
Debian's python3-torch comes without PIL."""
import os
import struct
import zlib

import numpy as np
import torch
import torch.nn.functional as F

EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".webp")


def list_images(root):
    """Every image file under root, sorted (PNG only without PIL)."""
    exts = EXTENSIONS if _pil() else (".png",)
    found = [os.path.join(d, f) for d, _, files in os.walk(root) for f in files if f.lower().endswith(exts)]
    return sorted(found)


def load_folder(root, size, limit=None):
    """[N, 3, size, size] uint8: each image resized (shorter side) and centre-cropped, as the course's folders are."""
    files = list_images(root)[:limit]
    if not files:
        raise SystemExit(f"no images in {root} ({'PNG files' if not _pil() else ', '.join(EXTENSIONS)} looked for)")
    return torch.stack([_fit(read_rgb(f), size) for f in files])


def read_rgb(path):
    """[3, H, W] uint8."""
    pil = _pil()
    if pil is not None:
        with pil.open(path) as image:
            return torch.from_numpy(np.asarray(image.convert("RGB")).copy()).permute(2, 0, 1)
    return _read_png(path)


def _fit(rgb, size):
    _, h, w = rgb.shape
    scale = size / min(h, w)
    if (h, w) != (size, size):
        x = F.interpolate(rgb[None].float(), size=(max(size, round(h * scale)), max(size, round(w * scale))),
                          mode="bilinear", align_corners=False, antialias=scale < 1)[0]
        top, left = (x.shape[1] - size) // 2, (x.shape[2] - size) // 2
        rgb = x[:, top:top + size, left:left + size].round().clamp(0, 255).to(torch.uint8)
    return rgb


def _pil():
    try:
        from PIL import Image
        return Image
    except ImportError:
        return None


def _read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG file (install PIL for other formats)")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, color, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(color)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{path}: only 8-bit grey, RGB or RGBA PNGs without interlacing are read without PIL")
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8).reshape(height, 1 + width * channels)
    out = np.zeros((height, width * channels), dtype=np.int32)
    prior = np.zeros(width * channels, dtype=np.int32)
    for y in range(height):
        kind, row = raw[y, 0], raw[y, 1:].astype(np.int32)
        if kind == 0:
            cur = row
        elif kind == 1:  # sub: a running sum per channel
            cur = np.cumsum(row.reshape(width, channels), axis=0).reshape(-1) % 256
        elif kind == 2:  # up
            cur = (row + prior) % 256
        else:  # average or Paeth: each byte depends on the one before it
            cur = np.zeros_like(row)
            for x in range(row.size):
                a = cur[x - channels] if x >= channels else 0
                b = prior[x]
                if kind == 3:
                    cur[x] = (row[x] + (a + b) // 2) % 256
                else:
                    c = prior[x - channels] if x >= channels else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    cur[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) % 256
        out[y], prior = cur, cur
    pixels = torch.from_numpy(out.astype(np.uint8)).view(height, width, channels)
    if channels in (1, 2):
        pixels = pixels[..., :1].expand(height, width, 3)
    return pixels[..., :3].permute(2, 0, 1).contiguous()
