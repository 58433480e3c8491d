"""Painting a series: batches through the model, each image reproducible from its own seed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import studio
from studio.api import DEFAULT_BATCH, ModelRecord, PaintRequest, file_name
from studio.engine.images import Painting
from studio.engine.sampling import (
    CancelToken,
    StepUpdate,
    sample_diffusion,
    sample_gan,
    to_pil,
)
from studio.engine.upscale import cascade_meta, finish_cascade, resize_to_pair, size_plan
from studio.errors import StudioError
from studio.models.loaders import LoadedModel

__all__ = ["DEFAULT_BATCH", "PaintRequest", "Painting", "SeriesProgress", "file_name", "paint_series", "painting_meta"]


@dataclass(frozen=True)
class SeriesProgress:
    """Where a series stands: images done, and the current batch's step (with its x0 preview)."""

    done: int
    count: int
    batch_start: int
    batch_len: int
    step: int
    total_steps: int
    update: StepUpdate | None = None

    @property
    def fraction(self) -> float:
        per_image = self.step / self.total_steps if self.total_steps else 1.0
        return min(1.0, (self.done + per_image * self.batch_len) / max(1, self.count))


def painting_meta(record: ModelRecord, model: LoadedModel, req: PaintRequest, seed: int, size: int) -> dict[str, Any]:
    diffusion = model.kind == "diffusion"
    style = req.style if req.style is not None else (next(iter(model.styles)) if model.styles else None)
    cascade = cascade_meta(model, size)
    return {
        "model": record.id,
        "model_name": record.name,
        "model_sha256": record.sha256,
        "model_format": record.format,
        "kind": model.kind,
        "style": style,
        "seed": seed,
        "sampler": req.sampler if diffusion else None,
        "steps": req.steps if diffusion else None,
        "eta": req.eta if diffusion else None,
        "size": size,
        **({"cascade": cascade} if cascade else {}),
        "studio": studio.__version__,
    }


def paint_series(
    model: LoadedModel,
    record: ModelRecord,
    req: PaintRequest,
    *,
    cancel: CancelToken | None = None,
    on_progress: Callable[[SeriesProgress], None] | None = None,
    on_painting: Callable[[Painting], None] | None = None,
) -> list[Painting]:
    """Paint ``req.count`` images with seeds ``req.seed + k``; ``on_painting`` sees each as it is done."""
    if req.count < 1:
        raise StudioError("count must be at least 1")
    if req.batch_size < 1:
        raise StudioError("batch size must be at least 1")
    size = req.size or record.resolution
    upscaler, _ = size_plan(model, size)  # refuses a size it cannot paint before any work
    out: list[Painting] = []
    for start in range(0, req.count, req.batch_size):
        seeds = [req.seed + k for k in range(start, min(req.count, start + req.batch_size))]
        n = len(seeds)

        def step_cb(update: StepUpdate, start: int = start, n: int = n) -> None:
            if on_progress is not None:
                on_progress(SeriesProgress(start, req.count, start, n, update.step, update.total, update))

        if model.kind == "diffusion":
            images = sample_diffusion(
                model, seeds, style=req.style, sampler=req.sampler, steps=req.steps, eta=req.eta,
                cancel=cancel, on_step=step_cb if on_progress else None,
            )
        elif model.kind == "autoregressive":
            from studio.engine.autoregressive import sample_autoregressive

            images = sample_autoregressive(model, seeds, style=req.style, cancel=cancel)
        else:
            images = sample_gan(model, seeds, style=req.style, cancel=cancel)
        if upscaler is not None:
            images = finish_cascade(model, images, seeds, size)
        images = resize_to_pair(model, images)
        pils = to_pil(images)
        for k, (seed, im) in enumerate(zip(seeds, pils)):
            painting = Painting(im, seed, start + k, painting_meta(record, model, req, seed, size))
            out.append(painting)
            if on_painting is not None:
                on_painting(painting)
        if on_progress is not None:
            total = req.steps if model.kind == "diffusion" else 1
            on_progress(SeriesProgress(start + n, req.count, start, 0, total, total, None))
    return out
