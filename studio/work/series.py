"""A numbered series into a folder (``inkstudio generate --out``, File → Export series…) and
repainting from a PNG.

``run`` is the one series both faces paint; ``series_task`` wraps it for the window's inference
thread. Qt-free and cheap to import: torch and the painting engine are imported inside the
functions, which run on the worker or the file thread (``locate_for_png``). Results are plain
values and PIL images.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from studio.api import SeriesRequest
from studio.work import StepCount, steps_per_item, styled

Run = Callable[[Callable[..., None], Any, Any], Any]


@dataclass(frozen=True)
class SeriesDone:
    folder: str
    files: list[str]
    manifest: str
    sheet: str | None


def run(
    model: Any,
    record: Any,
    request: SeriesRequest,
    report: Callable[[int, int], None],
    cancel: Any = None,
    on_file: Callable[[Any, int, int], None] | None = None,
) -> Any:
    """Paint and write ``request``'s series with a loaded ``model``; returns the engine's ExportResult.

    The style follows ``styled``; a size the model cannot paint is refused before any work.
    ``report(step, total)`` counts denoising steps over the whole series; ``on_file(item, step,
    total)`` sees each written painting (``studio.engine.export.ExportedPainting``).
    """
    from studio.engine.export import export_series
    from studio.engine.upscale import size_plan

    model, style = styled(model, request.paint.style)  # a style pair: the checkpoint of that style
    req = replace(request.paint, style=style)
    size_plan(model, req.size or record.resolution)  # a size it cannot paint is refused before any work
    count = StepCount(req.count, steps_per_item(model, req.steps))

    def on_progress(p: Any) -> None:
        report(count.batch(p.done, p.step, p.batch_len), count.total)

    def file_done(item: Any) -> None:
        if on_file is not None:
            on_file(item, count.item(item.painting.index), count.total)

    return export_series(model, record, req, request.folder, request.options, cancel=cancel, on_progress=on_progress,
                         on_file=file_done)


def series_task(get_cache: Callable[[], Any], record: Any, request: SeriesRequest) -> Run:
    """A task running ``export_series``: progress per denoising step; each written painting is
    reported as the event's image (its index in ``meta["index"]``, its file name as the message)."""

    def task(report: Callable[..., None], cancel: Any, device: Any) -> SeriesDone:
        model = get_cache().get(record, device)
        cancel.raise_if_set()

        def on_file(item: Any, done: int, total: int) -> None:
            report(done, total, image=item.image, message=item.path.name, meta={"index": item.painting.index})

        result = run(model, record, request, report, cancel, on_file)
        return SeriesDone(
            folder=str(Path(request.folder)),
            files=[str(f) for f in result.files],
            manifest=str(result.manifest),
            sheet=str(result.sheet) if result.sheet else None,
        )

    return task


@dataclass(frozen=True)
class Located:
    meta: dict[str, Any]
    record: Any  # ModelRecord


def locate_for_png(path: str | Path, known: Sequence[Any] = ()) -> Located:
    """The settings a painted PNG carries and the model that painted it (file thread; one-line errors).

    ``known``: records the window already lists (checkpoints the user opened); one with the
    painting's weights is preferred, then ``studio.engine.export.locate_model``'s search.
    """
    from studio.engine.export import locate_model, read_settings

    meta = read_settings(path)
    want = meta.get("model_sha256")
    for record in known:
        if want and getattr(record, "sha256", None) == want:
            return Located(meta, record)
    return Located(meta, locate_model(meta, source=Path(path).name))


@dataclass(frozen=True)
class Repainted:
    image: Image.Image
    seed: int
    identical: bool  # pixel for pixel the same as the PNG it was reproduced from
    max_difference: int  # largest channel difference (0..255); -1 when the sizes differ


def repaint_task(get_cache: Callable[[], Any], located: Located, original: str | Path) -> Run:
    """A task that paints ``located.meta`` again and compares it with the original PNG's pixels."""

    def run(report: Callable[..., None], cancel: Any, device: Any) -> Repainted:
        from studio.engine.export import repaint

        model = get_cache().get(located.record, device)
        cancel.raise_if_set()
        report(0, 1, message="repainting")
        painter, _ = styled(model, located.meta.get("style"))
        image = repaint(painter, located.record, located.meta, cancel=cancel)
        with Image.open(original) as im:
            before = np.asarray(im.convert("RGB"))
        after = np.asarray(image.convert("RGB"))
        if before.shape != after.shape:
            diff = -1
        else:
            diff = int(np.abs(before.astype(np.int16) - after.astype(np.int16)).max()) if before.size else 0
        return Repainted(image, int(located.meta["seed"]), diff == 0, diff)

    return run
