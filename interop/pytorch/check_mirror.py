"""The test harness of the mirror (tests/SplitBrain.Tests/Interop/PyTorchMirrorTests.cs drives it).

  check_mirror.py forward --inputs I --weights W... --out O...
      loads each W (safetensors or a torch.save'd state_dict) into the mirror, runs it in eval mode on the tensors
      "l" and "ab" of the safetensors file I, and writes "f1" and "f2" (the logits) to the O of the same position.
  check_mirror.py make --prefix P [--seed S] [--widths ...] [--fc N] [--inputs I]
      writes the weights of a fresh mirror whose BatchNorm statistics and affine parameters are drawn at random (so that
      eval-mode BatchNorm matters) as P.safetensors, P.pt and P-bf16.safetensors, for the PyTorch -> course direction,
      and with --inputs each file's logits as P.out.safetensors, P.pt.out.safetensors and P-bf16.out.safetensors.
  (One process does several files: importing torch takes seconds.)
"""
import argparse
import sys

import torch

from safetensors_io import load_file, load_weights, save_file
from splitbrain import Architecture, SplitBrainNet


def forward_one(weights, inputs, out):
    net = SplitBrainNet.from_state_dict({k: v.float() if v.is_floating_point() else v
                                         for k, v in load_weights(weights).items()}).eval()
    x = load_file(inputs)
    with torch.no_grad():
        f1, f2 = net(x["l"].float(), x["ab"].float())
    save_file({"f1": f1, "f2": f2}, out)


def forward(a):
    if len(a.weights) != len(a.out):
        raise SystemExit("give one --out per --weights")
    for weights, out in zip(a.weights, a.out):
        forward_one(weights, a.inputs, out)


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
    files = [a.prefix + ".safetensors", a.prefix + ".pt", a.prefix + "-bf16.safetensors"]
    save_file(sd, files[0])
    torch.save(sd, files[1])
    save_file({k: v.to(torch.bfloat16) if v.is_floating_point() else v for k, v in sd.items()}, files[2])
    if a.inputs:
        for f in files:
            forward_one(f, a.inputs, f.removesuffix(".safetensors") + ".out.safetensors")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    f = sub.add_parser("forward")
    f.add_argument("--inputs", required=True)
    f.add_argument("--weights", required=True, nargs="+")
    f.add_argument("--out", required=True, nargs="+")
    m = sub.add_parser("make")
    m.add_argument("--prefix", required=True)
    m.add_argument("--inputs")
    m.add_argument("--seed", type=int, default=0)
    m.add_argument("--widths", default="16,32,48,48,32")
    m.add_argument("--fc", type=int, default=64)
    m.add_argument("--l-bins", type=int, default=100)
    a = p.parse_args()
    torch.set_num_threads(1)
    {"forward": forward, "make": make}[a.command](a)


if __name__ == "__main__":
    sys.exit(main())
