"""The course's split-brain network in PyTorch: the same modules, parameter names, shapes and layer order as
lib/Models/SplitBrainNet.cs, so that a state_dict moves between the two unchanged (lib/Interop/NetworkWeights.cs).

    f1.conv1.conv.weight  f1.conv1.bn.{weight,bias,running_mean,running_var,num_batches_tracked}  ...  f1.fc7.bn.*
    f1.pred.weight  f1.pred.bias  then the same for f2
(without BatchNorm a block has conv.bias instead of bn.*). F1 sees L, normalised (L - 50) / 100, and predicts the 313 ab
bins; F2 sees ab / 110 and predicts the L bins (uniform over 0..100). Also: sRGB -> Lab and the hard targets on 8 x 8
blocks that train_ddp.py trains with.
"""
import os
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
AB_GAMUT = os.path.join(HERE, "..", "..", "lib", "Quantization", "ab_gamut_313.txt")

LAYERS = ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7")


@dataclass(frozen=True)
class Architecture:
    """lib/Models/ModelConfig.cs plus the channel and bin counts of the two halves."""
    widths: tuple = (48, 128, 192, 192, 128)
    fc: int = 512
    batch_norm: bool = True
    conv1_kernel: int = 11
    conv1_stride: int = 4
    l_channels: int = 1
    ab_channels: int = 2
    ab_bins: int = 313
    l_bins: int = 100

    @staticmethod
    def small(**kw):
        """ModelConfig.Small: widths 16, 32, 48, 48, 32, fc 64."""
        return Architecture(widths=(16, 32, 48, 48, 32), fc=64, **kw)

    @staticmethod
    def of_state_dict(sd, conv1_stride=4):
        """The architecture a state_dict was written from (conv1's stride is not in the shapes: 4 unless given)."""
        w = [sd[f"f1.{n}.conv.weight"].shape for n in LAYERS]
        return Architecture(widths=tuple(s[0] for s in w[:5]), fc=w[5][0], batch_norm="f1.conv1.bn.weight" in sd,
                            conv1_kernel=w[0][2], conv1_stride=conv1_stride, l_channels=w[0][1],
                            ab_channels=sd["f2.conv1.conv.weight"].shape[1], ab_bins=sd["f1.pred.weight"].shape[0],
                            l_bins=sd["f2.pred.weight"].shape[0])


class ConvBlock(nn.Module):
    """lib/Models/ConvBlock.cs: convolution (no bias before BatchNorm), BatchNorm, ReLU."""

    def __init__(self, cin, cout, k, stride, padding, batch_norm):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, padding, bias=not batch_norm)
        self.bn = nn.BatchNorm2d(cout) if batch_norm else None
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        x = self.conv(x)
        if self.bn is not None:
            x = self.bn(x)
        return self.relu(x)


