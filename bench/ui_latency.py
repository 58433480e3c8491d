"""Is the window responsive while it paints? Drives the real main window offscreen and measures.

    python bench/ui_latency.py [--model ID|PATH] [--count 4] [--steps 20] [--sampler dpm++] [--series 2]

Starts the studio as `inkstudio` does (QApplication + qasync loop, the real MainWindow), presses
Generate ``--series`` times with the default model, and runs a 1 ms heartbeat timer on the GUI
thread the whole time: a gap between two heartbeats is time the event loop could not run (a
stall). Prints the cold start (process start → window shown → model ready → first painting),
the paint times, the longest stalls per phase (start-up and loading include importing torch and
diffusers on worker threads, whose C initialisation holds the GIL), and as its last line
``max_stall_ms N``: the longest stall while the worker paints (target ≤ 50). User data and settings go to a temporary folder unless --keep is given.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # before Qt, torch or the studio are imported: "process start"

import argparse  # noqa: E402
import asyncio  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


class Heartbeat:
    """Gaps between 1 ms timer ticks on the GUI thread, split into phases."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.phase = "startup"
        self.worst: dict[str, float] = {}
        self.ticks = 0
        self.stalls: list[tuple[float, float, str, str]] = []  # (ms, when, phase, last job event before it)
        self.last_event = "-"

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self.last) * 1000
        self.last = now
        self.ticks += 1
        self.worst[self.phase] = max(self.worst.get(self.phase, 0.0), gap)
        if gap > 50:
            self.stalls.append((gap, now - T0, self.phase, self.last_event))

    def set_phase(self, phase: str) -> None:
        self._tick()
        self.phase = phase


def instrument_gui_handlers() -> dict[str, float]:
    """Time the window's own GUI-thread work (event handling, canvas painting) to tell it apart
    from time the OS gave to other threads and processes."""
    from studio.ui.canvas import CanvasView
    from studio.ui.main_window import MainWindow

    worst: dict[str, float] = {}

    def timed(cls: type, name: str, label: str) -> None:
        original = getattr(cls, name)

        def wrapper(self, *a, **kw):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            try:
                return original(self, *a, **kw)
            finally:
                worst[label] = max(worst.get(label, 0.0), (time.perf_counter() - t) * 1000)

        setattr(cls, name, wrapper)

    timed(MainWindow, "_on_event", "job event handler")
    timed(CanvasView, "paintEvent", "canvas paint")
    return worst


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="catalog id or checkpoint path (default: the studio's default model)")
    ap.add_argument("--count", type=int, default=4)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--sampler", default="dpm++")
    ap.add_argument("--series", type=int, default=2, help="how many times to press Generate (first one is cold)")
    ap.add_argument("--keep", action="store_true", help="use the real user data/config folders")
    args = ap.parse_args()

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not args.keep:
        tmp = Path(tempfile.mkdtemp(prefix="inkstudio-bench-"))
        os.environ["INKSTUDIO_DATA_DIR"] = str(tmp / "data")
        os.environ["INKSTUDIO_CONFIG_DIR"] = str(tmp / "config")

    import qasync
    from PySide6.QtWidgets import QApplication

    from studio.app import create_window
    from studio.config.settings import Settings

    handler_ms = instrument_gui_handlers()
    app = QApplication.instance() or QApplication(["ui_latency"])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    beat = Heartbeat()
    settings = Settings(model_id=args.model, sampler=args.sampler, steps=args.steps, count=args.count)
    window = create_window(settings)
    window.show()
    t_shown = time.perf_counter()
    beat.start()

    marks: dict[str, float] = {}
    errors: list[str] = []
    series_done: list[float] = []
    series_started: list[float] = []
    done = asyncio.Event()

    def on_event(ev) -> None:  # type: ignore[no-untyped-def]
        now = time.perf_counter()
        beat.last_event = f"{ev.kind} {ev.step}/{ev.total}" if ev.kind == "progress" else ev.kind
        if ev.kind == "ready":
            marks.setdefault("ready", now)
        elif ev.kind == "started":
            series_started.append(now)
            if beat.phase != "painting":
                beat.set_phase("painting")  # the model is loaded: from here on the worker paints
        elif ev.kind == "progress" and ev.image is not None:
            marks.setdefault("first_preview", now)
        elif ev.kind == "painting":
            marks.setdefault("first_painting", now)
        elif ev.kind == "finished":
            series_done.append(now)
            if len(series_done) < args.series:
                window.act_generate.trigger()
            else:
                done.set()
        elif ev.kind in ("error", "cancelled"):
            errors.append(ev.message or ev.kind)
            done.set()

    window.runner.event.connect(on_event)

    def on_catalog() -> None:
        marks["catalog"] = time.perf_counter()
        record = window.model_panel.current_record()
        if record is None:
            errors.append("no model found (give --model PATH)")
            done.set()
            return
        if args.model and args.model not in (record.id, record.path):
            window.open_checkpoint(args.model)
            window.model_panel.model_changed.connect(lambda r: r is not None and start_painting())
            return
        start_painting()

    def start_painting() -> None:
        if "generate" in marks:
            return
        record = window.model_panel.current_record()
        marks["generate"] = time.perf_counter()
        marks["model"] = record.id
        beat.set_phase("loading")
        sp = window.sampling_panel
        sp.count.setValue(args.count)
        sp.steps.setValue(args.steps)
        sp.set_sampler(args.sampler)
        window.act_generate.trigger()  # as if the user pressed Ctrl+Enter as soon as the list appeared

    window.catalog_loaded.connect(on_catalog)
    with loop:
        loop.run_until_complete(asyncio.wait_for(done.wait(), timeout=1800))
    beat.set_phase("end")
    window.close()

    if errors:
        print(f"error: {errors[0]}", file=sys.stderr)
        return 1
    rel = {k: v - T0 for k, v in marks.items() if isinstance(v, float)}
    print(f"model                          {marks['model']}  ({window.device_label_text})")
    print(f"window shown                   {t_shown - T0:6.2f} s after process start")
    print(f"catalog listed                 {rel['catalog']:6.2f} s")
    print(f"engine imported, model loaded  {rel.get('ready', float('nan')):6.2f} s")
    print(f"first preview on the canvas    {rel['first_preview']:6.2f} s")
    print(f"cold start to first painting   {rel['first_painting']:6.2f} s   (target <= 8 s on CPU)")
    for i, (a, b) in enumerate(zip(series_started, series_done)):
        print(f"series {i + 1}: {args.count} x {args.steps} steps {args.sampler:<7} {b - a:6.2f} s")
    print(f"heartbeat ticks                {beat.ticks}")
    print(f"max stall during start-up      {beat.worst.get('startup', 0.0):6.1f} ms  (window shown → Generate pressed)")
    print(f"max stall while loading        {beat.worst.get('loading', 0.0):6.1f} ms  (Generate pressed → engine and model ready)")
    print(f"max stall while painting       {beat.worst.get('painting', 0.0):6.1f} ms  (first job started → last job finished)")
    for ms, when, phase, last in sorted(beat.stalls, reverse=True)[:5]:
        print(f"stall {ms:6.1f} ms at {when:6.2f} s ({phase}, after '{last}')")
    for name, ms in sorted(handler_ms.items()):
        print(f"longest {name:<22} {ms:6.1f} ms  (our own work on the GUI thread)")
    print(f"max_stall_ms {round(beat.worst.get('painting', 0.0))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
