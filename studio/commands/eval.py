"""``inkstudio eval``: sliced Wasserstein distance (Laplacian-pyramid 7×7 patches) between a model's
paintings and the validation paintings, per style and pyramid level; ``--real-vs-real`` prints the
floor (training vs validation paintings)."""

from __future__ import annotations

import argparse
import sys

import studio.cli as cli
from studio.errors import StudioError


def _add_parser(sub: argparse._SubParsersAction) -> None:
    from studio.engine.sampling import SAMPLERS

    p = sub.add_parser("eval", help="SWD of a model's paintings against the validation paintings (lower is better)")
    p.add_argument("--model", help="model id or checkpoint path (default: the bundled diffusion model)")
    p.add_argument("--style", help="one style (default: every style the model offers, light and dark for --real-vs-real)")
    p.add_argument("--data", required=True, help="folder of paintings (the validation split is chosen by source painting)")
    p.add_argument("--count", type=cli._positive_int, default=100, help="generated (or training) images per style (default 100)")
    p.add_argument("--seed", type=cli._seed, default=0, help="first seed of the generated images (default 0)")
    p.add_argument("--sampler", choices=list(SAMPLERS), default="dpm++", help="diffusion sampler (default dpm++)")
    p.add_argument("--steps", type=cli._positive_int, default=20, help="diffusion steps (default 20)")
    p.add_argument("--resolution", type=cli._positive_int, help="--real-vs-real: image size (default 64)")
    p.add_argument("--real-vs-real", action="store_true", help="the floor: training vs validation paintings")
    p.add_argument("--cache", default="runs/cache", help="image cache folder (default runs/cache)")


cli._EXTRA_PARSERS.append(_add_parser)


def _print_result(label: str, result) -> None:  # type: ignore[no-untyped-def]
    for size, dist in zip(result.sizes, result.levels):
        print(f"{label:<6} level {size:>3}px  {dist:9.2f}")
    print(f"{label:<6} mean          {result.mean:9.2f}")


def _print_tone(label: str, images, validation) -> None:  # type: ignore[no-untyped-def]
    from studio.engine.evaluate import tone_spread

    (m, s), (vm, vs) = tone_spread(images), tone_spread(validation)
    print(f"{label:<6} tone (mean luminance per painting): {m:.1f} ± {s:.1f} (validation {vm:.1f} ± {vs:.1f})")


@cli.command("eval")
def cmd_eval(args: argparse.Namespace) -> int:
    import torch

    from studio.engine.evaluate import heavy_ink_fraction, paint_set
    from studio.engine.inkstyle import STYLES
    from studio.engine.swd import swd
    from studio.engine.train.data import reference_images

    cache = args.cache or None
    means: list[float] = []
    if args.real_vs_real:
        if args.model:
            raise StudioError("--real-vs-real compares paintings with paintings: leave out --model")
        resolution = args.resolution or 64
        styles = [args.style] if args.style else list(STYLES)
        for style in styles:
            if style not in STYLES:
                raise StudioError(f"unknown style '{style}' (light or dark)")
            val = reference_images(args.data, resolution, style, "validation", cache)
            train = reference_images(args.data, resolution, style, "train", cache)
            pick = torch.randperm(len(train), generator=torch.Generator().manual_seed(args.seed))[: args.count]
            result = swd(val, train[pick], seed=args.seed)
            print(f"{style:<6} {len(pick)} training vs {len(val)} validation paintings at {resolution}px", file=sys.stderr)
            _print_result(style, result)
            print(f"{style:<6} heavy-ink fraction (luminance < 80): {heavy_ink_fraction(train[pick]):.4f}")
            _print_tone(style, train[pick], val)
            means.append(result.mean)
        print(f"swd {sum(means) / len(means):.2f}")
        return 0

    record, model, device = cli.load_model_for(args)
    if args.style is not None:
        model.labels_for(args.style, 1)  # validates the style
        styles = [args.style]
    else:
        styles = list(model.styles) or [None]  # type: ignore[list-item]
    heavy: dict[str, float] = {}
    for style in styles:
        ref_style = style if style in STYLES else None
        val = reference_images(args.data, model.spec.resolution, ref_style, "validation", cache)
        print(f"{style or 'all':<6} {args.count} paintings by {record.id} ({device.label}) vs {len(val)} validation paintings",
              file=sys.stderr)
        fake = paint_set(model, style, args.count, args.seed, sampler=args.sampler, steps=args.steps)
        result = swd(val, fake, seed=args.seed)
        _print_result(style or "all", result)
        heavy[style or "all"] = heavy_ink_fraction(fake)
        print(f"{style or 'all':<6} heavy-ink fraction (luminance < 80): {heavy[style or 'all']:.4f}")
        _print_tone(style or "all", fake, val)
        means.append(result.mean)
    if "dark" in heavy and "light" in heavy:
        ratio = heavy["dark"] / heavy["light"] if heavy["light"] > 0 else float("inf")
        print(f"heavy-ink ratio dark/light: {ratio:.2f}")
    print(f"swd {sum(means) / len(means):.2f}")
    return 0
