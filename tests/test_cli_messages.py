"""What the CLI tells the user: the folders `models` reads, and seeds named as one seed or a range."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import run, save_tiny_diffusion
from PIL import Image

from studio.cli import seeds_text
from studio.config import paths


def test_models_lists_the_folders_it_reads(bundled_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save_tiny_diffusion(bundled_dir / "tiny.safetensors")
    code, out, _ = run(["models"], capsys)
    assert code == 0 and "tiny" in out
    lines = out.splitlines()
    folders = lines[lines.index("folders read:") + 1 :]
    assert folders[0] == f"  {bundled_dir} (bundled)"
    assert folders[1].startswith(f"  {paths.user_models_dir()} (yours, does not exist yet")
    paths.user_models_dir().mkdir(parents=True)
    _, out, _ = run(["models"], capsys)
    assert f"  {paths.user_models_dir()} (yours)" in out.splitlines()


def test_seeds_are_one_seed_or_a_range() -> None:
    assert seeds_text(1655817595, 1) == "seed 1655817595"
    assert seeds_text(7, 4) == "seeds 7..10"


def test_one_candidate_inpaint_names_one_seed(tiny_diffusion: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Image.new("RGB", (16, 16), (200, 190, 170)).save(tmp_path / "p.png")
    mask = np.zeros((16, 16), np.uint8)
    mask[4:10, 4:10] = 255
    Image.fromarray(mask).save(tmp_path / "m.png")
    argv = ["inpaint", "--model", str(tiny_diffusion), "--image", str(tmp_path / "p.png"), "--mask", str(tmp_path / "m.png")]
    code, out, err = run([*argv, "--seed", "1655817595", "--steps", "2", "--jumps", "1", "--out", str(tmp_path / "o")], capsys)
    assert code == 0, err
    assert "(blend, seed 1655817595)" in out and ".." not in out
