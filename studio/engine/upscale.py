"""Upscaling paintings: the learned ink upscaler (:mod:`studio.models.inkupscaler`) or Lanczos.

The ink upscaler doubles a painting per pass (×2, ×4 = two passes, ×8 = three). Its texture noise
is drawn from the painting's seed — one generator per painting, seeded ``seed + NOISE_OFFSET``, one
``torch.randn`` of the output shape per pass — and each painting goes through the network alone,
so an upscaled painting is the same whether it was made in a batch or by itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from PIL import Image

from studio.api import BUNDLED_UPSCALER, MAX_UPSCALE_PASSES
from studio.errors import StudioError
from studio.models.inkupscaler import LoadedUpscaler, level_for

SCALES = (2, 4, 8)
METHODS = ("ink", "lanczos")
NOISE_OFFSET = 0x1C0FFEE  # keeps the texture noise apart from the painting's starting noise (same seed)
MAX_SEED = 2**64 - 1
MAX_PASSES = MAX_UPSCALE_PASSES  # a two-stage model paints up to base × 16 (studio.models.loaders.MAX_CASCADE_PASSES)


def passes_for(scale: int) -> int:
    """How many ×2 passes make ``scale`` (2, 4 or 8)."""
    if scale not in SCALES:
        raise StudioError(f"--scale must be one of {', '.join(map(str, SCALES))}, not {scale}")
    return {2: 1, 4: 2, 8: 3}[scale]


def texture_generator(seed: int) -> torch.Generator:
    return torch.Generator("cpu").manual_seed((int(seed) + NOISE_OFFSET) % MAX_SEED)


@torch.no_grad()
def ink_upscale(upscaler: LoadedUpscaler, images: torch.Tensor, seeds: list[int], passes: int,
                device: torch.device | str = "cpu", on_pass=None, on_stage=None) -> torch.Tensor:  # type: ignore[no-untyped-def]
    """``images`` (N, 3, H, W) in [-1, 1] → (N, 3, H·2^passes, W·2^passes), one painting at a time.

    ``on_pass(done, total)`` is called after every pass of every painting (for progress bars);
    ``on_stage(index, image)`` with each painting's result after every pass (the Classroom's stages).
    """
    if len(seeds) != len(images):
        raise ValueError("one seed per image")
    net = upscaler.net.to(device)
    out = []
    total = passes * len(images)
    done = 0
    for img, seed in zip(images, seeds):
        g = texture_generator(seed)
        x = img[None].float().to(device)
        for _ in range(passes):
            h, w = x.shape[-2] * 2, x.shape[-1] * 2
            noise = torch.randn((1, 1, h, w), generator=g).to(device)
            level = torch.tensor([level_for(min(h, w))], device=device)
            x = net(x, noise, level).clamp(-1.0, 1.0)
            done += 1
            if on_stage is not None:
                on_stage(len(out), x.cpu())
            if on_pass is not None:
                on_pass(done, total)
        out.append(x.cpu())
    return torch.cat(out)


def lanczos_upscale_pil(image: Image.Image, scale: int) -> Image.Image:
    return image.resize((image.width * scale, image.height * scale), Image.Resampling.LANCZOS)


def pil_to_model(image: Image.Image) -> torch.Tensor:
    """An 8-bit RGB image → (1, 3, H, W) float in [-1, 1]."""
    arr = np.asarray(image.convert("RGB"), dtype=np.float32) / 127.5 - 1.0
    return torch.from_numpy(arr).permute(2, 0, 1)[None].contiguous()


def lanczos_upscale(images: torch.Tensor, scale: int) -> torch.Tensor:
    """Lanczos ×scale of a float batch in [-1, 1] (through 8-bit PIL images, as the exports are)."""
    from studio.engine.sampling import to_pil

    return torch.cat([pil_to_model(lanczos_upscale_pil(im, scale)) for im in to_pil(images)])


def bundled_upscaler() -> LoadedUpscaler | None:
    """The ink upscaler shipped in models/ (loaded once), or None when it is not installed."""
    from studio.config import paths

    path = paths.bundled_models_dir() / BUNDLED_NAME
    key = str(path)
    if key not in _BUNDLED:
        from studio.models.inkupscaler import load_upscaler

        _BUNDLED.clear()
        _BUNDLED[key] = load_upscaler(path) if path.is_file() else None
    return _BUNDLED[key]


BUNDLED_NAME = BUNDLED_UPSCALER
_BUNDLED: dict[str, LoadedUpscaler | None] = {}


def size_plan(model: Any, size: int | None) -> tuple[LoadedUpscaler | None, int]:
    """Which upscaler and how many ×2 passes make a painting of ``size`` px (None: the model's default).

    A two-stage model doubles its base with its own upscaler. A one-stage model paints its own size;
    its size × 2, × 4, … are made by the bundled ink upscaler when it is installed. Any other size
    is refused — a model is never run or resized at a size it was not made for without saying so.
    """
    if model.upscaler is not None:
        return model.upscaler, cascade_passes(model, size)
    native = int(model.spec.resolution)
    target = int(size or native)
    if target == native or target == getattr(model, "paint_size", None):
        return None, 0  # a style pair's smaller member is resized to its partner's size (``resize_to_pair``)
    upscaler = bundled_upscaler()
    sizes = [native * 2**k for k in range(MAX_PASSES + 1)]
    if upscaler is not None and target in sizes:
        return upscaler, sizes.index(target)
    hint = (f"; with the ink upscaler it also paints {', '.join(map(str, sizes[1:]))}" if upscaler is not None
            else "; larger sizes need the ink upscaler (models/ink-upscaler.safetensors)")
    raise StudioError(f"size {target} is not what '{model.spec.name}' paints: it paints {native} px{hint} "
                      "(export --upscale enlarges any painting)")


def cascade_passes(model: Any, size: int | None) -> int:
    """How many ×2 passes a two-stage ``model`` needs for a painting of ``size`` px (None: its default).

    Its base paints ``model.spec.resolution`` px; every pass of the upscaler doubles that, so only
    base × 2^k is a size it can paint — any other size is refused, never resized silently.
    """
    if model.upscaler is None:
        return 0
    base = int(model.spec.resolution)
    target = int(size or model.cascade_size or base)
    sizes = [base * 2**k for k in range(MAX_PASSES + 1)]
    if target not in sizes:
        raise StudioError(f"size {target} does not suit the two-stage model '{model.spec.name}': "
                          f"it paints {', '.join(map(str, sizes))} px (its base paints {base}, each upscaler pass doubles)")
    return sizes.index(target)


def finish_cascade(model: Any, images: torch.Tensor, seeds: list[int], size: int | None, on_pass=None,  # type: ignore[no-untyped-def]
                   on_stage=None) -> torch.Tensor:
    """Paintings at the model's own size (``spec.resolution``) taken to ``size`` (see :func:`size_plan`)."""
    upscaler, passes = size_plan(model, size)
    if upscaler is None or passes == 0:
        return images
    return ink_upscale(upscaler, images, seeds, passes, device=model.device, on_pass=on_pass, on_stage=on_stage)


def cascade_meta(model: Any, size: int | None) -> dict[str, Any] | None:
    """What a PNG records of an upscaled painting's stages (None when the model painted it at its own size)."""
    upscaler, passes = size_plan(model, size)
    if upscaler is None:
        return None
    return {"base_size": int(model.spec.resolution), "passes": passes, "upscaler": upscaler.path.name}


def resize_to_pair(model: Any, images: torch.Tensor) -> torch.Tensor:
    """A style pair's smaller member: its paintings (B, C, h, w in [-1, 1]) resized to the pair's
    size (antialiased bicubic, clamped); any other model's unchanged."""
    size = getattr(model, "paint_size", None)
    if not size or images.shape[-1] != int(model.spec.resolution):
        return images  # not a pair member, or already taken to a larger size by the ink upscaler
    out = torch.nn.functional.interpolate(images.float(), size=(size, size), mode="bicubic", antialias=True, align_corners=False)
    return out.clamp(-1, 1)
