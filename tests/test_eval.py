"""``inkstudio eval``: SWD per style and level, the heavy-ink ratio, the tone spread, and the real-vs-real floor."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import torch
from conftest import SHANSHUI

from studio.cli import main
from studio.engine.evaluate import heavy_ink_fraction, tone_spread

# usable paintings of both splits and styles (docs/styles/manifest.csv): the split is by source painting
TRAIN = ["0_of_3_in_013-a.jpg", "0_of_3_in_013-b.jpg", "0_of_3_in_029-a.jpg", "0_of_3_in_003-a.jpg", "0_of_3_in_003-b.jpg",
         "0_of_3_in_012-a.jpg"]
VALIDATION = ["0_of_3_in_023-a.jpg", "0_of_3_in_101-a.jpg", "0_of_4_in_017-b.jpg", "0_of_3_in_023-b.jpg", "0_of_3_in_035-a.jpg",
              "0_of_3_in_035-b.jpg"]


def _flat(tones: list[float]) -> torch.Tensor:
    """Grey images of the given luminance (0..255) in the model range [-1, 1]."""
    return torch.stack([torch.full((3, 8, 8), t / 127.5 - 1) for t in tones])


def test_tone_spread_is_the_spread_of_per_image_tones() -> None:
    mean, std = tone_spread(_flat([100, 200]))
    assert mean == pytest.approx(150, abs=1e-3) and std == pytest.approx(50, abs=1e-3)
    # one middling tone for every painting: the right mean, no spread
    mean, std = tone_spread(_flat([150, 150, 150]))
    assert mean == pytest.approx(150, abs=1e-3) and std == pytest.approx(0, abs=1e-3)


def test_heavy_ink_fraction_counts_dark_pixels() -> None:
    images = _flat([255, 255, 40, 255])
    assert heavy_ink_fraction(images) == pytest.approx(0.25)


@pytest.fixture(scope="module")
def paintings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SHANSHUI.is_dir():
        pytest.skip("shanshui dataset not present")
    folder = tmp_path_factory.mktemp("eval-paintings")
    for name in TRAIN + VALIDATION:
        shutil.copyfile(SHANSHUI / name, folder / name)
    return folder


def test_eval_prints_levels_heavy_ink_tone_and_swd(paintings: Path, tiny_diffusion: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    args = ["eval", "--model", str(tiny_diffusion), "--data", str(paintings), "--count", "4", "--steps", "3",
            "--cache", str(tmp_path / "cache")]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    for style in ("light", "dark"):
        assert any(re.fullmatch(rf"{style}\s+level\s+16px\s+\d+\.\d\d", line) for line in out), out
        assert any(re.fullmatch(rf"{style}\s+heavy-ink fraction \(luminance < 80\): \d\.\d{{4}}", line) for line in out)
        tone = [line for line in out if line.startswith(style) and "tone" in line]
        assert len(tone) == 1 and re.search(r"\d+\.\d ± \d+\.\d \(validation \d+\.\d ± \d+\.\d\)", tone[0])
    assert any(line.startswith("heavy-ink ratio dark/light: ") for line in out)
    means = [float(line.split()[-1]) for line in out if re.fullmatch(r"(light|dark)\s+mean\s+\S+", line)]
    assert len(means) == 2
    last = out[-1].split()
    assert last[0] == "swd" and float(last[1]) == pytest.approx(sum(means) / 2, abs=0.01)
    # deterministic: the same command prints the same figures
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines() == out


def test_eval_real_vs_real_is_the_floor(paintings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--real-vs-real", "--data", str(paintings), "--resolution", "16", "--count", "3",
                 "--cache", str(tmp_path / "cache")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert sum(1 for line in out if "tone" in line) == 2
    floor = float(out[-1].split()[1])
    assert 0 < floor < 1000


def test_eval_refuses_a_model_with_real_vs_real(paintings: Path, tiny_diffusion: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--real-vs-real", "--model", str(tiny_diffusion), "--data", str(paintings)]) == 1
    assert "leave out --model" in capsys.readouterr().err
