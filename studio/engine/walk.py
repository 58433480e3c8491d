"""Latent walks: smooth animations through seeds, and between light and dark ink.

A walk is a list of keyframes. Each keyframe is a starting noise (a seed's contract noise, see
``studio.engine.noise``, or a stored noise tensor) and a style weight (0 = the first style of a
style walk, 1 = the second). Between consecutive keyframes the noise is interpolated spherically
(``slerp``), so every frame starts from noise that is still a plausible Gaussian draw, and the
style weight linearly; both follow the same eased position ``t``.

Frame counts (``frames`` is per segment, N below, K keyframes):
  - ``loop=False``: K-1 segments and the final keyframe is the last frame: ``(K-1)*N + 1`` frames.
  - ``loop=True``: K segments, the last one leading back to the first keyframe, which is *not*
    repeated (frame 0 follows the last frame when the animation plays in a loop): ``K*N`` frames.
So 3 seeds with ``loop=True`` and ``frames=12`` give 36 frames; without loop, 25.

Style walks: with a single seed the keyframes are (seed, light) and (seed, dark): N+1 frames
(2N with loop, which morphs back to light). With several seeds keyframe k gets the style weight
k/(K-1): the walk moves through the seeds while the ink darkens from the first seed to the last.
A style-conditional model blends its learned class embedding (``UNet2DModel.class_embedding`` or
``InkGenerator.embed``); a pair of per-style models blends their predictions.

Diffusion frames are painted with deterministic samplers only (DDIM with eta 0, DPM-Solver++,
UniPC), so nearby noise gives nearby paintings and frame 0 of a walk starting at seed S is the
painting ``inkstudio generate --seed S`` makes with the same sampler and steps. GAN frames
interpolate z. Frames are painted ``batch_size`` at a time, in lockstep, each through the network
alone (the seed contract), so a frame never depends on the batch it was painted in.

Example::

    req = WalkRequest(keyframes=(7, 8, 9), frames=12, loop=True, easing="ease", sampler="ddim", steps=20)
    result = render_walk(model, req, cancel=token, on_progress=lambda p: bar.set(p.fraction))
    result.frames          # 36 PIL images
    result.smoothness.ratio  # largest frame-to-frame change / mean change
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from studio.api import (
    DEFAULT_WALK_BATCH,
    DEFAULT_WALK_SAMPLER,
    EASINGS,
    SMOOTHNESS_TARGET,
    WalkRequest,
    frame_count,
)
from studio.api import WALK_SAMPLERS as DETERMINISTIC_SAMPLERS
from studio.engine.noise import noise_for_seeds
from studio.engine.sampling import CancelToken, StepUpdate, make_scheduler, sample_diffusion, sample_gan, to_pil
from studio.engine.upscale import cascade_meta, finish_cascade
from studio.errors import StudioError
from studio.models.loaders import LoadedModel

__all__ = [
    "DEFAULT_WALK_BATCH", "DEFAULT_WALK_SAMPLER", "DETERMINISTIC_SAMPLERS", "EASINGS", "SMOOTHNESS_TARGET",
    "WalkRequest", "frame_count", "render_walk", "slerp",
]

Keyframe = int | torch.Tensor


# ---------------------------------------------------------------------------- interpolation


def slerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor | float) -> torch.Tensor:
    """Spherical interpolation between batches of noise ``a`` and ``b`` (B, ...), ``t`` scalar or (B,).

    Each sample moves along the great circle between its two endpoints, so the norm (and hence the
    per-element std of Gaussian noise) stays that of the endpoints instead of shrinking towards the
    middle as it does with a straight line. t=0 gives ``a`` and t=1 gives ``b`` exactly.
    """
    if a.shape != b.shape:
        raise ValueError(f"slerp endpoints differ in shape: {tuple(a.shape)} vs {tuple(b.shape)}")
    batch = a.shape[0]
    tt = torch.as_tensor(t, dtype=torch.float64).reshape(-1)
    if tt.numel() == 1:
        tt = tt.expand(batch)
    if tt.numel() != batch:
        raise ValueError(f"slerp needs one t per sample ({batch}), got {tt.numel()}")
    if batch > 1:
        # row by row: the reductions below may sum in another order for another batch size, and a
        # frame's noise must not depend on the batch it is painted in (the seed contract)
        return torch.cat([slerp(a[i : i + 1], b[i : i + 1], tt[i : i + 1]) for i in range(batch)])
    a64, b64 = a.flatten(1).double(), b.flatten(1).double()
    cos = (a64 * b64).sum(1) / (a64.norm(dim=1) * b64.norm(dim=1)).clamp_min(1e-30)
    theta = cos.clamp(-1.0, 1.0).acos()
    sin = theta.sin()
    near = sin.abs() < 1e-6  # (anti)parallel endpoints: the great circle is undefined, go straight
    safe = torch.where(near, torch.ones_like(sin), sin)
    wa = torch.where(near, 1 - tt, ((1 - tt) * theta).sin() / safe)
    wb = torch.where(near, tt, (tt * theta).sin() / safe)
    out = (wa[:, None] * a64 + wb[:, None] * b64).to(a.dtype).reshape(a.shape)
    # exact endpoints: frame 0 must be the seed's own noise, bit for bit
    at_a = (tt == 0).reshape(-1, *([1] * (a.dim() - 1)))
    at_b = (tt == 1).reshape(-1, *([1] * (a.dim() - 1)))
    return torch.where(at_a, a, torch.where(at_b, b, out))


def ease(u: float, easing: str = "linear") -> float:
    """Position within a segment: ``linear`` or ``ease`` (cosine ease-in-out, slow at keyframes)."""
    if easing == "linear":
        return u
    if easing == "ease":
        if u <= 0.0 or u >= 1.0:
            return float(min(max(u, 0.0), 1.0))
        return 0.5 - 0.5 * math.cos(math.pi * u)
    raise StudioError(f"unknown easing '{easing}' (choose from {', '.join(EASINGS)})")


# ---------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class FramePlan:
    """Where frame ``index`` sits: between keyframes ``key_a`` and ``key_b`` at eased position ``t``."""

    index: int
    key_a: int
    key_b: int
    t: float
    style_weight: float  # 0 = first style (light), 1 = second (dark); 0 without a style walk


def plan_walk(
    keys: int, frames: int, *, loop: bool = False, easing: str = "linear", style_weights: Sequence[float] | None = None
) -> list[FramePlan]:
    """One FramePlan per frame. ``style_weights`` gives each keyframe's style weight (default all 0)."""
    if frames < 1:
        raise StudioError("frames per segment must be at least 1")
    if keys < 2:
        raise StudioError("a walk needs at least two keyframes (two seeds, or one seed with a style walk)")
    ease(0.5, easing)  # validate the name
    weights = list(style_weights) if style_weights is not None else [0.0] * keys
    if len(weights) != keys:
        raise ValueError("one style weight per keyframe")
    segments = [(i, i + 1) for i in range(keys - 1)] + ([(keys - 1, 0)] if loop else [])
    plan: list[FramePlan] = []
    for a, b in segments:
        for f in range(frames):
            t = ease(f / frames, easing)
            plan.append(FramePlan(len(plan), a, b, t, (1 - t) * weights[a] + t * weights[b]))
    if not loop:
        a, b = segments[-1]
        plan.append(FramePlan(len(plan), a, b, 1.0, weights[b]))
    return plan


