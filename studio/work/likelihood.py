"""Bits per dimension on the validation paintings: ``inkstudio eval --bits-per-dim`` and the
Four-families sheet's likelihood column.

For each style the model offers (all paintings for an unconditional model), the validation
paintings at the model's size as 8-bit images are measured three ways:

* the model: ``LoadedModel.bits_per_dim`` (exact -log2 p(x | style) / (3·H·W) for an explicit
  density, the negative bound for an approximate one, None for an implicit one);
* uniform pixels: 8.0;
* PNG: the size of each image's PNG file (PIL, compression level 9, headers included) in bits,
  over its 3·H·W sub-pixels, summed over the images.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from studio.api import UNIFORM_BITS_PER_DIM


@dataclass(frozen=True)
class LikelihoodRequest:
    data: str  # folder of paintings; the validation split by source painting
    style: str | None = None  # one style; None: every style the model offers
    cache: str | None = None


@dataclass(frozen=True)
class BitsRow:
    style: str  # a style name, or "all"
    images: int
    model: float | None  # None: no likelihood
    png: float
    uniform: float = UNIFORM_BITS_PER_DIM


@dataclass(frozen=True)
class LikelihoodResult:
    model: str
    density: str
    size: int
    rows: list[BitsRow] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"model": self.model, "density": self.density, "size": self.size,
                "rows": [r.__dict__ for r in self.rows]}


def png_bits(pixels: Any) -> float:
    """Total bits of the PNG files of uint8 images (N, 3, H, W) saved one by one (PIL, level 9)."""
    from PIL import Image

    total = 0
    for img in pixels.permute(0, 2, 3, 1).numpy():
        buf = io.BytesIO()
        Image.fromarray(img, "RGB").save(buf, format="PNG", optimize=True, compress_level=9)
        total += 8 * buf.tell()
    return float(total)


def validation_sets(data: str, size: int, styles: list[str] | None, cache: str | None) -> dict[str | None, Any]:
    """uint8 validation paintings at ``size`` per style (key None: all usable paintings)."""
    import torch

    from studio.engine.train.data import reference_images

    out: dict[str | None, Any] = {}
    for style in styles or [None]:
        real = reference_images(data, size, style, "validation", cache)
        out[style] = ((real / 2 + 0.5).clamp(0, 1) * 255).round().to(torch.uint8)
    return out


def run(request: LikelihoodRequest, model: Any, report: Any = None, cancel: Any = None) -> LikelihoodResult:
    """Measure ``model`` (a LoadedModel) on the validation paintings of ``request.data``."""
    from studio.engine.inkstyle import STYLES
    from studio.work import style_for

    size = int(model.spec.resolution)
    if request.style is not None:
        style_for(model, request.style)
        styles: list[str] | None = [request.style]
    else:
        styles = [s for s in model.styles if s in STYLES] or None
    sets = validation_sets(request.data, size, styles, request.cache)
    rows: list[BitsRow] = []
    totals = {"n": 0, "model": 0.0, "png": 0.0, "dims": 0}
    has = bool(getattr(model, "has_likelihood", False))  # a style pair has none of its own
    for k, (style, pixels) in enumerate(sets.items()):
        if cancel is not None:
            cancel.raise_if_set()
        labels = model.labels_for(style, pixels.shape[0]) if style is not None else None
        per = model.bits_per_dim_each(pixels, labels.cpu() if labels is not None else None) if has else None
        dims = pixels[0].numel()
        png = png_bits(pixels)
        rows.append(BitsRow(style or "all", int(pixels.shape[0]), None if per is None else float(per.mean()),
                            png / (dims * pixels.shape[0])))
        totals["n"] += int(pixels.shape[0])
        totals["dims"] += dims * int(pixels.shape[0])
        totals["png"] += png
        if per is not None:
            totals["model"] += float(per.sum()) * dims
        if report is not None:
            report(k + 1, len(sets))
    if len(rows) > 1:
        rows.append(BitsRow("all", totals["n"], totals["model"] / totals["dims"] if has else None, totals["png"] / totals["dims"]))
    return LikelihoodResult(model.spec.name, str(getattr(model, "density", "implicit")), size, rows)


def bits_text(value: float | None) -> str:
    """A bits/dim figure as the sheet and the CLI print it ("—" when there is none)."""
    return "—" if value is None else f"{value:.3f}"
