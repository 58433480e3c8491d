"""The ink upscaler and the two-stage (cascade) model: shapes, determinism, metadata, refusals, training."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import SHANSHUI, pixels, run, save_tiny_diffusion
from PIL import Image

from studio.engine.pngmeta import read_png_meta, save_png
from studio.engine.upscale import cascade_passes, ink_upscale, passes_for
from studio.errors import CheckpointError, StudioError
from studio.models.inkfile import load_ink_state, read_ink_metadata, save_ink_checkpoint
from studio.models.inkupscaler import InkUpscaler, LoadedUpscaler, level_for, load_upscaler


def _tiny_upscaler(seed: int = 0) -> InkUpscaler:
    torch.manual_seed(seed)
    net = InkUpscaler(width=8, blocks=1, hr_blocks=1)
    # a trained tail is not zero: make the residual (and so the noise) matter
    torch.nn.init.normal_(net.tail.weight, std=0.2)
    torch.nn.init.normal_(net.level.weight, std=0.2)
    return net.eval().requires_grad_(False)


def save_tiny_upscaler(path: Path, seed: int = 0) -> Path:
    net = _tiny_upscaler(seed)
    return save_ink_checkpoint(path, net.state_dict(), {
        "kind": "upscaler", "name": "Tiny upscaler", "architecture": {"class": "InkUpscaler", "config": net.config},
        "styles": {}, "resolution": 64, "channels": 3,
    })


def save_tiny_cascade(folder: Path, size: int = 64) -> Path:
    """A tiny 16 px diffusion base + a tiny upscaler beside it, bound as one two-stage model."""
    folder.mkdir(parents=True, exist_ok=True)
    base = save_tiny_diffusion(folder / "base.tmp.safetensors")
    save_tiny_upscaler(folder / "tiny-upscaler.safetensors")
    meta = {k: v for k, v in read_ink_metadata(base).items() if k not in ("format", "format_version")}
    meta["cascade"] = {"upscaler": "tiny-upscaler.safetensors", "size": size}
    path = save_ink_checkpoint(folder / "tiny-cascade.safetensors", load_ink_state(base), meta)
    base.unlink()
    return path


def _loaded(net: InkUpscaler) -> LoadedUpscaler:
    return LoadedUpscaler(net, Path("tiny.safetensors"), {})


@pytest.mark.parametrize(("h", "w"), [(5, 7), (16, 16), (24, 40)])
def test_fully_convolutional_any_shape(h: int, w: int) -> None:
    up = _loaded(_tiny_upscaler())
    x = torch.rand(1, 3, h, w) * 2 - 1
    for passes in (1, 2, 3):
        y = ink_upscale(up, x, [0], passes)
        assert y.shape == (1, 3, h * 2**passes, w * 2**passes)
        assert float(y.min()) >= -1 and float(y.max()) <= 1


def test_deterministic_per_seed_and_batch_invariant() -> None:
    up = _loaded(_tiny_upscaler())
    x = torch.rand(3, 3, 12, 12) * 2 - 1
    batch = ink_upscale(up, x, [5, 6, 7], 2)
    again = ink_upscale(up, x, [5, 6, 7], 2)
    assert torch.equal(batch, again)
    alone = torch.cat([ink_upscale(up, x[k : k + 1], [5 + k], 2) for k in range(3)])
    assert torch.equal(batch, alone)
    other = ink_upscale(up, x[:1], [99], 2)
    assert not torch.equal(other, batch[:1])  # the texture comes from the seed


def test_untrained_upscaler_is_bicubic() -> None:
    net = InkUpscaler(width=8, blocks=1).eval()
    x = torch.rand(1, 3, 8, 8) * 1.6 - 0.8
    y = net(x, torch.randn(1, 1, 16, 16), torch.tensor([0]))
    ref = torch.nn.functional.interpolate(x, scale_factor=2, mode="bicubic", align_corners=False)
    assert torch.allclose(y, ref, atol=1e-6)


def test_levels_and_scales() -> None:
    assert [level_for(s) for s in (64, 128, 256, 512, 1024, 40)] == [0, 1, 2, 3, 3, 0]
    assert [passes_for(s) for s in (2, 4, 8)] == [1, 2, 3]
    with pytest.raises(StudioError):
        passes_for(3)


def test_load_upscaler_refuses_bad_files(tmp_path: Path, tiny_diffusion: Path) -> None:
    good = save_tiny_upscaler(tmp_path / "up.safetensors")
    assert load_upscaler(good).net.config["width"] == 8
    with pytest.raises(CheckpointError, match="not an ink upscaler"):
        load_upscaler(tiny_diffusion)
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"\x00" * 100)
    with pytest.raises(CheckpointError):
        load_upscaler(junk)
    meta = read_ink_metadata(good)
    bad = {k: v for k, v in meta.items() if k not in ("format", "format_version")}
    bad["architecture"] = {"class": "InkUpscaler", "config": {**meta["architecture"]["config"], "width": 10**6}}
    save_ink_checkpoint(tmp_path / "huge.safetensors", load_ink_state(good), bad)
    with pytest.raises(CheckpointError, match="width"):
        load_upscaler(tmp_path / "huge.safetensors")


def _painting(path: Path, size: int = 20, seed: int = 7) -> Path:
    rng = np.random.default_rng(0)
    path.parent.mkdir(parents=True, exist_ok=True)
    im = Image.fromarray(rng.integers(0, 255, (size, size + 4, 3), dtype=np.uint8))
    return save_png(im, {"model": "x", "seed": seed, "size": size}, path)


def test_cli_upscale_keeps_metadata_and_records_the_upscale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    up = save_tiny_upscaler(tmp_path / "up.safetensors")
    src = _painting(tmp_path / "in" / "p.png")
    code, out, err = run(["upscale", str(src), "--scale", "4", "--upscaler", str(up), "--out", str(tmp_path / "out")], capsys)
    assert code == 0, err
    made = tmp_path / "out" / "p-x4.png"
    assert Image.open(made).size == (24 * 4, 20 * 4)
    meta = read_png_meta(made)
    assert meta["seed"] == 7 and meta["model"] == "x"
    assert meta["upscaled"] == [{"method": "ink", "scale": 4, "upscaler": "Tiny upscaler", "seed": 7, "from_size": [24, 20]}]
    # the same painting upscaled again: the same pixels (its seed seeds the texture)
    code, _, _ = run(["upscale", str(tmp_path / "in"), "--scale", "4", "--upscaler", str(up), "--out", str(tmp_path / "again")], capsys)
    assert code == 0
    assert np.array_equal(pixels(made), pixels(tmp_path / "again" / "p-x4.png"))
    # Lanczos, and a plain image without settings
    Image.new("RGB", (10, 6), (200, 190, 170)).save(tmp_path / "plain.jpg")
    code, _, err = run(["upscale", str(tmp_path / "plain.jpg"), "--scale", "2", "--method", "lanczos", "--out", str(tmp_path / "l")], capsys)
    assert code == 0, err
    assert read_png_meta(tmp_path / "l" / "plain-x2.png")["upscaled"][0]["method"] == "lanczos"


def test_cli_upscale_bad_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _painting(tmp_path / "p.png")
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"not safetensors at all")
    for args, needle in [
        ([str(src), "--upscaler", str(bad)], "bad.safetensors"),
        ([str(tmp_path / "missing.png")], "no such file"),
        ([str(src), "--method", "lanczos", "--upscaler", str(bad)], "--upscaler is for --method ink"),
    ]:
        code, out, err = run(["upscale", *args, "--out", str(tmp_path / "o")], capsys)
        assert code == 1, err
        assert needle in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    (tmp_path / "text.png").write_text("hello")
    code, _, err = run(["upscale", str(tmp_path / "text.png"), "--upscaler", str(save_tiny_upscaler(tmp_path / "u.safetensors")),
                        "--out", str(tmp_path / "o2")], capsys)
    assert code == 1 and "Traceback" not in err


def test_cascade_paints_its_size_identically_in_batches_and_from_its_png(tmp_path: Path, bundled_dir: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    model = save_tiny_cascade(bundled_dir)
    code, out, err = run(["models"], capsys)
    assert "tiny-cascade" in out and "64px" in out and "tiny-upscaler" not in out + err  # the upscaler is part of it
    code, _, err = run(["generate", "--model", "tiny-cascade", "--seed", "3", "--count", "4", "--batch", "4", "--steps", "3",
                        "--out", str(tmp_path / "b4")], capsys)
    assert code == 0, err
    code, _, err = run(["generate", "--model", "tiny-cascade", "--seed", "5", "--count", "1", "--steps", "3",
                        "--out", str(tmp_path / "b1")], capsys)
    assert code == 0, err
    alone = tmp_path / "b1" / "tiny-cascade-light-0000000005.png"
    batched = tmp_path / "b4" / "tiny-cascade-light-0000000005.png"
    assert Image.open(alone).size == (64, 64)
    assert np.array_equal(pixels(alone), pixels(batched))
    meta = read_png_meta(alone)
    assert meta["size"] == 64 and meta["cascade"] == {"base_size": 16, "passes": 2, "upscaler": "tiny-upscaler.safetensors"}
    code, _, err = run(["generate", "--from", str(alone), "--out", str(tmp_path / "again")], capsys)
    assert code == 0, err
    assert np.array_equal(pixels(alone), pixels(tmp_path / "again" / alone.name))
    # --size stops early or adds a pass; other sizes are refused with the ones it can paint
    code, _, err = run(["generate", "--model", str(model), "--size", "32", "--steps", "2", "--out", str(tmp_path / "s32")], capsys)
    assert code == 0, err
    assert Image.open(next((tmp_path / "s32").glob("*.png"))).size == (32, 32)
    code, _, err = run(["generate", "--model", str(model), "--size", "48", "--steps", "2", "--out", str(tmp_path / "s48")], capsys)
    assert code == 1 and "16, 32, 64" in err


def test_cascade_refuses_a_missing_or_wrong_upscaler(tmp_path: Path) -> None:
    from studio.models.loaders import inspect_checkpoint, load_checkpoint

    model = save_tiny_cascade(tmp_path / "m")
    loaded = load_checkpoint(model)
    assert loaded.upscaler is not None and loaded.cascade_size == 64 and cascade_passes(loaded, None) == 2
    (tmp_path / "m" / "tiny-upscaler.safetensors").unlink()
    with pytest.raises(CheckpointError, match="upscaler tiny-upscaler.safetensors is missing"):
        inspect_checkpoint(model)
    save_tiny_diffusion(tmp_path / "m" / "tiny-upscaler.safetensors")
    with pytest.raises(CheckpointError, match="not an ink upscaler"):
        inspect_checkpoint(model)


@pytest.mark.skipif(not SHANSHUI.is_dir(), reason="shanshui dataset not present")
def test_upscaler_training_resumes_exactly_and_exports(tmp_path: Path) -> None:
    from studio.engine.train import TrainOptions, make_trainer, run_training
    from studio.engine.train.state import load_state

    data = tmp_path / "paintings"
    data.mkdir()
    for name in ["0_of_3_in_013-a.jpg", "0_of_3_in_029-a.jpg", "0_of_3_in_003-a.jpg", "0_of_3_in_012-a.jpg"]:
        shutil.copyfile(SHANSHUI / name, data / name)

    def opts(name: str, steps: int, resume: bool = False) -> TrainOptions:
        return TrainOptions(kind="upscaler", data=data, out=tmp_path / name, steps=steps, resume=resume, batch=2, preset="tiny",
                            seed=1, checkpoint_minutes=1e6, eval_count=0, cache_dir=None, extra={"adv_start": 1, "adv_min_level": 0})

    quiet = lambda s: None  # noqa: E731
    run_training(make_trainer("upscaler"), opts("a.safetensors", 4), log=quiet)
    run_training(make_trainer("upscaler"), opts("b.safetensors", 2), log=quiet)
    run_training(make_trainer("upscaler"), opts("b.safetensors", 4, resume=True), log=quiet)
    a, _ = load_state(tmp_path / "a-train" / "state")
    b, _ = load_state(tmp_path / "b-train" / "state")
    for group in ("generator", "discriminator", "ema"):
        for key in a[group]:
            assert torch.equal(a[group][key], b[group][key]), (group, key)
    up = load_upscaler(tmp_path / "a.safetensors")
    y = ink_upscale(up, torch.zeros(1, 3, 8, 8), [0], 1)
    assert y.shape == (1, 3, 16, 16)


def test_export_upscale_uses_the_ink_upscaler_and_repaints_identically(tiny_diffusion: Path, tmp_path: Path, bundled_dir: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from studio.engine import upscale as upscale_module

    upscale_module._BUNDLED.clear()
    common = ["generate", "--model", str(tiny_diffusion), "--seed", "4", "--steps", "2", "--upscale", "4"]
    # no ink upscaler installed: Lanczos, and the PNG says so
    code, _, err = run([*common, "--out", str(tmp_path / "none")], capsys)
    assert code == 0, err
    (plain,) = (tmp_path / "none").glob("*.png")
    assert read_png_meta(plain)["export"]["upscale_method"] == "lanczos"
    save_tiny_upscaler(bundled_dir / "ink-upscaler.safetensors")
    upscale_module._BUNDLED.clear()
    try:
        code, _, err = run([*common, "--out", str(tmp_path / "ink")], capsys)
        assert code == 0, err
        (inked,) = (tmp_path / "ink").glob("*.png")
        assert read_png_meta(inked)["export"]["upscale_method"] == "ink"
        assert Image.open(inked).size == (64, 64)
        assert not np.array_equal(pixels(inked), pixels(plain))
        code, _, err = run(["generate", "--from", str(inked), "--out", str(tmp_path / "again")], capsys)
        assert code == 0, err
        assert np.array_equal(pixels(inked), pixels(tmp_path / "again" / inked.name))
        # a Lanczos-finished PNG repaints with Lanczos even now that an ink upscaler is installed
        code, _, err = run(["generate", "--from", str(plain), "--out", str(tmp_path / "old")], capsys)
        assert code == 0, err
        assert np.array_equal(pixels(plain), pixels(tmp_path / "old" / plain.name))
    finally:
        upscale_module._BUNDLED.clear()


def test_trajectory_of_a_cascade_shows_the_upscaler_stages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from studio.engine.classroom import denoising_trajectory, filmstrip
    from studio.models.loaders import load_checkpoint

    path = save_tiny_cascade(tmp_path / "m")
    traj = denoising_trajectory(load_checkpoint(path), 5, style="dark", steps=3)
    assert [im.size for im in traj.stages] == [(32, 32), (64, 64)]
    assert np.array_equal(np.asarray(traj.stages[-1]), np.asarray(traj.painting))
    assert traj.frames[-1].x_t.size == (16, 16)  # the base's denoising
    code, _, err = run(["generate", "--model", str(path), "--seed", "5", "--style", "dark", "--steps", "3", "--out", str(tmp_path / "g")], capsys)
    assert code == 0, err
    assert np.array_equal(pixels(next((tmp_path / "g").glob("*.png"))), np.asarray(traj.painting.convert("RGB")))
    strip = filmstrip(traj)
    assert strip.height >= 64 and strip.width > 64 + 32


def test_one_stage_model_sizes_are_upscaled_by_the_bundled_upscaler_or_refused(tiny_diffusion: Path, tmp_path: Path,
                                                                              bundled_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from studio.engine import upscale as upscale_module

    upscale_module._BUNDLED.clear()
    common = ["generate", "--model", str(tiny_diffusion), "--seed", "2", "--steps", "2"]
    try:
        code, _, err = run([*common, "--size", "32", "--out", str(tmp_path / "none")], capsys)
        assert code == 1 and "16 px" in err and "ink upscaler" in err and len(err.strip().splitlines()) == 1
        save_tiny_upscaler(bundled_dir / "ink-upscaler.safetensors")
        upscale_module._BUNDLED.clear()
        code, _, err = run([*common, "--size", "32", "--out", str(tmp_path / "x2")], capsys)
        assert code == 0, err
        (made,) = (tmp_path / "x2").glob("*.png")
        assert Image.open(made).size == (32, 32)
        meta = read_png_meta(made)
        assert meta["size"] == 32 and meta["cascade"] == {"base_size": 16, "passes": 1, "upscaler": "ink-upscaler.safetensors"}
        code, _, err = run(["generate", "--from", str(made), "--out", str(tmp_path / "again")], capsys)
        assert code == 0, err
        assert np.array_equal(pixels(made), pixels(tmp_path / "again" / made.name))
        code, _, err = run([*common, "--size", "24", "--out", str(tmp_path / "odd")], capsys)
        assert code == 1 and "32, 64" in err
        code, _, err = run([*common, "--out", str(tmp_path / "own")], capsys)
        assert code == 0 and "cascade" not in read_png_meta(next((tmp_path / "own").glob("*.png")))
    finally:
        upscale_module._BUNDLED.clear()


def test_upscaler_adversarial_term_judges_only_the_fine_levels() -> None:
    from studio.engine.train.upscaler import BAND_WEIGHTS, PLAIN_BAND_WEIGHTS, band_weights, pyramid_l1

    levels = torch.tensor([0, 1, 2, 3])
    w = band_weights(levels, True, 2)
    assert w[:2].tolist() == [list(PLAIN_BAND_WEIGHTS)] * 2 and w[2:].tolist() == [list(BAND_WEIGHTS)] * 2
    assert band_weights(levels, False, 2).tolist() == [list(PLAIN_BAND_WEIGHTS)] * 4  # before ADV_START
    # per-image weights: an error in the finest band of a judged image costs a quarter of a plain one's
    g = torch.Generator().manual_seed(0)
    target = torch.rand(2, 3, 64, 64, generator=g) * 2 - 1
    fine = torch.full_like(target, -0.1)
    fine[..., ::2, :] = 0.1  # a zero-mean 2 px stripe: the finest band only
    plain = pyramid_l1(target + fine, target, band_weights(torch.tensor([0, 0]), True, 2))
    judged = pyramid_l1(target + fine, target, band_weights(torch.tensor([3, 3]), True, 2))
    assert judged < 0.5 * plain


def test_upscaler_step_without_fine_levels_trains_no_discriminator(tmp_path: Path) -> None:
    from accelerate import Accelerator

    from studio.engine.train import TrainOptions
    from studio.engine.train.upscaler import UpscalerTrainer

    opts = TrainOptions(kind="upscaler", data=SHANSHUI, out=tmp_path / "u.safetensors", steps=1, batch=2, preset="tiny",
                        seed=0, cache_dir=None, extra={"adv_start": 0})
    trainer = UpscalerTrainer()
    trainer.setup(Accelerator(cpu=True), opts, {})
    d_before = {k: v.clone() for k, v in trainer.d.state_dict().items()}
    g = torch.Generator().manual_seed(0)
    x = torch.rand(2, 3, 64, 64, generator=g) * 2 - 1
    stats = trainer.train_step(x, torch.tensor([0, 1]), 5, g)
    assert "adv" not in stats and "loss_d" not in stats
    assert all(torch.equal(v, trainer.d.state_dict()[k]) for k, v in d_before.items())
    stats = trainer.train_step(x, torch.tensor([1, 2]), 6, g)
    assert "adv" in stats and "loss_d" in stats
    assert any(not torch.equal(v, trainer.d.state_dict()[k]) for k, v in d_before.items())


def test_walk_of_a_cascade_is_finished_and_frame0_equals_generate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from studio.engine.walk import WalkRequest, render_walk
    from studio.models.loaders import load_checkpoint

    path = save_tiny_cascade(tmp_path / "m")
    common = ["--model", str(path), "--steps", "3", "--sampler", "ddim"]
    code, _, err = run(["generate", *common, "--seed", "123", "--out", str(tmp_path / "gen")], capsys)
    assert code == 0, err
    code, _, err = run(["walk", *common, "--seeds", "123,124", "--frames", "3", "--out", str(tmp_path / "walk")], capsys)
    assert code == 0, err
    (painted,) = (tmp_path / "gen").glob("*.png")
    frame0 = tmp_path / "walk" / "frame-00000.png"
    assert Image.open(frame0).size == (64, 64)  # finished at the two-stage model's size, not its 16 px base
    assert np.array_equal(pixels(painted), pixels(frame0))
    # one texture seed for the whole walk: the upscaler's grain does not change between frames
    result = render_walk(load_checkpoint(path), WalkRequest(keyframes=(123, 124), frames=3, sampler="ddim", steps=3))
    assert result.meta["cascade"]["texture_seed"] == 123 and result.meta["cascade"]["passes"] == 2
    assert all(f.size == (64, 64) for f in result.frames)


def test_inpaint_through_a_cascade_keeps_every_unmasked_pixel(tmp_path: Path) -> None:
    from studio.engine.inpaint import InpaintRequest, feather_alpha, inpaint, prepare_source
    from studio.models.catalog import resolve
    from studio.models.loaders import load_checkpoint

    path = save_tiny_cascade(tmp_path / "m")
    yy, xx = np.mgrid[0:96, 0:128]
    picture = np.stack([160 + 60 * np.sin(xx / 5.0), 150 + 50 * np.cos(yy / 7.0), 130 + 0 * xx], -1)
    image = Image.fromarray(np.clip(picture, 0, 255).astype(np.uint8), "RGB")
    mask = np.zeros((96, 128), bool)
    mask[30:60, 40:90] = True
    source = prepare_source(image, mask)
    model = load_checkpoint(path)
    (res,) = inpaint(model, resolve(str(path)), source, InpaintRequest(seed=5, method="blend", steps=3, feather=4))
    out, orig = np.asarray(res.image).astype(int), np.asarray(image).astype(int)
    assert res.image.size == image.size
    alpha, (y0, y1, x0, x1) = feather_alpha(mask, 4)
    touched = np.zeros(mask.shape, bool)
    touched[y0:y1, x0:x1] = alpha > 0
    assert np.array_equal(out[~touched], orig[~touched])
    assert np.abs(out - orig)[mask].mean() > 5
    assert res.meta["cascade"]["passes"] == 2
    (again,) = inpaint(model, resolve(str(path)), source, InpaintRequest(seed=5, method="blend", steps=3, feather=4))
    assert np.array_equal(np.asarray(again.image), np.asarray(res.image))


def test_inpaint_through_a_cascade_composites_the_finished_painting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from studio.engine import inpaint as inpaint_module
    from studio.models.catalog import resolve
    from studio.models.loaders import load_checkpoint

    path = save_tiny_cascade(tmp_path / "m")
    seen: list[tuple[tuple[int, ...], list[int]]] = []
    pasted: list[tuple[int, int]] = []
    real_finish, real_composite = inpaint_module.finish_cascade, inpaint_module.composite

    def finish(model, images, seeds, size):  # type: ignore[no-untyped-def]
        seen.append((tuple(images.shape), list(seeds)))
        return real_finish(model, images, seeds, size)

    def composite(original, painted, mask, feather):  # type: ignore[no-untyped-def]
        pasted.append(painted.size)
        return real_composite(original, painted, mask, feather)

    monkeypatch.setattr(inpaint_module, "finish_cascade", finish)
    monkeypatch.setattr(inpaint_module, "composite", composite)
    image = Image.new("RGB", (128, 64), (200, 190, 160))
    mask = np.zeros((64, 128), bool)
    mask[10:40, 20:60] = True
    source = inpaint_module.prepare_source(image, mask)
    req = inpaint_module.InpaintRequest(seed=9, count=2, method="blend", steps=2)
    inpaint_module.inpaint(load_checkpoint(path), resolve(str(path)), source, req)
    assert seen == [((2, 3, 16, 16), [9, 10])]  # the base's 16 px paintings, textured by their own seeds
    assert pasted == [(64, 32), (64, 32)]  # the finished 64 px painting's box (2:1), not the base's 16x8
