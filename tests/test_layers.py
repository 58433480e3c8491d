"""The layering in STYLE.md, as import-linter contracts in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.fail("import-linter is part of the dev extra: pip install -e '.[dev]'")
    proc = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


UI_IMPORT_PROBE = """
import importlib, json, pkgutil, sys
import studio.ui
names = ["studio.app"] + [m.name for m in pkgutil.walk_packages(studio.ui.__path__, "studio.ui.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "loaded": [m for m in ("torch", "diffusers") if m in sys.modules]}))
"""


def test_ui_modules_import_no_torch() -> None:
    """The contract's named exceptions are imports inside functions: importing every studio.ui module
    (in a fresh interpreter; this one has torch loaded by conftest) leaves torch and diffusers unloaded."""
    import json
    import os
    import sys

    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
    }
    proc = subprocess.run([sys.executable, "-c", UI_IMPORT_PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "studio.ui.main_window" in result["modules"] and "studio.ui.modes.inpaint" in result["modules"]
    assert result["loaded"] == [], f"importing studio.ui loaded {result['loaded']}"
