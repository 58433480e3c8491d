"""Painting with an autoregressive model (the PixelCNN): one sub-pixel at a time in raster order.

Seed contract (as :mod:`studio.engine.noise`): painting k of a request with seed S draws its
3·H·W uniforms ``torch.rand((3, H, W), generator=Generator("cpu").manual_seed(S + k), dtype=float64)``
up front, and sub-pixel (c, i, j) takes the smallest value v whose cumulative probability exceeds
``u[c, i, j]`` (inverse-CDF sampling, in float64). A painting therefore depends only on its seed,
not on the batch it was painted in: the batch only shares the network calls.

Each network call sees only the rows that can change the current row's logits
(``InkPixelCNN.rows_seen`` above it; every convolution pads top/left only), so a step costs the
same at the bottom of the painting as at the top.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from studio.engine.cancel import CancelToken
from studio.engine.noise import image_generators
from studio.engine.sampling import StepUpdate
from studio.models.formats.base import LoadedModel
from studio.models.inkpixelcnn import LEVELS, to_input

UNPAINTED = 0.0  # previews show sub-pixels not yet painted as mid grey (0 in [-1, 1])


def sample_uniforms(seeds: Sequence[int], shape: tuple[int, int, int]) -> torch.Tensor:
    """The per-painting uniforms of the seed contract, (N, C, H, W) float64."""
    return torch.cat([torch.rand((1, *shape), generator=g, dtype=torch.float64) for g in image_generators(seeds)])


def pick(logits: torch.Tensor, u: torch.Tensor) -> torch.Tensor:
    """Inverse-CDF draw: (N, 256) logits and (N,) uniforms → (N,) values 0..255."""
    probs = torch.softmax(logits.double(), dim=-1)
    cdf = probs.cumsum(-1)
    return torch.searchsorted(cdf, u[:, None].contiguous()).squeeze(1).clamp(max=LEVELS - 1)


def preview(pixels: torch.Tensor, done: int) -> torch.Tensor:
    """The painting so far in [-1, 1]: the first ``done`` sub-pixels in raster order, the rest mid grey."""
    n, c, h, w = pixels.shape
    img = to_input(pixels)
    flat_done = torch.zeros(h * w * c, dtype=torch.bool)
    flat_done[:done] = True
    mask = flat_done.view(h, w, c).permute(2, 0, 1)  # raster order: row, column, then channel
    return torch.where(mask[None], img, torch.full_like(img, UNPAINTED))


@torch.no_grad()
def sample_autoregressive(
    model: LoadedModel,
    seeds: Sequence[int],
    *,
    style: str | None = None,
    cancel: CancelToken | None = None,
    on_step: Callable[[StepUpdate], None] | None = None,
    every: int | None = None,
) -> torch.Tensor:
    """Paint ``len(seeds)`` images together, float32 CPU in [-1, 1] (exactly the 8-bit values drawn).

    ``on_step`` sees the paintings so far every ``every`` sub-pixels (default: every row) and at
    the end; ``StepUpdate.step`` counts sub-pixels painted, ``total`` is 3·H·W.
    """
    net = model.module
    c, h, w = model.noise_shape
    n = len(seeds)
    u = sample_uniforms(seeds, (c, h, w))
    labels = model.labels_for(style, n)
    pixels = torch.zeros((n, c, h, w), dtype=torch.uint8)
    total = c * h * w
    every = every or c * w
    reach = int(getattr(net, "rows_seen", h))
    done = 0
    for i in range(h):
        top = max(0, i - reach)
        for j in range(w):
            if cancel is not None:
                cancel.raise_if_set()
            for ch in range(c):
                window = to_input(pixels[:, :, top : i + 1]).to(model.device, model.dtype)
                logits = net(window, labels)[:, ch, :, i - top, j].float().cpu()
                pixels[:, ch, i, j] = pick(logits, u[:, ch, i, j]).to(torch.uint8)
                done += 1
                if on_step is not None and (done % every == 0 or done == total):
                    on_step(StepUpdate(done, total, None, preview(pixels, done)))
    return to_input(pixels)
