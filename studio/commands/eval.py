"""``inkstudio eval``: how close a model's paintings are to the validation paintings, with the
real-vs-real figure (training vs validation paintings) of every measure.

* SWD (always): sliced Wasserstein distance of Laplacian-pyramid 7×7 patches per style and pyramid
  level, from the painting size down to 16 px; ``--floor`` prints each level's real-vs-real floor
  beside it, ``--real-vs-real`` prints only the floor.
* ``--c2st``: classifier two-sample test at 64 px and at the painting size when larger (0.5 = the
  classifier cannot tell the model's paintings from real ones).
* ``--memorisation``: how many paintings sit closer to a training painting than the validation
  paintings do, and a sheet of the closest pairs.
* ``--spectrum``: peaks of the radial power spectrum over that of real paintings (grid marks).
* ``--bits-per-dim``: the likelihood of the validation paintings where the model has one
  (:mod:`studio.work.likelihood`), beside uniform pixels (8.0) and PNG's compression of them.

See :mod:`studio.engine.measures` and docs/training.md ("Realism and copying measures").
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import studio.cli as cli
from studio.errors import StudioError

C2ST_MAX_SIZE = 64  # the C2ST always runs here (or at the painting size when smaller) ...
MEMORISATION_COUNT = 500


def _add_parser(sub: argparse._SubParsersAction) -> None:
    from studio.api import SAMPLERS

    p = sub.add_parser("eval", help="realism measures of a model's paintings against the validation paintings")
    p.add_argument("--model", help="model id or checkpoint path (default: the bundled diffusion model)")
    p.add_argument("--style", help="one style (default: every style the model offers, light and dark for --real-vs-real)")
    p.add_argument("--data", required=True, help="folder of paintings (the validation split is chosen by source painting)")
    p.add_argument("--count", type=cli._positive_int, default=100, help="SWD: generated (or training) images per style (default 100)")
    p.add_argument("--seed", type=cli._seed, default=0, help="first seed of the generated images (default 0)")
    p.add_argument("--sampler", choices=list(SAMPLERS), default="dpm++", help="diffusion sampler (default dpm++)")
    p.add_argument("--steps", type=cli._positive_int, default=20, help="diffusion steps (default 20)")
    p.add_argument("--size", type=cli._positive_int,
                   help="painting size (default: the model's own; ×2, ×4… through the ink upscaler as generate paints them)")
    p.add_argument("--resolution", type=cli._positive_int, help="--real-vs-real: image size (default 64)")
    p.add_argument("--real-vs-real", action="store_true", help="the floor: training vs validation paintings")
    p.add_argument("--floor", action="store_true", help="SWD: print the real-vs-real floor of each level beside the model's")
    p.add_argument("--c2st", action="store_true",
                   help="classifier two-sample test at 64 px and at the painting size when larger (0.5 is best)")
    p.add_argument("--c2st-seeds", type=cli._positive_int, default=3, help="classifiers trained per C2ST (default 3)")
    p.add_argument("--c2st-epochs", type=cli._positive_int, default=None, help="C2ST training epochs (default 30)")
    p.add_argument("--memorisation", action="store_true",
                   help="nearest training painting of every painting against that of the validation paintings")
    p.add_argument("--memorisation-count", type=cli._positive_int, default=MEMORISATION_COUNT,
                   help=f"paintings checked for copies (default {MEMORISATION_COUNT})")
    p.add_argument("--sheet", help="--memorisation: PNG of the 16 closest pairs (default runs/eval/<model>-closest.png)")
    p.add_argument("--spectrum", action="store_true", help="radial power spectrum over that of real paintings; peaks are grid marks")
    p.add_argument("--bits-per-dim", action="store_true",
                   help="likelihood: bits per dimension of the validation paintings under the model, beside uniform (8.0) and PNG")
    p.add_argument("--cache", default="runs/cache", help="image cache folder (default runs/cache)")


cli._EXTRA_PARSERS.append(_add_parser)


def _print_result(label: str, result) -> None:  # type: ignore[no-untyped-def]
    for size, dist in zip(result.sizes, result.levels):
        print(f"{label:<6} level {size:>3}px  {dist:9.2f}")
    print(f"{label:<6} mean          {result.mean:9.2f}")


def _print_floor(label: str, floor, result) -> None:  # type: ignore[no-untyped-def]
    for size, dist, model in zip(floor.sizes, floor.levels, result.levels):
        print(f"{label:<6} floor {size:>3}px  {dist:9.2f}  (model {model / dist:.2f}x)")
    print(f"{label:<6} floor mean     {floor.mean:9.2f}  (model {result.mean / floor.mean:.2f}x)")


def _print_tone(label: str, images, validation) -> None:  # type: ignore[no-untyped-def]
    from studio.engine.evaluate import tone_spread

    (m, s), (vm, vs) = tone_spread(images), tone_spread(validation)
    print(f"{label:<6} tone (mean luminance per painting): {m:.1f} ± {s:.1f} (validation {vm:.1f} ± {vs:.1f})")


def _swd_floor(args: argparse.Namespace, style: str | None, resolution: int):  # type: ignore[no-untyped-def]
    """SWD of ``--count`` training paintings against the validation paintings, and the training paintings."""
    import torch

    from studio.engine.swd import swd
    from studio.engine.train.data import reference_images

    val = reference_images(args.data, resolution, style, "validation", args.cache or None)
    train = reference_images(args.data, resolution, style, "train", args.cache or None)
    pick = torch.randperm(len(train), generator=torch.Generator().manual_seed(args.seed))[: args.count]
    return swd(val, train[pick], seed=args.seed), train[pick], val


def _c2st_options(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from studio.engine.measures import C2STOptions

    options = C2STOptions(seeds=tuple(range(args.c2st_seeds)))
    if args.c2st_epochs is not None:
        options = C2STOptions(epochs=args.c2st_epochs, seeds=options.seeds)
    return options


def _c2st_note(result, options) -> str:  # type: ignore[no-untyped-def]
    seeds = " ".join(f"{a:.3f}" for a in result.accuracies)
    return (f"{len(options.seeds)} classifier seeds: {seeds}; {options.epochs} epochs; learnt on {result.train} vs {result.train}, "
            f"scored on {result.test} vs {result.test}")


def _c2st_sizes(size: int) -> list[int]:
    small = min(C2ST_MAX_SIZE, size)
    return [small] if size == small else [small, size]


def _check_c2st_size(size: int) -> None:
    if size < 8 or size & (size - 1):
        raise StudioError(f"--c2st needs a painting size that is a power of two (8, 16, … 512), not {size}")


def _spectrum_text(result) -> str:  # type: ignore[no-untyped-def]
    if not result.peaks:
        return f"no peak (largest excess {result.max_excess:.2f})"
    parts = [f"radius {p.radius} (period {p.period:.1f} px, ratio {p.ratio:.2f}, excess {p.excess:.2f})" for p in result.peaks]
    return f"{len(result.peaks)} peak{'s' if len(result.peaks) > 1 else ''}: " + "; ".join(parts)


def _sheet_path(args: argparse.Namespace, model_id: str) -> Path:
    """Where the memorisation sheet goes; checked before any painting is made."""
    path = Path(args.sheet).expanduser() if args.sheet else Path("runs") / "eval" / f"{model_id}-closest.png"
    if path.suffix.lower() != ".png":
        raise StudioError(f"--sheet {path}: the sheet is a PNG file (name it .png)")
    if path.is_dir():
        raise StudioError(f"--sheet {path} is a folder; give a file name")
    cli.prepare_out_dir(path.parent)
    return path


def _real_vs_real_measures(args: argparse.Namespace, resolution: int, styles: list[str]) -> None:
    from studio.engine.measures import c2st, memorisation, plan_c2st, real_sets, spectrum_ratio

    reals = real_sets(args.data, resolution, styles, args.cache or None)
    if args.c2st:
        _check_c2st_size(resolution)
        plan = plan_c2st(reals, seed=args.seed)
        options = _c2st_options(args)
        floor = c2st(plan.real_train, plan.stand_in_train, plan.real_test, plan.stand_in_test, size=resolution, options=options)
        print(f"c2st {resolution}px real-vs-real {floor.text()} ({_c2st_note(floor, options)})")
    if args.memorisation:
        result = memorisation(reals.validation, reals.train, reals.validation)
        print(f"memorisation real-vs-real: {len(reals.validation)} validation vs {len(reals.train)} training paintings: "
              f"nearest distance 1st percentile {result.threshold:.4f}, median {float(result.validation_distances.median()):.4f}")
    if args.spectrum:
        print(f"spectrum {resolution}px real-vs-real (validation over training): "
              f"{_spectrum_text(spectrum_ratio(reals.validation, reals.train))}")


def _bits_per_dim(args: argparse.Namespace, cache: str | None) -> int:
    from studio.work.likelihood import LikelihoodRequest, bits_text, run

    if args.c2st or args.memorisation or args.spectrum or args.floor:
        raise StudioError("--bits-per-dim is measured on its own: leave out --c2st, --memorisation, --spectrum and --floor")
    record, model, _device = cli.load_model_for(args)
    if args.size and args.size != record.resolution:
        raise StudioError(f"--bits-per-dim measures paintings at the model's own size ({record.resolution} px), not {args.size}")
    result = run(LikelihoodRequest(args.data, args.style, cache), model)
    print(f"{record.id}: {result.density} density; validation paintings at {result.size}px, bits per dimension "
          f"(sub-pixel) — model, uniform 8-bit, PNG files of the same images", file=sys.stderr)
    for row in result.rows:
        model_text = bits_text(row.model) if row.model is not None else f"— ({result.density} density: no likelihood)"
        print(f"{row.style:<6} {row.images:>4} paintings  model {model_text}  uniform {row.uniform:.3f}  png {row.png:.3f}")
    return 0


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
        if args.size:
            raise StudioError("--real-vs-real takes --resolution, not --size")
        resolution = args.resolution or 64
        styles = [args.style] if args.style else list(STYLES)
        for style in styles:
            if style not in STYLES:
                raise StudioError(f"unknown style '{style}' (light or dark)")
        if args.c2st:
            _check_c2st_size(resolution)
        for style in styles:
            result, train, val = _swd_floor(args, style, resolution)
            print(f"{style:<6} {len(train)} training vs {len(val)} validation paintings at {resolution}px", file=sys.stderr)
            _print_result(style, result)
            print(f"{style:<6} heavy-ink fraction (luminance < 80): {heavy_ink_fraction(train):.4f}")
            _print_tone(style, train, val)
            means.append(result.mean)
        print(f"swd {sum(means) / len(means):.2f}")
        _real_vs_real_measures(args, resolution, styles)
        return 0

    if args.resolution:
        raise StudioError("--resolution is for --real-vs-real; a model paints at --size")
    if args.bits_per_dim:
        return _bits_per_dim(args, cache)
    from studio.engine.upscale import size_plan

    record, model, device = cli.load_model_for(args)
    size = args.size or record.resolution  # a two-stage model's finished size
    size_plan(model, size)  # refuses, before any work, a size the model does not paint
    if args.c2st:
        _check_c2st_size(size)
    sheet = _sheet_path(args, record.id) if args.memorisation else None
    if args.style is not None:
        model.labels_for(args.style, 1)  # validates the style
        styles = [args.style]
    else:
        styles = list(model.styles) or [None]  # type: ignore[list-item]
    real_names = [s for s in styles if s in STYLES] or list(STYLES)

    def paint_style(name: str) -> str | None:
        return name if name in styles else None

    # one pool of paintings per style (seeds seed, seed+1, …) that every measure takes its share of
    need: dict[str | None, int] = {s: args.count for s in styles}
    plan = reals = None
    if args.c2st or args.memorisation or args.spectrum:
        from studio.engine.measures import plan_c2st, real_sets

        reals = real_sets(args.data, size, real_names, cache)
    if args.c2st:
        from studio.engine.measures import plan_needs

        plan = plan_c2st(reals, seed=args.seed)
        for ps, n in plan_needs(plan, paint_style).items():
            need[ps] = max(need.get(ps, 0), n)
    memo_styles = sorted({paint_style(n) for n in real_names}, key=str)
    if args.memorisation:
        share = math.ceil(args.memorisation_count / len(memo_styles))
        for ps in memo_styles:
            need[ps] = max(need.get(ps, 0), share)

    pool: dict[str | None, torch.Tensor] = {}
    for ps, n in need.items():
        print(f"{ps or 'all':<6} painting {n} at {size}px with {record.id} ({device.label})", file=sys.stderr)
        first = paint_set(model, ps, min(n, args.count), args.seed, sampler=args.sampler, steps=args.steps, size=size)
        more = [paint_set(model, ps, n - args.count, args.seed + args.count, sampler=args.sampler, steps=args.steps, size=size)] \
            if n > args.count else []
        pool[ps] = torch.cat([first, *more])

    heavy: dict[str, float] = {}
    for style in styles:
        ref_style = style if style in STYLES else None
        val = reference_images(args.data, size, ref_style, "validation", cache)
        print(f"{style or 'all':<6} {args.count} paintings by {record.id} vs {len(val)} validation paintings", file=sys.stderr)
        fake = pool[style][: args.count]
        result = swd(val, fake, seed=args.seed)
        _print_result(style or "all", result)
        if args.floor:
            floor, _, _ = _swd_floor(args, ref_style, size)
            _print_floor(style or "all", floor, result)
        heavy[style or "all"] = heavy_ink_fraction(fake)
        print(f"{style or 'all':<6} heavy-ink fraction (luminance < 80): {heavy[style or 'all']:.4f}")
        _print_tone(style or "all", fake, val)
        means.append(result.mean)
    if "dark" in heavy and "light" in heavy:
        ratio = heavy["dark"] / heavy["light"] if heavy["light"] > 0 else float("inf")
        print(f"heavy-ink ratio dark/light: {ratio:.2f}")
    print(f"swd {sum(means) / len(means):.2f}")

    if plan is not None:
        from studio.engine.measures import c2st, generated_for_plan

        fake_learn, fake_score = generated_for_plan(plan, pool, paint_style)
        options = _c2st_options(args)
        for c_size in _c2st_sizes(size):
            print(f"c2st {c_size}px: training {len(options.seeds)} classifiers for the model and {len(options.seeds)} for the floor",
                  file=sys.stderr)
            result = c2st(plan.real_train, fake_learn, plan.real_test, fake_score, size=c_size, options=options)
            floor = c2st(plan.real_train, plan.stand_in_train, plan.real_test, plan.stand_in_test, size=c_size, options=options)
            print(f"c2st {c_size}px {result.text()}  real-vs-real {floor.text()}  ({_c2st_note(result, options)})")
    if args.memorisation:
        from studio.engine.measures import closest_pairs_sheet, memorisation
        from studio.engine.pngmeta import save_png

        share = math.ceil(args.memorisation_count / len(memo_styles))
        samples = torch.cat([pool[ps][:share] for ps in memo_styles])
        result = memorisation(samples, reals.train, reals.validation)
        print(f"memorisation {100 * result.fraction:.1f}% of {len(samples)} paintings closer to a training painting than "
              f"the validation paintings' {result.percentile:g}st percentile ({result.threshold:.4f})  "
              f"real-vs-real {100 * result.validation_fraction:.1f}% of {len(reals.validation)} validation paintings; "
              f"median nearest distance {float(result.distances.median()):.4f} (validation "
              f"{float(result.validation_distances.median()):.4f})")
        save_png(closest_pairs_sheet(samples, reals.train, result),
                 {"kind": "memorisation-sheet", "model": record.id, "samples": len(samples), "seed": args.seed,
                  "threshold": round(result.threshold, 6)}, sheet)
        print(f"closest pairs: {sheet}")
    if args.spectrum:
        from studio.engine.measures import spectrum_ratio

        samples = torch.cat([pool[s][: args.count] for s in styles])  # the SWD's paintings
        print(f"spectrum {size}px {_spectrum_text(spectrum_ratio(samples, reals.train))}  "
              f"real-vs-real {_spectrum_text(spectrum_ratio(reals.validation, reals.train))}")
    return 0
