"""Killing ``inkstudio generate / walk / inpaint`` (Ctrl-C or SIGKILL) at a few points leaves no partial
file under a final name, and a re-run into the same folder works (and sweeps what a killed run left).

Each case starts ``python -m studio`` on a tiny model, waits for a given point (painting begun, files
written, export under way), sends the signal and inspects the folder.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from studio.cli import main
from studio.engine.animation import read_frame_count
from studio.engine.pngmeta import read_png_meta

CORPUS = Path(__file__).resolve().parent / "data" / "bad"
MASK = CORPUS / "masks" / "mask.png"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def start(args: list[str], log: Path) -> subprocess.Popen:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}
    with open(log, "w") as err:
        return subprocess.Popen([sys.executable, "-m", "studio", *args], stdout=subprocess.DEVNULL, stderr=err, env=env)


def kill_when(proc: subprocess.Popen, ready: Callable[[], bool], sig: int, log: Path, timeout: float = 180) -> int:
    """Wait until ``ready()`` (the process must still be running), send ``sig``, return the exit code."""
    try:
        deadline = time.monotonic() + timeout
        while not ready():
            assert proc.poll() is None, f"finished before the kill point: {log.read_text()[-2000:]}"
            assert time.monotonic() < deadline, "kill point never reached"
            time.sleep(0.01)
        proc.send_signal(sig)
        return proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def painting_started(log: Path) -> Callable[[], bool]:
    return lambda: "step/s" in log.read_text() or "s/step" in log.read_text()


def finals(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def assert_only_complete_paintings(folder: Path) -> list[Path]:
    """Every visible file is a complete PNG carrying its settings, or a valid manifest listing only such PNGs."""
    pngs = []
    for p in finals(folder):
        if p.name == "manifest.json":
            manifest = json.loads(p.read_text(encoding="utf-8"))
            assert all((folder / e["file"]).is_file() for e in manifest["paintings"])
            continue
        assert p.suffix == ".png", p
        with Image.open(p) as im:
            im.load()  # the whole file decodes
        assert isinstance(read_png_meta(p)["seed"], int)
        pngs.append(p)
    return pngs


def wait_still(path_glob: Callable[[], list[Path]], quiet: float = 1.0, timeout: float = 30) -> None:
    """Wait until files matching stop changing (an orphaned ffmpeg may still be finishing a .part file)."""
    last, since, deadline = None, time.monotonic(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = [(p.name, p.stat().st_size) for p in path_glob() if p.exists()]
        if state != last:
            last, since = state, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.1)


def age_hidden(folder: Path, seconds: float = 3600) -> None:
    for p in folder.iterdir():
        if p.name.startswith("."):
            st = p.lstat()
            os.utime(p, (st.st_atime - seconds, st.st_mtime - seconds), follow_symlinks=False)


# ------------------------------------------------------------------------ generate


# long enough that a loaded machine (CI beside other jobs) cannot finish it before the signal lands
GEN_COUNT = 600
GEN_SLOW = ["--steps", "3", "--batch", "1", "--seed", "100", "--count", str(GEN_COUNT)]


def test_generate_ctrl_c_mid_series_keeps_finished_paintings(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out, log = tmp_path / "series", tmp_path / "err.txt"
    proc = start(["generate", "--model", str(tiny_diffusion), *GEN_SLOW, "--out", str(out)], log)
    code = kill_when(proc, lambda: len(list(out.glob("*.png"))) >= 1, signal.SIGINT, log)
    assert code == 130 and "interrupted" in log.read_text() and "Traceback" not in log.read_text()
    pngs = assert_only_complete_paintings(out)
    assert 1 <= len(pngs) < GEN_COUNT
    assert hidden(out) == []  # Ctrl-C unwinds: the temporary file of the painting under way is removed
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] is False and sorted(e["file"] for e in manifest["paintings"]) == [p.name for p in pngs]
    # the same command again (fewer paintings) completes into the same folder
    code = main(
        [
            "generate",
            "--model",
            str(tiny_diffusion),
            "--steps",
            "3",
            "--batch",
            "1",
            "--seed",
            "100",
            "--count",
            "2",
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] is True and len(manifest["paintings"]) == len(pngs) + (2 - min(2, len(pngs)))


def test_generate_sigterm_unwinds_like_ctrl_c(tiny_diffusion: Path, tmp_path: Path) -> None:
    out, log = tmp_path / "series", tmp_path / "err.txt"
    proc = start(["generate", "--model", str(tiny_diffusion), *GEN_SLOW, "--out", str(out)], log)
    code = kill_when(proc, lambda: len(list(out.glob("*.png"))) >= 1, signal.SIGTERM, log)
    assert code == 130 and "interrupted" in log.read_text() and "Traceback" not in log.read_text()
    assert len(assert_only_complete_paintings(out)) >= 1 and hidden(out) == []


@pytest.mark.parametrize("point", ["painting begun", "two paintings written"])
def test_generate_sigkill_leaves_no_partial_file_and_a_rerun_sweeps(
    point: str, tiny_diffusion: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    out, log = tmp_path / "series", tmp_path / "err.txt"
    proc = start(["generate", "--model", str(tiny_diffusion), *GEN_SLOW, "--out", str(out)], log)
    ready = painting_started(log) if point == "painting begun" else (lambda: len(list(out.glob("*.png"))) >= 2)
    assert kill_when(proc, ready, signal.SIGKILL, log) == -signal.SIGKILL
    pngs = assert_only_complete_paintings(out)
    assert len(pngs) < GEN_COUNT and (point == "painting begun" or len(pngs) >= 2)
    assert all(name.endswith(".part") for name in hidden(out))  # only our temporary names can be left
    # a leftover .part as SIGKILL can leave it (mid-write), old enough to be known stale
    (out / ".tiny-diffusion-light-0000000150.png.part").write_bytes(b"\x89PNG\r\n\x1a\n half")
    age_hidden(out)
    code = main(
        [
            "generate",
            "--model",
            str(tiny_diffusion),
            "--steps",
            "3",
            "--batch",
            "1",
            "--seed",
            "100",
            "--count",
            "3",
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert hidden(out) == []
    after = assert_only_complete_paintings(out)
    assert {p.name for p in pngs} <= {p.name for p in after} and len(after) >= 3
    assert json.loads((out / "manifest.json").read_text())["complete"] is True


# ------------------------------------------------------------------------ walk


WALK = ["--seeds", "1,2", "--frames", "150", "--steps", "1", "--batch", "16", "--upscale", "4"]


def test_walk_ctrl_c_while_painting_writes_nothing(tiny_diffusion: Path, tmp_path: Path) -> None:
    out, log = tmp_path / "anim", tmp_path / "err.txt"
    out.mkdir()
    proc = start(["walk", "--model", str(tiny_diffusion), *WALK, "--steps", "20", "--out", str(out / "walk.gif")], log)
    code = kill_when(proc, painting_started(log), signal.SIGINT, log)
    assert code == 130 and "Traceback" not in log.read_text()
    assert list(out.iterdir()) == []


def test_walk_sigkill_during_export_leaves_the_file_absent_or_complete(tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out, log = tmp_path / "anim", tmp_path / "err.txt"
    out.mkdir()
    target = out / "walk.mp4"
    proc = start(["walk", "--model", str(tiny_diffusion), *WALK, "--out", str(target)], log)
    parts = lambda: list(out.glob(".walk.*.part.mp4"))  # noqa: E731
    code = kill_when(proc, lambda: bool(parts()) or target.exists(), signal.SIGKILL, log)
    assert code == -signal.SIGKILL
    wait_still(parts)
    if target.exists():  # the export won the race: then it is whole
        assert read_frame_count(target) == (151, (64, 64))
    assert [p.name for p in finals(out)] in ([], ["walk.mp4"])
    assert all(p.name.startswith(".walk.") and p.name.endswith(".part.mp4") for p in out.iterdir() if p.name.startswith("."))
    age_hidden(out)
    code = main(["walk", "--model", str(tiny_diffusion), "--seeds", "1,2", "--frames", "3", "--steps", "1", "--out", str(target)])
    assert code == 0, capsys.readouterr().err
    assert read_frame_count(target) == (4, (16, 16))
    assert hidden(out) == []


# ------------------------------------------------------------------------ inpaint


INPAINT = ["--image", str(CORPUS / "odd" / "rgba.png"), "--mask", str(MASK), "--steps", "3", "--batch", "1", "--seed", "7"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "sigkill"])
def test_inpaint_killed_after_a_candidate(sig: int, tiny_diffusion: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out, log = tmp_path / "fixed", tmp_path / "err.txt"
    proc = start(["inpaint", "--model", str(tiny_diffusion), *INPAINT, "--count", "60", "--out", str(out)], log)
    code = kill_when(proc, lambda: len(list(out.glob("*.png"))) >= 1, sig, log)
    assert code == (130 if sig == signal.SIGINT else -signal.SIGKILL)
    pngs = assert_only_complete_paintings(out)
    assert 1 <= len(pngs) < 60 and all(read_png_meta(p)["method"] == "blend" for p in pngs)
    if sig == signal.SIGINT:
        assert hidden(out) == [] and "Traceback" not in log.read_text()
    age_hidden(out)
    code = main(["inpaint", "--model", str(tiny_diffusion), *INPAINT, "--count", "2", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert hidden(out) == [] and len(assert_only_complete_paintings(out)) >= 2
