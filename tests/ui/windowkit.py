"""Fixtures and helpers for the window tests (imported by the test modules; conftest.py is shared)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import save_tiny_diffusion

WAIT_MS = 60_000


def studio_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("inkstudio-") and t.is_alive()]


@pytest.fixture
def tiny_bundled(bundled_dir: Path) -> Path:
    """The bundled folder holding one tiny style-conditional diffusion model, id 'tiny'."""
    save_tiny_diffusion(bundled_dir / "tiny.safetensors")
    return bundled_dir


@pytest.fixture
def make_window(qtbot, tiny_bundled: Path) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    """Build the real main window (settings from the private config dir) and wait for catalog, gallery and engine."""
    from studio.app import create_window

    windows = []

    def make():  # type: ignore[no-untyped-def]
        window = create_window()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.catalog_ready and window.gallery_ready and window.engine_ready, timeout=WAIT_MS)
        window.runner._worker.preview_interval = 0.0  # a preview at every step, so tests can count them
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
    assert studio_threads() == [], "the window left worker threads running"


def wait_idle(qtbot, window, timeout: int = WAIT_MS) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not window.runner.busy and not window.runner.pending(), timeout=timeout)


def record_events(window) -> list:  # type: ignore[no-untyped-def]
    events: list = []
    window.runner.event.connect(events.append)
    return events


def set_job(window, *, seed: int, count: int = 1, steps: int = 4, sampler: str = "ddim") -> None:  # type: ignore[no-untyped-def]
    sp = window.sampling_panel
    sp.set_seed(seed)
    sp.lock.setChecked(True)
    sp.count.setValue(count)
    sp.steps.setValue(steps)
    sp.set_sampler(sampler)
