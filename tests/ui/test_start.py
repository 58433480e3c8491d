"""The window shows itself and its model list before torch is imported; Generate waits for the engine.

The fresh-interpreter cases run in a subprocess (this interpreter has torch loaded by conftest) and
report what the window had when its list was complete, and which heavy modules were loaded then.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import save_tiny_diffusion, save_tiny_gan
from windowkit import WAIT_MS, make_window, studio_threads, tiny_bundled, wait_idle  # noqa: F401

from studio.models import catalog

ROOT = Path(__file__).resolve().parents[2]

# the window as `inkstudio` builds it, with the engine never started (warm_up does nothing), so
# whatever the window shows came without torch
WINDOW_PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication
from studio.ui.runner import JobRunner
JobRunner.warm_up = lambda self, record: None
from studio.app import create_window
app = QApplication([])
window = create_window()
window.show()
for _ in range(6000):
    app.processEvents()
    if window.catalog_ready:
        break
    import time; time.sleep(0.01)
print(json.dumps({
    "listed": [r.id for r in window.model_panel.records()],
    "shown": window.model_panel.current_record().id if window.model_panel.current_record() else None,
    "visible": window.isVisible(),
    "generate_enabled": window.sampling_panel.generate.isEnabled() or window.act_generate.isEnabled(),
    "loaded": [m for m in ("torch", "diffusers") if m in sys.modules],
}))
window.runner.shutdown()
"""

LISTING_PROBE = """
import json, sys
from studio.models.catalog import listing
c = listing()
print(json.dumps({"ids": [r.id for r in c.records], "later": [p.name for p in c.later],
                  "loaded": [m for m in ("torch", "diffusers") if m in sys.modules]}))
"""


def run_fresh(code: str) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_listing_is_discover_without_torch(bundled_dir: Path, tmp_path: Path) -> None:
    save_tiny_diffusion(bundled_dir / "tiny.safetensors")
    save_tiny_gan(bundled_dir / "tiny-gan.safetensors")
    shutil.copy(bundled_dir / "tiny.safetensors", tmp_path / "tiny.safetensors")  # same name: the id gets -2
    (bundled_dir / "broken.safetensors").write_bytes(b"not a checkpoint")
    extra = [tmp_path / "tiny.safetensors"]

    quick, full = catalog.listing(extra), catalog.discover(extra)
    # Ink Studio checkpoints: the very records discover makes (ids, sizes, styles, weights' sha256, card)
    assert [r.id for r in quick.records] == ["tiny-gan", "tiny", "tiny-2"]
    assert quick.records == full.records
    # what only discover can read (here a broken file) is left to it, which names the problem
    assert [p.name for p in quick.later] == ["broken.safetensors"] and quick.problems == []
    assert len(full.problems) == 1 and "broken.safetensors" in full.problems[0]

    fresh = run_fresh(LISTING_PROBE)
    assert fresh["ids"] == ["tiny-gan", "tiny"] and fresh["later"] == ["broken.safetensors"]
    assert fresh["loaded"] == [], f"listing the models imported {fresh['loaded']}"


def test_window_lists_models_before_torch(tiny_bundled: Path) -> None:
    result = run_fresh(WINDOW_PROBE)
    assert result["visible"] and result["listed"] == ["tiny"] and result["shown"] == "tiny"
    assert not result["generate_enabled"], "Generate was pressable before the engine was loaded"
    assert result["loaded"] == [], f"the window imported {result['loaded']} before its engine loaded"


def test_generate_waits_for_the_engine_then_paints(qtbot, tiny_bundled: Path) -> None:  # type: ignore[no-untyped-def]
    from studio.app import create_window

    window = create_window()
    qtbot.addWidget(window)
    window.show()
    # built and shown: the engine has not answered yet (its events arrive through the event loop)
    assert not window.engine_ready
    assert not window.sampling_panel.generate.isEnabled() and not window.act_generate.isEnabled()
    assert "loading" in window.sampling_panel.generate.toolTip()
    qtbot.waitUntil(lambda: window.engine_ready and window.catalog_ready, timeout=WAIT_MS)
    assert window.sampling_panel.generate.isEnabled() and window.act_generate.isEnabled()
    assert window.sampling_panel.generate.toolTip() == "Paint (Ctrl+Enter)"

    paintings: list = []
    window.runner.event.connect(lambda ev: ev.kind == "painting" and paintings.append(ev.path))
    window.sampling_panel.steps.setValue(2)
    window.sampling_panel.count.setValue(1)
    window.act_generate.trigger()
    wait_idle(qtbot, window)
    assert len(paintings) == 1 and Path(paintings[0]).is_file()
    window.close()
    assert studio_threads() == []
