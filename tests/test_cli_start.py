"""The CLI's quick commands start without the engine: --help and info never import torch or diffusers.

Each case runs in a fresh interpreter (this one has torch loaded by conftest) and reports which
heavy modules the command left in ``sys.modules``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from studio.engine.pngmeta import save_png

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import contextlib, io, json, sys
HEAVY = ("torch", "diffusers", "PySide6")
from studio.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "out": out.getvalue(), "loaded": [m for m in HEAVY if m in sys.modules]}))
"""


def run_fresh(*argv: str) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    proc = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("argv", [["--help"], ["generate", "--help"], ["walk", "--help"], ["inpaint", "--help"], ["eval", "--help"]])
def test_help_imports_no_engine(argv: list[str]) -> None:
    result = run_fresh(*argv)
    assert result["code"] == 0 and "usage: inkstudio" in result["out"]
    assert result["loaded"] == [], f"inkstudio {' '.join(argv)} imported {result['loaded']}"


def test_info_imports_no_engine(tmp_path: Path) -> None:
    png = save_png(Image.new("RGB", (4, 4)), {"seed": 7, "model": "tiny", "style": "dark"}, tmp_path / "p.png")
    result = run_fresh("info", str(png))
    assert result["code"] == 0 and json.loads(result["out"])["seed"] == 7
    assert result["loaded"] == [], f"inkstudio info imported {result['loaded']}"
