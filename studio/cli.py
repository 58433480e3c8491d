"""The headless ``inkstudio`` command: everything the window does, for scripts and batch series.

Errors print one line on stderr and exit non-zero; ``INKSTUDIO_DEBUG=1`` adds the traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import studio
from studio import api
from studio.errors import Cancelled, StudioError

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

Command = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, Command] = {}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not the whole usage block
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not api.is_seed(value):
        raise argparse.ArgumentTypeError("a seed is between 0 and 2**63-1")
    return value


def _add_sampling_args(p: argparse.ArgumentParser) -> None:
    from studio.api import DEFAULT_SAMPLER, DEFAULT_STEPS, DEVICE_CHOICES, SAMPLERS

    p.add_argument("--model", help="model id (see 'inkstudio models') or a checkpoint path; default: the bundled diffusion model")
    p.add_argument("--style", help="ink style the model offers, e.g. light (淡墨) or dark (浓墨)")
    p.add_argument("--seed", type=_seed, help="first seed (image k uses seed+k); random and recorded when omitted")
    p.add_argument("--steps", type=_positive_int, default=DEFAULT_STEPS, help=f"denoising steps (default {DEFAULT_STEPS})")
    p.add_argument("--sampler", choices=list(SAMPLERS), default=DEFAULT_SAMPLER, help=f"default {DEFAULT_SAMPLER}")
    p.add_argument("--eta", type=float, default=0.0, help="DDIM eta: 0 deterministic, 1 like DDPM")
    p.add_argument("--size", type=_positive_int, help="image size in pixels (default: the model's own)")
    p.add_argument("--device", choices=list(DEVICE_CHOICES), default="auto")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="inkstudio", description="Ink Studio 水墨工作室: paint traditional Chinese ink landscapes offline.")
    parser.add_argument("--version", action="version", version=f"inkstudio {studio.__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    p = sub.add_parser("models", help="list the models the studio can paint with")
    p.add_argument("--json", action="store_true", help="a JSON list of model records")

    p = sub.add_parser("generate", help="paint a series of images into a folder")
    _add_sampling_args(p)
    p.add_argument("--count", type=_positive_int, default=1, help="number of paintings (seeds seed..seed+count-1)")
    p.add_argument("--batch", type=_positive_int, default=None, help="images per forward pass (default 4)")
    p.add_argument("--name", default=api.DEFAULT_NAME, help="file name template: {model} {style} {seed} {sampler} {steps}")
    p.add_argument("--out", required=True, help="output folder (created if missing); manifest.json lists its paintings")
    p.add_argument("--sheet", action="store_true", help="also write contact-sheet.png: a grid of the series with seed captions")
    p.add_argument("--upscale", type=int, choices=api.UPSCALES, default=1, help="upscale on export, recorded in the PNG")
    p.add_argument("--upscale-method", choices=api.UPSCALE_METHODS, default="ink",
                   help="how --upscale enlarges: the learned ink upscaler (default) or Lanczos")
    p.add_argument("--frame", choices=api.FRAMES, help="display framing: xuan paper or a hanging scroll (default none)")
    p.add_argument("--seal", action="store_true", help="press the studio seal (印章) into the painting's corner")
    p.add_argument(
        "--from", dest="from_image", metavar="IMAGE.png",
        help="repaint the painting whose settings IMAGE.png carries (model, style, seed, sampler, steps, eta, size, finishing)",
    )

    p = sub.add_parser("info", help="print the settings embedded in a painting")
    p.add_argument("image", help="a PNG painted by Ink Studio")

    for hook in _EXTRA_PARSERS:
        hook(sub)
    return parser


# Later commands (train, eval, inpaint, walk, trajectory) register here: (subparsers) -> None
_EXTRA_PARSERS: list[Callable[[argparse._SubParsersAction], None]] = []


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        _COMMANDS[name] = fn
        return fn

    return register


def _progress_bar(total: int, desc: str):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="step", file=sys.stderr, dynamic_ncols=True, leave=True)


class _StepBar:
    """A progress bar fed ``report(step, total)`` by a ``studio.work`` operation; made at its first report."""

    def __init__(self, desc: str) -> None:
        self.desc = desc
        self.bar = None

    def report(self, step: int, total: int) -> None:
        if self.bar is None:
            self.bar = _progress_bar(total, self.desc)
        self.bar.update(max(0, step - self.bar.n))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


_created_dirs: list[Path] = []  # output folders this command made: removed again if it fails before filling them


def _remove_empty_created_dirs() -> None:
    for folder in _created_dirs:  # deepest first
        try:
            folder.rmdir()  # only when empty
        except OSError:
            break
    _created_dirs.clear()


def prepare_out_dir(out: str | Path) -> Path:
    """Create the output folder and check it is writable (StudioError otherwise); sweep stale temporary files."""
    out = Path(out).expanduser()
    try:
        if out.exists() and not out.is_dir():
            raise StudioError(f"--out {out} exists and is not a folder")
        missing = [p for p in (out, *out.parents) if not p.exists()]  # deepest first
        out.mkdir(parents=True, exist_ok=True)
        _created_dirs.extend(missing)
    except OSError as exc:  # also a name too long to exist, a loop of links...
        raise StudioError(f"cannot create output folder {out}: {exc.strerror or exc}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise StudioError(f"output folder {out} is not writable")
    from studio.engine.pngmeta import sweep_stale_parts

    sweep_stale_parts(out)  # hidden .NAME.part files a killed run left behind
    return out


def load_model_for(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Resolve --model, choose --device and load: (record, loaded model, device choice)."""
    from studio.engine.device import choose_device
    from studio.models.catalog import resolve
    from studio.models.pairs import load_record

    record = resolve(getattr(args, "model", None), size=getattr(args, "size", None))
    device = choose_device(getattr(args, "device", "auto"))
    model = load_record(record, device.device, device.dtype)  # a style pair loads each member on first use
    return record, model, device


