"""Realism and copying measures: C2ST, memorisation, radial spectrum, and their ``inkstudio eval`` flags."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import SHANSHUI
from PIL import Image

from studio.cli import main
from studio.engine.measures import (
    C2STOptions,
    TwoSampleClassifier,
    blur,
    c2st,
    closest_pairs_sheet,
    memorisation,
    plan_c2st,
    real_sets,
    spectrum_ratio,
)

needs_paintings = pytest.mark.skipif(not SHANSHUI.is_dir(), reason="shanshui dataset not present")
TINY = C2STOptions(epochs=12, width=8, depth=1, batch=16, seeds=(0, 1, 2))


def _paintings(count: int, size: int, start: int = 0) -> torch.Tensor:
    """``count`` paintings of the data set (every 7th file from ``start``), squashed to size×size, in [-1, 1]."""
    files = sorted(p for p in SHANSHUI.iterdir() if p.suffix.lower() == ".jpg")[start::7][:count]
    out = []
    for path in files:
        with Image.open(path) as im:
            im.draft("RGB", (size * 2, size * 2))
            rgb = im.convert("RGB").resize((size, size), Image.Resampling.BOX)
        out.append(torch.from_numpy(np.asarray(rgb, dtype=np.float32)).permute(2, 0, 1) / 127.5 - 1)
    return torch.stack(out)


@pytest.fixture(scope="module")
def paintings16() -> torch.Tensor:
    if not SHANSHUI.is_dir():
        pytest.skip("shanshui dataset not present")
    return _paintings(64, 16)


@needs_paintings
def test_c2st_cannot_tell_two_halves_of_one_set_apart(paintings16: torch.Tensor) -> None:
    x = paintings16[torch.randperm(64, generator=torch.Generator().manual_seed(0))]
    result = c2st(x[:20], x[20:40], x[40:52], x[52:64], size=16, options=TINY)
    assert len(result.accuracies) == 3 and (result.train, result.test) == (20, 12)
    assert 0.3 <= result.mean <= 0.7, result.accuracies


@needs_paintings
def test_c2st_tells_noise_and_blur_from_paintings(paintings16: torch.Tensor) -> None:
    real = paintings16
    noise = torch.rand(64, 3, 16, 16, generator=torch.Generator().manual_seed(1)) * 2 - 1
    result = c2st(real[:40], noise[:40], real[40:], noise[40:], size=16, options=TINY)
    assert result.mean >= 0.95, result.accuracies
    assert result.text().startswith(f"{result.mean:.3f} ± ")


def test_c2st_resizes_both_sides_and_rejects_bad_sets() -> None:
    g = torch.Generator().manual_seed(0)
    dark = torch.rand(24, 3, 32, 32, generator=g) * 0.4 - 1
    light = torch.rand(24, 3, 32, 32, generator=g) * 0.4 + 0.6
    result = c2st(dark[:16], light[:16], dark[16:], light[16:], size=8, options=C2STOptions(epochs=15, width=4, depth=1, batch=16, seeds=(0,)))
    assert result.size == 8 and result.accuracies == [1.0]
    with pytest.raises(ValueError, match="non-empty"):
        c2st(dark[:0], light, dark, light, size=8, options=TINY)


def test_classifier_takes_every_power_of_two_size_and_sees_single_pixels() -> None:
    for size in (8, 16, 64, 256):
        net = TwoSampleClassifier(size, width=4, depth=1).eval()
        assert net(torch.zeros(2, 3, size, size)).shape == (2,)
    for bad in (4, 48):
        with pytest.raises(ValueError, match="power of two"):
            TwoSampleClassifier(bad)
    # the space-to-depth stem loses no pixel: a faint one-pixel checkerboard (the finest grid a
    # generator can leave) on smooth images is told from the same images without it
    g = torch.Generator().manual_seed(3)
    smooth = blur(torch.rand(96, 3, 16, 16, generator=g) * 2 - 1, 2.0)
    yy, xx = torch.meshgrid(torch.arange(16), torch.arange(16), indexing="ij")
    checker = ((yy + xx) % 2 * 2 - 1).float() * 0.08
    result = c2st(smooth[:32], smooth[32:64] + checker, smooth[64:80], smooth[80:] + checker, size=16, options=TINY)
    assert result.mean >= 0.95, result.accuracies


def test_blur_keeps_flat_images_and_softens_edges() -> None:
    flat = torch.full((1, 3, 16, 16), 0.3)
    assert torch.allclose(blur(flat, 1.0), flat, atol=1e-6)
    edge = torch.zeros(1, 3, 16, 16)
    edge[..., 8:] = 1
    soft = blur(edge, 1.0)
    assert 0 < float(soft[0, 0, 0, 7]) < 0.5 < float(soft[0, 0, 0, 8]) < 1


@needs_paintings
def test_memorisation_flags_an_exact_and_a_mirrored_copy(tmp_path: Path) -> None:
    real = _paintings(50, 64)
    training, validation, fresh = real[:30], real[30:42], real[42:50]
    samples = torch.cat([training[3:4], training[11:12].flip(-1), fresh])
    result = memorisation(samples, training, validation)
    assert float(result.distances[0]) < 1e-4 and int(result.matches[0]) == 3 and not bool(result.mirrored[0])
    assert float(result.distances[1]) < 1e-4 and int(result.matches[1]) == 11 and bool(result.mirrored[1])
    assert result.threshold > 0.01  # unseen paintings are not copies
    flagged = (result.distances < result.threshold).nonzero().flatten().tolist()
    assert flagged[:2] == [0, 1] and result.fraction == pytest.approx(len(flagged) / len(samples))
    assert result.closest(2) in ([0, 1], [1, 0])
    sheet = closest_pairs_sheet(samples, training, result, count=4, per_row=2)
    assert sheet.size[0] > 4 * 64 and sheet.size[1] > 2 * 64


@needs_paintings
def test_memorisation_compares_drawings_not_paper() -> None:
    """A copy on another paper tone with fainter ink is still a copy; a blank sheet of the tone of the
    dimmest, flattest training painting is not (on raw luminance it sat at that painting's contrast)."""
    real = _paintings(50, 64)
    training, validation = real[:30], real[30:42]
    lum = training.float().mean(dim=1)
    flattest = int(lum.flatten(1).std(dim=1).argmin())
    retoned = (training[7:8].float() * 0.6 + 0.25).clamp(-1, 1)  # lighter paper, weaker ink
    blank = torch.full_like(training[:1].float(), 0.0) + training[flattest].float().mean(dim=(1, 2))[None, :, None, None]
    result = memorisation(torch.cat([retoned, blank]), training, validation)
    assert int(result.matches[0]) == 7 and float(result.distances[0]) < 0.05 < result.threshold
    assert float(result.distances[1]) > result.threshold  # no drawing: close to nothing
    assert result.fraction == 0.5


def _grid(images: torch.Tensor, period: int, strength: float) -> torch.Tensor:
    """Darken every ``period``-th row and column: the mark of a generator's periodic upsampling."""
    out = images.clone()
    out[..., ::period, :] -= strength
    out[..., :, ::period] -= strength
    return out.clamp(-1, 1)


@needs_paintings
def test_spectrum_finds_a_grid_and_no_peak_between_paintings() -> None:
    real = _paintings(80, 64, start=3)
    a, b = real[:40], real[40:]
    plain = spectrum_ratio(a, b)
    assert plain.peaks == [], plain.peaks
    assert len(plain.ratio) == len(plain.excess) == 46  # radius 0 … ⌊√2·32⌋
    marked = spectrum_ratio(_grid(a, 4, 0.15), b)
    radii = [p.radius for p in marked.peaks]
    assert 16 in radii, marked.peaks  # period 4 px at 64 px: 16 cycles per image width
    peak = next(p for p in marked.peaks if p.radius == 16)
    assert peak.period == pytest.approx(4.0) and peak.ratio > 1.5 and peak.excess > 0.5


def test_spectrum_of_a_pure_grid_image() -> None:
    g = torch.Generator().manual_seed(0)
    smooth = torch.nn.functional.interpolate(torch.rand(16, 3, 8, 8, generator=g) * 2 - 1, size=64, mode="bilinear")
    marked = spectrum_ratio(_grid(smooth, 8, 0.3), smooth)
    assert 8 in [p.radius for p in marked.peaks]
    assert spectrum_ratio(smooth, smooth).peaks == []


# ------------------------------------------------------------------------------- the eval CLI

@pytest.fixture(scope="module")
def paint_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 paintings of the data set (both splits and styles)."""
    if not SHANSHUI.is_dir():
        pytest.skip("shanshui dataset not present")
    folder = tmp_path_factory.mktemp("measure-paintings")
    for p in sorted(SHANSHUI.iterdir())[::25][:48]:
        shutil.copyfile(p, folder / p.name)
    return folder


@needs_paintings
def test_c2st_plan_keeps_source_paintings_apart(paint_folder: Path, tmp_path: Path) -> None:
    reals = real_sets(paint_folder, 16, cache_dir=tmp_path)
    plan = plan_c2st(reals, seed=0)
    n_train, n_test = len(plan.real_train), len(plan.real_test)
    assert n_test == min(100, len(reals.validation)) and n_train == min(300, (len(reals.train) - n_test) // 2)
    assert len(plan.stand_in_train) == n_train and len(plan.stand_in_test) == n_test
    learn, score = plan.style_counts()
    assert sum(learn.values()) == n_train and sum(score.values()) == n_test
    assert len(plan.real_paintings) == n_train and len(plan.stand_in_paintings) == n_train + n_test
    assert not set(plan.real_paintings) & set(plan.stand_in_paintings)
    # the same pick for the same seed, another for another
    assert torch.equal(plan_c2st(reals, seed=0).real_test, plan.real_test)
    assert not torch.equal(plan_c2st(reals, seed=1).real_train, plan.real_train)


@needs_paintings
def test_eval_prints_every_measure_beside_its_floor(paint_folder: Path, tiny_diffusion: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "sheets" / "closest.png"
    args = ["eval", "--model", str(tiny_diffusion), "--data", str(paint_folder), "--count", "4", "--steps", "2",
            "--c2st", "--c2st-seeds", "2", "--c2st-epochs", "2", "--memorisation", "--memorisation-count", "10",
            "--sheet", str(sheet), "--spectrum", "--floor", "--cache", str(tmp_path / "cache")]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert any(re.fullmatch(r"light\s+level\s+16px\s+\d+\.\d\d", line) for line in out), out
    assert any(re.fullmatch(r"dark\s+floor\s+16px\s+\d+\.\d\d\s+\(model \d+\.\d\dx\)", line) for line in out), out
    c2st_line = [line for line in out if line.startswith("c2st 16px ")]
    assert len(c2st_line) == 1 and re.match(r"c2st 16px \d\.\d{3} ± \d\.\d{3}  real-vs-real \d\.\d{3} ± \d\.\d{3}", c2st_line[0])
    memo = [line for line in out if line.startswith("memorisation ")]
    assert len(memo) == 1 and re.search(r"\d+\.\d% of 10 paintings .* real-vs-real \d+\.\d% of \d+ validation", memo[0])
    assert f"closest pairs: {sheet}" in out and sheet.is_file()
    spec = [line for line in out if line.startswith("spectrum 16px ")]
    assert len(spec) == 1 and "real-vs-real" in spec[0]


@needs_paintings
def test_eval_real_vs_real_measures(paint_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--real-vs-real", "--data", str(paint_folder), "--resolution", "16", "--count", "4", "--c2st",
                 "--c2st-seeds", "1", "--c2st-epochs", "2", "--memorisation", "--spectrum", "--cache", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any(re.fullmatch(r"c2st 16px real-vs-real \d\.\d{3} ± 0\.000 \(.*\)", line) for line in out), out
    assert any(line.startswith("memorisation real-vs-real: ") and "1st percentile" in line for line in out)
    assert any(line.startswith("spectrum 16px real-vs-real") for line in out)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--memorisation", "--sheet", "closest.jpg"], "name it .png"),
        (["--resolution", "32"], "--resolution is for --real-vs-real"),
        (["--real-vs-real", "--c2st", "--resolution", "24"], "power of two"),
        (["--real-vs-real", "--size", "32"], "takes --resolution, not --size"),
    ],
)
def test_eval_bad_measure_options_fail_in_one_line(tiny_diffusion: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   extra: list[str], message: str) -> None:
    model = [] if "--real-vs-real" in extra else ["--model", str(tiny_diffusion)]
    code = main(["eval", *model, "--data", str(tmp_path), "--cache", "", *extra])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0 and len(err) == 1 and message in err[0], err


def _tiny_diffusion_32(path: Path) -> Path:
    """conftest's tiny diffusion model, made for 32 px paintings."""
    from conftest import make_tiny_unet
    from diffusers import DDPMScheduler

    from studio.models.inkfile import save_ink_checkpoint

    unet = make_tiny_unet(0, 2, sample_size=32)
    sched = DDPMScheduler(num_train_timesteps=100, beta_schedule="squaredcos_cap_v2", prediction_type="v_prediction")
    return save_ink_checkpoint(path, unet.state_dict(), {
        "kind": "diffusion", "name": "Tiny diffusion 32", "resolution": 32, "channels": 3, "styles": {"light": 0, "dark": 1},
        "architecture": {"class": "UNet2DModel", "config": dict(unet.config)},
        "scheduler": {"class": "DDPMScheduler", "config": dict(sched.config)}})


@needs_paintings
def test_eval_of_a_larger_painting_has_finer_swd_levels_each_beside_its_floor(paint_folder: Path, tmp_path: Path,
                                                                              capsys: pytest.CaptureFixture[str]) -> None:
    model = _tiny_diffusion_32(tmp_path / "tiny32.safetensors")
    args = ["eval", "--model", str(model), "--style", "dark", "--data", str(paint_folder), "--count", "3", "--steps", "2",
            "--floor", "--cache", str(tmp_path / "cache")]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    levels = [int(m.group(1)) for line in out if (m := re.fullmatch(r"dark\s+level\s+(\d+)px\s+\d+\.\d\d", line))]
    floors = [int(m.group(1)) for line in out if (m := re.fullmatch(r"dark\s+floor\s+(\d+)px\s+\d+\.\d\d\s+\(model \d+\.\d\dx\)", line))]
    assert levels == floors == [32, 16], out


def test_eval_refuses_a_size_the_model_does_not_paint(tiny_gan: Path, bundled_dir: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--model", str(tiny_gan), "--data", str(tmp_path), "--size", "24"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "size 24 is not what" in err[0], err
