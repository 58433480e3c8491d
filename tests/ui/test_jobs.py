"""The worker side of the job runner (Qt-free): readable errors, preview grids, no torch at import."""

from __future__ import annotations

import subprocess
import sys

from PIL import Image

from studio.errors import Cancelled, CheckpointError
from studio.work.jobs import GRID_TILE, JobCancel, describe_error, preview_grid


def test_errors_become_one_readable_line() -> None:
    assert describe_error(CheckpointError("/m/x.safetensors", "empty file (0 bytes)")) == "/m/x.safetensors: empty file (0 bytes)"
    assert describe_error(MemoryError()).startswith("out of memory")
    assert describe_error(RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")).startswith("out of memory")
    assert describe_error(ValueError("`num_inference_steps`: 200 cannot be larger than 100\nmore")) == (
        "num_inference_steps: 200 cannot be larger than 100"
    )
    assert describe_error(KeyError("weird")) == "unexpected error: KeyError: 'weird'"


def test_preview_grid_tiles_a_batch() -> None:
    one = Image.new("RGB", (64, 64), (10, 20, 30))
    assert preview_grid([one]) is one
    grid = preview_grid([Image.new("RGB", (64, 64), (k * 40, 0, 0)) for k in range(3)])
    gap = GRID_TILE // 32
    assert grid.size == (2 * GRID_TILE + gap, 2 * GRID_TILE + gap)
    assert grid.getpixel((GRID_TILE + gap + 5, 5)) == (40, 0, 0)  # second tile, top right


def test_cancel_token_interface() -> None:
    token = JobCancel()
    token.raise_if_set()
    token.cancel()
    assert token.cancelled
    try:
        token.raise_if_set()
    except Cancelled:
        pass
    else:
        raise AssertionError("raise_if_set did not raise after cancel")


def test_the_window_modules_do_not_import_torch() -> None:
    code = (
        "import sys; import studio.ui.main_window, studio.ui.runner, studio.work.jobs, studio.app\n"
        "print('torch' in sys.modules, 'diffusers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False False", out.stderr[-2000:]
