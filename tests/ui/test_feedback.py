# ruff: noqa: F811  (fixtures imported from windowkit are used as test arguments)
"""What the Paint tab says while it works: banners that go stale, progress and estimates that tell the truth."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from windowkit import WAIT_MS, make_window, set_job, tiny_bundled, wait_idle  # noqa: F401

from studio.api import JobEvent, JobKind


def cancel_at_first_step(window) -> None:  # type: ignore[no-untyped-def]
    """Cancel the running painting on the worker thread the moment it reports its first step."""

    def on_posted(ev) -> None:  # type: ignore[no-untyped-def]
        if ev.kind == "progress" and ev.step >= 1:
            window.runner.cancel_current()

    window.runner._posted.connect(on_posted, Qt.ConnectionType.DirectConnection)
    return on_posted


def test_the_cancelled_banner_goes_when_the_next_painting_starts(qtbot, make_window) -> None:
    window = make_window()
    set_job(window, seed=3, count=2, steps=30)
    hook = cancel_at_first_step(window)
    window.generate()
    wait_idle(qtbot, window)
    window.runner._posted.disconnect(hook)
    assert window.message_bar.text.startswith("Cancelled.")

    shown_at_start = []
    window.runner.event.connect(lambda ev: ev.kind == "started" and shown_at_start.append(window.message_bar.text))
    set_job(window, seed=4, count=1, steps=2)
    window.generate()
    wait_idle(qtbot, window)
    assert shown_at_start == [""], "the last run's 'Cancelled' stayed up while the next one painted"
    assert window.message_bar.text == "" and window.progress.format().startswith("Done: 1 painting")

    # a notice about something else (not the last run) is left alone
    window.show_info("Saved /tmp/a.png")
    window.generate()
    wait_idle(qtbot, window)
    assert window.message_bar.text == "Saved /tmp/a.png"


def test_progress_says_which_paintings_are_painted_together(qtbot, make_window) -> None:
    window = make_window()
    texts: list[str] = []
    window.runner.event.connect(lambda ev: ev.kind == "progress" and ev.step < ev.total and texts.append(window.progress.format()))
    set_job(window, seed=10, count=4, steps=3)
    window.generate()
    wait_idle(qtbot, window)
    # the four are painted in one batch, step by step together: never "painting 1 of 4"
    assert texts and all(t.endswith("· all 4 paintings at once") for t in texts), texts
    assert texts[0].startswith("Step 1/3")

    texts.clear()
    set_job(window, seed=20, count=5, steps=2)  # a batch of four, then one
    window.generate()
    wait_idle(qtbot, window)
    assert "Step 1/2 · paintings 1–4 of 5 at once" in texts and "Step 1/2 · painting 5 of 5" in texts, texts
    assert not any("painting 1 of" in t for t in texts)

    texts.clear()
    set_job(window, seed=30, count=1, steps=2)
    window.generate()
    wait_idle(qtbot, window)
    assert texts == ["Step 1/2"]


def test_no_time_estimate_before_the_pace_is_measured(qtbot, make_window) -> None:
    window = make_window()
    window._on_event(JobEvent("started", 99, total=20, count=4, job_kind=JobKind.PAINT))
    assert window.eta_label.text() == ""
    time.sleep(0.6)  # the model loads, or the job waited in the queue: none of it is painting pace
    window._on_event(JobEvent("progress", 99, 1, 20, 0, 4, 0.05, job_kind=JobKind.PAINT))
    assert window.eta_label.text() == "", "an estimate before a single step was timed"
    time.sleep(0.6)
    window._on_event(JobEvent("progress", 99, 2, 20, 0, 4, 0.10, job_kind=JobKind.PAINT))
    # 0.05 of the job took ~0.6 s: ~0.9 of it is left, ~11 s
    seconds = int(window.eta_label.text().split()[1])
    assert 8 <= seconds <= 20, window.eta_label.text()
    window._on_event(JobEvent("finished", 99, done=4, count=4, fraction=1.0, job_kind=JobKind.PAINT))
    assert window.eta_label.text() == ""
    # the next job starts with no estimate, whatever the last one's pace was
    window._on_event(JobEvent("started", 100, total=20, count=4, job_kind=JobKind.PAINT))
    window._on_event(JobEvent("progress", 100, 1, 20, 0, 4, 0.05, job_kind=JobKind.PAINT))
    assert window.eta_label.text() == ""