# ---------------------------------------------------------------------------- requests and results


@dataclass(frozen=True)
class WalkProgress:
    """Frames finished, and the step of the batch being painted (diffusion)."""

    done: int
    total: int
    batch_len: int
    step: int
    total_steps: int

    @property
    def fraction(self) -> float:
        per = self.step / self.total_steps if self.total_steps else 0.0
        return min(1.0, (self.done + per * self.batch_len) / max(1, self.total))


@dataclass(frozen=True)
class Smoothness:
    """Frame-to-frame changes (mean absolute pixel difference, 0..1); ``ratio`` = max / mean."""

    changes: tuple[float, ...]

    @property
    def max(self) -> float:
        return max(self.changes) if self.changes else 0.0

    @property
    def mean(self) -> float:
        return float(np.mean(self.changes)) if self.changes else 0.0

    @property
    def ratio(self) -> float:
        return self.max / self.mean if self.mean > 0 else 1.0

    @property
    def worst(self) -> int:
        """Index i of the largest change, between frame i and frame i+1 (frame 0 after the last, in a loop)."""
        return int(np.argmax(self.changes)) if self.changes else 0

    def summary(self) -> str:
        if self.ratio <= SMOOTHNESS_TARGET:
            verdict = "smooth"
        else:
            verdict = (
                f"has a jump after frame {self.worst} (target <= {SMOOTHNESS_TARGET:g}; more --frames or --easing linear help)"
            )
        return f"smoothness: max/mean frame change {self.ratio:.2f} (max {self.max:.4f}, mean {self.mean:.4f}) - {verdict}"


@dataclass(frozen=True)
class WalkResult:
    frames: list[Image.Image]
    plan: list[FramePlan]
    smoothness: Smoothness
    meta: dict[str, Any] = field(default_factory=dict)


def frame_changes(frames: Sequence[Image.Image], loop: bool = False) -> Smoothness:
    """Mean absolute difference between consecutive frames (and last→first when looping)."""
    arrays = [np.asarray(f, dtype=np.float32) / 255.0 for f in frames]
    pairs = list(zip(arrays[:-1], arrays[1:], strict=True))
    if loop and len(arrays) > 1:
        pairs.append((arrays[-1], arrays[0]))
    return Smoothness(tuple(float(np.abs(b - a).mean()) for a, b in pairs))