class SubNetwork(nn.Module):
    """lib/Models/SubNetwork.cs: conv1, pool1, conv2..conv5, fc6, fc7 (1 x 1), pred (1 x 1, one logit per bin)."""

    def __init__(self, cin, bins, a: Architecture):
        super().__init__()
        w1, w2, w3, w4, w5 = a.widths
        bn = a.batch_norm
        self.conv1 = ConvBlock(cin, w1, a.conv1_kernel, a.conv1_stride, (a.conv1_kernel - 1) // 2, bn)
        self.pool1 = nn.MaxPool2d(3, 2, 1)
        self.conv2 = ConvBlock(w1, w2, 5, 1, 2, bn)
        self.conv3 = ConvBlock(w2, w3, 3, 1, 1, bn)
        self.conv4 = ConvBlock(w3, w4, 3, 1, 1, bn)
        self.conv5 = ConvBlock(w4, w5, 3, 1, 1, bn)
        self.fc6 = ConvBlock(w5, a.fc, 1, 1, 0, bn)
        self.fc7 = ConvBlock(a.fc, a.fc, 1, 1, 0, bn)
        self.pred = nn.Conv2d(a.fc, bins, 1)
        self.reset_parameters()

    def reset_parameters(self):
        """lib/Models/WeightInit.cs: He (fan-out) for the ReLU convolutions, BatchNorm identity, pred N(0, 0.01)."""
        for m in (self.conv1, self.conv2, self.conv3, self.conv4, self.conv5, self.fc6, self.fc7):
            nn.init.kaiming_normal_(m.conv.weight, mode="fan_out", nonlinearity="relu")
            if m.conv.bias is not None:
                nn.init.zeros_(m.conv.bias)
        nn.init.normal_(self.pred.weight, 0, 0.01)
        nn.init.zeros_(self.pred.bias)

    def forward(self, x):
        for m in (self.conv1, self.pool1, self.conv2, self.conv3, self.conv4, self.conv5, self.fc6, self.fc7, self.pred):
            x = m(x)
        return x


class SplitBrainNet(nn.Module):
    """lib/Models/SplitBrainNet.cs: f1 (L -> ab bins) and f2 (ab -> L bins); forward(l, ab) -> (f1 logits, f2 logits)."""

    def __init__(self, a: Architecture = Architecture()):
        super().__init__()
        self.architecture = a
        self.f1 = SubNetwork(a.l_channels, a.ab_bins, a)
        self.f2 = SubNetwork(a.ab_channels, a.l_bins, a)

    def forward(self, l, ab):
        return self.f1(l), self.f2(ab)

    @staticmethod
    def from_state_dict(sd, conv1_stride=4):
        """A network of the state_dict's architecture with its weights (strict: every name, every shape)."""
        net = SplitBrainNet(Architecture.of_state_dict(sd, conv1_stride))
        net.load_state_dict(sd, strict=True)
        return net


# --- inputs and targets, as the course computes them (lib/Color/Lab.cs, lib/Training) ---

_RGB_TO_XYZ = torch.tensor([[0.412453, 0.357580, 0.180423], [0.212671, 0.715160, 0.072169], [0.019334, 0.119193, 0.950227]])
_WHITE = torch.tensor([0.95047, 1.0, 1.08883])


def rgb_to_lab(rgb):
    """[N, 3, H, W] sRGB in 0..1 -> [N, 3, H, W] CIE Lab (D65; scikit-image's constants, as lib/Color/Lab.cs)."""
    lin = torch.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = torch.einsum("ij,njhw->nihw", _RGB_TO_XYZ.to(rgb), lin) / _WHITE.to(rgb).view(1, 3, 1, 1)
    f = torch.where(xyz > 0.008856, xyz.clamp_min(1e-12) ** (1 / 3), 7.787 * xyz + 16 / 116)
    fx, fy, fz = f[:, 0], f[:, 1], f[:, 2]
    return torch.stack([116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)], 1)


def network_inputs(lab):
    """The two halves' inputs: F1's (L - 50) / 100 and F2's ab / 110 (lib/Evaluation/Probes/NetworkInputs.cs)."""
    return (lab[:, :1] - 50) / 100, lab[:, 1:] / 110


def ab_bins():
    """[313, 2] the ab gamut's bin centres, in the course's order."""
    with open(AB_GAMUT) as f:
        return torch.tensor([[float(v) for v in line.split()] for line in f if line.strip()])


def hard_targets(lab, bins_ab, l_bins, block=8):
    """Nearest-bin targets on block x block means: ab over the 313 bins (F1's), L over l_bins equal bins of 0..100 (F2's)."""
    small = F.avg_pool2d(lab, block)                                       # [N, 3, h, w]
    l_t = (small[:, 0] / 100 * l_bins).long().clamp(0, l_bins - 1)          # [N, h, w]
    ab = small[:, 1:].permute(0, 2, 3, 1).reshape(-1, 2)                    # [N*h*w, 2]
    ab_t = torch.cdist(ab, bins_ab.to(ab)).argmin(1).view(l_t.shape)        # [N, h, w]
    return ab_t, l_t
