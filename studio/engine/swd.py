"""Sliced Wasserstein distance on Laplacian-pyramid patches (Karras et al., "Progressive Growing
of GANs", ICLR 2018, §5).

For each set of images (float, [-1, 1], (N, 3, H, W)):

1. build a Laplacian pyramid with the 5-tap binomial filter [1 4 6 4 1]/16 down to ``min_size``
   pixels: levels H, H/2, …, ``min_size`` (the finest levels are band-pass detail — brushwork and
   texture; the last is the low-pass image — composition and tone);
2. per level, draw ``descriptors_per_image × max(N_a, N_b)`` random 7×7×3 patches per set
   (147-d descriptors; the same positions in both sets when they hold equally many images);
3. normalise each channel of both sets with the mean and std of the *reference* set (the first
   argument). Karras et al. normalise each set by its own statistics; using the reference's keeps
   a global tone or contrast error visible instead of normalising it away;
4. average over ``repeats`` × ``directions`` random unit directions the mean absolute difference
   of the sorted projections (the 1-D Wasserstein-1 distance), ×10³.

The result is one distance per level and their mean. It is deterministic for a given ``seed``.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

PATCH = 7
_BINOMIAL = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0]) / 16.0


@dataclass(frozen=True)
class SWDResult:
    sizes: list[int]  # pixel size of each pyramid level, finest first
    levels: list[float]  # ×10³
    mean: float

    def lines(self) -> list[str]:
        return [f"level {s:>4}px  {d:8.2f}" for s, d in zip(self.sizes, self.levels)] + [f"swd {self.mean:.2f}"]


def _blur(x: torch.Tensor) -> torch.Tensor:
    c = x.shape[1]
    k = (_BINOMIAL[:, None] * _BINOMIAL[None, :]).to(x)
    k = k.expand(c, 1, 5, 5).contiguous()
    return F.conv2d(F.pad(x, (2, 2, 2, 2), mode="reflect"), k, groups=c)


def laplacian_pyramid(x: torch.Tensor, min_size: int = 16) -> list[torch.Tensor]:
    """Band-pass levels from the image's size down to ``min_size`` (last level: the low-pass image)."""
    levels = []
    current = x
    while current.shape[-1] > min_size:
        down = _blur(current)[..., ::2, ::2]
        levels.append(current - _upsample(down, current.shape[-2:]))
        current = down
    levels.append(current)
    return levels


def _upsample(x: torch.Tensor, size: torch.Size) -> torch.Tensor:
    # zero-insertion upsampling followed by the same binomial filter (×4 keeps the energy)
    b, c, h, w = x.shape
    up = x.new_zeros((b, c, h * 2, w * 2))
    up[..., ::2, ::2] = x
    up = _blur(up) * 4
    return up[..., : size[0], : size[1]]


def _positions(n: int, h: int, w: int, count: int, generator: torch.Generator) -> tuple[torch.Tensor, ...]:
    if h < PATCH or w < PATCH:
        raise ValueError(f"pyramid level {h}x{w} is smaller than a {PATCH}x{PATCH} patch")
    img = torch.randint(n, (count,), generator=generator)
    ys = torch.randint(h - PATCH + 1, (count,), generator=generator)
    xs = torch.randint(w - PATCH + 1, (count,), generator=generator)
    return img, ys, xs


def _descriptors(level: torch.Tensor, img: torch.Tensor, ys: torch.Tensor, xs: torch.Tensor) -> torch.Tensor:
    count, c = len(img), level.shape[1]
    offs = torch.arange(PATCH)
    rows = (ys[:, None] + offs[None, :])[:, :, None].expand(count, PATCH, PATCH)
    cols = (xs[:, None] + offs[None, :])[:, None, :].expand(count, PATCH, PATCH)
    patches = level[img[:, None, None], :, rows, cols]  # (count, 7, 7, c)
    return patches.permute(0, 3, 1, 2).reshape(count, c, PATCH * PATCH)


def sliced_wasserstein(a: torch.Tensor, b: torch.Tensor, directions: int, repeats: int, generator: torch.Generator) -> float:
    """Mean 1-D Wasserstein-1 distance of two equally sized descriptor sets over random directions."""
    a = a.flatten(1)
    b = b.flatten(1)
    total = 0.0
    for _ in range(repeats):
        dirs = torch.randn(a.shape[1], directions, generator=generator)
        dirs = dirs / dirs.norm(dim=0, keepdim=True)
        pa = torch.sort(a @ dirs, dim=0).values
        pb = torch.sort(b @ dirs, dim=0).values
        total += float((pa - pb).abs().mean())
    return total / repeats


def swd(
    reference: torch.Tensor,
    candidate: torch.Tensor,
    *,
    min_size: int = 16,
    descriptors_per_image: int = 128,
    directions: int = 128,
    repeats: int = 4,
    seed: int = 0,
) -> SWDResult:
    """SWD ×10³ per Laplacian level between two image sets in [-1, 1] (same size, any counts).

    >>> swd(real, fake).mean   # ~0 for identical sets, larger is worse
    """
    if reference.shape[1:] != candidate.shape[1:]:
        raise ValueError(f"image sets differ in shape: {tuple(reference.shape[1:])} vs {tuple(candidate.shape[1:])}")
    g = torch.Generator("cpu").manual_seed(seed)
    count = descriptors_per_image * max(len(reference), len(candidate))
    pyr_a = laplacian_pyramid(reference.float().cpu(), min_size)
    pyr_b = laplacian_pyramid(candidate.float().cpu(), min_size)
    sizes, dists = [], []
    for la, lb in zip(pyr_a, pyr_b):
        # equally many images: the same patch positions in both sets (identical sets give exactly 0)
        pos_a = _positions(len(la), la.shape[-2], la.shape[-1], count, g)
        pos_b = pos_a if len(la) == len(lb) else _positions(len(lb), lb.shape[-2], lb.shape[-1], count, g)
        da = _descriptors(la, *pos_a)
        db = _descriptors(lb, *pos_b)
        mean = da.mean(dim=(0, 2), keepdim=True)
        std = da.std(dim=(0, 2), keepdim=True).clamp_min(1e-8)
        da = (da - mean) / std
        db = (db - mean) / std
        sizes.append(int(la.shape[-1]))
        dists.append(sliced_wasserstein(da, db, directions, repeats, g) * 1e3)
    return SWDResult(sizes, dists, sum(dists) / len(dists))
