"""Sliced Wasserstein distance on Laplacian-pyramid patches."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from conftest import SHANSHUI

from studio.engine.swd import laplacian_pyramid, swd


def _paintings(count: int, folder: Path) -> torch.Tensor:
    import shutil

    from studio.engine.inkstyle import build_manifest, list_images
    from studio.engine.train.data import load_images, to_model_range

    for p in list_images(SHANSHUI)[:count]:
        shutil.copyfile(p, folder / p.name)
    rows = build_manifest(folder)
    images = load_images(folder, rows, 64, {"light": 0, "dark": 1, "faded": 2}, None)
    return to_model_range(images.pixels)


def test_pyramid_levels_and_reconstruction() -> None:
    x = torch.rand(2, 3, 64, 64) * 2 - 1
    levels = laplacian_pyramid(x, min_size=16)
    assert [lv.shape[-1] for lv in levels] == [64, 32, 16]
    from studio.engine.swd import _upsample

    rebuilt = levels[-1]
    for band in reversed(levels[:-1]):
        rebuilt = band + _upsample(rebuilt, band.shape[-2:])
    assert torch.allclose(rebuilt, x, atol=1e-5)


def test_identical_sets_give_zero() -> None:
    x = torch.rand(6, 3, 32, 32) * 2 - 1
    result = swd(x, x.clone(), descriptors_per_image=32, directions=32, repeats=2)
    assert result.sizes == [32, 16]
    assert result.mean == pytest.approx(0.0, abs=1e-6)


@pytest.mark.skipif(not SHANSHUI.is_dir(), reason="shanshui dataset not present")
def test_noise_is_far_from_paintings_and_paintings_are_close(tmp_path: Path) -> None:
    real = _paintings(24, tmp_path)
    a, b = real[:12], real[12:]
    noise = torch.rand_like(a) * 2 - 1
    kw = dict(descriptors_per_image=64, directions=64, repeats=2, seed=3)
    close = swd(a, b, **kw)
    far = swd(a, noise, **kw)
    assert far.mean > 5 * close.mean
    assert all(f > c for f, c in zip(far.levels, close.levels))
    assert "swd" in far.lines()[-1]
