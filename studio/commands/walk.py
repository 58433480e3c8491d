"""``inkstudio walk``: a latent-walk animation through seeds, or from light to dark ink.

inkstudio walk --model ink-diffusion-64 --seeds 7,8,9 --frames 12 --loop --easing ease --out walk.mp4
inkstudio walk --model ink-diffusion-64 --style-walk light,dark --seeds 7 --frames 24 --out morph.gif
inkstudio walk --style-walk ink-light,ink-dark --seeds 7 --frames 24 --out pair.webp   # two per-style models
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import studio.cli as cli
from studio.api import is_seed
from studio.errors import StudioError


def _keyframe(text: str) -> int | Path:
    text = text.strip()
    try:
        value = int(text)
    except ValueError:
        return Path(text).expanduser()
    if not is_seed(value):
        raise argparse.ArgumentTypeError("a seed is between 0 and 2**63-1")
    return value


def _keyframes(text: str) -> list[int | Path]:
    parts = [p for p in text.split(",") if p.strip()]
    if not parts:
        raise argparse.ArgumentTypeError("give at least one seed, e.g. --seeds 7,8,9")
    return [_keyframe(p) for p in parts]


def _pair(text: str) -> tuple[str, str]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(parts):
        raise argparse.ArgumentTypeError("give two styles (or two per-style models), e.g. --style-walk light,dark")
    return parts[0], parts[1]


def _fps(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0 < value <= 120:
        raise argparse.ArgumentTypeError("fps must be above 0 and at most 120")
    return value


def add_parser(sub: argparse._SubParsersAction) -> None:
    from studio.api import DEFAULT_STEPS, DEFAULT_WALK_BATCH, DEFAULT_WALK_SAMPLER, DEVICE_CHOICES, EASINGS
    from studio.api import WALK_SAMPLERS as DETERMINISTIC_SAMPLERS

    p = sub.add_parser(
        "walk",
        help="animate a latent walk through seeds (or from light to dark ink) as GIF, MP4, WebP or PNG frames",
        description="Frames per segment: K seeds give (K-1)*N+1 frames (the last seed is the last frame), "
        "or K*N with --loop (the walk returns to the first seed). With --style-walk and one seed: N+1 (2N with --loop).",
    )
    p.add_argument("--model", help="model id (see 'inkstudio models') or a checkpoint path; default: the bundled diffusion model")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--style", help="ink style of the walk, e.g. light (淡墨) or dark (浓墨)")
    group.add_argument(
        "--style-walk",
        type=_pair,
        metavar="A,B",
        help="morph from style A to style B (e.g. light,dark); without --model, A and B may be two per-style models",
    )
    p.add_argument(
        "--seeds",
        type=_keyframes,
        required=True,
        metavar="S1,S2,...",
        help="keyframes: seeds, painted PNGs (their seed) or stored noise (.npy / .safetensors)",
    )
    p.add_argument("--frames", type=cli._positive_int, default=12, help="frames per segment (default 12)")
    p.add_argument("--fps", type=_fps, default=12.0, help="frames per second (default 12)")
    p.add_argument("--loop", action="store_true", help="close the walk back to the first keyframe")
    p.add_argument("--easing", choices=list(EASINGS), default="linear", help="linear, or ease (in-out, slow at keyframes)")
    p.add_argument(
        "--sampler",
        choices=list(DETERMINISTIC_SAMPLERS),
        default=DEFAULT_WALK_SAMPLER,
        help=f"deterministic samplers only (default {DEFAULT_WALK_SAMPLER})",
    )
    p.add_argument("--steps", type=cli._positive_int, default=DEFAULT_STEPS, help=f"denoising steps (default {DEFAULT_STEPS})")
    p.add_argument(
        "--batch", type=cli._positive_int, default=DEFAULT_WALK_BATCH, help=f"frames per pass (default {DEFAULT_WALK_BATCH})"
    )
    p.add_argument("--upscale", type=int, choices=(1, 2, 4), default=1, help="enlarge frames on export (Lanczos)")
    p.add_argument("--device", choices=list(DEVICE_CHOICES), default="auto")
    p.add_argument("--out", required=True, help="walk.gif, walk.mp4 (H.264), walk.webp, or a new folder for PNG frames")


cli._EXTRA_PARSERS.append(add_parser)


def _resolve_pair(names: tuple[str, str]):  # type: ignore[no-untyped-def]
    """Both names as models (ids or paths), or None when either is not one."""
    from studio.models.catalog import discover, resolve

    catalog = None
    records = []
    for name in names:
        candidate = Path(name).expanduser()
        if not candidate.exists():
            catalog = catalog or discover()
            if catalog.get(name) is None:
                return None
        records.append(resolve(name, catalog=catalog))
    return records


@cli.command("walk")
def cmd_walk(args: argparse.Namespace) -> int:
    from studio.api import WalkRequest
    from studio.engine.animation import check_output, export_animation
    from studio.engine.device import choose_device
    from studio.engine.walk import load_keyframe
    from studio.models.loaders import load_checkpoint
    from studio.work import walk

    out = Path(args.out).expanduser()
    kind = check_output(out)  # before any painting: bad suffix, unwritable folder, no video backend
    keys = [load_keyframe(k) for k in args.seeds]
    if len(keys) < 2 and args.style_walk is None:
        raise StudioError("a walk needs at least two seeds (or one seed with --style-walk)")
    pair = None
    style_walk = args.style_walk
    if style_walk is not None and args.model is None:
        records = _resolve_pair(style_walk)
        if records is not None:
            device = choose_device(args.device)
            model = load_checkpoint(records[0].path, device.device, device.dtype, size=records[0].resolution)
            pair = load_checkpoint(records[1].path, device.device, device.dtype, size=records[1].resolution)
            record, style_walk = records[0], None
    if pair is None:
        record, model, device = cli.load_model_for(args)
        if style_walk is not None and not all(s in model.styles for s in style_walk):
            offered = ", ".join(model.styles) or "none"
            raise StudioError(
                f"model '{record.id}' does not offer styles {style_walk[0]} and {style_walk[1]} (it offers: {offered});"
                " to blend two per-style models give them without --model: --style-walk LIGHT_MODEL,DARK_MODEL"
            )
    req = WalkRequest(
        keyframes=tuple(keys),
        frames=args.frames,
        loop=args.loop,
        easing=args.easing,
        style=args.style,
        style_walk=style_walk,
        sampler=args.sampler,
        steps=args.steps,
        batch_size=args.batch,
    )
    bar = cli._StepBar(f"walk {record.id} {device.label}")
    # SIGTERM unwinds like Ctrl-C for every command (studio.cli), so a killed export leaves no file
    try:
        result = walk.run(model, record, req, bar.report, pair=pair)
    finally:
        bar.close()
    meta = {"model": record.id, "fps": args.fps, "upscale": args.upscale, **result.meta}
    written = export_animation(result.frames, out, fps=args.fps, upscale=args.upscale, meta=meta)
    w, h = result.frames[0].width * args.upscale, result.frames[0].height * args.upscale
    what = "PNG frames in" if kind == "png" else kind.upper()
    print(f"wrote {what} {written}: {len(result.frames)} frames, {w}x{h}, {args.fps:g} fps")
    print(result.smoothness.summary())
    sys.stdout.flush()
    return 0
