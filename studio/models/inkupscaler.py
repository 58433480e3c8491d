"""The ink upscaler: a small, fully convolutional ×2 network that paints ink detail into a painting
twice the size of its input (the second stage of the two-stage ``ink-cascade`` model).

* Input: the low-resolution painting (3 channels, [-1, 1]), one channel of Gaussian noise at the
  output size (drawn from the painting's seed, so the texture is reproducible), and a *level* —
  which doubling this is (32→64, 64→128, 128→256, 256→512: levels 0–3; larger sizes reuse 3).
  One network serves every level, applied repeatedly for ×4 and ×8.
* Output: a bicubic ×2 of the input plus a learned residual, so an untrained or unsure network
  degrades to plain bicubic interpolation instead of to noise.
* No normalisation layer and no global operation (reflect-padded 3×3 convolutions only): a network
  trained on 64 px crops runs unchanged on a whole painting of any shape.

The weights are stored in the project's single-file format (:mod:`studio.models.inkfile`) with
``"kind": "upscaler"``; :func:`load_upscaler` reads them without unpickling anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from studio.errors import CheckpointError
from studio.models.inkfile import load_ink_state, read_ink_metadata

LEVELS = 4  # 32→64, 64→128, 128→256, 256→512
BASE_OUT = 64  # output size of level 0


def level_for(out_size: int) -> int:
    """The level of a doubling whose output is ``out_size`` px on its shorter side (clamped to 0..3)."""
    level = 0
    size = BASE_OUT
    while size * 2 <= out_size and level < LEVELS - 1:
        size *= 2
        level += 1
    return level


def _conv(cin: int, cout: int) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, 3, padding=1, padding_mode="reflect")


class _Residual(nn.Module):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.a = _conv(width, width)
        self.b = _conv(width, width)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return h + 0.2 * self.b(F.leaky_relu(self.a(h), 0.2))


class InkUpscaler(nn.Module):
    """×2: ``forward(low, noise, level) -> high``; ``low`` (N, 3, H, W), ``noise`` (N, 1, 2H, 2W)."""

    def __init__(self, width: int = 64, blocks: int = 6, hr_blocks: int = 1, levels: int = LEVELS) -> None:
        super().__init__()
        self.config = {"width": width, "blocks": blocks, "hr_blocks": hr_blocks, "levels": levels}
        self.head = _conv(3, width)
        self.level = nn.Embedding(levels, width)
        nn.init.zeros_(self.level.weight)
        self.body = nn.Sequential(*[_Residual(width) for _ in range(blocks)])
        self.up = _conv(width, width * 4)
        self.hr_in = _conv(width + 4, width)
        self.hr_body = nn.Sequential(*[_Residual(width) for _ in range(hr_blocks)])
        self.tail = _conv(width, 3)
        nn.init.zeros_(self.tail.weight)
        nn.init.zeros_(self.tail.bias)

    def forward(self, low: torch.Tensor, noise: torch.Tensor, level: torch.Tensor) -> torch.Tensor:
        base = F.interpolate(low, scale_factor=2, mode="bicubic", align_corners=False)
        h = F.leaky_relu(self.head(low), 0.2) + self.level(level)[:, :, None, None]
        h = self.body(h)
        h = F.leaky_relu(F.pixel_shuffle(self.up(h), 2), 0.2)
        h = F.leaky_relu(self.hr_in(torch.cat([h, base, noise], dim=1)), 0.2)
        h = self.hr_body(h)
        return base + self.tail(h)


@dataclass
class LoadedUpscaler:
    net: InkUpscaler
    path: Path
    meta: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.meta.get("name") or self.path.stem)


def load_upscaler(path: str | Path) -> LoadedUpscaler:
    """An ink upscaler from its ``.safetensors`` file; CheckpointError when it is not a usable one."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(path, "no such upscaler file")
    meta = read_ink_metadata(path)
    if meta.get("kind") != "upscaler":
        raise CheckpointError(path, f"not an ink upscaler (its kind is {meta.get('kind')!r})")
    arch = meta["architecture"]
    if arch.get("class") != "InkUpscaler":
        raise CheckpointError(path, f"unknown upscaler architecture {arch.get('class')!r}")
    cfg = arch["config"]
    allowed = {"width": (1, 512), "blocks": (0, 64), "hr_blocks": (0, 16), "levels": (1, 16)}
    clean: dict[str, int] = {}
    for key, (lo, hi) in allowed.items():
        value = cfg.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
            raise CheckpointError(path, f"upscaler config '{key}' must be an integer in {lo}..{hi}, not {value!r}")
        clean[key] = value
    net = InkUpscaler(**clean)
    state = load_ink_state(path)
    try:
        net.load_state_dict({k: v.float() for k, v in state.items()}, strict=True)
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()[0][:200]
        raise CheckpointError(path, f"weights do not fit the upscaler ({first})") from None
    net.eval().requires_grad_(False)
    return LoadedUpscaler(net, path, meta)
