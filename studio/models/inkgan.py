"""The project's own style-conditional GAN generator (checkpoint format e).

Contract used by the loader, the sampler and the trainer:
``InkGenerator(**config)``; ``forward(z, class_labels=None)`` with ``z`` of shape (B, nz) returns
images in [-1, 1] of shape (B, channels, resolution, resolution).
"""

from __future__ import annotations

import math

import torch
from torch import nn


class InkGenerator(nn.Module):
    def __init__(
        self,
        nz: int = 128,
        ngf: int = 64,
        resolution: int = 64,
        channels: int = 3,
        num_classes: int = 0,
        max_width_mult: int = 8,
    ) -> None:
        super().__init__()
        levels = math.log2(resolution)
        if resolution < 8 or levels != int(levels):
            raise ValueError(f"resolution must be a power of two >= 8, not {resolution}")
        self.nz, self.resolution, self.channels, self.num_classes = nz, resolution, channels, num_classes
        n_up = int(levels) - 2
        widths = [ngf * min(max_width_mult, 2 ** (n_up - i)) for i in range(n_up + 1)]
        self.embed = nn.Embedding(num_classes, nz) if num_classes > 0 else None
        self.fc = nn.Linear(nz * (2 if self.embed is not None else 1), 4 * 4 * widths[0])
        self.start_norm = nn.BatchNorm2d(widths[0])
        blocks = []
        for w_in, w_out in zip(widths[:-1], widths[1:]):
            blocks.append(
                nn.Sequential(
                    nn.Upsample(scale_factor=2, mode="nearest"),
                    nn.Conv2d(w_in, w_out, 3, padding=1, bias=False),
                    nn.BatchNorm2d(w_out),
                    nn.ReLU(inplace=True),
                    nn.Conv2d(w_out, w_out, 3, padding=1, bias=False),
                    nn.BatchNorm2d(w_out),
                    nn.ReLU(inplace=True),
                )
            )
        self.blocks = nn.Sequential(*blocks)
        self.to_rgb = nn.Conv2d(widths[-1], channels, 3, padding=1)

    def forward(self, z: torch.Tensor, class_labels: torch.Tensor | None = None) -> torch.Tensor:
        z = z.flatten(1)
        if self.embed is not None:
            if class_labels is None:
                raise ValueError("this generator is style-conditional: class_labels are required")
            z = torch.cat([z, self.embed(class_labels)], dim=1)
        h = self.fc(z).view(z.shape[0], -1, 4, 4)
        h = torch.relu(self.start_norm(h))
        return torch.tanh(self.to_rgb(self.blocks(h)))
