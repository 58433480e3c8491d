"""The Walk mode's work for the window's inference thread: render a walk, export its frames.

Qt-free and cheap to import (torch is imported only inside the ``run`` functions, on the worker
thread), so the window can build these tasks on its GUI thread and hand them to
``JobRunner.submit_task``. Results are plain values and PIL images, never tensors.

Example (what the Walk tab does)::

    run = render_task(lambda: worker.cache, record, WalkRequest(keyframes=(7, 8), frames=12))
    runner.submit_task(JobKind.WALK, "walk", run)      # finished event: meta["result"] is a RenderedWalk
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PIL import Image

from studio.api import SMOOTHNESS_TARGET, WalkRequest, frame_count
from studio.errors import StudioError
from studio.work import StepCount, steps_per_item, styled, walk_models

Run = Callable[[Callable[..., None], Any, Any], Any]


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


def run(
    model: Any,
    record: Any,
    request: WalkRequest,
    report: Callable[[int, int], None],
    cancel: Any = None,
    *,
    pair: Any = None,
    on_frame: Callable[[int, Image.Image, int, int], None] | None = None,
) -> Any:
    """Render ``request``'s walk with a loaded ``model`` (and ``pair``, a second per-style model, for a
    walk between two models); returns the engine's WalkResult. The one walk both faces paint.

    The style follows ``styled``; a style walk needs both styles in the model (a style pair walks
    between its two checkpoints, ``walk_models``).
    ``report(step, total)`` counts denoising steps over all frames; ``on_frame(index, image, step,
    total)`` sees each finished frame.
    """
    from studio.engine.walk import render_walk

    first, second = walk_models(model, request.style_walk)
    if second is not None:  # a style pair's style walk: its two checkpoints, predictions blended along the walk
        model, pair, request = first, second, replace(request, style_walk=None, style=None)
    elif request.style_walk is not None:
        missing = [s for s in request.style_walk if s not in model.styles]
        if missing:
            offered = ", ".join(model.styles) or "none"
            raise StudioError(f"model '{record.id}' has no style '{missing[0]}' to walk through (it offers: {offered})")
        request = replace(request, style=None)
    else:
        model, style = styled(model, request.style)
        request = replace(request, style=style)
    frames = frame_count(max(2, len(request.keyframes)), request.frames, request.loop)
    count = StepCount(frames, steps_per_item(model, request.steps))

    def on_progress(p: Any) -> None:
        report(count.batch(p.done, p.step, p.batch_len), count.total)

    def frame_done(index: int, image: Image.Image) -> None:
        if on_frame is not None:
            on_frame(index, image, count.item(index), count.total)

    return render_walk(model, request, pair=pair, cancel=cancel, on_progress=on_progress, on_frame=frame_done)


def render_task(get_cache: Callable[[], Any], record: Any, settings: WalkRequest) -> Run:
    """A task that paints every frame of the walk with ``record``'s model (from the worker's cache).

    Progress counts denoising steps over all frames. Frames are painted one at a time, so each
    appears while the rest are still being painted (frames painted as a batch finish together: a
    walk of up to eight frames showed nothing until it was done). Each finished frame is reported
    as the event's image, its index as ``meta["frame"]``.
    """
    settings.check()

    def task(report: Callable[..., None], cancel: Any, device: Any) -> RenderedWalk:
        model = get_cache().get(record, device)
        cancel.raise_if_set()
        n = settings.total_frames()

        def on_frame(index: int, image: Image.Image, step: int, total: int) -> None:
            report(step, total, image=image, message=f"frame {index + 1}/{n}", meta={"frame": index})

        # one frame at a time, so each appears while the rest are painted
        result = run(model, record, replace(settings, batch_size=1), report, cancel, on_frame=on_frame)
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

    return task


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
