"""Classroom commands: ``trajectory`` (the denoising filmstrip) and ``compare`` (GAN vs diffusion, or ``--families``: all four)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studio import cli
from studio.errors import StudioError


def _add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("trajectory", help="a denoising filmstrip: x_t and the predicted painting every few steps")
    cli._add_sampling_args(p)
    p.add_argument("--every", type=cli._positive_int, default=1, help="show every E-th step (the last step is always shown)")
    p.add_argument("--out", required=True, help="strip.png (two rows: x_t, predicted x0) or strip.gif (animated)")
    _add_lang(p)

    p = sub.add_parser("compare", help="the same seeds painted by a GAN and a diffusion model, with wall times")
    p.add_argument("--gan", help="GAN model id or checkpoint path (default: the bundled GAN)")
    p.add_argument("--diffusion", help="diffusion model id or checkpoint path (default: the bundled diffusion model)")
    p.add_argument("--count", type=cli._positive_int, default=4, help="paintings per model (default 4)")
    p.add_argument("--seed", type=cli._seed, help="first seed (image k uses seed+k); random when omitted")
    p.add_argument("--style", help="style for the models that offer it")
    p.add_argument("--steps", type=cli._positive_int, default=None, help="diffusion steps (default the studio's)")
    p.add_argument("--sampler", default=None, help="diffusion sampler (default the studio's)")
    p.add_argument("--device", default="auto")
    p.add_argument("--out", required=True, help="a PNG with both rows and their wall times")
    _add_lang(p)
    # --families: all four families of the lectures on one sheet (studio.commands.families)
    p.add_argument("--families", action="store_true",
                   help="one row per family: autoregressive (PixelCNN), VAE, GAN, diffusion, with density, network evaluations, wall time and bits/dim")
    p.add_argument("--vae", help="with --families: VAE model id or path (default: the bundled VAE)")
    p.add_argument("--pixelcnn", help="with --families: autoregressive model id or path (default: the bundled PixelCNN)")
    p.add_argument("--data", help="with --families: measure bits/dim now on this folder's validation paintings")
    p.add_argument("--cache", default=None, help="with --data: where preloaded validation images are cached")
    p.add_argument("--json", action="store_true", help="with --families: print the figures as JSON")


def _add_lang(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("en", "zh_CN"), default="en",
                   help="language of every label drawn on the picture: en (default) or zh_CN (简体中文)")


cli._EXTRA_PARSERS.append(_add_parsers)


def _out_file(path: str, suffixes: tuple[str, ...]) -> Path:
    out = Path(path).expanduser()
    if out.suffix.lower() not in suffixes:
        raise StudioError(f"--out must end in {' or '.join(suffixes)}, not '{out.name}'")
    if out.is_dir():
        raise StudioError(f"--out {out} is a folder; give a file name ending in {' or '.join(suffixes)}")
    cli.prepare_out_dir(out.parent)
    return out


@cli.command("trajectory")
def cmd_trajectory(args: argparse.Namespace) -> int:
    from studio.api import random_seed
    from studio.engine.classroom import denoising_trajectory, frame_steps, save_filmstrip

    out = _out_file(args.out, (".png", ".gif"))
    frame_steps(args.steps, args.every)
    from studio.work import styled

    record, model, device = cli.load_model_for(args)
    if model.kind != "diffusion":
        raise StudioError(f"'{record.id}' is a GAN: it paints in one pass, there is no denoising to show")
    model, style = styled(model, args.style)  # an unknown style fails before the progress bar starts
    model.labels_for(style, 1)
    seed = args.seed if args.seed is not None else random_seed()
    bar = cli._progress_bar(args.steps, f"{record.id} {device.label}")
    try:
        traj = denoising_trajectory(
            model, seed, style=style, sampler=args.sampler, steps=args.steps, eta=args.eta, size=args.size,
            every=args.every, on_progress=lambda step, total: bar.update(step - bar.n),
        )
    finally:
        bar.close()
    save_filmstrip(traj, out, lang=args.lang)
    print(f"wrote {out}: {len(traj.frames)} frame(s) of seed {seed} (steps {', '.join(str(f.step) for f in traj.frames)})")
    return 0


@cli.command("compare")
def cmd_compare(args: argparse.Namespace) -> int:
    if args.families:
        from studio.commands.families import compare_families

        return compare_families(args, _out_file(args.out, (".png",)))
    for flag in ("vae", "pixelcnn", "data", "json"):
        if getattr(args, flag):
            raise StudioError(f"--{flag} is for --families")
    from studio.api import DEFAULT_SAMPLER, DEFAULT_STEPS, SAMPLERS, random_seed
    from studio.engine.classroom import drawn_language, side_by_side, side_by_side_sheet
    from studio.engine.device import choose_device
    from studio.engine.pngmeta import save_png
    from studio.models.catalog import discover, resolve
    from studio.models.pairs import load_record
    from studio.work import styled

    out = _out_file(args.out, (".png",))
    sampler = args.sampler or DEFAULT_SAMPLER
    if sampler not in SAMPLERS:
        raise StudioError(f"unknown sampler '{sampler}' (choose from {', '.join(SAMPLERS)})")
    device = choose_device(args.device)
    loaded = []
    for flag, ref in (("--gan", args.gan), ("--diffusion", args.diffusion)):
        want = "gan" if flag == "--gan" else "diffusion"
        if ref is None:
            record = discover().bundled_of_kind(want)
            if record is None:
                raise StudioError(f"no bundled {want} model: name one with {flag}")
        else:
            record = resolve(ref)
        model = load_record(record, device.device, device.dtype)
        if model.kind != want:
            raise StudioError(f"{flag} {ref} is a {model.kind} model, not a {want} model")
        loaded.append((styled(model, args.style)[0], record))  # a style pair: its checkpoint of that style
    seed = args.seed if args.seed is not None else random_seed()
    result = side_by_side(
        loaded[0], loaded[1], count=args.count, seed=seed, style=args.style, sampler=sampler, steps=args.steps or DEFAULT_STEPS
    )
    meta = {
        "compare": True, "seeds": result.seeds,
        "gan": {"model": result.gan.name, "seconds": round(result.gan.seconds, 4)},
        "diffusion": {"model": result.diffusion.name, "seconds": round(result.diffusion.seconds, 4), "sampler": sampler,
                      "steps": args.steps or DEFAULT_STEPS},
        "device": device.device,
        "lang": drawn_language(args.lang),
    }
    save_png(side_by_side_sheet(result, lang=args.lang), meta, out)
    print(f"wrote {out}: GAN {result.gan.name} {result.gan.seconds:.2f} s, diffusion {result.diffusion.name} "
          f"{result.diffusion.seconds:.2f} s for {args.count} painting(s) each", file=sys.stdout)
    return 0
