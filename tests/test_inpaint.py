"""Inpainting on tiny real seeded models: kept pixels stay, the hole changes, seeds reproduce."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import SHANSHUI, save_tiny_diffusion
from PIL import Image

from studio.cli import main
from studio.engine.images import load_image_rgb, load_mask
from studio.engine.inpaint import (
    InpaintRequest,
    NothingToDo,
    auto_feather,
    feather_alpha,
    fit_to_model,
    inpaint,
    invert_latent,
    load_source,
    masked_l2,
    prepare_source,
    seam_score,
)
from studio.engine.pngmeta import read_png_meta
from studio.engine.sampling import CancelToken, sample_diffusion, to_pil
from studio.errors import Cancelled, StudioError
from studio.models.catalog import resolve
from studio.models.loaders import load_checkpoint


@pytest.fixture(autouse=True)
def one_torch_thread():  # type: ignore[no-untyped-def]
    """Tiny models gain nothing from a second thread, and on a busy machine OpenMP's waiting costs ~30x."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


FAST = {"blend": dict(steps=4, jumps=2), "repaint": dict(steps=4, jumps=2, jump_length=2), "invert": dict(steps=25)}


def painting(w: int = 40, h: int = 28) -> Image.Image:
    """A deterministic picture with structure everywhere (ink-like strokes on tan paper)."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.stack([200 - x, 180 - 0.5 * y, 150 + 0.3 * x], axis=-1)
    base += 40 * np.sin(x / 3.0)[..., None] * np.cos(y / 4.0)[..., None]
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), mode="RGB")


def box_mask(w: int = 40, h: int = 28, box: tuple[int, int, int, int] = (14, 9, 26, 19)) -> np.ndarray:
    m = np.zeros((h, w), dtype=bool)
    x0, y0, x1, y1 = box
    m[y0:y1, x0:x1] = True
    return m


def save_lively_gan(path: Path, seed: int = 0) -> Path:
    """A tiny GAN whose output really depends on z (default init leaves it nearly constant)."""
    from studio.models.inkfile import save_ink_checkpoint
    from studio.models.inkgan import InkGenerator

    torch.manual_seed(seed)
    config = {"nz": 16, "ngf": 8, "resolution": 16, "channels": 3, "num_classes": 2}
    gen = InkGenerator(**config).eval()
    with torch.no_grad():
        for p in gen.parameters():
            if p.dim() > 1:
                p.normal_(0, 0.2)
    meta = {"kind": "gan", "name": "Lively GAN", "architecture": {"class": "InkGenerator", "config": config}}
    return save_ink_checkpoint(
        path, gen.state_dict(), {**meta, "styles": {"light": 0, "dark": 1}, "resolution": 16, "channels": 3}
    )


@pytest.fixture
def lively_gan(tmp_path: Path) -> Path:
    return save_lively_gan(tmp_path / "lively-gan.safetensors")


def loaded(path: Path):  # type: ignore[no-untyped-def]
    return resolve(str(path)), load_checkpoint(path)


def run(path: Path, source, method: str | None, **kw):  # type: ignore[no-untyped-def]
    record, model = loaded(path)
    m = method or ("invert" if model.kind == "gan" else "blend")
    req = InpaintRequest(seed=kw.pop("seed", 11), method=method, **{**FAST[m], **kw})
    return inpaint(model, record, source, req)


@pytest.mark.parametrize("method", ["blend", "repaint"])
def test_diffusion_keeps_everything_outside_the_feather_and_repaints_the_hole(tiny_diffusion: Path, method: str) -> None:
    src = prepare_source(painting(), box_mask())
    (res,) = run(tiny_diffusion, src, method, feather=3)
    out, orig = np.asarray(res.image).astype(int), np.asarray(src.image).astype(int)
    assert res.image.size == src.image.size and res.image.mode == "RGB"
    alpha, (y0, y1, x0, x1) = feather_alpha(src.mask_array, 3)
    touched = np.zeros(src.mask_array.shape, bool)
    touched[y0:y1, x0:x1] = alpha > 0
    assert np.array_equal(out[~touched], orig[~touched])  # bit for bit outside mask + feather band
    assert np.abs(out - orig)[src.mask_array].mean() > 5  # the hole was repainted
    assert res.meta["method"] == method and res.meta["steps"] == FAST[method]["steps"] and res.meta["jumps"] == 2


def test_gan_invert_keeps_outside_and_changes_the_hole(lively_gan: Path) -> None:
    src = prepare_source(painting(), box_mask())
    (res,) = run(lively_gan, src, None, feather=2)
    out, orig = np.asarray(res.image).astype(int), np.asarray(src.image).astype(int)
    alpha, (y0, y1, x0, x1) = feather_alpha(src.mask_array, 2)
    far = np.ones(src.mask_array.shape, bool)
    far[y0:y1, x0:x1] = alpha == 0
    assert np.array_equal(out[far], orig[far])
    assert np.abs(out - orig)[src.mask_array].mean() > 5
    assert res.meta["method"] == "invert" and res.meta["kind"] == "gan" and res.meta["jumps"] is None


@pytest.mark.parametrize("method", ["blend", "repaint"])
def test_same_seed_same_result_and_image_k_uses_seed_plus_k(tiny_diffusion: Path, method: str) -> None:
    src = prepare_source(painting(), box_mask())
    a = run(tiny_diffusion, src, method, seed=5, count=2)
    b = run(tiny_diffusion, src, method, seed=5, count=2)
    alone = run(tiny_diffusion, src, method, seed=6, count=1)
    assert [r.seed for r in a] == [5, 6]
    for x, y in zip(a, b):
        assert np.array_equal(np.asarray(x.image), np.asarray(y.image))
    # image 1 of the series is the painting of seed 6, whatever batch it was painted in: byte for byte
    assert a[1].image.tobytes() == alone[0].image.tobytes()
    assert not np.array_equal(np.asarray(a[0].image), np.asarray(a[1].image))


def test_gan_invert_is_reproducible(lively_gan: Path) -> None:
    src = prepare_source(painting(), box_mask())
    a, b = run(lively_gan, src, None, seed=3), run(lively_gan, src, None, seed=3)
    assert np.array_equal(np.asarray(a[0].image), np.asarray(b[0].image))


def test_inversion_lowers_the_masked_l2(lively_gan: Path) -> None:
    _record, model = loaded(lively_gan)
    canvas = fit_to_model(painting(), Image.fromarray(box_mask().astype(np.uint8) * 255), 16)
    inv = invert_latent(model, [0, 1], canvas.image.expand(2, -1, -1, -1), canvas.known.expand(2, -1, -1, -1), steps=40)
    start = model.generate(torch.randn(1, 16, generator=torch.Generator().manual_seed(0)), model.labels_for(None, 1))
    before = masked_l2(start, canvas.image, canvas.known)
    after = masked_l2(inv.images[:1], canvas.image, canvas.known)
    assert inv.masked_l2[0][0] == pytest.approx(float(before[0]), rel=1e-5)  # it starts where generate does
    for b, a in inv.masked_l2:
        assert a < 0.8 * b
    assert float(after[0]) == pytest.approx(inv.masked_l2[0][1], rel=1e-5)


def test_full_mask_is_the_same_as_generating(tmp_path: Path) -> None:
    path = save_tiny_diffusion(tmp_path / "m.safetensors")
    record, model = loaded(path)
    img = painting(16, 16)
    notes: list[str] = []
    src = prepare_source(img, np.ones((16, 16), bool))
    (res,) = inpaint(model, record, src, InpaintRequest(seed=9, steps=3), on_notice=notes.append)
    generated = to_pil(sample_diffusion(model, [9], steps=3))[0]
    assert np.array_equal(np.asarray(res.image), np.asarray(generated))
    assert res.meta["whole_image"] is True and len(notes) == 1 and "whole painting" in notes[0]


def test_any_size_is_fitted_by_padding_and_returned_at_full_size(tiny_diffusion: Path) -> None:
    img, mask = painting(90, 30), box_mask(90, 30, (40, 5, 50, 25))
    canvas = fit_to_model(img, Image.fromarray(mask.astype(np.uint8) * 255), 16)
    left, top, right, bottom = canvas.box
    assert (right - left, bottom - top) == (16, 5)  # 90×30 keeps its 3:1 aspect
    assert canvas.known[0, 0, :top].sum() == 0 and canvas.known[0, 0, bottom:].sum() == 0  # padding is free
    assert canvas.known[0, 0, top:bottom, left:right].sum() > 0
    (res,) = run(tiny_diffusion, prepare_source(img, mask), "blend")
    assert res.image.size == (90, 30)
    assert res.meta["image_size"] == [90, 30] and res.meta["size"] == 16


def test_feather_is_soft_inside_its_band_and_exactly_zero_beyond() -> None:
    mask = box_mask(30, 30, (10, 10, 20, 20))
    alpha, (y0, y1, x0, x1) = feather_alpha(mask, 4)
    full = np.zeros(mask.shape, np.float32)
    full[y0:y1, x0:x1] = alpha
    assert np.all(full[mask] == 1.0)
    assert full[15, 20] > full[15, 21] > full[15, 22] > 0.0  # ramps down outside the edge (x=19 is the last masked)
    assert full[15, 23] == 0.0 and full[15, 29] == 0.0 and full[0, 0] == 0.0


def test_seam_score_sees_a_hard_paste() -> None:
    img, mask = painting(), box_mask()
    pasted = np.asarray(img).copy()
    pasted[mask] = 0
    hard, _ = seam_score(Image.fromarray(pasted), img, mask)
    same, _ = seam_score(img, img, mask)
    assert same == pytest.approx(1.0) and hard > 3.0


def test_progress_previews_and_cancel(tiny_diffusion: Path) -> None:
    record, model = loaded(tiny_diffusion)
    src = prepare_source(painting(), box_mask())
    seen = []
    inpaint(model, record, src, InpaintRequest(seed=1, steps=4, jumps=1), on_progress=seen.append)
    fractions = [p.fraction for p in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    previews = seen[0].previews()
    assert len(previews) == 1 and previews[0].size == (16, 11)  # the painting's box inside the 16 px square
    token = CancelToken()

    def cancel_at_two(p) -> None:  # type: ignore[no-untyped-def]
        if p.step >= 2:
            token.cancel()

    with pytest.raises(Cancelled):
        inpaint(model, record, src, InpaintRequest(seed=1, steps=4), cancel=token, on_progress=cancel_at_two)


def test_wrong_method_for_the_model_kind(tiny_gan: Path, tiny_diffusion: Path) -> None:
    src = prepare_source(painting(), box_mask())
    with pytest.raises(StudioError, match="GAN inpaints with invert"):
        run(tiny_gan, src, "blend")
    with pytest.raises(StudioError, match="invert is for GAN"):
        run(tiny_diffusion, src, "invert")


# ---------------------------------------------------------------------------- bad input


def test_empty_mask_is_nothing_to_do() -> None:
    with pytest.raises(NothingToDo, match="nothing to repaint"):
        prepare_source(painting(), np.zeros((28, 40), bool))


def test_mask_of_another_size_is_resized_with_a_notice(tmp_path: Path) -> None:
    painting().save(tmp_path / "p.png")
    Image.fromarray(box_mask().astype(np.uint8)[::2, ::2] * 255).save(tmp_path / "m.png")
    src = load_source(tmp_path / "p.png", tmp_path / "m.png")
    assert src.mask.size == (40, 28)
    assert any("resized" in n for n in src.notices)
    assert src.mask_array[14, 20] and not src.mask_array[0, 0]


@pytest.mark.parametrize(
    ("mode", "word"),
    [
        ("L", "grayscale"),
        ("I;16", "16-bit"),
        ("CMYK", "CMYK"),
        ("P", "palette"),
        ("RGBA", "transparent"),
        ("LA", "transparent"),
        ("1", "black-and-white"),
    ],
)
def test_odd_image_modes_are_converted_to_rgb(tmp_path: Path, mode: str, word: str) -> None:
    img = painting()
    if mode == "I;16":
        odd = Image.fromarray(np.asarray(img.convert("L")).astype(np.uint16) * 257)
        path = tmp_path / "x.png"
    elif mode in ("RGBA", "LA"):
        odd = img.convert(mode)
        odd.putalpha(Image.fromarray(np.where(box_mask(), 0, 255).astype(np.uint8)))
        path = tmp_path / "x.png"
    else:
        odd = img.convert(mode)
        path = tmp_path / ("x.tif" if mode == "CMYK" else "x.png")
    odd.save(path)
    result = load_image_rgb(path)
    assert result.image.mode == "RGB" and result.image.size == (40, 28)
    assert len(result.notices) >= 1 and word in " ".join(result.notices)
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    if mode == "I;16":  # 16-bit values are scaled, not clipped
        assert np.abs(np.asarray(result.image)[..., 0].astype(int) - np.asarray(img.convert("L")).astype(int)).max() <= 1
    if mode == "RGBA":  # transparent paper becomes white
        assert (np.asarray(result.image)[box_mask()] == 255).all()


def test_unreadable_files_give_one_clear_message(tmp_path: Path) -> None:
    (tmp_path / "junk.png").write_bytes(b"not an image at all")
    painting().save(tmp_path / "ok.png")
    (tmp_path / "cut.png").write_bytes((tmp_path / "ok.png").read_bytes()[:120])
    for name, needle in [
        ("junk.png", "not an image"),
        ("missing.png", "no such file"),
        ("cut.png", "damaged or truncated"),
        (".", "folder"),
    ]:
        with pytest.raises(StudioError, match=needle) as info:
            load_image_rgb(tmp_path / name)
        assert "\n" not in str(info.value)


def test_huge_images_are_refused_or_downscaled(tmp_path: Path) -> None:
    Image.new("L", (8001, 4), 128).save(tmp_path / "wide.png")
    with pytest.raises(StudioError, match="8,000 px limit"):
        load_image_rgb(tmp_path / "wide.png")
    small = load_image_rgb(tmp_path / "wide.png", downscale=True)
    assert small.image.width == 8000 and any("downscaled" in n for n in small.notices)
    # a mask is only a hint of where to paint: it is shrunk to the painting without asking
    assert load_mask(tmp_path / "wide.png", (100, 4)).image.size == (100, 4)


# ---------------------------------------------------------------------------- CLI


def test_cli_inpaint_writes_paintings_with_provenance(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    painting().convert("P").save(tmp_path / "p.png")
    Image.fromarray(box_mask().astype(np.uint8)[::2, ::2] * 255).save(tmp_path / "m.png")
    out = tmp_path / "out"
    argv = ["inpaint", "--model", str(tiny_diffusion), "--image", str(tmp_path / "p.png"), "--mask", str(tmp_path / "m.png")]
    code = main([*argv, "--seed", "4", "--count", "2", "--steps", "3", "--jumps", "2", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0
    assert "notice: p.png: palette image converted to RGB" in err and "mask resized" in err
    files = sorted(out.glob("*.png"))
    assert [f.name for f in files] == ["p-inpaint-blend-0000000004.png", "p-inpaint-blend-0000000005.png"]
    assert not list(out.glob(".*part"))
    meta = read_png_meta(files[0])
    assert meta["method"] == "blend" and meta["steps"] == 3 and meta["jumps"] == 2 and meta["seed"] == 4
    assert meta["image_sha256"] == hashlib.sha256((tmp_path / "p.png").read_bytes()).hexdigest()
    assert meta["mask_sha256"] == hashlib.sha256((tmp_path / "m.png").read_bytes()).hexdigest()
    assert meta["task"] == "inpaint" and meta["sampler"] == "dpm++" and json.dumps(meta)
    with Image.open(files[0]) as im:
        assert im.size == (40, 28)


def test_cli_gan_defaults_to_invert(tiny_gan: Path, tmp_path: Path) -> None:
    painting().save(tmp_path / "p.png")
    Image.fromarray(box_mask().astype(np.uint8) * 255).save(tmp_path / "m.png")
    argv = ["inpaint", "--model", str(tiny_gan), "--image", str(tmp_path / "p.png"), "--mask", str(tmp_path / "m.png")]
    assert main([*argv, "--seed", "1", "--steps", "10", "--out", str(tmp_path / "o")]) == 0
    meta = read_png_meta(tmp_path / "o" / "p-inpaint-invert-0000000001.png")
    assert meta["method"] == "invert" and meta["steps"] == 10


@pytest.mark.parametrize(
    ("image", "mask", "needle"),
    [
        ("p.png", "empty.png", "nothing to repaint"),
        ("junk.png", "m.png", "not an image"),
        ("missing.png", "m.png", "no such file"),
        ("p.png", "junk.png", "not an image"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_1(
    tiny_diffusion: Path, tmp_path: Path, capsys, image: str, mask: str, needle: str
) -> None:  # type: ignore[no-untyped-def]
    painting().save(tmp_path / "p.png")
    Image.fromarray(box_mask().astype(np.uint8) * 255).save(tmp_path / "m.png")
    Image.new("L", (40, 28), 0).save(tmp_path / "empty.png")
    (tmp_path / "junk.png").write_bytes(b"\x89PNG garbage")
    argv = ["inpaint", "--model", str(tiny_diffusion), "--image", str(tmp_path / image), "--mask", str(tmp_path / mask)]
    assert main([*argv, "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("inkstudio: error:") and needle in err[0]
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


def test_on_a_real_painting_the_kept_part_is_untouched(tiny_diffusion: Path) -> None:
    files = sorted(SHANSHUI.glob("*.jpg"))[:1] if SHANSHUI.is_dir() else []
    if not files:
        pytest.skip("the shanshui dataset is not beside the project")
    img = load_image_rgb(files[0]).image.resize((200, 150))
    mask = box_mask(200, 150, (60, 40, 140, 110))
    (res,) = run(tiny_diffusion, prepare_source(img, mask), "blend")
    alpha, (y0, y1, x0, x1) = feather_alpha(mask, res.meta["feather"])
    keep = np.ones(mask.shape, bool)
    keep[y0:y1, x0:x1] = alpha == 0
    assert np.array_equal(np.asarray(res.image)[keep], np.asarray(img)[keep])


def test_a_large_painting_with_a_tiny_stroke(tiny_diffusion: Path) -> None:
    img = painting(3000, 2000)
    mask = np.zeros((2000, 3000), bool)
    mask[1000:1002, 1500:1503] = True  # 6 pixels: less than a model pixel (~190 px square) of coverage
    canvas = fit_to_model(img, Image.fromarray(mask.astype(np.uint8) * 255), 16)
    left, top, right, bottom = canvas.box
    assert int((canvas.known[0, 0, top:bottom, left:right] == 0).sum()) == 1  # the stroke's model pixel is repainted
    (res,) = run(tiny_diffusion, prepare_source(img, mask), "blend")
    alpha, (y0, y1, x0, x1) = feather_alpha(mask, res.meta["feather"])
    keep = np.ones(mask.shape, bool)
    keep[y0:y1, x0:x1] = alpha == 0
    assert res.image.size == (3000, 2000) and res.meta["feather"] == auto_feather((3000, 2000), 16)
    assert np.array_equal(np.asarray(res.image)[keep], np.asarray(img)[keep])
    assert not np.array_equal(np.asarray(res.image)[mask], np.asarray(img)[mask])


def test_a_mask_saved_as_zeros_and_ones_still_selects_its_ones(tmp_path: Path) -> None:
    Image.fromarray(box_mask().astype(np.uint8)).save(tmp_path / "m01.png")  # values 0 and 1
    mask = load_mask(tmp_path / "m01.png", (40, 28))
    assert np.array_equal(np.asarray(mask.image) == 255, box_mask())
    assert any("treating 1 as white" in n for n in mask.notices)
    Image.new("L", (40, 28), 3).save(tmp_path / "grey.png")  # a uniform near-black page is empty, not "all repaint"
    assert not np.asarray(load_mask(tmp_path / "grey.png").image).any()


@pytest.mark.parametrize("method", ["repaint", "invert"])
def test_cancel_stops_repaint_and_inversion(tiny_diffusion: Path, lively_gan: Path, method: str) -> None:
    record, model = loaded(lively_gan if method == "invert" else tiny_diffusion)
    src = prepare_source(painting(), box_mask())
    token = CancelToken()
    steps_seen: list[int] = []

    def cancel_at_two(p) -> None:  # type: ignore[no-untyped-def]
        steps_seen.append(p.step)
        if p.step >= 2:
            token.cancel()

    req = InpaintRequest(seed=1, method=method, **FAST[method])
    with pytest.raises(Cancelled):
        inpaint(model, record, src, req, cancel=token, on_progress=cancel_at_two)
    assert steps_seen == [1, 2]


def test_blend_resampling_passes_change_the_result(tiny_diffusion: Path) -> None:
    src = prepare_source(painting(), box_mask())
    (one,) = run(tiny_diffusion, src, "blend", jumps=1)
    (three,) = run(tiny_diffusion, src, "blend", jumps=3)
    assert one.meta["jumps"] == 1 and three.meta["jumps"] == 3
    assert not np.array_equal(np.asarray(one.image), np.asarray(three.image))


def test_cli_from_repeats_an_inpainting_exactly(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    painting().save(tmp_path / "p.png")
    Image.fromarray(box_mask().astype(np.uint8) * 255).save(tmp_path / "m.png")
    io = ["--image", str(tmp_path / "p.png"), "--mask", str(tmp_path / "m.png")]
    model = ["--model", str(tiny_diffusion)]
    args = ["--method", "repaint", "--seed", "8", "--steps", "4", "--jumps", "2", "--jump-length", "2", "--feather", "3"]
    assert main(["inpaint", *model, *io, *args, "--out", str(tmp_path / "a")]) == 0
    first = tmp_path / "a" / "p-inpaint-repaint-0000000008.png"
    assert main(["inpaint", *model, *io, "--from", str(first), "--out", str(tmp_path / "b")]) == 0
    again = tmp_path / "b" / first.name
    with Image.open(first) as a, Image.open(again) as b:
        assert np.array_equal(np.asarray(a), np.asarray(b))
    assert read_png_meta(again) == read_png_meta(first)
    capsys.readouterr()
    # another mask: still runs, but says the result will differ
    Image.fromarray(box_mask(box=(2, 2, 9, 9)).astype(np.uint8) * 255).save(tmp_path / "m2.png")
    io2 = ["--image", str(tmp_path / "p.png"), "--mask", str(tmp_path / "m2.png")]
    assert main(["inpaint", *model, *io2, "--from", str(first), "--out", str(tmp_path / "c")]) == 0
    assert "this mask is not the one" in capsys.readouterr().err
    # settings flags beside --from are refused, not silently ignored
    assert main(["inpaint", *model, *io, "--from", str(first), "--steps", "9", "--out", str(tmp_path / "d")]) == 1
    assert "drop --steps" in capsys.readouterr().err


def test_with_mask_keeps_the_painting_and_rehashes_the_mask(tmp_path: Path) -> None:
    painting().save(tmp_path / "p.png")
    Image.fromarray(box_mask().astype(np.uint8) * 255).save(tmp_path / "m.png")
    src = load_source(tmp_path / "p.png", tmp_path / "m.png")
    other = src.with_mask(box_mask(box=(0, 0, 5, 5)))
    assert other.image is src.image and other.image_sha256 == src.image_sha256
    assert (other.image_hashed, other.mask_hashed) == ("file", "pixels") and other.mask_sha256 != src.mask_sha256
    assert other.mask_array[:5, :5].all() and not other.mask_array[10:].any()
    with pytest.raises(NothingToDo):
        src.with_mask(np.zeros((28, 40), bool))
