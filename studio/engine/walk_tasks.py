"""The Walk mode's work for the window's inference thread: render a walk, export its frames.

Qt-free and cheap to import (torch is imported only inside the ``run`` functions, on the worker
thread), so the window can build these tasks on its GUI thread and hand them to
``JobRunner.submit_task``. Results are plain values and PIL images, never tensors.

Example (what the Walk tab does)::

    run = render_task(lambda: worker.cache, record, WalkSettings(seeds=(7, 8), frames=12))
    runner.submit_task("walk", run)      # finished event: meta["result"] is a RenderedWalk
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from studio.errors import StudioError

# the same as studio.engine.walk.DETERMINISTIC_SAMPLERS / EASINGS (tests check), without importing torch
WALK_SAMPLERS = ("ddim", "dpm++", "unipc")
EASINGS = ("linear", "ease")
MAX_SEED = 2**63 - 1

Run = Callable[[Callable[..., None], Any, Any], Any]


@dataclass(frozen=True)
class WalkSettings:
    """What the Walk tab asks for; ``style_walk`` = two styles to blend from first to second."""

    seeds: tuple[int, ...]
    frames: int = 12
    loop: bool = False
    easing: str = "linear"
    style: str | None = None
    style_walk: tuple[str, str] | None = None
    sampler: str = "dpm++"
    steps: int = 20


@dataclass(frozen=True)
class RenderedWalk:
    frames: list[Image.Image]
    smoothness_ratio: float  # largest frame-to-frame change / mean change
    smoothness_max: float
    smoothness_mean: float
    worst: int  # the largest change is between frame ``worst`` and the next
    smooth: bool  # ratio within the engine's target (3)
    summary: str
    meta: dict[str, Any] = field(default_factory=dict)


class LatestFrame:
    """The newest preview a task made, for its own tab to pick up when the progress event arrives.

    Previews travel here rather than as the event's ``image``, which the Paint tab's canvas shows.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._item: tuple[int, Image.Image] | None = None

    def put(self, index: int, image: Image.Image) -> None:
        with self._lock:
            self._item = (index, image)

    def take(self) -> tuple[int, Image.Image] | None:
        with self._lock:
            item, self._item = self._item, None
        return item


def seed_tokens(text: str) -> list[str]:
    """The parts of a keyframe list: separated by commas (also the full-width ，) or spaces."""
    return text.replace(",", " ").replace("，", " ").split()


def is_seed(part: str) -> bool:
    """A whole number from 0 to 2**63-1."""
    try:
        return 0 <= int(part) <= MAX_SEED
    except ValueError:
        return False


def parse_seeds(text: str) -> tuple[int, ...]:
    """``"7, 8 9"`` → (7, 8, 9); StudioError (one line) for anything that is not a seed."""
    seeds = []
    for part in seed_tokens(text):
        if not is_seed(part):
            raise StudioError(f"'{part}' is not a seed (whole numbers 0 to 2**63-1)")
        seeds.append(int(part))
    return tuple(seeds)


def keyframe_count(settings: WalkSettings) -> int:
    """Keyframes of the walk: one seed with a style walk morphs (seed, first style) → (seed, second)."""
    if settings.style_walk is not None and len(settings.seeds) == 1:
        return 2
    return len(settings.seeds)


def total_frames(settings: WalkSettings) -> int:
    """Frames the walk will have (``studio.engine.walk.frame_count``); 0 when it cannot be walked."""
    keys = keyframe_count(settings)
    if keys < 2 or settings.frames < 1:
        return 0
    return (keys if settings.loop else keys - 1) * settings.frames + (0 if settings.loop else 1)


def check_settings(settings: WalkSettings) -> None:
    """One-line errors the tab can show before anything is queued."""
    if not settings.seeds:
        raise StudioError("give at least one seed (or pick paintings from the gallery)")
    if keyframe_count(settings) < 2:
        raise StudioError("a walk needs at least two seeds (or one seed with the light → dark style walk)")
    if settings.easing not in EASINGS:
        raise StudioError(f"unknown easing '{settings.easing}'")


def render_task(get_cache: Callable[[], Any], record: Any, settings: WalkSettings, previews: LatestFrame | None = None) -> Run:
    """A task that paints every frame of the walk with ``record``'s model (from the worker's cache).

    Progress counts denoising steps over all frames. Frames are painted one at a time, so each
    appears while the rest are still being painted (frames painted as a batch finish together: a
    walk of up to eight frames showed nothing until it was done). Each finished frame is a
    preview: put in ``previews`` when given (the report then only wakes the window), else
    reported as the image.
    """
    check_settings(settings)

    def run(report: Callable[..., None], cancel: Any, device: Any) -> RenderedWalk:
        from studio.engine.walk import SMOOTHNESS_TARGET, WalkRequest, render_walk

        model = get_cache().get(record, device)
        cancel.raise_if_set()
        if settings.style_walk is not None:
            missing = [s for s in settings.style_walk if s not in model.styles]
            if missing:
                offered = ", ".join(model.styles) or "none"
                raise StudioError(f"model '{record.id}' has no style '{missing[0]}' to walk through (it offers: {offered})")
        style = settings.style if settings.style_walk is None and settings.style in model.styles else None
        req = WalkRequest(
            keyframes=settings.seeds,
            frames=settings.frames,
            loop=settings.loop,
            easing=settings.easing,
            style=style,
            style_walk=settings.style_walk,
            sampler=settings.sampler,
            steps=settings.steps,
            batch_size=1,
        )
        per_frame = settings.steps if model.kind == "diffusion" else 1
        n = total_frames(settings)
        total = n * per_frame
        reached = [0]

        def at(value: int) -> int:
            reached[0] = max(reached[0], min(total, value))  # frames arrive after their batch's last step
            return reached[0]

        def on_progress(p: Any) -> None:
            report(at(p.done * per_frame + p.step * p.batch_len), total)

        def on_frame(index: int, image: Image.Image) -> None:
            if previews is not None:
                previews.put(index, image)
                report(at((index + 1) * per_frame), total, message=f"frame {index + 1}/{n}")
            else:
                report(at((index + 1) * per_frame), total, image=image, message=f"frame {index + 1}/{n}")

        result = render_walk(model, req, cancel=cancel, on_progress=on_progress, on_frame=on_frame)
        s = result.smoothness
        return RenderedWalk(
            frames=list(result.frames),
            smoothness_ratio=float(s.ratio),
            smoothness_max=float(s.max),
            smoothness_mean=float(s.mean),
            worst=int(s.worst),
            smooth=bool(s.ratio <= SMOOTHNESS_TARGET),
            summary=s.summary(),
            meta={"model": record.id, **result.meta},
        )

    return run


def check_animation_target(out: str | Path) -> str:
    """``studio.engine.animation.check_output`` (gif, mp4, webp or png folder); run it off the GUI thread."""
    from studio.engine.animation import check_output

    return check_output(out)


def export_task(frames: list[Image.Image], out: str | Path, *, fps: float, upscale: int, meta: dict[str, Any]) -> Run:
    """A task that writes ``frames`` as an animation (temporary name, renamed at the end; nothing on cancel)."""
    frames = list(frames)

    def run(report: Callable[..., None], cancel: Any, device: Any) -> str:
        from studio.engine.animation import export_animation

        written = export_animation(
            frames,
            out,
            fps=fps,
            upscale=upscale,
            cancel=cancel,
            on_progress=lambda done, total: report(done, total),
            meta={**meta, "fps": fps, "upscale": upscale},
        )
        return str(written)

    return run
