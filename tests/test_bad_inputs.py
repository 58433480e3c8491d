"""The bad-input corpus (tests/data/bad, made by tests/data/make_bad_inputs.py) against the CLI.

Every bad checkpoint, folder and image gives one clear line and exit 1; pickled code never runs;
valid-but-odd images are converted and painted on; unwritable, full or existing output paths fail
cleanly; and nothing already in an output folder is lost.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run
from PIL import Image

from studio.engine.pngmeta import read_png_meta, save_png, sweep_stale_parts
from studio.errors import StudioError

CORPUS = Path(__file__).resolve().parent / "data" / "bad"
SENTINEL_ENV = "INKSTUDIO_TEST_SENTINEL"  # the corpus's malicious pickles write this file if they ever run

# an unknown saved scheduler class is not an error: --sampler picks the scheduler, the saved one is only a hint
TOLERATED = {"metadata-scheduler-unknown-class.safetensors", "pipeline-scheduler-unknown"}
BAD_CHECKPOINTS = sorted(p for p in (CORPUS / "checkpoints").iterdir() if p.name not in TOLERATED)
BAD_FOLDERS = sorted(p for p in (CORPUS / "folders").iterdir() if p.name not in TOLERATED)
BAD_IMAGES = sorted((CORPUS / "images").iterdir())
ODD_IMAGES = sorted((CORPUS / "odd").iterdir())
ODD_MASKS = sorted(p for p in (CORPUS / "masks").iterdir() if p.name != "mask-all-black.png")
MASK = CORPUS / "masks" / "mask.png"


@pytest.fixture(autouse=True)
def sentinel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Armed for every test: if any corpus pickle ever ran, this file would exist afterwards."""
    path = tmp_path / "PICKLED-CODE-RAN"
    monkeypatch.setenv(SENTINEL_ENV, str(path))
    yield path
    assert not path.exists(), "a pickled checkpoint ran code"