# ---------------------------------------------------------------------------- style blending


def style_embedding(model: LoadedModel, style: str) -> torch.Tensor:
    """The class-embedding vector (D,) a style-conditional model learned for ``style``."""
    return model.style_embedding(style)


def check_pair(first: LoadedModel, second: LoadedModel) -> None:
    """Two per-style models can be blended only if they paint from the same noise."""
    if first.kind != second.kind:
        raise StudioError(f"cannot blend a {first.kind} model with a {second.kind} model")
    if tuple(first.noise_shape) != tuple(second.noise_shape):
        raise StudioError(
            f"cannot blend models with different noise shapes {tuple(first.noise_shape)} and {tuple(second.noise_shape)}"
        )


# ---------------------------------------------------------------------------- rendering


def load_keyframe(entry: int | str | Path) -> Keyframe:
    """A keyframe from the gallery or the command line: a seed stays a seed; a painted PNG gives its
    recorded seed; ``.npy`` / ``.safetensors`` (tensor ``noise``, or the only one) give stored noise."""
    if isinstance(entry, int):
        return entry
    path = Path(entry).expanduser()
    if not path.is_file():
        raise StudioError(f"keyframe '{path}' is neither a seed nor a file")
    suffix = path.suffix.lower()
    if suffix == ".png":
        from studio.engine.pngmeta import read_png_meta

        meta = read_png_meta(path)
        if not isinstance(meta.get("seed"), int):
            raise StudioError(f"{path}: no seed recorded in the painting")
        return int(meta["seed"])
    try:
        if suffix == ".npy":
            return torch.from_numpy(np.load(path, allow_pickle=False).astype("float32"))
        if suffix == ".safetensors":
            from safetensors import SafetensorError
            from safetensors.torch import load_file

            try:
                tensors = load_file(str(path))
            except SafetensorError as exc:
                raise StudioError(f"{path}: not a readable safetensors file ({exc})") from None
            if not tensors:
                raise StudioError(f"{path}: holds no tensors")
            return (tensors.get("noise") if "noise" in tensors else next(iter(tensors.values()))).float()
    except (OSError, ValueError) as exc:
        raise StudioError(f"{path}: cannot read stored noise ({exc})") from None
    raise StudioError(f"keyframe '{path}': use a seed, a painted .png, or stored noise (.npy / .safetensors)")


def keyframe_noise(model: LoadedModel, keyframes: Sequence[Keyframe]) -> torch.Tensor:
    """The starting noise of each keyframe, (K, *noise_shape) float32 on the CPU."""
    shape = tuple(model.noise_shape)
    rows = []
    for k in keyframes:
        if isinstance(k, torch.Tensor):
            if k.numel() != math.prod(shape):
                raise StudioError(f"stored noise has {k.numel()} values; this model starts from {shape} ({math.prod(shape)})")
            if not bool(torch.isfinite(k).all()):
                raise StudioError("stored noise holds NaN or infinite values")  # every frame near it would be blank
            rows.append(k.detach().to("cpu", torch.float32).reshape(1, *shape))
        else:
            rows.append(noise_for_seeds(shape, [int(k)]))
    return torch.cat(rows, dim=0)


def check_sampler(model: LoadedModel, sampler: str) -> None:
    """Walks need samplers that add no noise: otherwise neighbouring frames would flicker."""
    if model.kind != "diffusion":
        return
    if sampler not in DETERMINISTIC_SAMPLERS:
        raise StudioError(
            f"sampler '{sampler}' adds fresh noise every step, so walk frames would flicker;"
            f" use one of {', '.join(DETERMINISTIC_SAMPLERS)}"
        )
    scheduler = make_scheduler(model, sampler)
    algorithm = str(getattr(scheduler.config, "algorithm_type", "") or "")
    if algorithm.startswith("sde"):
        raise StudioError(f"this model's {sampler} sampler is configured as '{algorithm}', which adds noise; use ddim")


def _style_weights(req: WalkRequest) -> tuple[list[Keyframe], list[float] | None]:
    keys = list(req.keyframes)
    if not keys:
        raise StudioError("a walk needs at least one seed")
    if req.style_walk is None:
        return keys, None
    if len(keys) == 1:
        return [keys[0], keys[0]], [0.0, 1.0]
    return keys, [k / (len(keys) - 1) for k in range(len(keys))]


def walk_plan(req: WalkRequest) -> list[FramePlan]:
    keys, weights = _style_weights(req)
    return plan_walk(len(keys), req.frames, loop=req.loop, easing=req.easing, style_weights=weights)


