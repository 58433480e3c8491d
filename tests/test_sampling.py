"""The reproducibility contract, every sampler, previews, cancel, metadata."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from studio.engine.device import choose_device
from studio.engine.noise import noise_for_seeds
from studio.engine.paint import PaintRequest, file_name, paint_series
from studio.engine.pngmeta import read_png_meta, save_png
from studio.engine.sampling import SAMPLERS, CancelToken, sample_diffusion, sample_gan
from studio.errors import Cancelled, StudioError
from studio.models.catalog import resolve
from studio.models.loaders import load_checkpoint


def test_contract_noise_is_per_seed() -> None:
    batch = noise_for_seeds((3, 8, 8), [10, 11, 12])
    for k, seed in enumerate((10, 11, 12)):
        alone = torch.randn((1, 3, 8, 8), generator=torch.Generator("cpu").manual_seed(seed), dtype=torch.float32)
        assert torch.equal(batch[k : k + 1], alone)


@pytest.mark.parametrize("sampler", list(SAMPLERS))
def test_same_seed_same_pixels_at_batch_1_and_4(tiny_diffusion: Path, sampler: str) -> None:
    model = load_checkpoint(tiny_diffusion)
    eta = 0.7 if sampler == "ddim" else 0.0
    batch = sample_diffusion(model, [20, 21, 22, 23], style="dark", sampler=sampler, steps=6, eta=eta)
    for k, seed in enumerate((20, 21, 22, 23)):
        alone = sample_diffusion(model, [seed], style="dark", sampler=sampler, steps=6, eta=eta)
        assert torch.equal(batch[k], alone[0]), sampler  # exact: every image goes through the network alone
    assert not torch.allclose(batch[0], batch[1])


def test_stochastic_samplers_are_reproducible(tiny_diffusion: Path) -> None:
    model = load_checkpoint(tiny_diffusion)
    a = sample_diffusion(model, [5], sampler="euler-a", steps=5)
    b = sample_diffusion(model, [5], sampler="euler-a", steps=5)
    c = sample_diffusion(model, [6], sampler="euler-a", steps=5)
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_gan_batch_invariance(tiny_gan: Path) -> None:
    model = load_checkpoint(tiny_gan)
    batch = sample_gan(model, [1, 2, 3], style="light")
    assert torch.equal(batch[2], sample_gan(model, [3], style="light")[0])  # exact: each image alone


def test_step_callback_gives_x_t_and_x0_every_step(tiny_diffusion: Path) -> None:
    model = load_checkpoint(tiny_diffusion)
    seen = []
    final = sample_diffusion(model, [1], steps=7, sampler="dpm++", on_step=seen.append)
    assert [u.step for u in seen] == list(range(1, 8)) and all(u.total == 7 for u in seen)
    assert seen[0].x0.shape == (1, 3, 16, 16)
    assert seen[-1].x0.min() >= -1 and seen[-1].x0.max() <= 1
    # the last prediction of the clean image is the painting itself
    assert torch.allclose(seen[-1].x_t, final.clamp(-1, 1), atol=1e-5)


def test_cancel_stops_between_steps(tiny_diffusion: Path) -> None:
    model = load_checkpoint(tiny_diffusion)
    cancel = CancelToken()
    steps_run = []

    def on_step(update) -> None:  # type: ignore[no-untyped-def]
        steps_run.append(update.step)
        if update.step == 2:
            cancel.cancel()

    with pytest.raises(Cancelled):
        sample_diffusion(model, [1], steps=10, cancel=cancel, on_step=on_step)
    assert steps_run == [1, 2]


def test_unknown_style_and_bad_size_are_clear(tiny_diffusion: Path) -> None:
    model = load_checkpoint(tiny_diffusion)
    with pytest.raises(StudioError, match="no style 'medium'.*light, dark"):
        sample_diffusion(model, [1], style="medium", steps=2)
    with pytest.raises(StudioError, match="multiple of 2"):
        sample_diffusion(model, [1], size=17, steps=2)
    assert sample_diffusion(model, [1], size=24, steps=2).shape == (1, 3, 24, 24)


def test_series_metadata_round_trip(tiny_diffusion: Path, tmp_path: Path) -> None:
    record = resolve(str(tiny_diffusion))
    model = load_checkpoint(tiny_diffusion)
    req = PaintRequest(seed=40, count=3, style="light", sampler="unipc", steps=5, batch_size=2)
    paintings = paint_series(model, record, req)
    assert [p.seed for p in paintings] == [40, 41, 42]
    names = []
    for p in paintings:
        path = save_png(p.image, p.meta, tmp_path / file_name("{model}-{style}-{seed}", p.meta))
        names.append(path.name)
        meta = read_png_meta(path)
        assert meta == p.meta
        for key in ("model", "model_sha256", "kind", "style", "seed", "sampler", "steps", "eta", "size", "studio"):
            assert key in meta
        assert meta["sampler"] == "unipc" and meta["style"] == "light" and meta["model_sha256"] == record.sha256
    assert names == sorted(names) and names[0] == "tiny-diffusion-light-0000000040.png"
    assert not list(tmp_path.glob("*.part"))


def test_png_pixels_equal_model_output(tiny_diffusion: Path) -> None:
    model = load_checkpoint(tiny_diffusion)
    record = resolve(str(tiny_diffusion))
    painting = paint_series(model, record, PaintRequest(seed=3, steps=4))[0]
    raw = sample_diffusion(model, [3], steps=4, style="light")
    expected = ((raw[0] / 2 + 0.5).clamp(0, 1) * 255).round().byte().permute(1, 2, 0).numpy()
    assert np.array_equal(np.asarray(painting.image), expected)


def test_device_selection_logic() -> None:
    assert choose_device("auto", cuda=False, mps=False).device == "cpu"
    gpu = choose_device("auto", cuda=True, mps=False, cuda_name="Test GPU")
    assert gpu.device == "cuda" and gpu.dtype == torch.float16 and "Test GPU" in gpu.label
    assert choose_device("auto", cuda=False, mps=True).device == "mps"
    assert choose_device("cpu", cuda=True, mps=True).device == "cpu"
    with pytest.raises(StudioError, match="no CUDA GPU"):
        choose_device("cuda", cuda=False, mps=False)
    with pytest.raises(StudioError, match="unknown device"):
        choose_device("tpu")
