"""How soon is the window there, and how soon does it paint? Cold starts of the real window, measured.

    python bench/startup_bench.py [--runs 2] [--steps 10] [--compare /work/main]

Each run is a fresh interpreter (``--probe``) that starts the studio as ``inkstudio`` does
(QApplication + qasync loop, ``create_window``, ``show``) with user data and settings in a
temporary folder, and prints, in seconds after the interpreter started:

- ``visible``: the window's first frame was drawn (the first Paint event of the main window after
  ``show``), and whether torch was imported at that moment;
- ``listed``: the model list filled (``catalog_loaded``);
- ``ready``: the engine imported and the default model loaded (Generate enabled);
- ``painting``: the first painting saved (Generate pressed as soon as it was enabled; one painting,
  ``--steps`` DDIM steps of the bundled default model).

``--compare TREE`` also starts the window of another source tree (e.g. the main branch before a
change) in the same run, the two alternating, so both see the same machine load. The figures are
wall-clock times: on a machine busy with other work they vary from run to run; the table gives
each run.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # the probe's interpreter start (before Qt, torch or the studio are imported)

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parents[1]


def probe(steps: int) -> int:
    """One cold start in this interpreter; prints one JSON line of marks (seconds since T0)."""
    import asyncio

    import qasync
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from studio.app import create_window
    from studio.config.settings import Settings

    app = QApplication.instance() or QApplication(["startup_bench"])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    marks: dict[str, float | bool | str] = {}
    done = asyncio.Event()

    def mark(name: str) -> None:
        marks.setdefault(name, round(time.perf_counter() - T0, 3))

    window = create_window(Settings(sampler="ddim", steps=steps, count=1))

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and "visible" not in marks:
                mark("visible")
                marks["torch_at_visible"] = "torch" in sys.modules
            return False

    first_paint = FirstPaint()
    window.installEventFilter(first_paint)
    button = window.sampling_panel.generate

    def try_generate() -> None:
        if "generate" in marks or window.model_panel.current_record() is None or not button.isEnabled():
            return
        mark("generate")
        window.generate()

    def on_event(ev) -> None:  # type: ignore[no-untyped-def]
        if ev.kind == "ready":
            mark("ready")
        elif ev.kind == "painting":
            mark("painting")
            done.set()
        elif ev.kind == "error":
            marks["error"] = ev.message
            done.set()

    window.runner.event.connect(on_event)
    window.catalog_loaded.connect(lambda: (mark("listed"), try_generate()))
    window.runner.event.connect(lambda _ev: try_generate())
    window.show()
    mark("shown")
    with loop:
        loop.run_until_complete(asyncio.wait_for(done.wait(), timeout=900))
    window.close()
    print(json.dumps(marks))
    return 0


def run_once(tree: Path, steps: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="inkstudio-startup-") as tmp:
        env = {
            **os.environ,
            "PYTHONPATH": str(tree),
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "INKSTUDIO_DATA_DIR": str(Path(tmp) / "data"),
            "INKSTUDIO_CONFIG_DIR": str(Path(tmp) / "config"),
        }
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--probe", "--steps", str(steps)],
            cwd=tree, env=env, capture_output=True, text=True, timeout=400,
        )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        return {"error": (out.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(lines[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--compare", type=Path, help="another source tree to start alternately (e.g. the main branch)")
    ap.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.probe:
        sys.path.insert(0, os.getcwd())
        return probe(args.steps)

    trees = [("this tree", HERE)] + ([("compare", args.compare.resolve())] if args.compare else [])
    print(f"{'tree':<10} {'run':>3} {'visible':>8} {'torch then':>10} {'listed':>7} {'ready':>7} {'painting':>9}")
    for i in range(args.runs):
        for name, tree in trees:
            m = run_once(tree, args.steps)
            if "error" in m:
                print(f"{name:<10} {i + 1:>3} error: {m['error']}")
                continue

            def s(key: str, m: dict[str, object] = m) -> str:
                return f"{m[key]:.2f}" if isinstance(m.get(key), float) else "-"

            torch_then = "yes" if m.get("torch_at_visible") else "no"
            print(f"{name:<10} {i + 1:>3} {s('visible'):>8} {torch_then:>10} {s('listed'):>7} {s('ready'):>7} {s('painting'):>9}")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
