"""The test harness of the mirror (tests/SplitBrain.Tests/Interop/PyTorchMirrorTests.cs drives it).

  check_mirror.py forward --weights W --inputs I --out O
      loads W (safetensors or a torch.save'd state_dict) into the mirror, runs it in eval mode on the tensors
      "l" and "ab" of the safetensors file I, and writes "f1" and "f2" (the logits) to O.
  check_mirror.py make --out W [--format safetensors|safetensors-bf16|pytorch] [--seed S] [--widths ...] [--fc N]
      writes the weights of a fresh mirror whose BatchNorm statistics and affine parameters are drawn at random (so that
      eval-mode BatchNorm matters), for the PyTorch -> course direction.
"""
import argparse
import sys

import torch

from safetensors_io import load_file, load_weights, save_file
from splitbrain import Architecture, SplitBrainNet


def forward(a):
    net = SplitBrainNet.from_state_dict({k: v.float() if v.is_floating_point() else v
                                         for k, v in load_weights(a.weights).items()}).eval()
    x = load_file(a.inputs)
    with torch.no_grad():
        f1, f2 = net(x["l"].float(), x["ab"].float())
    save_file({"f1": f1, "f2": f2}, a.out)


def make(a):
    torch.manual_seed(a.seed)
    arch = Architecture(widths=tuple(int(w) for w in a.widths.split(",")), fc=a.fc, l_bins=a.l_bins)
    net = SplitBrainNet(arch)
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
                m.running_mean.uniform_(-0.3, 0.3)
                m.running_var.uniform_(0.5, 2.0)
                m.num_batches_tracked.fill_(7)
    sd = net.state_dict()
    if a.format == "pytorch":
        torch.save(sd, a.out)
    else:
        if a.format == "safetensors-bf16":
            sd = {k: v.to(torch.bfloat16) if v.is_floating_point() else v for k, v in sd.items()}
        save_file(sd, a.out)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    f = sub.add_parser("forward")
    f.add_argument("--weights", required=True)
    f.add_argument("--inputs", required=True)
    f.add_argument("--out", required=True)
    m = sub.add_parser("make")
    m.add_argument("--out", required=True)
    m.add_argument("--format", default="safetensors", choices=["safetensors", "safetensors-bf16", "pytorch"])
    m.add_argument("--seed", type=int, default=0)
    m.add_argument("--widths", default="16,32,48,48,32")
    m.add_argument("--fc", type=int, default=64)
    m.add_argument("--l-bins", type=int, default=100)
    a = p.parse_args()
    torch.set_num_threads(1)
    {"forward": forward, "make": make}[a.command](a)


if __name__ == "__main__":
    sys.exit(main())