def one_error_line(err: str) -> str:
    """The single message line of a failed command (a progress bar may precede it); no traceback."""
    assert "Traceback" not in err, err
    lines = [line for line in err.replace("\r", "\n").splitlines() if line.startswith("inkstudio:")]
    assert len(lines) == 1, err
    assert lines[0].startswith("inkstudio: error: "), lines[0]
    return lines[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------ the corpus itself


def test_corpus_is_small_and_has_every_kind_of_bad_input() -> None:
    files = [p for p in CORPUS.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 2 * 1024 * 1024
    names = {p.name for p in files}
    for suffix in (".safetensors", ".pt", ".pth", ".ckpt"):
        assert {f"zero{suffix}", f"random{suffix}"} <= names
        assert (CORPUS / "checkpoints" / f"zero{suffix}").stat().st_size == 0
    assert {
        "runs-code.pt",
        "runs-code.pth",
        "runs-code.ckpt",
        "truncated.safetensors",
        "wrong-shapes.safetensors",
        "missing-keys.safetensors",
        "huge-50000x50000.png",
        "cmyk.jpg",
        "gray16.png",
        "rgba.png",
        "palette.png",
        "one-by-one.png",
    } <= names
    bomb = (CORPUS / "images" / "huge-50000x50000.png").read_bytes()
    assert struct.unpack(">II", bomb[16:24]) == (50_000, 50_000)  # what its IHDR claims
    with pytest.raises(Image.DecompressionBombError):
        Image.open(CORPUS / "images" / "huge-50000x50000.png")
    assert (CORPUS / "images" / "huge-50000x50000.png").stat().st_size < 1024
    with Image.open(CORPUS / "odd" / "cmyk.jpg") as im:
        assert im.mode == "CMYK"
    with Image.open(CORPUS / "odd" / "gray16.png") as im:
        assert im.mode.startswith("I")


def test_the_malicious_pickles_really_run_code_when_unpickled_carelessly(tmp_path: Path) -> None:
    """Proof the corpus is dangerous: plain pickle / torch.load(weights_only=False) run it (in a child process)."""
    script = (
        "import os, pickle, sys, torch\n"
        "for name, out in zip(sys.argv[1::2], sys.argv[2::2]):\n"
        "    os.environ['INKSTUDIO_TEST_SENTINEL'] = out\n"
        "    if name.endswith('.ckpt'):\n"
        "        pickle.load(open(name, 'rb'))\n"
        "    elif name.endswith('.npy'):\n"
        "        import numpy; numpy.load(name, allow_pickle=True)\n"
        "    else:\n"
        "        torch.load(name, weights_only=False)\n"
    )
    evil = [CORPUS / "checkpoints" / n for n in ("runs-code.pt", "runs-code.pth", "runs-code.ckpt")] + [
        CORPUS / "noise" / "runs-code.npy"
    ]
    args = []
    for path in evil:
        args += [str(path), str(tmp_path / f"ran-{path.name}")]
    proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for path in evil:
        assert (tmp_path / f"ran-{path.name}").read_text() == "pickled code ran"


# ------------------------------------------------------------------------ checkpoints and folders


@pytest.mark.parametrize("path", BAD_CHECKPOINTS + BAD_FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_bad_checkpoint_is_one_clear_line_and_exit_1(path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out_dir = tmp_path / "out"
    code, out, err = run(["generate", "--model", str(path), "--steps", "2", "--seed", "1", "--out", str(out_dir)], capsys)
    assert code == 1, (out, err)
    line = one_error_line(err)
    assert path.name in line, line  # says which file (or a file inside the folder) is at fault
    assert "unexpected error" not in line
    assert not list(out_dir.glob("*.png")) and not list(out_dir.glob(".*"))


@pytest.mark.parametrize("name", sorted(TOLERATED))
def test_unknown_saved_scheduler_class_still_paints(name: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = next(p for p in (CORPUS / "checkpoints", CORPUS / "folders") if (p / name).exists()) / name
    code, _, err = run(["generate", "--model", str(path), "--steps", "1", "--seed", "1", "--out", str(tmp_path)], capsys)
    assert code == 0, err
    (png,) = tmp_path.glob("*.png")
    assert read_png_meta(png)["sampler"] == "dpm++"


needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")


def _loops(tmp_path: Path) -> dict[str, Path]:
    """Things git cannot hold: an empty folder and symlink loops (made at test time)."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "self.safetensors").symlink_to(tmp_path / "self.safetensors")
    (tmp_path / "ping.pt").symlink_to(tmp_path / "pong.pt")
    (tmp_path / "pong.pt").symlink_to(tmp_path / "ping.pt")
    cyclic = tmp_path / "cyclic"
    cyclic.mkdir()
    (cyclic / "again").symlink_to(cyclic, target_is_directory=True)  # a folder that contains itself
    (cyclic / "config.json").symlink_to(cyclic / "config.json")  # and a config that is a loop
    dangling = tmp_path / "dangling"
    dangling.mkdir()
    (dangling / "model_index.json").symlink_to(tmp_path / "nowhere.json")
    (dangling / "again").symlink_to(dangling, target_is_directory=True)
    return {
        "empty folder": tmp_path / "empty",
        "self loop": tmp_path / "self.safetensors",
        "two-link loop": tmp_path / "ping.pt",
        "folder containing itself": cyclic,
        "dangling index": dangling,
    }


@needs_symlinks
def test_empty_folders_and_symlink_loops_as_models(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    for label, path in _loops(tmp_path).items():
        code, _, err = run(["generate", "--model", str(path), "--out", str(tmp_path / "out")], capsys)
        assert code == 1, label
        line = one_error_line(err)
        assert path.name in line and "unexpected" not in line, (label, line)
    assert "loops or leads nowhere" in one_error_line(
        run(["generate", "--model", str(tmp_path / "ping.pt"), "--out", str(tmp_path / "out")], capsys)[2]
    )


@needs_symlinks
def test_catalog_skips_loops_and_junk_in_the_models_folder(
    private_user_dirs: Path, bundled_dir: Path, tiny_gan: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    models = private_user_dirs / "data" / "models"
    models.mkdir(parents=True)
    _loops(models)
    (models / "truncated.safetensors").write_bytes((CORPUS / "checkpoints" / "truncated.safetensors").read_bytes())
    (models / "good.safetensors").write_bytes(tiny_gan.read_bytes())
    code, out, err = run(["models", "--json"], capsys)
    assert code == 0
    assert [r["id"] for r in json.loads(out)] == ["good"]
    assert "truncated.safetensors" in err and "Traceback" not in err


def test_bad_checkpoints_in_a_real_process(tmp_path: Path) -> None:
    for name, says in (
        ("runs-code.pt", "refused: the file asks to run Python code"),
        ("truncated.safetensors", "not a readable safetensors"),
    ):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "studio",
                "generate",
                "--model",
                str(CORPUS / "checkpoints" / name),
                "--out",
                str(tmp_path / "o"),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            env={**os.environ, "OMP_NUM_THREADS": "1"},
        )
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(f"inkstudio: error: {CORPUS / 'checkpoints' / name}")
        assert says in proc.stderr and proc.stdout == ""


# ------------------------------------------------------------------------ images


@pytest.mark.parametrize("path", BAD_IMAGES, ids=lambda p: p.name)
def test_every_bad_image_is_one_line_and_exit_1(path: Path, tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out_dir = tmp_path / "out"
    base = ["inpaint", "--model", str(tiny_diffusion), "--steps", "2", "--seed", "1", "--out", str(out_dir)]
    code, _, err = run([*base, "--image", str(path), "--mask", str(MASK)], capsys)
    assert code == 1 and path.name in one_error_line(err)
    code, _, err = run([*base, "--image", str(CORPUS / "odd" / "rgba.png"), "--mask", str(path)], capsys)
    line = one_error_line(err)
    assert code == 1
    # a mask over the size limit is shrunk, not refused: this one is then all black, which is its own error
    assert path.name in line or (path.name.startswith("wide-") and "mask is empty" in line), line
    code, _, err = run(["info", str(path)], capsys)
    assert code == 1 and path.name in one_error_line(err)
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_huge_image_is_refused_without_decoding(tmp_path: Path) -> None:
    """The 50000x50000 header is refused before any pixel is decoded (it would need 2.5 GB)."""
    from studio.engine.images import load_image_rgb

    resource = pytest.importorskip("resource")  # POSIX

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for downscale in (False, True):
        with pytest.raises(StudioError, match="too many pixels|over the 8,000 px"):
            load_image_rgb(CORPUS / "images" / "huge-50000x50000.png", downscale=downscale)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KB: far below 2.5 GB


@pytest.mark.parametrize("path", ODD_IMAGES, ids=lambda p: p.name)
def test_odd_images_are_converted_and_painted_on(path: Path, tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    mask = CORPUS / "masks" / ("mask-1x1-white.png" if path.name == "one-by-one.png" else "mask.png")
    code, out, err = run(
        [
            "inpaint",
            "--model",
            str(tiny_diffusion),
            "--image",
            str(path),
            "--mask",
            str(mask),
            "--steps",
            "2",
            "--seed",
            "3",
            "--out",
            str(tmp_path / "out"),
        ],
        capsys,
    )
    assert code == 0, err
    assert "Traceback" not in err and "error" not in err
    (written,) = (tmp_path / "out").glob("*.png")
    with Image.open(path) as src:
        from PIL import ImageOps

        expected = ImageOps.exif_transpose(src).size
        mode = src.mode
    with Image.open(written) as im:
        assert im.mode == "RGB" and im.size == expected
    meta = read_png_meta(written)
    assert meta["seed"] == 3
    if mode not in ("RGB",):
        assert f"inkstudio: notice: {path.name}" in err  # the conversion is said, once per change
    assert err.count("RGB image converted to RGB") == 0


@pytest.mark.parametrize("mask", ODD_MASKS, ids=lambda p: p.name)
def test_odd_masks_work(mask: Path, tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(
        [
            "inpaint",
            "--model",
            str(tiny_diffusion),
            "--image",
            str(CORPUS / "odd" / "cmyk.jpg"),
            "--mask",
            str(mask),
            "--steps",
            "2",
            "--seed",
            "3",
            "--out",
            str(tmp_path / "out"),
        ],
        capsys,
    )
    assert code == 0, err
    (written,) = (tmp_path / "out").glob("*.png")
    assert read_png_meta(written)["method"] == "blend"


def test_all_black_mask_is_nothing_to_do(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(
        [
            "inpaint",
            "--model",
            str(tiny_diffusion),
            "--image",
            str(CORPUS / "odd" / "rgba.png"),
            "--mask",
            str(CORPUS / "masks" / "mask-all-black.png"),
            "--out",
            str(tmp_path / "out"),
        ],
        capsys,
    )
    assert code == 1 and "nothing to repaint" in one_error_line(err)


# ------------------------------------------------------------------------ output paths


def test_output_under_a_regular_file_is_unwritable(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    cases = {
        "generate": ["generate", "--model", str(tiny_diffusion), "--steps", "1", "--out", str(afile / "sub")],
        "inpaint": [
            "inpaint",
            "--model",
            str(tiny_diffusion),
            "--image",
            str(CORPUS / "odd" / "rgba.png"),
            "--mask",
            str(MASK),
            "--steps",
            "1",
            "--out",
            str(afile / "sub"),
        ],
        "walk": [
            "walk",
            "--model",
            str(tiny_diffusion),
            "--seeds",
            "1,2",
            "--frames",
            "2",
            "--steps",
            "1",
            "--out",
            str(afile / "w.gif"),
        ],
        "inpaint /proc": [
            "inpaint",
            "--model",
            str(tiny_diffusion),
            "--image",
            str(CORPUS / "odd" / "rgba.png"),
            "--mask",
            str(MASK),
            "--out",
            "/proc/inkstudio-out",
        ],
    }
    for label, args in cases.items():
        code, _, err = run(args, capsys)
        assert code == 1, label
        line = one_error_line(err)
        assert "cannot" in line or "does not exist" in line or "not a folder" in line, (label, line)
    assert afile.read_text() == "keep me"


def test_output_that_is_an_existing_file(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    afile = tmp_path / "painting.png"
    afile.write_bytes(b"precious")
    for args in (
        ["generate", "--model", str(tiny_diffusion)],
        ["inpaint", "--model", str(tiny_diffusion), "--image", str(CORPUS / "odd" / "rgba.png"), "--mask", str(MASK)],
    ):
        code, _, err = run([*args, "--steps", "1", "--out", str(afile)], capsys)
        assert code == 1 and "not a folder" in one_error_line(err)
    frames = tmp_path / "frames"
    frames.mkdir()
    (frames / "mine.txt").write_text("mine")
    code, _, err = run(
        ["walk", "--model", str(tiny_diffusion), "--seeds", "1,2", "--frames", "2", "--steps", "1", "--out", str(frames)], capsys
    )
    assert code == 1 and "not empty" in one_error_line(err)
    assert afile.read_bytes() == b"precious" and (frames / "mine.txt").read_text() == "mine"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        code, _, err = run(
            [
                "inpaint",
                "--model",
                str(tiny_diffusion),
                "--image",
                str(CORPUS / "odd" / "rgba.png"),
                "--mask",
                str(MASK),
                "--out",
                str(ro),
            ],
            capsys,
        )
        assert code == 1 and "not writable" in one_error_line(err)
    finally:
        ro.chmod(0o700)


def _fill_disk_at(path: Path) -> None:
    """Make the writer's temporary name for ``path`` lead to /dev/full: every write there fails with ENOSPC."""
    from studio.engine.pngmeta import atomic_target

    atomic_target(path).symlink_to("/dev/full")


needs_dev_full = pytest.mark.skipif(not os.access("/dev/full", os.W_OK), reason="no /dev/full")


@needs_dev_full
def test_full_disk_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    from studio.engine.export import _write_json_atomic
    from studio.engine.pngmeta import atomic_target

    target = tmp_path / "painting.png"
    save_png(Image.new("RGB", (8, 8), (10, 20, 30)), {"seed": 1}, target)
    before = target.read_bytes()
    _fill_disk_at(target)
    with pytest.raises(StudioError, match="No space left on device"):
        save_png(Image.new("RGB", (64, 64), (200, 0, 0)), {"seed": 2}, target)
    assert target.read_bytes() == before and read_png_meta(target) == {"seed": 1}
    assert not atomic_target(target).is_symlink()  # the temporary name is cleaned up

    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"old": true}')
    _fill_disk_at(manifest)
    with pytest.raises(StudioError, match="No space left on device"):
        _write_json_atomic(manifest, {"new": list(range(10_000))})
    assert json.loads(manifest.read_text()) == {"old": True}
    assert not atomic_target(manifest).exists()


@needs_dev_full
def test_full_disk_animation_export_keeps_the_old_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uuid

    from studio.engine import animation

    frames = [Image.new("RGB", (16, 16), (i * 20, 0, 0)) for i in range(6)]
    out = tmp_path / "walk.gif"
    animation.export_animation(frames[:3], out, fps=6)
    before = out.read_bytes()
    fixed = uuid.UUID(int=0xABCDEF12 << 96)  # the export's temporary name becomes predictable
    monkeypatch.setattr(animation.uuid, "uuid4", lambda: fixed)
    (tmp_path / f".walk.{fixed.hex[:8]}.part.gif").symlink_to("/dev/full")
    with pytest.raises(StudioError, match="No space left on device"):
        animation.export_animation(frames, out, fps=6)
    assert out.read_bytes() == before and animation.read_frame_count(out) == (3, (16, 16))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["walk.gif"]


@needs_dev_full
def test_full_disk_mid_series_keeps_what_was_made(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out_dir = tmp_path / "series"
    args = ["generate", "--model", str(tiny_diffusion), "--steps", "2", "--batch", "1", "--out", str(out_dir)]
    assert run([*args, "--seed", "1", "--count", "2"], capsys)[0] == 0
    old = snapshot(out_dir)
    _fill_disk_at(out_dir / "tiny-diffusion-light-0000000011.png")  # the second painting of the next run
    code, _, err = run([*args, "--seed", "10", "--count", "3"], capsys)
    assert code == 1 and "No space left on device" in one_error_line(err)
    for name, data in old.items():
        if name != "manifest.json":
            assert (out_dir / name).read_bytes() == data
    manifest = json.loads((out_dir / "manifest.json").read_text())
    listed = [e["file"] for e in manifest["paintings"]]
    assert listed == [
        "tiny-diffusion-light-0000000001.png",
        "tiny-diffusion-light-0000000002.png",
        "tiny-diffusion-light-0000000010.png",
    ]
    assert manifest["complete"] is False
    for name in listed:
        assert read_png_meta(out_dir / name)["model"] == "tiny-diffusion"
    assert sorted(p.name for p in out_dir.iterdir() if p.name.startswith(".")) == []


def test_failed_runs_leave_an_existing_folder_unchanged(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out_dir = tmp_path / "gallery"
    assert (
        run(
            [
                "generate",
                "--model",
                str(tiny_diffusion),
                "--steps",
                "2",
                "--seed",
                "5",
                "--count",
                "2",
                "--sheet",
                "--out",
                str(out_dir),
            ],
            capsys,
        )[0]
        == 0
    )
    before = snapshot(out_dir)
    assert {"manifest.json", "contact-sheet.png"} <= set(before) and len(before) == 4
    failing = [
        ["generate", "--model", str(CORPUS / "checkpoints" / "wrong-shapes.safetensors")],
        ["generate", "--model", str(CORPUS / "folders" / "pipeline-scheduler-wrong-types"), "--steps", "2"],
        ["generate", "--model", str(tiny_diffusion), "--style", "no-such-style"],
        ["generate", "--model", str(tiny_diffusion), "--count", "2", "--name", "fixed"],
        ["inpaint", "--model", str(tiny_diffusion), "--image", str(CORPUS / "images" / "truncated.png"), "--mask", str(MASK)],
        [
            "inpaint",
            "--model",
            str(CORPUS / "checkpoints" / "runs-code.pth"),
            "--image",
            str(CORPUS / "odd" / "cmyk.jpg"),
            "--mask",
            str(MASK),
        ],
    ]
    for args in failing:
        code, _, err = run([*args, "--out", str(out_dir)], capsys)
        assert code == 1, args
        one_error_line(err)
        assert snapshot(out_dir) == before, args


# ------------------------------------------------------------------------ leftovers of killed runs


def _age(path: Path, seconds: float = 3600) -> None:
    st = path.lstat()
    os.utime(path, (st.st_atime - seconds, st.st_mtime - seconds), follow_symlinks=False)


def test_stale_part_files_are_swept_by_the_next_run(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    stale = [out_dir / ".tiny-diffusion-light-0000000001.png.part", out_dir / ".manifest.json.part"]
    for p in stale:
        p.write_bytes(b"half a file")  # what SIGKILL leaves behind
        _age(p)
    fresh = out_dir / ".other-run-0000000001.png.part"  # another writer may be at work on this one
    fresh.write_bytes(b"being written")
    foreign = [out_dir / ".notes.part", out_dir / ".cache.part.txt", out_dir / "visible.png.part", out_dir / ".hidden"]
    for p in foreign:
        p.write_text("not ours")
        _age(p)
    code, _, err = run(["generate", "--model", str(tiny_diffusion), "--steps", "2", "--seed", "1", "--out", str(out_dir)], capsys)
    assert code == 0, err
    assert not any(p.exists() for p in stale)
    assert fresh.exists() and all(p.read_text() == "not ours" for p in foreign)
    assert read_png_meta(out_dir / "tiny-diffusion-light-0000000001.png")["seed"] == 1


def test_sweep_removes_stale_part_folders_and_only_matching_names(tmp_path: Path) -> None:
    from studio.engine import animation

    frames = [Image.new("RGB", (8, 8), (i * 40, 0, 0)) for i in range(3)]
    mine = tmp_path / ".walk.1a2b3c4d.part.mp4"
    theirs = tmp_path / ".other.1a2b3c4d.part.mp4"
    folder_part = tmp_path / ".frames.0badc0de.part"
    folder_part.mkdir()
    (folder_part / "frame-00000.png").write_bytes(b"x")
    for p in (mine, theirs):
        p.write_bytes(b"half a video")
    for p in (mine, theirs, folder_part):
        _age(p)
    animation.export_animation(frames, tmp_path / "walk.gif", fps=4)  # another suffix: no business with .mp4 parts
    assert mine.exists()
    animation.export_animation(frames, tmp_path / "walk.mp4", fps=4)
    assert not mine.exists() and theirs.exists() and folder_part.exists()
    animation.export_animation(frames, tmp_path / "frames", fps=4)
    assert not folder_part.exists() and animation.read_frame_count(tmp_path / "frames") == (3, (8, 8))
    assert sweep_stale_parts(tmp_path, [".other.*.part.mp4"], older_than=0) == [theirs]


# ------------------------------------------------------------------------ walk keyframes


BAD_NOISE = sorted((CORPUS / "noise").iterdir())


@pytest.mark.parametrize("path", BAD_NOISE + [CORPUS / "images" / "truncated.png"], ids=lambda p: p.name)
def test_bad_stored_noise_keyframes_are_one_line(path: Path, tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "walk.gif"
    code, _, err = run(
        ["walk", "--model", str(tiny_diffusion), "--seeds", f"1,{path}", "--frames", "2", "--steps", "1", "--out", str(out)],
        capsys,
    )
    assert code == 1
    line = one_error_line(err)
    assert path.name in line or "stored noise" in line, line
    assert not out.exists() and list(tmp_path.glob(".*")) == []


def test_bad_name_templates_are_one_line(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out_dir = tmp_path / "out"
    for template in ("{nope}-{seed}", "{seed.real}", "{0}", "{seed!x}", "{seed", "x" * 300 + "-{seed}"):
        code, _, err = run(
            ["generate", "--model", str(tiny_diffusion), "--steps", "1", "--seed", "1", "--name", template, "--out", str(out_dir)], capsys
        )
        line = one_error_line(err)
        assert code == 1 and ("bad name template" in line or "File name too long" in line), (template, line)
    assert not out_dir.exists()  # nothing written, and the folder these failed runs made is gone again
    # separators in a template cannot lead outside the folder
    code, _, err = run(
        ["generate", "--model", str(tiny_diffusion), "--steps", "1", "--seed", "1", "--name", "../up-{seed}", "--out", str(out_dir)],
        capsys,
    )
    assert code == 0, err
    assert [p.name for p in out_dir.glob("*.png")] == [".._up-0000000001.png"] and not list(tmp_path.glob("up-*"))


def test_output_names_too_long_to_exist(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    long = tmp_path / ("x" * 300)
    cases = [
        ["generate", "--model", str(tiny_diffusion), "--steps", "1", "--out", str(long)],
        ["inpaint", "--model", str(tiny_diffusion), "--image", str(CORPUS / "odd" / "rgba.png"), "--mask", str(MASK), "--out", str(long)],
        ["walk", "--model", str(tiny_diffusion), "--seeds", "1,2", "--frames", "2", "--steps", "1", "--out", f"{long}.gif"],
        ["walk", "--model", str(tiny_diffusion), "--seeds", "1,2", "--frames", "2", "--steps", "1", "--out", str(long)],
    ]
    for args in cases:
        code, _, err = run(args, capsys)
        assert code == 1 and "File name too long" in one_error_line(err), args
    assert list(tmp_path.iterdir()) == [tiny_diffusion]


def test_input_names_too_long_to_exist(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    long = str(tmp_path / ("q" * 300))
    cases = [
        ["generate", "--model", f"{long}.safetensors", "--out", str(tmp_path / "o")],
        ["inpaint", "--model", str(tiny_diffusion), "--image", f"{long}.png", "--mask", str(MASK), "--out", str(tmp_path / "o")],
        ["inpaint", "--model", str(tiny_diffusion), "--image", str(MASK), "--mask", f"{long}.png", "--out", str(tmp_path / "o")],
        ["walk", "--model", str(tiny_diffusion), "--seeds", f"1,{long}.png", "--out", str(tmp_path / "w.gif")],
        ["generate", "--from", f"{long}.png", "--out", str(tmp_path / "o")],
        ["info", f"{long}.png"],
    ]
    for args in cases:
        code, _, err = run(args, capsys)
        line = one_error_line(err)
        assert code == 1 and "q" * 20 in line and ("too long" in line or "no such file" in line), (args[0], line)


READ_ONLY_FS = Path("/sys/kernel")  # sysfs: no new files, not even for root


@pytest.mark.skipif(not READ_ONLY_FS.is_dir(), reason="needs Linux sysfs")
@pytest.mark.parametrize("command", ["generate", "inpaint", "walk"])
def test_output_on_a_read_only_file_system(command: str, tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The read-only folder case for root too (chmod does not stop root; a read-only file system does)."""
    probe = READ_ONLY_FS / "inkstudio-probe"
    try:
        probe.open("w").close()
        probe.unlink()
        pytest.skip(f"{READ_ONLY_FS} is writable here")
    except OSError:
        pass
    painting = tmp_path / "painting.png"
    Image.new("RGB", (40, 32), (200, 190, 170)).save(painting)  # the size of MASK
    args = {
        "generate": ["generate", "--out", str(READ_ONLY_FS)],
        "inpaint": ["inpaint", "--image", str(painting), "--mask", str(MASK), "--out", str(READ_ONLY_FS)],
        "walk": ["walk", "--seeds", "1,2", "--frames", "2", "--out", str(READ_ONLY_FS / "walk.gif")],
    }[command]
    code, _, err = run([*args, "--model", str(tiny_diffusion), "--steps", "1"], capsys)
    line = one_error_line(err)
    assert code == 1 and str(READ_ONLY_FS) in line and ("Permission denied" in line or "not writable" in line), line
