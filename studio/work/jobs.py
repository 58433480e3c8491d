"""The worker side of the studio's job runner, free of Qt: run one painting job, report events.

The window owns one inference thread and calls :meth:`PaintWorker.run` on it; everything heavy
(torch, diffusers, the model) is imported and touched only here, and what comes back through
``emit`` is a :class:`JobEvent` holding PIL images and plain values, never tensors or exceptions.

Importing this module is cheap (no torch): the engine is imported lazily on the worker thread.
Every event carries its job's id and :class:`~studio.api.JobKind`, so the window routes it by kind
and id instead of guessing what a job is.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

from PIL import Image

from studio.api import DEFAULT_NAME, ModelRecord, PaintRequest, file_name
from studio.api import JobEvent as JobEvent
from studio.api import JobKind as JobKind
from studio.engine.cancel import CancelToken
from studio.errors import Cancelled, StudioError

GRID_TILE = 256  # smallest tile side in a batch's preview grid


# the window holds one per running job; the sampling loop checks it between steps
JobCancel = CancelToken


@dataclass(frozen=True)
class PaintJob:
    """One Generate press: ``request.count`` paintings with seeds ``seed .. seed+count-1``, into the gallery."""

    id: int
    record: ModelRecord
    request: PaintRequest
    kind: ClassVar[JobKind] = JobKind.PAINT


Report = Callable[..., None]  # report(step, total, image=None, message="", meta=None) from inside a task


@dataclass(frozen=True)
class TaskJob:
    """Other long work for the one inference thread (inpaint, walk, filmstrip…), queued like paintings.

    ``run(report, cancel, device)`` runs on the inference thread: it calls ``report(step, total,
    image=None, message="", meta=None)`` for progress, previews (PIL images) and partial results
    (plain values in ``meta``), all of which reach the window as that job's events; ``cancel.raise_if_set()``
    between steps, and returns a result that arrives as ``JobEvent("finished").meta["result"]``.
    ``device`` is the studio's DeviceChoice; ``cache`` models come from ``PaintWorker.cache``.
    """

    id: int
    kind: JobKind
    label: str
    run: Callable[[Report, Any, Any], Any]


Emit = Callable[[JobEvent], None]


def preview_grid(images: list[Image.Image]) -> Image.Image:
    """Images of one batch tiled in a near-square grid (one image is returned as is)."""
    if len(images) == 1:
        return images[0]
    cols = math.ceil(math.sqrt(len(images)))
    rows = math.ceil(len(images) / cols)
    w, h = images[0].size
    if w < GRID_TILE:  # enlarge small tiles here (Lanczos) so the canvas's smooth scaling keeps the gaps crisp
        w, h = GRID_TILE, round(h * GRID_TILE / w)
        images = [im.resize((w, h), Image.LANCZOS) for im in images]
    gap = max(2, w // 32)
    sheet = Image.new("RGB", (cols * w + (cols - 1) * gap, rows * h + (rows - 1) * gap), (244, 239, 228))
    for k, im in enumerate(images):
        r, c = divmod(k, cols)
        sheet.paste(im.convert("RGB"), (c * (w + gap), r * (h + gap)))
    return sheet


def describe_error(exc: BaseException) -> str:
    """One readable line for any failure inside a job."""
    if isinstance(exc, StudioError):
        return str(exc)
    text = str(exc)
    if isinstance(exc, MemoryError) or "out of memory" in text.lower():
        return "out of memory: try fewer paintings at once or a smaller model"
    first = text.strip().splitlines()[0][:300] if text.strip() else ""
    if isinstance(exc, ValueError) and first:  # schedulers and PIL say what value is wrong in plain words
        return first.replace("`", "")
    return f"unexpected error: {type(exc).__name__}{': ' + first if first else ''}"


class PaintWorker:
    """Runs jobs on whatever thread calls it; one instance per inference thread."""

    def __init__(self, gallery_dir: Path, emit: Emit, *, device: str = "auto", preview_interval: float = 1 / 30) -> None:
        self.gallery_dir = Path(gallery_dir)
        self.thumbs_dir = self.gallery_dir.parent / "thumbnails"
        self.emit = emit
        self.device_preference = device
        self.preview_interval = preview_interval
        self._device: Any = None
        self._cache: Any = None

    # ------------------------------------------------------------------ engine, lazily
    def _engine(self) -> tuple[Any, Any]:
        if self._cache is None:
            lower_thread_priority()
            from studio.engine.cache import ModelCache
            from studio.engine.device import choose_device

            self._device = choose_device(self.device_preference)
            self._cache = ModelCache(capacity=2)
        return self._cache, self._device

    def memory_bytes(self) -> int:
        if self._device is not None and self._device.device == "cuda":
            import torch

            return int(torch.cuda.memory_allocated())
        return 0

    def warm_up(self, record: Any | None) -> None:
        """Import the engine, pick the device, and load ``record`` so the first Generate is quick."""
        try:
            cache, device = self._engine()
            if record is not None:
                cache.get(record, device)
            self.emit(
                JobEvent(
                    "ready", message=device.label, meta={"model": getattr(record, "id", "")}, memory_bytes=self.memory_bytes()
                )
            )
        except Exception as exc:  # a broken default model must not stop the window
            self.emit(JobEvent("error", message=describe_error(exc)))

    def unload(self) -> None:
        if self._cache is not None:
            self._cache.unload()

    # ------------------------------------------------------------------ one job
    def _emitter(self, job: PaintJob | TaskJob) -> Emit:
        """``emit`` for ``job``'s events: each carries the job's kind."""
        return lambda ev: self.emit(replace(ev, job_kind=job.kind))

    def run(self, job: PaintJob, cancel: Any) -> None:
        """Paint ``job``; every outcome is reported through ``emit``, nothing is raised."""
        self._reported(job, lambda emit: self._run(job, cancel, emit))

    def _reported(self, job: PaintJob | TaskJob, body: Callable[[Emit], None]) -> None:
        """Run ``body(emit)`` for ``job``: a cancel or a failure becomes the job's last event, never an exception."""
        emit = self._emitter(job)
        try:
            body(emit)
        except Cancelled:
            emit(JobEvent("cancelled", job.id, memory_bytes=self.memory_bytes()))
        except BaseException as exc:  # noqa: BLE001 — the window shows it; the worker must survive
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            emit(JobEvent("error", job.id, message=describe_error(exc), memory_bytes=self.memory_bytes()))

    @property
    def cache(self) -> Any:
        """The ModelCache of this thread (other modes load their models through it)."""
        return self._engine()[0]

    def run_task(self, job: TaskJob, cancel: Any) -> None:
        """Run another mode's work; outcomes are reported like a painting job's."""
        self._reported(job, lambda emit: self._run_task(job, cancel, emit))

    def _run_task(self, job: TaskJob, cancel: Any, emit: Emit) -> None:
        _, device = self._engine()
        emit(JobEvent("started", job.id, message=device.label, memory_bytes=self.memory_bytes()))
        last = [0.0]

        def report(
            step: int, total: int, image: Image.Image | None = None, message: str = "", meta: dict[str, Any] | None = None
        ) -> None:
            now = time.monotonic()
            if image is None and not meta and step < total and now - last[0] < self.preview_interval:
                return  # a bare count, too soon after the last: dropped (previews and results never are)
            last[0] = now
            fraction = step / total if total else 0.0
            emit(JobEvent("progress", job.id, step, total, fraction=fraction, image=image, message=message, meta=meta or {}))

        result = job.run(report, cancel, device)
        cancel.raise_if_set()
        emit(JobEvent("finished", job.id, fraction=1.0, meta={"result": result}, message=job.label, memory_bytes=self.memory_bytes()))

    def _run(self, job: PaintJob, cancel: Any, emit: Emit) -> None:
        from studio.engine.pngmeta import save_png
        from studio.engine.sampling import to_pil
        from studio.work import paint

        cache, device = self._engine()
        cancel.raise_if_set()
        model = cache.get(job.record, device)
        cancel.raise_if_set()
        req = job.request
        emit(
            JobEvent("started", job.id, total=req.steps, count=req.count, message=device.label, memory_bytes=self.memory_bytes())
        )
        self.gallery_dir.mkdir(parents=True, exist_ok=True)
        last = [0.0, 0.0]  # time of the last progress event, of the last preview
        batch_images: list[Image.Image] = []

        def on_progress(p: Any) -> None:
            now = time.monotonic()
            final = p.step == p.total_steps
            if p.update is None:  # a batch is complete: show its finished paintings together
                if batch_images:
                    emit(
                        JobEvent(
                            "progress",
                            job.id,
                            p.step,
                            p.total_steps,
                            p.done,
                            p.count,
                            p.fraction,
                            image=preview_grid(list(batch_images)),
                        )
                    )
                    batch_images.clear()
                return
            image = None
            if final or now - last[1] >= self.preview_interval:
                image = preview_grid(to_pil(p.update.x0))
                last[1] = now
            if image is not None or now - last[0] >= self.preview_interval:
                last[0] = now
                # which paintings are at this step together (they are painted in lockstep, not one after another)
                batch = {"batch": (p.batch_start, p.batch_len)}
                emit(JobEvent("progress", job.id, p.step, p.total_steps, p.done, p.count, p.fraction, image=image, meta=batch))

        def on_painting(p: Any) -> None:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            name = f"{stamp}-{time.time_ns() % 10**9:09d}-" + file_name(DEFAULT_NAME, p.meta)
            path = save_png(p.image, p.meta, self.gallery_dir / name)
            self._remember_thumbnail(job.record, p.image)
            batch_images.append(p.image)
            emit(
                JobEvent("painting", job.id, done=p.index + 1, count=req.count, image=p.image, meta=dict(p.meta), path=str(path))
            )

        paint.run(model, job.record, req, cancel=cancel, on_progress=on_progress, on_painting=on_painting)
        emit(JobEvent("finished", job.id, done=req.count, count=req.count, fraction=1.0, memory_bytes=self.memory_bytes()))

    def _remember_thumbnail(self, record: Any, image: Image.Image) -> None:
        """The first painting made with a model becomes its thumbnail in the model panel."""
        target = thumbnail_path(self.thumbs_dir, record)
        if target.exists():
            return
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.part")
            image.convert("RGB").resize((128, 128), Image.LANCZOS).save(tmp, format="PNG")
            tmp.replace(target)
        except OSError:
            pass  # a thumbnail is a nicety, never a reason to fail a painting


def lower_thread_priority() -> None:
    """Let the window's thread win the CPU when both want it (POSIX: the calling thread's nice + N).

    Called on the inference thread before torch starts its own threads, which inherit the value.
    ``INKSTUDIO_WORKER_NICE`` sets N (default 5; 0 leaves the priority alone).
    """
    try:
        step = int(os.environ.get("INKSTUDIO_WORKER_NICE", "5"))
    except ValueError:
        step = 5
    if step <= 0 or not hasattr(os, "setpriority"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + step))
    except OSError:
        pass  # not allowed here: painting still works, only with equal priority


def thumbnail_path(thumbs_dir: Path, record: Any) -> Path:
    return Path(thumbs_dir) / f"{str(getattr(record, 'sha256', '') or 'model')[:16]}.png"
