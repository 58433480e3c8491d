# ruff: noqa: F811  (fixtures imported from windowkit are used as test arguments)
"""The window under load: many queued jobs, switching model mid-job, cancel/generate bursts, closing mid-job.

No crash, every job ends in exactly one final event, nothing partial on disk, and no thread outlives the window.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from conftest import save_tiny_diffusion, save_tiny_gan
from PIL import Image
from windowkit import WAIT_MS, make_window, record_events, set_job, tiny_bundled, wait_idle  # noqa: F401

from studio.engine.pngmeta import read_png_meta
from studio.ui.gallery import gallery_dir

FINAL = {"finished", "cancelled", "error"}


def live_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.is_alive()}


def assert_no_new_threads(before: set[threading.Thread], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while (extra := live_threads() - before) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not extra, f"threads left running: {sorted(t.name for t in extra)}"


def assert_gallery_whole() -> list[Path]:
    """Every file in the gallery is a complete PNG with its settings; no temporary file is left."""
    folder = gallery_dir()
    files = sorted(folder.glob("*.png"))
    for f in files:
        with Image.open(f) as im:
            im.load()
        assert isinstance(read_png_meta(f)["seed"], int)
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
    return files


def final_events(events: list) -> dict[int, list[str]]:  # type: ignore[type-arg]
    out: dict[int, list[str]] = {}
    for e in events:
        if e.job_id and e.kind in FINAL:
            out.setdefault(e.job_id, []).append(e.kind)
    return out


def test_many_queued_jobs_run_in_order_and_no_thread_leaks(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    before = live_threads()
    window = make_window()
    events = record_events(window)
    jobs = []
    for seed in range(100, 112):
        set_job(window, seed=seed, steps=2)
        jobs.append(window.generate())
    assert len(window.runner.pending()) >= 10  # they really queued up behind the first
    wait_idle(qtbot, window)
    ids = [j.id for j in jobs]
    assert [e.job_id for e in events if e.kind == "started"] == ids
    assert final_events(events) == {i: ["finished"] for i in ids}
    assert sorted(window.gallery.seeds()) == list(range(100, 112))
    assert len(assert_gallery_whole()) == 12
    window.close()
    assert_no_new_threads(before)


def test_switching_model_while_a_job_runs(qtbot, make_window, tiny_bundled: Path) -> None:  # type: ignore[no-untyped-def]
    save_tiny_diffusion(tiny_bundled / "other.safetensors", seed=1)
    save_tiny_gan(tiny_bundled / "gan.safetensors")
    window = make_window()
    events = record_events(window)
    window.model_panel.select("tiny")
    set_job(window, seed=1, steps=60)
    first = window.generate()
    qtbot.waitUntil(lambda: window.progress.value() > 0, timeout=WAIT_MS)
    window.model_panel.select("other")  # while the first job paints
    set_job(window, seed=2, steps=2)
    second = window.generate()
    window.model_panel.select("gan")
    set_job(window, seed=3, steps=2)
    third = window.generate()
    window.model_panel.select("tiny")
    wait_idle(qtbot, window)
    assert final_events(events) == {first.id: ["finished"], second.id: ["finished"], third.id: ["finished"]}
    painted = {read_png_meta(p)["seed"]: read_png_meta(p)["model"] for p in assert_gallery_whole()}
    assert painted == {1: "tiny", 2: "other", 3: "gan"}  # each job kept the model it was queued with


def test_cancel_at_different_points_and_generate_bursts_leave_a_working_window(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    events = record_events(window)
    cancelled = []
    for k, at_step in enumerate((0, 1, 3, 7)):  # cancel right away, or once the job has painted a few steps
        set_job(window, seed=k, steps=80)
        job = window.generate()
        qtbot.waitUntil(
            lambda job=job, at_step=at_step: (
                any(e.job_id == job.id and e.kind == "progress" and e.step >= at_step for e in events) or at_step == 0
            ),
            timeout=WAIT_MS,
        )
        window.cancel()
        cancelled.append(job.id)
        wait_idle(qtbot, window)
    burst = []
    for seed in range(10, 16):  # a burst of jobs, then cancel everything while the first paints
        set_job(window, seed=seed, steps=80)
        burst.append(window.generate())
    window.cancel_all()
    wait_idle(qtbot, window)
    set_job(window, seed=42, steps=2)
    last = window.generate()
    wait_idle(qtbot, window)
    finals = final_events(events)
    assert {i: finals[i] for i in cancelled} == {i: ["cancelled"] for i in cancelled}
    assert finals[burst[0].id] == ["cancelled"] and not any(j.id in finals for j in burst[1:])  # never started
    assert finals[last.id] == ["finished"]
    assert window.gallery.seeds() == [42]
    assert_gallery_whole()


def test_closing_mid_job_with_a_full_queue(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    before = live_threads()
    window = make_window()
    set_job(window, seed=7, count=3, steps=90)
    window.generate()
    for seed in range(20, 30):
        set_job(window, seed=seed, steps=5)
        window.generate()
    qtbot.waitUntil(lambda: window.progress.value() > 0, timeout=WAIT_MS)
    window.close()
    assert window.runner._closed and window.runner.pending() == []
    assert_no_new_threads(before)
    files = assert_gallery_whole()
    assert all(read_png_meta(f)["seed"] in (7, 8, 9) for f in files)  # none of the queued jobs started
