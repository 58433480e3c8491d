"""The job runner: a queue of painting jobs, ONE inference thread, events back on the GUI thread.

The worker (``studio.work.jobs.PaintWorker``) knows nothing about Qt; it calls ``emit`` with a
frozen :class:`JobEvent`. Here that call becomes a queued Qt signal, so every slot connected to
``JobRunner.event`` runs on the GUI thread. A second small thread does file and checkpoint
inspection so opening a model never waits behind a painting.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from studio.api import JobEvent, JobKind, ModelRecord, PaintRequest
from studio.work.jobs import JobCancel, PaintJob, PaintWorker, TaskJob


class JobRunner(QObject):
    event = Signal(object)  # JobEvent, delivered on the GUI thread
    queue_changed = Signal()
    busy_changed = Signal(bool)

    _posted = Signal(object)  # emitted on worker threads
    _io_done = Signal(object, object, object)  # (callback, result, error message)

    def __init__(self, gallery_dir: Path, device: str = "auto", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._inference = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inkstudio-inference")
        self._io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inkstudio-io")
        self._worker = PaintWorker(gallery_dir, self._posted.emit, device=device)
        self._posted.connect(self._on_posted, Qt.ConnectionType.QueuedConnection)
        self._io_done.connect(self._on_io_done, Qt.ConnectionType.QueuedConnection)
        self._ids = itertools.count(1)
        self._pending: deque[PaintJob | TaskJob] = deque()
        self._current: PaintJob | TaskJob | None = None
        self._cancel: JobCancel | None = None
        self._closed = False
        self._labels: dict[int, Callable[[], str]] = {}  # tasks' labels that follow the language

    def model_cache(self) -> Any:
        """The inference thread's ModelCache; touch it only from inside a task's ``run`` (that thread)."""
        return self._worker.cache

    # ------------------------------------------------------------------ queue
    def submit(self, record: ModelRecord, request: PaintRequest) -> PaintJob:
        """Queue paintings into the gallery; the job starts when the worker is free."""
        job = PaintJob(id=next(self._ids), record=record, request=request)
        self._pending.append(job)
        self.queue_changed.emit()
        self._start_next()
        return job

    def submit_task(self, kind: JobKind, label: str | Callable[[], str], run: Callable[..., Any]) -> TaskJob:
        """Queue another mode's work (see ``studio.work.jobs.TaskJob``) behind the paintings.

        ``label`` may be a callable (``lambda: self.tr("Inpaint")``): the queue and the progress bar
        then re-read it when the language changes (``label_source``).
        """
        job = TaskJob(id=next(self._ids), kind=kind, label=label() if callable(label) else label, run=run)
        if callable(label):
            self._labels[job.id] = label
        self._pending.append(job)
        self.queue_changed.emit()
        self._start_next()
        return job

    def pending(self) -> list[PaintJob | TaskJob]:
        return list(self._pending)

    def label_source(self, job: TaskJob) -> Callable[[], str]:
        """The task's label, in the current language each time it is called."""
        return self._labels.get(job.id) or (lambda: job.label)

    @property
    def current(self) -> PaintJob | TaskJob | None:
        return self._current

    @property
    def busy(self) -> bool:
        return self._current is not None

    def remove(self, job_id: int) -> bool:
        for job in self._pending:
            if job.id == job_id:
                self._pending.remove(job)
                self._labels.pop(job_id, None)
                self.queue_changed.emit()
                return True
        return False

    def cancel_current(self) -> None:
        """Stop the running job within one denoising step; paintings already made are kept."""
        if self._cancel is not None:
            self._cancel.cancel()

    def cancel_all(self) -> None:
        if self._pending:
            for job in self._pending:
                self._labels.pop(job.id, None)
            self._pending.clear()
            self.queue_changed.emit()
        self.cancel_current()

    def warm_up(self, record: Any | None) -> None:
        """Import the engine and load ``record`` on the inference thread ahead of the first job."""
        if not self._closed:
            self._inference.submit(self._worker.warm_up, record)

    def run_io(self, fn: Callable[[], Any], on_done: Callable[[Any, str | None], None]) -> None:
        """Run blocking file work off the GUI thread; ``on_done(result, error)`` runs on the GUI thread."""
        if self._closed:
            return

        def task() -> None:
            from studio.work.jobs import describe_error

            try:
                result = fn()
            except Exception as exc:  # shown in the window as one line
                self._io_done.emit(on_done, None, describe_error(exc))
            else:
                self._io_done.emit(on_done, result, None)

        self._io.submit(task)

    def shutdown(self) -> None:
        """Cancel everything and join both threads (called when the window closes)."""
        if self._closed:
            return
        self._closed = True
        self.cancel_all()
        self._inference.submit(self._worker.unload)
        self._inference.shutdown(wait=True, cancel_futures=False)
        self._io.shutdown(wait=True, cancel_futures=True)

    # ------------------------------------------------------------------ internals
    def _start_next(self) -> None:
        if self._current is not None or not self._pending or self._closed:
            return
        job = self._pending.popleft()
        self._current, self._cancel = job, JobCancel()
        self.queue_changed.emit()
        self.busy_changed.emit(True)
        run = self._worker.run_task if isinstance(job, TaskJob) else self._worker.run
        self._inference.submit(run, job, self._cancel)

    def _on_posted(self, ev: JobEvent) -> None:
        final = ev.final and self._current is not None and ev.job_id == self._current.id
        if final:
            self._current, self._cancel = None, None
            self._labels.pop(ev.job_id, None)
        self.event.emit(ev)
        if final:
            self._start_next()
            if self._current is None:
                self.busy_changed.emit(False)

    def _on_io_done(self, callback: Callable[[Any, str | None], None], result: Any, error: str | None) -> None:
        if not self._closed:
            callback(result, error)
