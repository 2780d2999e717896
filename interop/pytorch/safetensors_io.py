"""A small safetensors reader and writer in plain Python, for PyTorch builds without the `safetensors` package
(Debian 12's python3-torch 1.13 has none, and apt has no python3-safetensors).

The format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length N, N bytes of JSON
({name: {"dtype", "shape", "data_offsets": [begin, end]}, optional "__metadata__": {str: str}}), then the tensors'
raw little-endian bytes, offsets relative to the end of the header. Files written here are read by the real package,
by TorchSharp.PyBridge and by the course (lib/Interop/NetworkWeights.cs), and the other way round.
"""
import json
import struct

import torch

_DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool,
}
_NAMES = {v: k for k, v in _DTYPES.items()}


def load_file(path):
    """The tensors of a safetensors file, by name, on the CPU (in file order)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short for a safetensors file ({len(data)} bytes)")
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the file")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    body = memoryview(data)[8 + n:]
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(entry["dtype"])
        if dtype is None:
            raise ValueError(f"{path}: tensor '{name}' has the unsupported dtype {entry['dtype']}")
        begin, end = entry["data_offsets"]
        raw = bytearray(body[begin:end])
        flat = torch.frombuffer(raw, dtype=torch.uint8) if raw else torch.empty(0, dtype=torch.uint8)
        out[name] = flat.view(dtype).reshape(entry["shape"]).clone()
    return out


def save_file(tensors, path, metadata=None):
    """Writes tensors (name -> tensor, any device) as safetensors, names in the given order."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, t in tensors.items():
        t = t.detach().cpu().contiguous()
        if t.dtype not in _NAMES:
            raise ValueError(f"tensor '{name}' has the unsupported dtype {t.dtype}")
        raw = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the reference writer pads the header to 8 bytes with spaces
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)


def load_weights(path):
    """A state_dict from a safetensors file or a torch.save'd state_dict (.pt, .pth, .bin), read by its first bytes."""
    with open(path, "rb") as f:
        head = f.read(8)
    if head[:2] == b"PK" or (head[:1] == b"\x80" and head[7:8] != b"\x00"):
        return torch.load(path, map_location="cpu")
    return load_file(path)
