"""One job of the window's runner, followed from submit to its end: the one job-tracking helper.

A mode or dialog that runs work on the inference thread submits it through a :class:`JobTracker`
and listens to the tracker's signals, which carry only that job's events (filtered by job id);
``cancel`` takes the job out of the queue when it has not started, or cancels it when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from studio.api import JobEvent, JobKind


class JobTracker(QObject):
    """Follows one TaskJob at a time: started, progress, result, failure, cancel."""

    started = Signal()
    progress = Signal(int, int)  # step, total
    event = Signal(object)  # every JobEvent of the tracked job (progress messages, previews by name, …)
    finished = Signal(object)  # the run function's result
    failed = Signal(str)  # one line
    cancelled = Signal()
    running_changed = Signal(bool)

    def __init__(self, runner: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.job: Any = None
        runner.event.connect(self._on_event)

    @property
    def job_id(self) -> int | None:
        return None if self.job is None else self.job.id

    @property
    def running(self) -> bool:
        return self.job is not None

    def submit(self, kind: JobKind, label: str | Callable[[], str], run: Callable[..., Any]) -> Any:
        self.job = self.runner.submit_task(kind, label, run)
        self.running_changed.emit(True)
        return self.job

    def cancel(self) -> str | None:
        """``"dequeued"`` (it never started; ``cancelled`` is emitted now), ``"cancelling"`` (it runs; its
        ``cancelled`` event follows), or None when no job is tracked."""
        if self.job is None:
            return None
        if self.runner.remove(self.job.id):  # still queued behind other work
            self._done()
            self.cancelled.emit()
            return "dequeued"
        if self.runner.current is not None and self.runner.current.id == self.job.id:
            self.runner.cancel_current()
            return "cancelling"
        return None

    def forget(self) -> None:
        """Stop following the job (cancel it first if it should stop): its later events are ignored."""
        if self.job is not None:
            self._done()

    def _done(self) -> None:
        self.job = None
        self.running_changed.emit(False)

    def _on_event(self, ev: JobEvent) -> None:
        if self.job is None or ev.job_id != self.job.id:
            return
        if ev.kind in ("finished", "error", "cancelled"):
            self._done()  # before anyone hears of the end, so ``running`` is already False
        self.event.emit(ev)
        if ev.kind == "started":
            self.started.emit()
        elif ev.kind == "progress":
            self.progress.emit(ev.step, ev.total)
        elif ev.kind == "finished":
            self.finished.emit(ev.meta.get("result"))
        elif ev.kind == "error":
            self.failed.emit(ev.message)
        elif ev.kind == "cancelled":
            self.cancelled.emit()