@command("models")
def cmd_models(args: argparse.Namespace) -> int:
    from studio.models.catalog import discover, model_folders, records_json

    catalog = discover()
    if args.json:
        print(records_json(catalog.records))
    else:
        if not catalog.records:
            print("no models found")
        for r in catalog.records:
            styles = ",".join(r.styles) or "-"
            tag = "bundled" if r.bundled else "user"
            print(f"{r.id:<28} {r.kind:<9} {r.resolution:>4}px  styles={styles:<12} {tag:<7} {r.format:<18} {r.path}")
            for style, member in r.members.items():  # a style pair: one checkpoint per style
                print(f"{'':<28}   {style}: {member} ({r.member_resolutions.get(style, r.resolution)}px)")
        print("folders read:")
        for folder, bundled in model_folders():
            state = "" if folder.is_dir() else ", does not exist yet: create it and put checkpoints in it"
            print(f"  {folder} ({'bundled' if bundled else 'yours'}{state})")
    for problem in catalog.problems:
        print(f"skipped: {problem}", file=sys.stderr)
    return 0


@command("generate")
def cmd_generate(args: argparse.Namespace) -> int:
    from studio.api import DEFAULT_BATCH, ExportOptions, PaintRequest, random_seed
    from studio.engine.device import choose_device
    from studio.engine.export import locate_model, read_settings, reproduction_request
    from studio.models.pairs import load_record

    options = ExportOptions(name=args.name, upscale=args.upscale, frame=args.frame, seal=args.seal, sheet=args.sheet,
                            upscale_method=args.upscale_method)
    if args.from_image is not None:
        # the PNG decides what is painted; --model only says where its model is, --device where to paint
        given = [flag for flag, value in (("--seed", args.seed), ("--style", args.style), ("--size", args.size)) if value is not None]
        given += [flag for flag, used in (("--count", args.count != 1), ("--upscale", args.upscale != 1),
                                          ("--frame", args.frame is not None), ("--seal", args.seal),
                                          ("--upscale-method", args.upscale_method != "ink")) if used]
        if given:
            raise StudioError(f"--from repaints the painting as it was: drop {', '.join(given)}")
        meta = read_settings(args.from_image)
        record = locate_model(meta, args.model, source=args.from_image)
        out = prepare_out_dir(args.out)
        device = choose_device(args.device)
        model = load_record(record, device.device, device.dtype)
        where = str(device.device).split(":")[0]
        if meta.get("device") and meta["device"] != where:
            print(f"note: painted on {meta['device']}, repainting on {where}: pixels may differ slightly", file=sys.stderr)
        req, options = reproduction_request(meta, options)
    else:
        out = prepare_out_dir(args.out)
        record, model, device = load_model_for(args)
        seed = args.seed if args.seed is not None else random_seed()
        req = PaintRequest(
            seed=seed, count=args.count, style=args.style, sampler=args.sampler, steps=args.steps, eta=args.eta,
            size=args.size, batch_size=args.batch or DEFAULT_BATCH,
        )
    from studio.work import series

    bar = _StepBar(f"{record.id} {device.label}")  # appears at the first step: a refused style or size shows no bar
    try:
        result = series.run(model, record, api.SeriesRequest(str(out), req, options), bar.report)
    finally:
        bar.close()
    print(f"wrote {len(result.files)} painting(s) to {out} ({seeds_text(req.seed, req.count)}), {result.manifest.name}"
          + (f", {result.sheet.name}" if result.sheet else ""))
    return 0


