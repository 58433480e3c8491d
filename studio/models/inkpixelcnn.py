"""The project's own gated PixelCNN (van den Oord et al., "Conditional Image Generation with
PixelCNN Decoders", NeurIPS 2016): an explicit density over 8-bit images, style-conditional.

Contract used by the format module, the sampler, the likelihood and the trainer:
``InkPixelCNN(**config)``; ``forward(x, labels=None)`` with ``x`` a float image batch (B, 3, H, W)
in [-1, 1] (8-bit values v mapped to v / 127.5 - 1) returns logits (B, 3, 256, H, W): for every
sub-pixel the 256-way distribution of its value given every sub-pixel before it in raster order
(row by row, left to right, and R, G, B within a pixel) and the style.

Causality:
* a vertical stack of (k//2+1)×k convolutions that see the rows at and above a row; its output is
  shifted down by one row before it reaches the horizontal stack, so a pixel sees only rows above;
* a horizontal stack of 1×(k//2+1) convolutions that see the pixels at and left of a column; the
  features are split into three groups (R, G, B) and at the current pixel group c sees only input
  channels < c (mask A, first layer) or feature groups ≤ c (mask B, later layers). Two stacks
  leave no blind spot.
* Gated activation tanh(W_f * x + V_f h) ⊙ σ(W_g * x + V_g h), h the learned style embedding.

Every convolution has padding on the top/left only, so the rows up to ``i`` give exactly the same
logits for row ``i`` whatever lies below: the sampler crops to the rows it needs
(:attr:`InkPixelCNN.rows_seen`).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

GROUPS = 3  # R, G, B
LEVELS = 256


def _group_of(index: torch.Tensor, count: int) -> torch.Tensor:
    """Colour group of channel ``index`` of ``count`` feature channels (contiguous thirds)."""
    return (index * GROUPS) // count


def channel_mask(out_groups: torch.Tensor, in_groups: torch.Tensor, strict: bool) -> torch.Tensor:
    """(out, in) mask: output group c may see input group g when g < c (strict, mask A) or g <= c (mask B)."""
    o, i = out_groups[:, None], in_groups[None, :]
    return (i < o if strict else i <= o).float()


class _MaskedCenterConv(nn.Conv2d):
    """A conv whose kernel's last column (the current pixel, with left padding only) is masked by colour group."""

    def __init__(self, cin: int, cout: int, kernel: tuple[int, int], in_groups: torch.Tensor, out_groups: torch.Tensor,
                 strict: bool) -> None:
        super().__init__(cin, cout, kernel)
        mask = torch.ones(cout, cin, *kernel)
        mask[:, :, -1, -1] = channel_mask(out_groups, in_groups, strict)
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(x, self.weight * self.mask, self.bias)


def _feature_groups(n: int) -> torch.Tensor:
    return _group_of(torch.arange(n), n)


def _gate_groups(n: int) -> torch.Tensor:
    """Groups of the 2n pre-activation channels [tanh half, sigmoid half]: channel o and o+n share a group."""
    return torch.cat([_feature_groups(n), _feature_groups(n)])


