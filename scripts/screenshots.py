#!/usr/bin/env python
"""Retake the documentation's screenshots from the real window and the bundled models, in English and Chinese.

    python scripts/screenshots.py                 # every scene, both languages, into docs/
    python scripts/screenshots.py --lang zh_CN --scenes paint,inpaint --out /tmp/shots

It starts its own X server (Xvfb, 1280x800), opens the studio's window there with the xcb platform
(the window `inkstudio` opens: create_window, the default model the catalog picks, the xuan-paper
theme) in a fresh data and config folder, drives it through its own widgets from Python (there is no
automation flag; these are the calls a click or a shortcut makes), waits for the painter, and
photographs the whole screen with ImageMagick's `import -window root`. Each PNG is reduced to 256
colours and must stay under 300 KB. Needs Xvfb and ImageMagick; takes a few minutes on a CPU.

Scenes (file names; `-zh` before `.png` for Chinese):
  paint     screenshot.png      eight dark and light paintings in the gallery, one on the canvas
  inpaint   inpaint-mode.png    a painting the bundled model made, a masked area, four candidates
  walk      walk-mode.png       a walk between three seeds, on a frame halfway
  classroom classroom-mode.png  the denoising filmstrip of the default model (gallery hidden, as View → Gallery does)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENES = ("paint", "inpaint", "walk", "classroom")
FILES = {"paint": "screenshot", "inpaint": "inpaint-mode", "walk": "walk-mode", "classroom": "classroom-mode"}
LANGS = ("en", "zh_CN")
SCREEN = (1280, 800)
MAX_BYTES = 300_000
WAIT_S = 600.0
# seeds with many digits, as painters get from the dice: the gallery shows them whole
LIGHT_SEEDS = 844203317
DARK_SEEDS = 3605774052


def shot_path(out: Path, scene: str, lang: str) -> Path:
    return out / (FILES[scene] + ("-zh" if lang != "en" else "") + ".png")


# ---------------------------------------------------------------------------------------------- outside: X server
def free_display() -> int:
    for n in range(91, 140):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    raise SystemExit("no free X display number between :91 and :139")


def run_all(args: argparse.Namespace) -> int:
    for tool in ("Xvfb", "import", "convert"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (apt-get install xvfb imagemagick)")
    n = free_display()
    xvfb = subprocess.Popen(
        ["Xvfb", f":{n}", "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp", "-dpi", "96"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while not Path(f"/tmp/.X11-unix/X{n}").exists():
            if xvfb.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("Xvfb did not start")
            time.sleep(0.1)
        with tempfile.TemporaryDirectory(prefix="inkstudio-shots-") as home:
            env = {
                **os.environ,
                "DISPLAY": f":{n}",
                "QT_QPA_PLATFORM": "xcb",
                "INKSTUDIO_DATA_DIR": str(Path(home) / "data"),
                "INKSTUDIO_CONFIG_DIR": str(Path(home) / "config"),
                "XDG_DATA_HOME": str(Path(home) / "share"),
                # one thread: on a busy machine, spinning OpenMP threads cost far more than they give
                "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"),
            }
            command = [sys.executable, __file__, "--drive", "--lang", ",".join(args.lang), "--out", str(args.out)]
            print(f"{' '.join(args.lang)}: {' '.join(args.scenes)}", flush=True)
            return subprocess.run([*command, "--scenes", ",".join(args.scenes)], env=env, cwd=ROOT).returncode
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def photograph(target: Path) -> None:
    """The whole screen (the window fills it), reduced to 256 colours; checked against the size budget."""
    raw = target.with_name(f".{target.stem}-raw.png")
    subprocess.run(["import", "-window", "root", str(raw)], check=True)
    subprocess.run(["convert", str(raw), "-strip", "-dither", "None", "-colors", "256", f"PNG8:{target}"], check=True)
    raw.unlink()
    size = target.stat().st_size
    print(f"  {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: {size // 1024} KB", flush=True)
    if size > MAX_BYTES:
        raise SystemExit(f"{target} is {size} bytes, over the {MAX_BYTES} budget")


# ---------------------------------------------------------------------------------------------- inside: the window
def drive(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    sys.path.insert(0, str(ROOT))
    import studio
    from studio.app import create_window
    from studio.config.settings import load_settings
    from studio.ui.panels import icon

    app = QApplication([sys.argv[0]])
    app.setApplicationName("Ink Studio")
    app.setOrganizationName("InkStudio")
    app.setApplicationVersion(studio.__version__)
    app.setWindowIcon(icon("app"))
    settings = load_settings()
    settings.language = args.lang[0]
    settings.theme = "light"  # the xuan-paper theme
    window = create_window(settings)
    window.setGeometry(0, 0, *SCREEN)
    window.show()
    window.move(QPoint(0, 0))

    def wait(condition, what: str, timeout: float = WAIT_S) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not condition():
            app.processEvents()
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {what}")
            time.sleep(0.02)

    def settle(seconds: float = 1.0) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def idle() -> bool:
        return not window.runner.busy and not window.runner.pending()

    def photograph_in_each_language(scene: str) -> None:
        for lang in args.lang:
            if window.settings.language != lang:
                window.set_language(lang)
            settle(1.5)  # LanguageChange is posted; every widget redraws
            photograph(shot_path(args.out, scene, lang))

    wait(lambda: window.catalog_ready and window.gallery_ready, "the model catalog")
    record = window.model_panel.current_record()
    if record is None or not record.bundled:
        raise SystemExit("the window chose no bundled model")
    print(f"  model: {record.id}", flush=True)

    # Paint: four light and four dark paintings of the default model; a dark one on the canvas
    sp = window.sampling_panel
    for style, seed in (("light", LIGHT_SEEDS), ("dark", DARK_SEEDS)):
        window.model_panel.set_style(style)
        sp.set_seed(seed)
        sp.lock.setChecked(True)
        sp.count.setValue(4)
        sp.steps.setValue(20)
        window.generate()
        wait(idle, f"the {style} paintings")
    gallery = window.gallery
    wait(lambda: gallery.count() >= 8, "the gallery")
    chosen = gallery.count() - 3  # the second dark painting
    gallery.select_row(chosen)
    window.show_painting(gallery.paths()[chosen])
    settle(1.5)
    if "paint" in args.scenes:
        window.modes.setCurrentIndex(window.modes.indexOf(window.paint_page))
        photograph_in_each_language("paint")

    if "inpaint" in args.scenes:
        page = window.inpaint_page
        window.modes.setCurrentIndex(window.modes.indexOf(page))
        page.open_path(gallery.paths()[chosen])
        wait(lambda: page.painting is not None, "the painting to inpaint")
        w, h = page.painting.size
        page.set_tool("lasso")
        page.canvas.stroke(
            [
                (int(w * x), int(h * y))
                for x, y in ((0.30, 0.22), (0.72, 0.30), (0.78, 0.62), (0.52, 0.80), (0.25, 0.60), (0.30, 0.22))
            ]
        )
        page.count.setValue(4)
        page.generate()
        wait(lambda: page.job_id == 0 and idle() and len(page.candidates) == 4, "the inpainting candidates")
        page.strip.setCurrentRow(1)
        settle(1.5)
        photograph_in_each_language("inpaint")

    if "walk" in args.scenes:
        walk = window.walk_page
        window.modes.setCurrentIndex(window.modes.indexOf(walk))
        walk.seeds_edit.setText(f"{DARK_SEEDS}, {DARK_SEEDS + 1}, {DARK_SEEDS + 2}")
        walk.frames_spin.setValue(6)
        walk.steps_spin.setValue(20)
        walk.seeds_edit.setCursorPosition(0)
        walk.start_render()
        wait(lambda: idle() and bool(walk.frames), "the walk")
        walk.stop()
        walk.show_frame(len(walk.frames) // 2, force=True)
        settle(1.5)
        photograph_in_each_language("walk")

    if "classroom" in args.scenes:
        room = window.classroom
        window.modes.setCurrentIndex(window.modes.indexOf(room))
        room.views.setCurrentIndex(0)
        window.gallery_dock.hide()  # View → Gallery off: the filmstrip's two rows need the height
        strip = room.filmstrip
        strip.seed.setValue(LIGHT_SEEDS)  # the filmstrip's seed box stops at 2**31 - 1
        strip.steps.setValue(20)
        strip.every.setValue(2)
        strip.run()
        wait(lambda: strip.trajectory is not None and idle(), "the filmstrip")
        settle(1.5)
        photograph_in_each_language("classroom")
        window.gallery_dock.show()

    window.close()
    app.processEvents()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs (default docs/)")
    parser.add_argument("--lang", default=",".join(LANGS), help="en, zh_CN or both (comma-separated)")
    parser.add_argument("--scenes", default=",".join(SCENES), help=f"any of {', '.join(SCENES)}")
    parser.add_argument("--drive", action="store_true", help=argparse.SUPPRESS)  # inside the X server
    args = parser.parse_args()
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    args.lang = [s for s in args.lang.split(",") if s]
    args.scenes = [s for s in args.scenes.split(",") if s]
    unknown = [s for s in args.scenes if s not in SCENES] + [s for s in args.lang if s not in LANGS]
    if unknown:
        parser.error(f"unknown: {', '.join(unknown)}")
    return drive(args) if args.drive else run_all(args)


if __name__ == "__main__":
    sys.exit(main())
