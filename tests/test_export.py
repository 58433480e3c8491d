"""Series export: manifest, contact sheet, upscaling, framing, and reproducing a painting from its PNG."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import pixels, run, save_tiny_diffusion
from PIL import Image

from studio.engine import framing
from studio.engine.export import (
    MANIFEST_NAME,
    SHEET_NAME,
    ExportOptions,
    caption_font,
    export_series,
    fit_thumbnail,
    font_has_cjk,
    locate_model,
    read_manifest,
    read_settings,
    repaint,
)
from studio.engine.paint import PaintRequest
from studio.engine.pngmeta import read_png_meta
from studio.engine.sampling import CancelToken
from studio.errors import Cancelled
from studio.models.catalog import resolve
from studio.models.loaders import load_checkpoint


def test_manifest_and_contact_sheet(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "series"
    code, text, err = run(["generate", "--model", str(tiny_diffusion), "--count", "5", "--seed", "3", "--steps", "2",
                           "--batch", "2", "--style", "dark", "--sheet", "--name", "ink-{seed}", "--out", str(out)], capsys)
    assert code == 0, err
    assert "manifest.json" in text and SHEET_NAME in text
    manifest = read_manifest(out)
    assert manifest["complete"] is True and manifest["sheet"] == SHEET_NAME
    entries = manifest["paintings"]
    assert [e["seed"] for e in entries] == [3, 4, 5, 6, 7]
    assert [e["file"] for e in entries] == [f"ink-{s:010d}.png" for s in range(3, 8)]
    for e in entries:  # each entry carries exactly the settings embedded in its file
        assert e["meta"] == read_png_meta(out / e["file"])
        assert e["meta"]["style"] == "dark" and e["meta"]["steps"] == 2 and e["meta"]["export"] == {"upscale": 1, "frame": None, "seal": False}
        assert e["meta"]["model_sha256"] == resolve(str(tiny_diffusion)).sha256
    assert not list(out.glob(".*.part"))

    sheet_meta = read_png_meta(out / SHEET_NAME)
    assert sheet_meta["files"] == [e["file"] for e in entries] and sheet_meta["seeds"] == [3, 4, 5, 6, 7]
    sheet = pixels(out / SHEET_NAME)
    boxes = sheet_meta["boxes"]
    assert len({(b[0]) for b in boxes}) == 3 and len({b[1] for b in boxes}) == 2  # a 3 x 2 grid for 5 paintings
    for name, (x0, y0, x1, y1) in zip(sheet_meta["files"], boxes):
        with Image.open(out / name) as im:
            expected = np.asarray(fit_thumbnail(im, x1 - x0))
        assert np.array_equal(sheet[y0:y1, x0:x1], expected), name
        caption = sheet[y1 + 2 : y1 + 30, x0:x1].min(axis=2)
        assert (caption < 100).sum() > 20, f"no caption drawn under {name}"
    if Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists():
        assert font_has_cjk(caption_font(14))


def test_manifest_keeps_finished_paintings_when_cancelled(tiny_diffusion: Path, tmp_path: Path) -> None:
    record = resolve(str(tiny_diffusion))
    model = load_checkpoint(record.path)
    cancel = CancelToken()
    seen: list[Path] = []

    def on_file(item) -> None:  # type: ignore[no-untyped-def]
        seen.append(item.path)
        manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
        assert [e["file"] for e in manifest["paintings"]] == [p.name for p in seen]  # written as each one completes
        if len(seen) == 2:
            cancel.cancel()

    with pytest.raises(Cancelled):
        export_series(model, record, PaintRequest(seed=0, count=4, steps=2, batch_size=1), tmp_path,
                      ExportOptions(sheet=True), cancel=cancel, on_file=on_file)
    manifest = read_manifest(tmp_path)
    assert manifest["complete"] is False and len(manifest["paintings"]) == 2
    assert sorted(p.name for p in tmp_path.glob("*.png")) == sorted(p.name for p in seen)
    assert not (tmp_path / SHEET_NAME).exists() and not list(tmp_path.glob(".*.part"))

    # a second run into the same folder adds to the manifest instead of forgetting the first
    export_series(model, record, PaintRequest(seed=10, count=1, steps=2), tmp_path)
    manifest = read_manifest(tmp_path)
    assert manifest["complete"] is True and [e["seed"] for e in manifest["paintings"]] == [0, 1, 10]
    seen[0].unlink()  # a painting deleted by hand leaves the manifest at the next export
    stale = tmp_path / ".tiny-diffusion-light-0000000099.png.part"  # as a killed export leaves it
    stale.write_bytes(b"\x89PNG half")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    export_series(model, record, PaintRequest(seed=11, count=1, steps=2), tmp_path)
    assert [e["seed"] for e in read_manifest(tmp_path)["paintings"]] == [1, 10, 11]
    assert not stale.exists()  # swept by the export itself, so the window's exports tidy up as the CLI's do


def test_reproduce_from_png_is_bit_identical(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    series = tmp_path / "series"
    # a stochastic sampler in a batch of three, finished with upscale + seal + paper frame
    code, _, err = run(["generate", "--model", str(tiny_diffusion), "--count", "3", "--seed", "40", "--steps", "3",
                        "--sampler", "euler-a", "--style", "light", "--upscale", "2", "--seal", "--frame", "paper",
                        "--out", str(series)], capsys)
    assert code == 0, err
    original = sorted(series.glob("*.png"))[1]
    again = tmp_path / "again"
    code, text, err = run(["generate", "--from", str(original), "--out", str(again)], capsys)
    assert code == 0, err
    (copy,) = again.glob("*.png")
    assert copy.name == original.name and "seed 41" in text
    assert np.array_equal(pixels(copy), pixels(original))
    assert read_png_meta(copy) == read_png_meta(original)
    meta = read_settings(original)  # the window's path: no files, the finished image back
    record = locate_model(meta)
    assert np.array_equal(np.asarray(repaint(load_checkpoint(record.path), record, meta)), pixels(original))

    # a painting without finishing, reproduced with --model naming the same weights by path
    code, _, _ = run(["generate", "--model", str(tiny_diffusion), "--seed", "7", "--steps", "2", "--sampler", "ddim",
                      "--eta", "0.5", "--out", str(tmp_path / "plain")], capsys)
    (plain,) = (tmp_path / "plain").glob("*.png")
    code, _, err = run(["generate", "--from", str(plain), "--model", str(tiny_diffusion), "--out", str(tmp_path / "p2")], capsys)
    assert code == 0, err
    assert np.array_equal(pixels(next((tmp_path / "p2").glob("*.png"))), pixels(plain))


def test_reproduce_gan_and_model_found_by_weights(tiny_gan: Path, bundled_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, _ = run(["generate", "--model", str(tiny_gan), "--seed", "5", "--style", "dark", "--out", str(tmp_path / "g")], capsys)
    (painting,) = (tmp_path / "g").glob("*.png")
    # the checkpoint moves under another name into the bundled folder: found by its sha256
    moved = bundled_dir / "renamed-gan.safetensors"
    shutil.move(str(tiny_gan), moved)
    code, _, err = run(["generate", "--from", str(painting), "--out", str(tmp_path / "g2")], capsys)
    assert code == 0, err
    (copy,) = (tmp_path / "g2").glob("*.png")
    assert np.array_equal(pixels(copy), pixels(painting))
    assert read_png_meta(copy)["model_sha256"] == read_png_meta(painting)["model_sha256"]


def test_reproduce_with_other_or_missing_model_says_so(tiny_diffusion: Path, bundled_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, _ = run(["generate", "--model", str(tiny_diffusion), "--seed", "1", "--steps", "1", "--out", str(tmp_path / "a")], capsys)
    (painting,) = (tmp_path / "a").glob("*.png")
    other = save_tiny_diffusion(tmp_path / "other.safetensors", seed=1)
    code, _, err = run(["generate", "--from", str(painting), "--model", str(other), "--out", str(tmp_path / "b")], capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "is not the model that painted" in err and "sha256" in err
    # same id in the catalog, different weights
    shutil.copy(other, bundled_dir / "tiny-diffusion.safetensors")
    tiny_diffusion.unlink()
    code, _, err = run(["generate", "--from", str(painting), "--out", str(tmp_path / "b")], capsys)
    assert code == 1 and "differs from the one that painted" in err and len(err.strip().splitlines()) == 1
    (bundled_dir / "tiny-diffusion.safetensors").unlink()
    code, _, err = run(["generate", "--from", str(painting), "--out", str(tmp_path / "b")], capsys)
    assert code == 1 and "is not installed" in err and "--model PATH" in err
    assert not (tmp_path / "b").exists()


def test_bad_from_file_gives_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    foreign = tmp_path / "photo.png"
    Image.new("RGB", (8, 8), "white").save(foreign)
    sheet_like = tmp_path / "sheet.png"
    from studio.engine.pngmeta import save_png

    save_png(Image.new("RGB", (8, 8)), {"sheet": True, "files": []}, sheet_like)
    half = tmp_path / "half.png"
    save_png(Image.new("RGB", (8, 8)), {"model": "x", "kind": "diffusion"}, half)
    cases = {
        tmp_path / "missing.png": "no such file",
        text: "not a readable image",
        foreign: "no Ink Studio settings",
        sheet_like: "contact sheet",
        half: "lack 'seed'",
    }
    for path, expected in cases.items():
        code, _, err = run(["generate", "--from", str(path), "--out", str(tmp_path / "o")], capsys)
        lines = err.strip().splitlines()
        assert code == 1 and len(lines) == 1 and lines[0].startswith("inkstudio: error: "), (path, err)
        assert expected in lines[0] and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_from_refuses_settings_it_would_ignore(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    run(["generate", "--model", str(tiny_diffusion), "--seed", "1", "--steps", "1", "--out", str(tmp_path / "a")], capsys)
    (painting,) = (tmp_path / "a").glob("*.png")
    code, _, err = run(["generate", "--from", str(painting), "--seed", "2", "--count", "3", "--seal", "--out", str(tmp_path / "b")], capsys)
    assert code == 1 and "drop --seed, --count, --seal" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(["generate", "--model", str(tiny_diffusion), "--count", "2", "--name", "same", "--out", str(tmp_path / "c")], capsys)
    assert code == 1 and "has no {seed}" in err
    assert not list((tmp_path / "c").glob("*.png"))


@pytest.mark.parametrize("factor", [2, 4])
def test_upscale_sizes_and_lanczos(tiny_diffusion: Path, tmp_path: Path, capsys, factor: int) -> None:  # type: ignore[no-untyped-def]
    base_dir, up_dir = tmp_path / "base", tmp_path / f"x{factor}"
    run(["generate", "--model", str(tiny_diffusion), "--seed", "2", "--steps", "2", "--out", str(base_dir)], capsys)
    code, _, err = run(["generate", "--model", str(tiny_diffusion), "--seed", "2", "--steps", "2", "--upscale", str(factor),
                        "--upscale-method", "lanczos", "--out", str(up_dir)], capsys)
    assert code == 0, err
    (base,) = base_dir.glob("*.png")
    (up,) = up_dir.glob("*.png")
    with Image.open(base) as b, Image.open(up) as u:
        assert u.size == (16 * factor, 16 * factor)
        assert np.array_equal(np.asarray(u), np.asarray(b.resize(u.size, Image.LANCZOS)))
    meta = read_png_meta(up)
    assert meta["export"]["upscale"] == factor and meta["size"] == 16


def test_framing_sizes_and_seal(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    common = ["--model", str(tiny_diffusion), "--seed", "9", "--steps", "2", "--upscale", "4", "--upscale-method", "lanczos"]
    shots = {}
    for label, extra in {"bare": [], "paper": ["--frame", "paper"], "scroll": ["--frame", "scroll"], "seal": ["--seal"],
                         "scroll-seal": ["--frame", "scroll", "--seal"]}.items():
        code, _, err = run(["generate", *common, *extra, "--out", str(tmp_path / label)], capsys)
        assert code == 0, err
        (shots[label],) = (tmp_path / label).glob("*.png")
    bare = pixels(shots["bare"])
    assert bare.shape[:2] == (64, 64)
    paper = pixels(shots["paper"])
    m = framing.paper_margin((64, 64))
    assert paper.shape[:2] == framing.finished_size((16, 16), upscale_by=4, frame="paper")[::-1] == (64 + 2 * m,) * 2
    assert np.array_equal(paper[m : m + 64, m : m + 64], bare)  # the painting sits untouched inside the margin
    border = np.concatenate([paper[:m].reshape(-1, 3), paper[-m:].reshape(-1, 3)])
    assert border.mean(axis=0)[0] > 200 and border.std() > 0.5  # warm, textured paper, not a flat fill
    scroll = pixels(shots["scroll"])
    w, h = framing.scroll_size((64, 64))
    assert scroll.shape[:2] == (h, w) and h > w > 64  # a hanging scroll is taller than wide
    sealed = pixels(shots["seal"])
    diff = np.abs(sealed.astype(int) - bare.astype(int)).sum(axis=2) > 0
    ys, xs = np.nonzero(diff)
    assert diff.sum() > 20 and ys.min() >= 32 and xs.min() >= 32  # the seal is pressed in the lower right only
    assert (sealed[diff][:, 0] >= sealed[diff][:, 2]).mean() > 0.8  # and it is red
    assert pixels(shots["scroll-seal"]).shape == scroll.shape
    assert read_png_meta(shots["scroll-seal"])["export"] == {"upscale": 4, "frame": "scroll", "seal": True, "upscale_method": "lanczos"}


def test_a_painting_named_like_the_contact_sheet_is_refused(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from conftest import run

    out = tmp_path / "s"
    code, _, err = run(["generate", "--model", str(tiny_diffusion), "--seed", "1", "--steps", "2", "--name", "contact-sheet",
                        "--sheet", "--out", str(out)], capsys)
    assert code == 1 and "contact sheet" in err and not any(out.glob("*"))  # nothing painted
    code, _, _ = run(["generate", "--model", str(tiny_diffusion), "--seed", "1", "--steps", "2", "--name", "contact-sheet",
                      "--out", str(out)], capsys)
    assert code == 0 and (out / "contact-sheet.png").is_file()  # without --sheet the name is free
