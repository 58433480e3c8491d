"""Classroom engine: the denoising filmstrip, the forward process and GAN vs diffusion side by side."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import pixels, run
from PIL import Image

from studio.engine.classroom import (
    ForwardProcess,
    denoising_trajectory,
    frame_steps,
    image_to_tensor,
    side_by_side,
    side_by_side_sheet,
)
from studio.engine.noise import noise_for_seeds
from studio.engine.pngmeta import read_png_meta
from studio.engine.sampling import CancelToken
from studio.errors import Cancelled
from studio.models.catalog import resolve
from studio.models.loaders import load_checkpoint


def test_frame_steps() -> None:
    assert frame_steps(5, 2) == [2, 4, 5]
    assert frame_steps(6, 3) == [3, 6]
    assert frame_steps(3, 10) == [3]
    assert frame_steps(4, 1) == [1, 2, 3, 4]


@pytest.mark.parametrize("sampler", ["dpm++", "euler-a"])
def test_strip_frames_and_last_frame_is_the_painting(tiny_diffusion: Path, tmp_path: Path, capsys, sampler: str) -> None:  # type: ignore[no-untyped-def]
    settings = ["--model", str(tiny_diffusion), "--seed", "21", "--steps", "5", "--style", "dark", "--sampler", sampler]
    code, _, err = run(["generate", *settings, "--out", str(tmp_path / "g")], capsys)
    assert code == 0, err
    (painting_path,) = (tmp_path / "g").glob("*.png")
    painting = pixels(painting_path)
    strip_path = tmp_path / "strip.png"
    code, text, err = run(["trajectory", *settings, "--every", "2", "--out", str(strip_path)], capsys)
    assert code == 0, err
    assert "3 frame(s)" in text
    meta = read_png_meta(strip_path)
    assert meta["frame_steps"] == [2, 4, 5] and len(meta["x_t_boxes"]) == len(meta["x0_boxes"]) == 3
    strip = pixels(strip_path)
    scale = meta["scale"]
    x0, y0, x1, y1 = meta["x_t_boxes"][-1]
    last = strip[y0:y1:scale, x0:x1:scale]  # cells are nearest-neighbour enlargements: every scale-th pixel is exact
    assert last.shape == painting.shape and np.array_equal(last, painting)
    x0, y0, x1, y1 = meta["x0_boxes"][-1]
    assert np.abs(strip[y0:y1:scale, x0:x1:scale].astype(int) - painting.astype(int)).mean() < 3
    # earlier x_t frames are still noisy: further from the painting
    x0, y0, x1, y1 = meta["x_t_boxes"][0]
    assert not np.array_equal(strip[y0:y1:scale, x0:x1:scale], painting)


def test_engine_trajectory_and_gif(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    record = resolve(str(tiny_diffusion))
    model = load_checkpoint(record.path)
    seen = []
    steps_seen = []
    traj = denoising_trajectory(model, 3, steps=4, every=3, on_frame=seen.append, on_progress=lambda s, t: steps_seen.append((s, t)))
    assert [f.step for f in traj.frames] == [3, 4] and [f.step for f in seen] == [3, 4]
    assert steps_seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert all(f.x_t.size == (16, 16) and f.x0.size == (16, 16) for f in traj.frames)
    assert np.array_equal(np.asarray(traj.frames[-1].x_t), np.asarray(traj.painting))
    cancel = CancelToken()
    with pytest.raises(Cancelled):
        denoising_trajectory(model, 3, steps=4, every=1, cancel=cancel, on_frame=lambda f: cancel.cancel())
    code, _, err = run(["trajectory", "--model", str(tiny_diffusion), "--seed", "3", "--steps", "4", "--every", "1",
                        "--out", str(tmp_path / "strip.gif")], capsys)
    assert code == 0, err
    with Image.open(tmp_path / "strip.gif") as gif:
        assert gif.n_frames == 4 and gif.info.get("loop") == 0


def test_trajectory_errors_are_one_line(tiny_gan: Path, tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    cases = [
        (["--model", str(tiny_gan), "--seed", "1", "--out", str(tmp_path / "s.png")], "is a GAN"),
        (["--model", str(tiny_diffusion), "--seed", "1", "--out", str(tmp_path / "s.jpg")], "must end in .png or .gif"),
        (["--model", str(tiny_diffusion), "--style", "misty", "--out", str(tmp_path / "s.png")], "no style 'misty'"),
    ]
    for args, expected in cases:
        code, _, err = run(["trajectory", *args], capsys)
        assert code == 1 and len(err.strip().splitlines()) == 1 and expected in err, err
    assert not list(tmp_path.glob("s.*"))


def test_forward_process_noises_along_one_draw(tiny_diffusion: Path) -> None:
    model = load_checkpoint(resolve(str(tiny_diffusion)).path)
    rng = np.random.default_rng(0)
    painting = Image.fromarray(rng.integers(0, 256, (16, 16, 3), dtype=np.uint8), "RGB")
    fp = ForwardProcess.for_model(model, painting, seed=5)
    T = fp.num_train_timesteps
    assert T == 100
    snr = fp.snr()
    assert snr.shape == (T,) and np.all(np.diff(snr) < 0) and snr[0] > 100 and snr[-1] < 1e-3
    # x_t = sqrt(a) x0 + sqrt(1-a) eps with the contract noise of the seed
    a = fp.scheduler.alphas_cumprod[60].double()
    x0 = image_to_tensor(painting).double()
    eps = noise_for_seeds((3, 16, 16), [5]).double()
    expected = (a.sqrt() * x0 + (1 - a).sqrt() * eps).float()
    assert torch.allclose(fp.tensor_at(60), expected, atol=1e-5)
    near, far = np.asarray(fp.at(0)).astype(int), np.asarray(fp.at(T - 1)).astype(int)
    original = np.asarray(painting).astype(int)
    assert np.abs(near - original).mean() < 8 < np.abs(far - original).mean()
    assert np.array_equal(np.asarray(fp.at(40)), np.asarray(ForwardProcess.for_model(model, painting, seed=5).at(40)))
    assert len(fp.frames([0, 50, 99])) == 3
    with pytest.raises(Exception, match="t must be between"):
        fp.at(T)


def test_gan_and_diffusion_side_by_side(tiny_gan: Path, tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    gan_rec, diff_rec = resolve(str(tiny_gan)), resolve(str(tiny_diffusion))
    gan, diff = load_checkpoint(gan_rec.path), load_checkpoint(diff_rec.path)
    progress = []
    result = side_by_side((gan, gan_rec), (diff, diff_rec), count=3, seed=4, style="dark", steps=2,
                          on_progress=lambda kind, f: progress.append(kind))
    assert result.seeds == [4, 5, 6]
    assert len(result.gan.images) == len(result.diffusion.images) == 3
    assert result.gan.seconds > 0 and result.diffusion.seconds > 0
    assert {"gan", "diffusion"} <= set(progress)
    # the same seeds as generate paints
    run(["generate", "--model", str(tiny_gan), "--seed", "4", "--count", "3", "--style", "dark", "--out", str(tmp_path / "g")], capsys)
    for im, path in zip(result.gan.images, sorted((tmp_path / "g").glob("*.png"))):
        assert np.array_equal(np.asarray(im), pixels(path))
    sheet = side_by_side_sheet(result, thumb=32)
    assert sheet.width >= 3 * 32 and sheet.height >= 2 * 32
    code, text, err = run(["compare", "--gan", str(tiny_gan), "--diffusion", str(tiny_diffusion), "--count", "2", "--seed", "1",
                           "--steps", "2", "--out", str(tmp_path / "cmp.png")], capsys)
    assert code == 0, err
    meta = read_png_meta(tmp_path / "cmp.png")
    assert meta["seeds"] == [1, 2] and meta["gan"]["seconds"] > 0 and meta["diffusion"]["seconds"] > 0
    code, _, err = run(["compare", "--gan", str(tiny_diffusion), "--diffusion", str(tiny_diffusion), "--out", str(tmp_path / "x.png")], capsys)
    assert code == 1 and "not a gan model" in err and len(err.strip().splitlines()) == 1


def test_compare_defaults_to_the_bundled_models(bundled_dir: Path, tiny_gan: Path, tiny_diffusion: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cmp.png"
    code, _, err = run(["compare", "--count", "1", "--seed", "3", "--steps", "2", "--out", str(out)], capsys)
    assert code == 1 and "no bundled gan model: name one with --gan" in err and not out.exists()
    shutil.copyfile(tiny_gan, bundled_dir / "ink-gan-16.safetensors")
    shutil.copyfile(tiny_diffusion, bundled_dir / "ink-diffusion-16.safetensors")
    code, _, err = run(["compare", "--count", "1", "--seed", "3", "--steps", "2", "--out", str(out)], capsys)
    assert code == 0, err
    meta = read_png_meta(out)
    assert meta["gan"]["model"] != meta["diffusion"]["model"] and meta["seeds"] == [3]


def _english(text: str, names: set[str]) -> list[str]:
    import re

    words = re.findall(r"[A-Za-z][A-Za-z_]*[A-Za-z0-9]", text)
    return [w for w in words if w.lower() not in names and not re.fullmatch(r"x_t|x0|GAN", w)]


def test_picture_labels_are_all_in_one_language(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import re

    from conftest import save_tiny_gan

    from studio.engine.classroom import drawn_language, filmstrip_layout, side_by_side_labels

    cjk = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
    record = resolve(str(tiny_diffusion))
    model = load_checkpoint(record.path)
    traj = denoising_trajectory(model, 3, steps=2, every=1, style="dark")
    gan_path = save_tiny_gan(tmp_path / "gan.safetensors")
    gan_rec = resolve(str(gan_path))
    result = side_by_side((load_checkpoint(gan_rec.path), gan_rec), (model, record), count=1, seed=4, steps=2)
    names = {"ddim", "dpm", "tiny", "diffusion", "gan"} | {w.lower() for w in re.findall(r"[A-Za-z]+", f"{gan_rec.id} {record.id}")}

    en = [*filmstrip_layout(traj, "en")[1].texts, *side_by_side_labels(result, "en")]
    assert not any(cjk.search(t) for t in en), en  # English pictures: no Chinese row labels
    assert "x_t (noisy)" in en and any(t.startswith("seed 3 · ") and t.endswith("dark ink") for t in en)

    assert drawn_language("zh_CN") == "zh_CN", "fonts-noto-cjk is installed here"
    zh = [*filmstrip_layout(traj, "zh_CN")[1].texts, *side_by_side_labels(result, "zh_CN")]
    assert not [w for t in zh for w in _english(t, names)], zh  # Chinese pictures: no English headers
    assert any(t.startswith("种子 3") and t.endswith("浓墨") for t in zh) and zh[-1] == "种子 4"

    # the CLI draws the language asked for and records it
    for lang in ("en", "zh_CN"):
        out = tmp_path / f"strip-{lang}.png"
        code, _, err = run(["trajectory", "--model", str(tiny_diffusion), "--seed", "3", "--steps", "2", "--lang", lang,
                            "--out", str(out)], capsys)
        assert code == 0, err
        assert read_png_meta(out)["lang"] == lang
        out = tmp_path / f"cmp-{lang}.png"
        code, _, err = run(["compare", "--gan", str(gan_path), "--diffusion", str(tiny_diffusion), "--count", "1", "--seed", "1",
                            "--steps", "2", "--lang", lang, "--out", str(out)], capsys)
        assert code == 0, err
        assert read_png_meta(out)["lang"] == lang
    # one painting per row: the sheet is as wide as its longest header, which is no longer cut off
    from studio.engine.classroom import side_by_side_sheet

    assert side_by_side_sheet(result, thumb=32).width > 32 + 2 * 10