class _GatedLayer(nn.Module):
    def __init__(self, width: int, kernel: int, num_classes: int, first: bool) -> None:
        super().__init__()
        cin = 3 if first else width
        in_groups = torch.arange(3) if first else _feature_groups(width)
        self.first = first
        self.k = kernel
        self.v_conv = nn.Conv2d(cin, 2 * width, (kernel // 2 + 1, kernel))
        self.v_to_h = nn.Conv2d(2 * width, 2 * width, 1)
        self.h_conv = _MaskedCenterConv(cin, 2 * width, (1, kernel // 2 + 1), in_groups, _gate_groups(width), strict=first)
        self.h_out = _MaskedCenterConv(width, width, (1, 1), _feature_groups(width), _feature_groups(width), strict=False)
        self.embed = nn.Embedding(num_classes, 4 * width) if num_classes > 0 else None

    @staticmethod
    def _gate(a: torch.Tensor) -> torch.Tensor:
        f, g = a.chunk(2, dim=1)
        return torch.tanh(f) * torch.sigmoid(g)

    def forward(self, v: torch.Tensor, h: torch.Tensor, labels: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        k = self.k
        v_pre = self.v_conv(F.pad(v, (k // 2, k // 2, k // 2, 0)))  # rows at and above: pad top only
        shifted = F.pad(v_pre, (0, 0, 1, 0))[:, :, :-1]  # the horizontal stack sees rows strictly above
        h_pre = self.h_conv(F.pad(h, (k // 2, 0, 0, 0))) + self.v_to_h(shifted)
        if self.embed is not None and labels is not None:
            cv, ch = self.embed(labels)[:, :, None, None].chunk(2, dim=1)
            v_pre, h_pre = v_pre + cv, h_pre + ch
        v_new = self._gate(v_pre)
        h_new = self.h_out(self._gate(h_pre))
        if not self.first:
            h_new = h_new + h
        return v_new, h_new


class InkPixelCNN(nn.Module):
    """Gated PixelCNN over 8-bit RGB, 256-way softmax per sub-pixel, optional style classes."""

    def __init__(self, width: int = 64, layers: int = 8, kernel: int = 5, resolution: int = 32, num_classes: int = 0,
                 head: int = 128) -> None:
        super().__init__()
        if width % GROUPS or head % GROUPS:
            raise ValueError(f"width and head must be multiples of {GROUPS}")
        if kernel < 3 or kernel % 2 == 0:
            raise ValueError("kernel must be odd and at least 3")
        if layers < 1 or resolution < 2:
            raise ValueError("need at least one layer and 2 px")
        self.width, self.kernel, self.resolution, self.num_classes = width, kernel, resolution, num_classes
        self.layers = nn.ModuleList([_GatedLayer(width, kernel, num_classes, first=(i == 0)) for i in range(layers)])
        fg, hg = _feature_groups(width), _feature_groups(head)
        out_groups = torch.arange(GROUPS * LEVELS) // LEVELS  # logits laid out [R 256, G 256, B 256]
        self.out1 = _MaskedCenterConv(width, head, (1, 1), fg, hg, strict=False)
        self.out2 = _MaskedCenterConv(head, GROUPS * LEVELS, (1, 1), hg, out_groups, strict=False)

    @property
    def rows_seen(self) -> int:
        """How many rows above a row can change its logits (the vertical stack's reach plus the shift)."""
        return len(self.layers) * (self.kernel // 2) + 1

    def features(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        """The horizontal stack's last output (B, width, H, W): feature group c of a pixel has seen every sub-pixel before (c, pixel)."""
        v, h = x, x
        for layer in self.layers:
            v, h = layer(v, h, labels)
        return h

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        h = self.features(x, labels)
        out = self.out2(F.relu(self.out1(F.relu(h))))
        b, _, hh, ww = out.shape
        return out.view(b, GROUPS, LEVELS, hh, ww)


def to_input(pixels: torch.Tensor) -> torch.Tensor:
    """uint8 (or integer-valued) 0..255 → the network's float input in [-1, 1]."""
    return pixels.float() / 127.5 - 1.0


def nats_per_image(model: InkPixelCNN, pixels: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
    """-log p(x | style) in nats for each image of a uint8 batch (B, 3, H, W): the sum over sub-pixels."""
    logits = model(to_input(pixels), labels)
    logp = torch.log_softmax(logits.float(), dim=2)
    picked = logp.gather(2, pixels.long().unsqueeze(2)).squeeze(2)
    return -picked.flatten(1).sum(1)


def pixelcnn_size_problem(config: dict) -> str | None:
    """Why a config would build a network too large for this studio (None when it is fine)."""
    width, layers = int(config.get("width", 64)), int(config.get("layers", 8))
    if width > 512 or layers > 64 or int(config.get("resolution", 32)) > 256:
        return f"PixelCNN config too large (width {width}, layers {layers})"
    return None
