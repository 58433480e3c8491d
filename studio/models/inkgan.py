"""The project's own style-conditional GAN generator (checkpoint format e).

Contract used by the loader, the sampler, the walk and the trainer:
``InkGenerator(**config)``; ``forward(z, class_labels=None)`` with ``z`` of shape (B, nz) returns
images in [-1, 1] of shape (B, channels, resolution, resolution). A style-conditional generator
looks its label up in ``self.embed`` (an ``nn.Embedding``) exactly once per forward pass, so the
latent walk can blend styles by overriding that lookup.

Architecture: a linear map of [z, style] to a 4×4 grid, then one block per doubling (nearest
upsample, two 3×3 convolutions). No BatchNorm — its running statistics do not survive weight
averaging (the exported weights are an EMA) and couple the images of a batch. Instead each
convolution is followed by pixel normalisation (Karras et al., 2018) and a per-channel scale and
shift predicted from [z, style] (a light form of AdaIN/FiLM), which lets the style reach every
resolution.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class PixelNorm(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + 1e-8)


class _ModulatedConv(nn.Module):
    """conv 3×3 → pixel norm → (1 + scale(w)) · h + shift(w) → leaky ReLU."""

    def __init__(self, w_in: int, w_out: int, w_dim: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(w_in, w_out, 3, padding=1)
        self.norm = PixelNorm()
        self.affine = nn.Linear(w_dim, 2 * w_out)
        nn.init.zeros_(self.affine.weight)
        nn.init.zeros_(self.affine.bias)
        self.act = nn.LeakyReLU(0.2)

    def forward(self, h: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        h = self.norm(self.conv(h))
        scale, shift = self.affine(w)[:, :, None, None].chunk(2, dim=1)
        return self.act(h * (1 + scale) + shift)


class _UpBlock(nn.Module):
    def __init__(self, w_in: int, w_out: int, w_dim: int) -> None:
        super().__init__()
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.conv1 = _ModulatedConv(w_in, w_out, w_dim)
        self.conv2 = _ModulatedConv(w_out, w_out, w_dim)

    def forward(self, h: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        return self.conv2(self.conv1(self.up(h), w), w)


class _StyleGenerator(nn.Module):
    """What both generator families share: the size check, the style embedding and the conditioned latent."""

    def __init__(self, nz: int, resolution: int, channels: int, num_classes: int) -> None:
        super().__init__()
        levels = math.log2(resolution)
        if resolution < 8 or levels != int(levels):
            raise ValueError(f"resolution must be a power of two >= 8, not {resolution}")
        self.nz, self.resolution, self.channels, self.num_classes = nz, resolution, channels, num_classes
        self.n_up = int(levels) - 2  # doublings from the 4×4 start
        self.embed = nn.Embedding(num_classes, nz) if num_classes > 0 else None
        self.w_dim = nz * (2 if self.embed is not None else 1)

    def conditioned(self, z: torch.Tensor, class_labels: torch.Tensor | None) -> torch.Tensor:
        """[z, embed(style)]: the one embedding lookup of a forward pass (the latent walk overrides it)."""
        z = z.flatten(1)
        if self.embed is None:
            return z
        if class_labels is None:
            raise ValueError("this generator is style-conditional: class_labels are required")
        return torch.cat([z, self.embed(class_labels)], dim=1)


class InkGenerator(_StyleGenerator):
    def __init__(
        self,
        nz: int = 128,
        ngf: int = 64,
        resolution: int = 64,
        channels: int = 3,
        num_classes: int = 0,
        max_width_mult: int = 8,
    ) -> None:
        super().__init__(nz, resolution, channels, num_classes)
        n_up, w_dim = self.n_up, self.w_dim
        widths = [ngf * min(max_width_mult, 2 ** (n_up - i)) for i in range(n_up + 1)]
        self.mapping = nn.Sequential(PixelNorm(), nn.Linear(w_dim, w_dim), nn.LeakyReLU(0.2), nn.Linear(w_dim, w_dim), nn.LeakyReLU(0.2))
        self.fc = nn.Linear(w_dim, 4 * 4 * widths[0])
        self.start = _ModulatedConv(widths[0], widths[0], w_dim)
        self.blocks = nn.ModuleList(_UpBlock(a, b, w_dim) for a, b in zip(widths[:-1], widths[1:]))
        self.to_rgb = nn.Conv2d(widths[-1], channels, 1)

    def forward(self, z: torch.Tensor, class_labels: torch.Tensor | None = None) -> torch.Tensor:
        w = self.mapping(self.conditioned(z, class_labels))
        h = self.fc(w).view(z.shape[0], -1, 4, 4)
        h = self.start(h, w)
        for block in self.blocks:
            h = block(h, w)
        return torch.tanh(self.to_rgb(h))


class InkDCGenerator(_StyleGenerator):
    """A style-conditional DCGAN generator that upsamples by resizing: the bundled GAN's network.

    Same contract as :class:`InkGenerator` (``forward(z, class_labels)``, one ``self.embed`` lookup per
    forward). [z, style] → linear to a 4×4 grid → per doubling: nearest-neighbour upsample, 3×3
    convolution, BatchNorm, ReLU → 3×3 convolution to RGB, tanh. Resizing then convolving instead of
    DCGAN's transposed convolutions avoids their checkerboard: with transposed 4×4 stride-2
    convolutions our first run drew visibly repeated tiles (docs/training.md). BatchNorm is what makes
    this generator train fast on small data; its statistics at inference are the *standing* ones
    the trainer recomputes for the averaged (EMA) weights before export, so an image does not depend
    on the others in its batch.
    """

    def __init__(
        self,
        nz: int = 128,
        ngf: int = 64,
        resolution: int = 64,
        channels: int = 3,
        num_classes: int = 0,
        max_width_mult: int = 8,
    ) -> None:
        super().__init__(nz, resolution, channels, num_classes)
        n_up, w_dim = self.n_up, self.w_dim
        # 4 px: ngf·8 (at 64 px), halving per doubling to ngf, then ngf/2 at full resolution
        widths = [ngf * min(max_width_mult, 2 ** (n_up - 1 - i)) for i in range(n_up)] + [max(1, ngf // 2)]
        self.fc = nn.Linear(w_dim, 4 * 4 * widths[0], bias=False)
        self.fc_norm = nn.BatchNorm2d(widths[0])
        layers: list[nn.Module] = []
        for a, b in zip(widths[:-1], widths[1:]):
            layers += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(a, b, 3, padding=1, bias=False),
                       nn.BatchNorm2d(b), nn.ReLU(inplace=True)]
        self.blocks = nn.Sequential(*layers)
        self.to_rgb = nn.Conv2d(widths[-1], channels, 3, padding=1)
        self.widths = widths

    def forward(self, z: torch.Tensor, class_labels: torch.Tensor | None = None) -> torch.Tensor:
        z = self.conditioned(z, class_labels)
        h = torch.relu(self.fc_norm(self.fc(z).view(z.shape[0], -1, 4, 4)))
        return torch.tanh(self.to_rgb(self.blocks(h)))


GENERATORS: dict[str, type[nn.Module]] = {"InkGenerator": InkGenerator, "InkDCGenerator": InkDCGenerator}

# far beyond any generator an ink studio paints with: a config asking for more would hang or exhaust memory
GENERATOR_LIMITS = {"nz": 4096, "ngf": 1024, "resolution": 2048, "channels": 4, "num_classes": 100_000, "max_width_mult": 64}


def generator_size_problem(config: dict) -> str | None:  # type: ignore[type-arg]
    """What makes a generator config absurd to build (huge, or not a whole number), or None."""
    for key, limit in GENERATOR_LIMITS.items():
        if key not in config:
            continue
        value = config[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < (0 if key == "num_classes" else 1):
            return f"{key} {value!r} is not a positive whole number"
        if value > limit:
            return f"{key} {value!r} is larger than any ink model (limit {limit})"
    return None
