"""What a VAE can do beyond painting from a latent: encode, reconstruct, bound the likelihood, map its latent space.

The model is a :class:`~studio.models.formats.base.LoadedModel` of format ``inkvae`` (its module an
:class:`~studio.models.inkvae.InkVAE`). Painting from the prior goes through ``paint_series`` like a
GAN (z from the seed contract's noise, the decoder's mean shown). Example::

    m = latent_map(model, "light", seed=7, rows=5, cols=5)
    m.images[2][2]                       # the painting at the centre latent
    decode_at(model, "light", m, 0.3, -1.2)   # any point of the slice, for dragging
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from PIL import Image

from studio.engine.noise import noise_for_seeds
from studio.engine.sampling import to_pil
from studio.errors import StudioError
from studio.models.inkvae import InkVAE, bits_per_dim, elbo, quantise
from studio.models.loaders import LoadedModel

ELBO_SEED = 4321


def vae_module(model: LoadedModel) -> InkVAE:
    """The InkVAE inside ``model``; one line when it is not a VAE."""
    if model.kind != "vae" or not isinstance(model.module, InkVAE):
        raise StudioError(f"model '{model.spec.name}' is a {model.kind} model, not a VAE")
    return model.module


def images_to_tensor(images: Sequence[Image.Image], size: int, channels: int = 3) -> torch.Tensor:
    """PIL images → (B, C, size, size) in [-1, 1] on the 256-value grid (resized with Lanczos when needed)."""
    import numpy as np

    out = []
    for im in images:
        im = im.convert("RGB" if channels == 3 else "L")
        if im.size != (size, size):
            im = im.resize((size, size), Image.Resampling.LANCZOS)
        arr = np.asarray(im, dtype=np.uint8)
        arr = arr[None] if arr.ndim == 2 else arr.transpose(2, 0, 1)
        out.append(torch.from_numpy(arr.copy()))
    return torch.stack(out).float().div(127.5).sub(1.0)


@torch.no_grad()
def encode(model: LoadedModel, x: torch.Tensor, style: str | None) -> tuple[torch.Tensor, torch.Tensor]:
    """Posterior mean and log-variance (B, latent) of images ``x`` in [-1, 1]."""
    vae = vae_module(model)
    labels = model.labels_for(style, x.shape[0])
    mu, logvar = vae.encode(quantise(x).to(model.device, model.dtype), labels)
    return mu.float(), logvar.float()


@torch.no_grad()
def reconstruct(model: LoadedModel, x: torch.Tensor, style: str | None) -> torch.Tensor:
    """Each image through the encoder's mean and back through the decoder: (B, C, R, R) in [-1, 1]."""
    mu, _ = encode(model, x, style)
    return model.generate(mu, model.labels_for(style, x.shape[0]))


@torch.no_grad()
def elbo_bits_per_dim(model: LoadedModel, x: torch.Tensor, style: str | None, samples: int = 1, seed: int = ELBO_SEED,
                      batch: int = 64) -> float:
    """Mean -ELBO of images ``x`` ([-1, 1]) in bits per dimension: an upper bound on their NLL (uniform = 8.0)."""
    vae = vae_module(model)
    if x.dim() != 4 or x.shape[1] != vae.channels or x.shape[-1] != vae.resolution or x.shape[-2] != vae.resolution:
        raise StudioError(f"the VAE measures {vae.channels}×{vae.resolution}×{vae.resolution} images, not {tuple(x.shape[1:])}")
    g = torch.Generator("cpu").manual_seed(seed)
    total = 0.0
    for i in range(0, len(x), batch):
        part = quantise(x[i : i + batch]).to(model.device, model.dtype)
        labels = model.labels_for(style, len(part))
        rec, kl = elbo(vae, part, labels, g, samples)
        total += float(bits_per_dim(-rec + kl, part[0].numel()).sum())
    return total / max(1, len(x))


@dataclass(frozen=True)
class LatentMap:
    """A 2-D slice through latent space: ``centre + a·e[axes[0]] + b·e[axes[1]]`` for a, b in [-span, span].

    ``images[r][c]`` is the painting at a = ``values[c]`` and b = the r-th of ``rows`` values from +span
    down to -span (b grows upwards, as on a chart).
    """

    style: str | None
    seed: int
    axes: tuple[int, int]
    span: float
    values: list[float]
    centre: torch.Tensor  # (latent,)
    images: list[list[Image.Image]]


def default_axes(model: LoadedModel) -> tuple[int, int]:
    """The two latent dimensions the encoder uses most (recorded at training), else 0 and 1."""
    axes = list(model.spec.extra.get("meta", {}).get("latent_axes", []))
    latent = vae_module(model).latent
    if latent < 2:
        raise StudioError("a latent map needs at least two latent dimensions")
    if len(axes) >= 2 and axes[0] != axes[1]:
        return int(axes[0]), int(axes[1])
    return 0, 1


def latent_point(lmap: LatentMap, a: float, b: float) -> torch.Tensor:
    z = lmap.centre.clone()
    z[lmap.axes[0]] += a
    z[lmap.axes[1]] += b
    return z


@torch.no_grad()
def latent_map(model: LoadedModel, style: str | None, *, seed: int, rows: int = 5, cols: int = 5, span: float = 2.5,
               axes: tuple[int, int] | None = None) -> LatentMap:
    """Decode a ``rows`` × ``cols`` grid of the slice through the prior sample of ``seed`` (seed contract noise)."""
    vae = vae_module(model)
    if rows < 1 or cols < 1 or rows * cols > 400:
        raise StudioError("a latent map has 1 to 400 cells")
    if not 0 < span <= 10:
        raise StudioError(f"the latent map's span must be between 0 and 10, not {span}")
    axes = axes or default_axes(model)
    if not all(0 <= a < vae.latent for a in axes) or axes[0] == axes[1]:
        raise StudioError(f"latent map axes must be two different dimensions 0..{vae.latent - 1}")
    centre = noise_for_seeds(model.noise_shape, [seed])[0]
    col_vals, row_vals = _spread(span, cols), _spread(span, rows)
    lmap = LatentMap(style, seed, (int(axes[0]), int(axes[1])), span, col_vals, centre, [])
    zs = torch.stack([latent_point(lmap, a, b) for b in reversed(row_vals) for a in col_vals])
    pics = to_pil(model.generate(zs.to(model.device), model.labels_for(style, len(zs))))
    grid = [pics[r * cols : (r + 1) * cols] for r in range(rows)]
    return LatentMap(style, seed, lmap.axes, span, col_vals, centre, grid)


def _spread(span: float, n: int) -> list[float]:
    return [(-span + 2 * span * k / (n - 1)) if n > 1 else 0.0 for k in range(n)]


@torch.no_grad()
def decode_at(model: LoadedModel, style: str | None, lmap: LatentMap, a: float, b: float) -> Image.Image:
    """The painting at (a, b) of a latent map's slice: what dragging across the map shows."""
    z = latent_point(lmap, a, b)[None].to(model.device)
    return to_pil(model.generate(z, model.labels_for(style, 1)))[0]
