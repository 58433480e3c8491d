"""``inkstudio inpaint``: repaint the white part of a mask, keep the rest of the painting.

inkstudio inpaint --model ink-diffusion-64 --image scroll.jpg --mask hole.png --seed 7 --count 4 --out fixed/
inkstudio inpaint --model ink-gan-64.safetensors --image scroll.jpg --mask hole.png --method invert --steps 300 --out fixed/
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import studio.cli as cli


def add_parser(sub: argparse._SubParsersAction) -> None:
    from studio.api import DEFAULT_INPAINT_STEPS, DEFAULT_JUMPS, DEFAULT_SAMPLER, DEVICE_CHOICES, INPAINT_METHODS, SAMPLERS

    p = sub.add_parser(
        "inpaint",
        help="repaint the masked part of a painting (mask: white = repaint, black = keep)",
        description="The painting is fitted to the model's size, the masked part is repainted and the result is "
        "blended back through a feathered mask at the painting's full resolution; pixels away from the mask stay exactly "
        "as they were. Image k uses seed+k.",
    )
    p.add_argument("--model", help="model id (see 'inkstudio models') or a checkpoint path; default: the bundled diffusion model")
    p.add_argument("--style", help="ink style the model offers, e.g. light (淡墨) or dark (浓墨)")
    p.add_argument("--image", required=True, help="the painting (PNG, JPEG, TIFF...; any size up to 8,000 px)")
    p.add_argument("--mask", required=True, help="mask image: white = repaint, black = keep (resized to the painting if needed)")
    p.add_argument(
        "--method",
        choices=list(INPAINT_METHODS),
        help="blend (fast, default for diffusion), repaint (RePaint, slower), invert (GANs: their default and only method)",
    )
    p.add_argument("--seed", type=cli._seed, help="first seed (image k uses seed+k); random and recorded when omitted")
    p.add_argument("--count", type=cli._positive_int, help="number of candidates (seeds seed..seed+count-1; default 1)")
    steps = ", ".join(f"{m} {n}" for m, n in DEFAULT_INPAINT_STEPS.items())
    p.add_argument("--steps", type=cli._positive_int, help=f"denoising or inversion steps (default: {steps})")
    p.add_argument(
        "--jumps",
        type=cli._positive_int,
        help=f"resampling passes: RePaint's jump_n_sample, or blend's passes over its last steps (default {DEFAULT_JUMPS['blend']})",
    )
    p.add_argument(
        "--jump-length",
        type=cli._positive_int,
        help="RePaint's jump length j (default 10); blend: how many final steps are resampled",
    )
    p.add_argument("--sampler", choices=list(SAMPLERS), help=f"blend's sampler (default {DEFAULT_SAMPLER})")
    p.add_argument(
        "--feather", type=int, help="width of the soft edge in the painting's pixels (default: about 1.5 model pixels)"
    )
    p.add_argument("--downscale", action="store_true", help="shrink paintings over 8,000 px instead of refusing them")
    p.add_argument("--batch", type=cli._positive_int, default=None, help="candidates per pass (default 4)")
    p.add_argument("--device", choices=list(DEVICE_CHOICES), default="auto")
    p.add_argument("--out", required=True, help="output folder (created if missing)")
    p.add_argument(
        "--from",
        dest="from_image",
        metavar="INPAINTED.png",
        help="repeat the inpainting whose settings INPAINTED.png carries (model, method, seed, steps...) on --image/--mask",
    )


cli._EXTRA_PARSERS.append(add_parser)


def notice(text: str) -> None:
    print(f"inkstudio: notice: {text}", file=sys.stderr)


# flags whose values --from takes from the painting instead
SETTINGS = ("method", "style", "seed", "count", "steps", "jumps", "jump_length", "sampler", "feather")


def settings_from(path: str, args: argparse.Namespace, source) -> tuple[dict, object]:  # type: ignore[no-untyped-def]
    """The request fields and model record an inpainted PNG records; notices when the inputs differ."""
    from studio.engine.export import locate_model, read_settings
    from studio.errors import StudioError

    given = [f"--{k.replace('_', '-')}" for k in SETTINGS if getattr(args, k) is not None]
    if given:
        raise StudioError(f"--from takes the settings from {path}; drop {', '.join(given)}")
    meta = read_settings(path)
    if meta.get("task") != "inpaint":
        raise StudioError(f"{path} was not made by inpaint (reproduce a generated painting with 'generate --from')")
    record = locate_model(meta, args.model, source=path)
    for what in ("image", "mask"):
        mine, theirs = getattr(source, f"{what}_sha256"), meta.get(f"{what}_sha256")
        comparable = getattr(source, f"{what}_hashed") == meta.get(f"{what}_hashed", "file")
        if comparable and theirs and mine != theirs:
            notice(f"this {what} is not the one {Path(path).name} was made from (sha256 differs): the result will differ")
    fields = {k: meta.get(k) for k in ("method", "style", "seed", "steps", "jumps", "jump_length", "feather")}
    fields["sampler"] = meta.get("sampler") if meta.get("method") == "blend" else None
    fields["count"] = 1
    return fields, record


def output_name(stem: str, meta: dict) -> str:
    safe = "".join(c if c not in '/\\:*?"<>|' else "_" for c in stem) or "painting"
    return f"{safe}-inpaint-{meta['method']}-{int(meta['seed']):010d}.png"


@cli.command("inpaint")
def cmd_inpaint(args: argparse.Namespace) -> int:
    from studio.api import DEFAULT_BATCH, DEFAULT_SAMPLER, InpaintRequest, random_seed
    from studio.engine.inpaint import inpaint, load_source, progress_steps
    from studio.engine.pngmeta import save_png
    from studio.work import styled

    # cheap checks first: unreadable inputs or an unwritable folder should not wait for a model to load
    source = load_source(args.image, args.mask, downscale=args.downscale)
    out = cli.prepare_out_dir(args.out)
    if args.from_image is not None:
        from studio.engine.device import choose_device
        from studio.models.pairs import load_record

        fields, record = settings_from(args.from_image, args, source)
        device = choose_device(args.device)
        model = load_record(record, device.device, device.dtype)
        for k, v in fields.items():
            setattr(args, k, v)
    else:
        record, model, device = cli.load_model_for(args)
    args.count = args.count or 1
    seed = args.seed if args.seed is not None else random_seed()
    req = InpaintRequest(
        seed=seed,
        count=args.count,
        method=args.method,
        style=args.style,
        steps=args.steps,
        jumps=args.jumps,
        jump_length=args.jump_length,
        sampler=args.sampler or DEFAULT_SAMPLER,
        feather=args.feather,
        batch_size=args.batch or DEFAULT_BATCH,
    ).resolved(model.kind)
    model, style = styled(model, args.style)  # the studio's style rule, before any work (a pair: that style's checkpoint)
    req = replace(req, style=style)
    for line in source.notices:
        notice(line)
    if req.method == "invert" and (args.jumps is not None or args.jump_length is not None):
        notice("--jumps and --jump-length apply to blend and repaint; invert ignores them")
    if req.method != "blend" and args.sampler is not None:
        notice(f"--sampler applies to blend; {req.method} ignores it")
    written: list[Path] = []
    total = args.count * progress_steps(req)
    bar = cli._progress_bar(total, f"inpaint {req.method} {record.id} {device.label}")
    last = [0]

    def on_progress(p) -> None:  # type: ignore[no-untyped-def]
        done = round(p.fraction * total)
        if done > last[0]:
            bar.update(done - last[0])
            last[0] = done

    def on_result(r) -> None:  # type: ignore[no-untyped-def]
        written.append(save_png(r.image, r.meta, out / output_name(source.name, r.meta)))

    def on_notice(text: str) -> None:
        bar.clear()
        notice(text)

    try:
        inpaint(model, record, source, req, on_progress=on_progress, on_result=on_result, on_notice=on_notice)
    finally:
        bar.close()
    print(f"wrote {len(written)} inpainted painting(s) to {out} ({req.method}, {cli.seeds_text(seed, args.count)})")
    return 0
