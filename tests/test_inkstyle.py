"""The light/dark ink measure, the near-blank filter and the split by source painting."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from conftest import SHANSHUI
from PIL import Image

from studio.engine.inkstyle import build_manifest, manifest_csv, measure_image, painting_key, split_of

MANIFEST = Path(__file__).resolve().parents[1] / "docs" / "styles" / "manifest.csv"


def _painting(paper: tuple[int, int, int], ink: int, coverage: float, seed: int = 0) -> Image.Image:
    """Paper of one tone with random strokes of grey level ``ink`` covering ``coverage`` of it."""
    rng = np.random.default_rng(seed)
    arr = np.empty((128, 128, 3), dtype=np.uint8)
    arr[:] = paper
    mask = rng.random((128, 128)) < coverage
    arr[mask] = ink
    return Image.fromarray(arr)


def test_dense_ink_is_dark_and_pale_wash_is_light() -> None:
    pale = measure_image(_painting((235, 230, 215), ink=140, coverage=0.3))
    dense = measure_image(_painting((235, 230, 215), ink=25, coverage=0.08))
    assert dense.heavy_ink > pale.heavy_ink
    assert pale.label == "light" and dense.label == "dark"
    assert not pale.blank and not dense.blank


def test_ink_is_measured_against_the_papers_own_tone() -> None:
    # the same pale strokes, relative to their paper, on white paper and on brown silk:
    # the absolute darkness differs a lot, the relative measure hardly at all
    white = measure_image(_painting((240, 240, 240), ink=170, coverage=0.2))
    brown = measure_image(_painting((160, 130, 90), ink=100, coverage=0.2))
    assert white.paper > brown.paper + 60
    assert abs(white.ink_cover - brown.ink_cover) < 0.02
    assert white.heavy_ink == brown.heavy_ink == 0.0


def test_bare_silk_is_near_blank() -> None:
    bare = measure_image(_painting((200, 180, 140), ink=190, coverage=0.5))
    assert bare.blank and not bare.usable


def test_painting_key_groups_crops_of_one_painting() -> None:
    assert painting_key("3_of_13_in_064-a.jpg") == painting_key("0_of_13_in_064-b.jpg") == "in_064"
    assert painting_key("0_of_2_in_02.jpg") == "in_002"
    assert painting_key("met_17.jpg") == "met_17"
    assert painting_key("met_17.jpg") != painting_key("met_18.jpg")
    assert split_of("in_064") == split_of("in_064")  # deterministic


@pytest.mark.skipif(not SHANSHUI.is_dir(), reason="shanshui dataset not present")
def test_committed_manifest_is_reproducible_and_split_by_painting(tmp_path: Path) -> None:
    rows = list(csv.DictReader(MANIFEST.open(encoding="utf-8")))
    splits: dict[str, set[str]] = {}
    for r in rows:
        splits.setdefault(r["painting"], set()).add(r["split"])
    assert all(len(s) == 1 for s in splits.values()), "a painting is on both sides of the split"
    # re-measure a handful of images: byte-identical CSV rows
    sample = {r["file"] for r in rows[::150]}
    folder = Path(str(SHANSHUI))
    import shutil

    for name in sample:
        shutil.copyfile(folder / name, tmp_path / name)
    fresh = manifest_csv(build_manifest(tmp_path)).splitlines()[1:]
    committed = {line.split(",")[0]: line for line in MANIFEST.read_text(encoding="utf-8").splitlines()[1:]}
    for line in fresh:
        assert committed[line.split(",")[0]] == line
