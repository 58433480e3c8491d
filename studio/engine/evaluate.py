"""Paint image sets from a loaded model for evaluation and sample grids (no files written)."""

from __future__ import annotations

import torch
from PIL import Image

from studio.engine.sampling import sample_diffusion, sample_gan, to_pil
from studio.models.loaders import LoadedModel

EVAL_SAMPLER = "dpm++"
EVAL_STEPS = 20


def paint_set(
    model: LoadedModel,
    style: str | None,
    count: int,
    seed: int,
    *,
    batch: int = 16,
    sampler: str = EVAL_SAMPLER,
    steps: int = EVAL_STEPS,
    size: int | None = None,
) -> torch.Tensor:
    """``count`` images (seeds seed..seed+count-1, the studio's noise contract) in [-1, 1], float32 CPU."""
    from studio.engine.upscale import finish_cascade

    out = []
    for start in range(0, count, batch):
        seeds = list(range(seed + start, seed + min(count, start + batch)))
        if model.kind == "diffusion":
            images = sample_diffusion(model, seeds, style=style, sampler=sampler, steps=steps)
        else:
            images = sample_gan(model, seeds, style=style)
        out.append(finish_cascade(model, images, seeds, size))
    return torch.cat(out)


def luminance(images: torch.Tensor) -> torch.Tensor:
    """ITU-R 601 luminance in 0..255 of images in [-1, 1], shape (N, H, W)."""
    rgb = (images.float().clamp(-1, 1) + 1) * 127.5
    return 0.299 * rgb[:, 0] + 0.587 * rgb[:, 1] + 0.114 * rgb[:, 2]


def heavy_ink_fraction(images: torch.Tensor, threshold: float = 80.0) -> float:
    """Fraction of pixels with luminance (ITU-R 601) below ``threshold``/255 in images in [-1, 1]."""
    return float((luminance(images) < threshold).float().mean())


def tone_spread(images: torch.Tensor) -> tuple[float, float]:
    """Mean and standard deviation over images of each image's mean luminance (0..255).

    Paintings range from white paper to dark brown silk; a model that paints every picture in one
    middling tone has the right mean and too small a spread, which the SWD's coarse level only hints at.
    """
    per_image = luminance(images).mean(dim=(1, 2))
    return float(per_image.mean()), float(per_image.std(unbiased=False)) if len(per_image) > 1 else 0.0


def image_grid(rows: list[torch.Tensor], pad: int = 2, background: tuple[int, int, int] = (250, 248, 240)) -> Image.Image:
    """One picture from rows of images in [-1, 1] (each row a (N, 3, H, W) tensor)."""
    tiles = [to_pil(r) for r in rows]
    h, w = rows[0].shape[-2:]
    cols = max(len(t) for t in tiles)
    grid = Image.new("RGB", (cols * (w + pad) + pad, len(tiles) * (h + pad) + pad), background)
    for r, row in enumerate(tiles):
        for c, im in enumerate(row):
            grid.paste(im.convert("RGB"), (pad + c * (w + pad), pad + r * (h + pad)))
    return grid