def render_walk(
    model: LoadedModel,
    req: WalkRequest,
    *,
    pair: LoadedModel | None = None,
    pair_styles: tuple[str | None, str | None] = (None, None),
    cancel: CancelToken | None = None,
    on_progress: Callable[[WalkProgress], None] | None = None,
    on_frame: Callable[[int, Image.Image], None] | None = None,
) -> WalkResult:
    """Paint every frame of the walk, ``req.batch_size`` frames at a time (each alone through the network).

    ``pair``: a second, per-style model; its predictions are blended with ``model``'s along the
    style weights (``model`` is the first style, ``pair`` the second), which turns the walk into a
    style walk. ``on_frame`` sees each frame as it is done (for a live preview); raises Cancelled
    when ``cancel`` is set.
    """
    if req.batch_size < 1:
        raise StudioError("batch size must be at least 1")
    if req.style_walk is not None and pair is not None:
        raise StudioError("give either a style walk of one model or a pair of per-style models, not both")
    if pair is not None:
        check_pair(model, pair)
        req = replace(req, style_walk=("first", "second"))  # keyframe style weights as for a style walk
    check_sampler(model, req.sampler)
    if req.style_walk is not None and pair is None:
        for s in req.style_walk:
            model.labels_for(s, 1)  # unknown style: one clear line before any work
        style_embedding(model, req.style_walk[0])
    elif req.style is not None:
        model.labels_for(req.style, 1)
    keys, _ = _style_weights(req)
    plan = walk_plan(req)
    noise = keyframe_noise(model, keys)
    seeds = [k if not isinstance(k, torch.Tensor) else 0 for k in keys]
    texture_seed = seeds[0]
    diffusion = model.kind == "diffusion"
    total_steps = req.steps if diffusion else 1
    frames: list[Image.Image] = []
    for start in range(0, len(plan), req.batch_size):
        if cancel is not None:
            cancel.raise_if_set()
        chunk = plan[start : start + req.batch_size]
        t = torch.tensor([p.t for p in chunk], dtype=torch.float64)
        a = noise[[p.key_a for p in chunk]]
        b = noise[[p.key_b for p in chunk]]
        x = slerp(a, b, t)
        weights = torch.tensor([p.style_weight for p in chunk], dtype=torch.float32).to(model.device)
        # one view of the model per frame: each frame goes through the network alone (the seed contract)
        painters = None
        if pair is not None:
            painters = [model.blend_with(pair, weights[i : i + 1], pair_styles) for i in range(len(chunk))]
        elif req.style_walk is not None:
            painters = [model.blend_styles(*req.style_walk, weights[i : i + 1]) for i in range(len(chunk))]
        # the sampler is deterministic, so the per-image generators never draw; seeds only label them
        frame_seeds = [seeds[p.key_a] for p in chunk]

        def step_cb(update: StepUpdate, start: int = start, n: int = len(chunk)) -> None:
            if on_progress is not None:
                on_progress(WalkProgress(start, len(plan), n, update.step, update.total))

        if diffusion:
            images = sample_diffusion(
                model,
                frame_seeds,
                style=req.style,
                sampler=req.sampler,
                steps=req.steps,
                eta=0.0,
                noise=x,
                painters=painters,
                cancel=cancel,
                on_step=step_cb if on_progress else None,
            )
        else:
            images = sample_gan(model, frame_seeds, style=req.style, noise=x, painters=painters, cancel=cancel)
        if model.upscaler is not None:
            # a two-stage model finishes every frame at its own size; one texture seed for the whole
            # walk (the first keyframe's), so the upscaler's grain does not flicker from frame to frame
            images = finish_cascade(model, images, [texture_seed] * len(chunk), None)
        for p, im in zip(chunk, to_pil(images), strict=True):
            frames.append(im)
            if on_frame is not None:
                on_frame(p.index, im)
        if on_progress is not None:
            on_progress(WalkProgress(start + len(chunk), len(plan), 0, total_steps, total_steps))
    meta = {
        "keyframes": [k if not isinstance(k, torch.Tensor) else "noise" for k in req.keyframes],
        "frames_per_segment": req.frames,
        "frames": len(frames),
        "loop": req.loop,
        "easing": req.easing,
        "style": req.style,
        "style_walk": list(req.style_walk) if req.style_walk and pair is None else None,
        "sampler": req.sampler if diffusion else None,
        "steps": req.steps if diffusion else None,
        "kind": model.kind,
    }
    if model.upscaler is not None:
        meta["cascade"] = {**(cascade_meta(model, None) or {}), "texture_seed": texture_seed}
    smoothness = frame_changes(frames, loop=req.loop)
    meta["smoothness_ratio"] = round(smoothness.ratio, 4)
    return WalkResult(frames, plan, smoothness, meta)
