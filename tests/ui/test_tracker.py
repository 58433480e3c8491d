"""The one job-tracking helper: it follows its own job through the real runner, and only that job."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.api import JobKind
from studio.errors import StudioError
from studio.ui.runner import JobRunner
from studio.ui.tracker import JobTracker

WAIT_MS = 60_000


@pytest.fixture
def runner(tmp_path: Path) -> Iterator[JobRunner]:
    r = JobRunner(tmp_path / "gallery", device="cpu")
    yield r
    r.shutdown()


def test_tracker_follows_its_job_and_dequeues_or_cancels(qtbot, runner: JobRunner) -> None:  # type: ignore[no-untyped-def]
    first, second, third = JobTracker(runner), JobTracker(runner), JobTracker(runner)
    seen: dict[str, list] = {"first": [], "second": [], "third": []}  # type: ignore[type-arg]
    for name, tracker in (("first", first), ("second", second), ("third", third)):
        tracker.event.connect(lambda ev, name=name: seen[name].append((ev.job_id, ev.kind)))
    results, cancelled, progress = [], [], []
    first.progress.connect(lambda step, total: progress.append((step, total)))
    first.finished.connect(results.append)
    second.cancelled.connect(lambda: cancelled.append("second"))
    third.cancelled.connect(lambda: cancelled.append("third"))
    release = threading.Event()

    def slow(report, cancel, device):  # type: ignore[no-untyped-def]
        report(1, 2)
        release.wait(30)
        return 42

    def until_cancelled(report, cancel, device):  # type: ignore[no-untyped-def]
        for _ in range(3000):
            cancel.raise_if_set()
            report(0, 1)
            time.sleep(0.01)
        return None

    job1 = first.submit(JobKind.FILMSTRIP, "first", slow)
    job2 = second.submit(JobKind.FORWARD, "second", until_cancelled)
    assert first.running and second.job_id == job2.id
    qtbot.waitUntil(lambda: progress == [(1, 2)], timeout=WAIT_MS)

    assert second.cancel() == "dequeued"  # still queued behind the first
    assert cancelled == ["second"] and not second.running and seen["second"] == []
    release.set()
    qtbot.waitUntil(lambda: results == [42], timeout=WAIT_MS)
    assert not first.running and first.cancel() is None
    assert {job_id for job_id, _ in seen["first"]} == {job1.id}
    assert [kind for _, kind in seen["first"]][-1] == "finished"

    job3 = third.submit(JobKind.COMPARE, "third", until_cancelled)
    qtbot.waitUntil(lambda: runner.current is not None and runner.current.id == job3.id, timeout=WAIT_MS)
    assert third.cancel() == "cancelling" and third.running
    qtbot.waitUntil(lambda: cancelled == ["second", "third"], timeout=WAIT_MS)
    assert not third.running and {job_id for job_id, _ in seen["third"]} == {job3.id}


def test_tracker_reports_a_failure_in_one_line(qtbot, runner: JobRunner) -> None:  # type: ignore[no-untyped-def]
    tracker = JobTracker(runner)
    failures, states = [], []
    tracker.failed.connect(failures.append)
    tracker.running_changed.connect(states.append)

    def broken(report, cancel, device):  # type: ignore[no-untyped-def]
        raise StudioError("no such style 'sepia'")

    tracker.submit(JobKind.FILMSTRIP, "broken", broken)
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert "no such style 'sepia'" in failures[0] and "\n" not in failures[0]
    assert states == [True, False] and tracker.job is None
