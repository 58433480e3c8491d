# ruff: noqa: F811  (fixtures imported from windowkit are used as test arguments)
"""The bad-input corpus (tests/data/bad) dropped on the window: a one-line message each, no crash, and the
window still paints afterwards. Checkpoints whose header reads fine fail when painting, as a job error."""

from __future__ import annotations

from pathlib import Path

import pytest
from windowkit import WAIT_MS, make_window, record_events, set_job, tiny_bundled, wait_idle  # noqa: F401

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad"
TOLERATED = {"metadata-scheduler-unknown-class.safetensors", "pipeline-scheduler-unknown"}  # these paint (see test_bad_inputs)


@pytest.fixture
def sentinel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    path = tmp_path / "PICKLED-CODE-RAN"
    monkeypatch.setenv("INKSTUDIO_TEST_SENTINEL", str(path))
    yield path
    assert not path.exists(), "a pickled checkpoint ran code in the window"


def wait_message(qtbot, window) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.message_bar.text != "", timeout=WAIT_MS)
    return window.message_bar.level, window.message_bar.text


def test_every_bad_checkpoint_gives_a_message_and_the_window_keeps_painting(qtbot, make_window, sentinel) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    events = record_events(window)
    bad = sorted((CORPUS / "checkpoints").iterdir()) + sorted((CORPUS / "folders").iterdir())
    refused, failed_painting = [], []
    for path in (p for p in bad if p.name not in TOLERATED):
        window.message_bar.hide()
        window.open_dropped(path)
        level, text = wait_message(qtbot, window)
        assert "\n" not in text and "Traceback" not in text, (path.name, text)
        if level == "error":
            assert path.name in text, (path.name, text)
            refused.append(path.name)
            continue
        # the header was readable: the model was added, and painting with it must fail with a message
        qtbot.waitUntil(lambda p=path: window.model_panel.current_record().path == str(p), timeout=WAIT_MS)
        window.message_bar.hide()
        set_job(window, seed=1, steps=2)
        job = window.generate()
        wait_idle(qtbot, window)
        finals = [e for e in events if e.job_id == job.id and e.kind in ("finished", "cancelled", "error")]
        assert [e.kind for e in finals] == ["error"], (path.name, [(e.kind, e.message) for e in finals])
        level, text = wait_message(qtbot, window)
        assert level == "error" and "\n" not in text, (path.name, text)
        failed_painting.append(path.name)
    assert "runs-code.pt" in refused and "zero.safetensors" in refused and "nested" in refused
    assert window.gallery.count() == 0  # nothing was painted by a bad checkpoint
    window.model_panel.select("tiny")
    set_job(window, seed=5, steps=2)
    window.generate()
    wait_idle(qtbot, window)
    assert window.gallery.seeds() == [5]


def test_bad_and_foreign_pngs_dropped_on_the_window(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    for path in sorted((CORPUS / "images").glob("*.png")) + sorted((CORPUS / "odd").glob("*.png")):
        window.message_bar.hide()
        window.open_dropped(path)
        level, text = wait_message(qtbot, window)
        assert level == "error" and path.name in text and "\n" not in text, (path.name, text)
    window.message_bar.hide()
    set_job(window, seed=6, steps=2)
    window.generate()
    wait_idle(qtbot, window)
    assert window.gallery.seeds() == [6]