seeds_text = api.seeds_text


@command("info")
def cmd_info(args: argparse.Namespace) -> int:
    from studio.engine.pngmeta import read_png_meta

    print(json.dumps(read_png_meta(args.image), ensure_ascii=False, indent=2))
    return 0


def _launch_gui(argv: Sequence[str]) -> int:
    if _no_display():
        print("inkstudio: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); "
              "use the headless commands (inkstudio --help) or set QT_QPA_PLATFORM=offscreen", file=sys.stderr)
        return EXIT_ERROR
    from studio import syslibs

    # Qt's own message for a missing xcb library names the wrong one, and then Qt aborts the process
    missing = syslibs.missing_for_window() if syslibs.will_use_xcb() else []
    if missing:
        return _missing_libraries(missing)
    try:
        from studio.app import main as app_main
    except ImportError as exc:
        missing = syslibs.missing_for_window() if sys.platform.startswith("linux") else []  # QtGui's own: EGL, GL, fontconfig
        if missing:
            return _missing_libraries(missing)
        print(f"inkstudio: the window cannot start ({exc}); see 'inkstudio --help' for the headless commands", file=sys.stderr)
        return EXIT_ERROR
    return app_main(list(argv))


def _missing_libraries(missing: list[str]) -> int:
    from studio.syslibs import missing_message

    print(f"inkstudio: {missing_message(missing)}; the headless commands work without them (inkstudio --help)", file=sys.stderr)
    return EXIT_ERROR


def _no_display() -> bool:
    """On X11/Wayland systems without a display Qt would abort the process with a core dump."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: Sequence[str] | None = None) -> int:
    _created_dirs.clear()
    code = _main(argv)
    if code == 0:
        _created_dirs.clear()
    else:  # a failed command leaves no empty folder of its own making behind
        _remove_empty_created_dirs()
    return code


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--self-test":
        from studio.selftest import run_self_test

        return run_self_test()
    if not argv or argv[0].startswith("-psn"):  # -psn: macOS passes a process serial number
        return _launch_gui(argv)
    _load_extra_commands()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    _quiet_libraries()
    try:
        with _terminate_as_interrupt():
            return _COMMANDS[args.command](args)
    except StudioError as exc:
        print(f"inkstudio: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Cancelled:
        print("inkstudio: cancelled", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        _forget_handled_interrupt()
        print("inkstudio: interrupted; finished paintings are kept, nothing partial was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `inkstudio info x.png | head`: the reader left; not an error of ours
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except MemoryError:
        print("inkstudio: error: out of memory (try a smaller --batch or --size)", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:  # a file problem no command foresaw: a name too long to exist, a loop of links, an I/O error
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"inkstudio: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # last resort: one line, never a traceback unless asked for
        if os.environ.get("INKSTUDIO_DEBUG"):
            traceback.print_exc()
        print(f"inkstudio: unexpected error: {type(exc).__name__}: {exc} (INKSTUDIO_DEBUG=1 shows details)", file=sys.stderr)
        return EXIT_ERROR


def _forget_handled_interrupt() -> None:
    """Let the exit code be ours (130) after a Ctrl-C we handled.

    CPython 3.11 sets a process-wide "unhandled KeyboardInterrupt" flag whenever a Ctrl-C lands inside
    an ``exec`` (dataclasses build their methods with one, e.g. when diffusers lazily imports a
    scheduler's output class mid-painting) and never clears it, so the interpreter would kill itself
    with SIGINT at exit even though we caught the interrupt. Where the flag is not reachable (other
    versions), exiting by SIGINT is the conventional fallback.
    """
    try:
        import ctypes

        ctypes.c_int.in_dll(ctypes.pythonapi, "_Py_UnhandledKeyboardInterrupt").value = 0
    except (ImportError, AttributeError, ValueError, OSError):
        pass


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (``kill``, a closed terminal) unwinds like Ctrl-C: the file being written is removed, not left half-done."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return
    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _quiet_libraries() -> None:
    """Library chatter (diffusers' info/warnings) would bury our one-line messages.

    The standard loggers are set now; diffusers' own switches only when a command has imported it
    (``info``, ``models`` and ``--help`` never import torch or diffusers).
    """
    import logging

    for name in ("diffusers", "accelerate"):
        logging.getLogger(name).setLevel(logging.ERROR)
    os.environ.setdefault("DIFFUSERS_VERBOSITY", "error")


def _load_extra_commands() -> None:
    """Import the modules that register further commands (each adds a parser hook and a handler)."""
    import importlib

    for name in ("studio.commands",):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
