"""The C2ST instrument proof (docs/training.md, "Realism and copying measures").

A two-sample classifier that is too weak makes every model look good. This runs the C2ST of
``inkstudio eval --c2st`` at 64 px on sets whose answer is known:

* real-vs-real (the floor): other training paintings in place of generated ones — should be ≤ 0.65;
* blurred real paintings (Gaussian, sigma 1 px at 64 px) — should be ≥ 0.95;
* the bundled ink-gan-64 and ink-diffusion-64 (dpm++, 20 steps, as ``eval`` paints) — ≥ 0.95.

    nice -n 10 python scripts/c2st_proof.py --data ../shared/datasets/shanshui/images --seeds 3 --json runs/c2st_proof.json

It prints one line per set and whether the instrument passes, and writes the figures as JSON
(``--json``). The models' paintings are cached under ``--cache`` chunk by chunk as they are painted
(an interrupted run resumes; ``--paint-only --paint-style dark`` and ``… light`` let two processes
paint one model's sets side by side), and ``--keep SET …`` takes a set's figures from an earlier
``--json`` of the same recipe, so the proof can be run in parts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

FLOOR_BAR = 0.65
TELL_BAR = 0.95
BLUR_SIGMA = 1.0


def painted_pool(model, model_id: str, needs: dict, seed: int, cache: str | None, log, chunk: int = 16) -> dict:  # type: ignore[no-untyped-def]
    """Paintings per style (seeds seed, seed+1, … as ``inkstudio eval`` paints them), painted in chunks that are
    cached under ``cache`` as they finish, so an interrupted run resumes; styles take turns chunk by chunk."""
    from studio.engine.evaluate import EVAL_SAMPLER, EVAL_STEPS, paint_set

    def path(style: str | None) -> Path | None:
        tag = f"{EVAL_SAMPLER}{EVAL_STEPS}" if model.kind == "diffusion" else "gan"
        return Path(cache) / f"painted-{model_id}-{style or 'all'}-seed{seed}-{tag}.pt" if cache else None

    pool: dict = {}
    for style in needs:
        f = path(style)
        pool[style] = torch.load(f) if f is not None and f.is_file() else torch.empty(0, 3, 0, 0)
    while any(len(pool[s]) < n for s, n in needs.items()):
        for style, n in needs.items():
            have = len(pool[style])
            if have >= n:
                continue
            more = paint_set(model, style, min(chunk, n - have), seed + have)  # the seed contract: one painting per seed
            pool[style] = more if have == 0 else torch.cat([pool[style], more])
            f = path(style)
            if f is not None:
                f.parent.mkdir(parents=True, exist_ok=True)
                torch.save(pool[style], f.with_suffix(".part"))
                f.with_suffix(".part").replace(f)
            log(f"{model_id} {style}: {len(pool[style])}/{n} painted")
    return {s: pool[s][:n] for s, n in needs.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="folder of paintings")
    ap.add_argument("--models", nargs="*", default=["ink-gan-64", "ink-diffusion-64"], help="model ids or paths")
    ap.add_argument("--seeds", type=int, default=3, help="classifier seeds per set (default 3)")
    ap.add_argument("--epochs", type=int, default=None, help="classifier epochs (default: the C2ST's own)")
    ap.add_argument("--seed", type=int, default=0, help="which paintings the plan picks and the first painting seed")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--cache", default="runs/cache", help="cache of real images and of painted sets (resumable; '' for none)")
    ap.add_argument("--paint-only", action="store_true", help="paint (and cache) the models' sets, train no classifier")
    ap.add_argument("--paint-style", help="--paint-only: paint this style's set alone (two processes can share the work)")
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--keep", nargs="*", default=[], metavar="SET",
                    help="sets whose figures --json already holds for the same recipe (e.g. real-vs-real), not trained again")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)

    from studio.engine.measures import C2STOptions, blur, c2st, generated_for_plan, plan_c2st, plan_needs, real_sets
    from studio.models.catalog import resolve
    from studio.models.loaders import load_checkpoint

    start = time.time()

    def log(text: str) -> None:
        print(f"[{(time.time() - start) / 60:5.1f} min] {text}", file=sys.stderr, flush=True)

    options = C2STOptions(seeds=tuple(range(args.seeds)))
    if args.epochs:
        options = C2STOptions(epochs=args.epochs, seeds=options.seeds)
    reals = real_sets(args.data, 64, None, args.cache or None)
    plan = plan_c2st(reals, seed=args.seed)
    log(f"{len(reals.train)} training and {len(reals.validation)} validation paintings; learning from {len(plan.real_train)} "
        f"vs {len(plan.real_train)}, scoring {len(plan.real_test)} vs {len(plan.real_test)}")

    sets: dict[str, tuple[torch.Tensor, torch.Tensor]] = {
        "real-vs-real": (plan.stand_in_train, plan.stand_in_test),
        f"blurred real (sigma {BLUR_SIGMA:g} px)": (blur(plan.stand_in_train, BLUR_SIGMA), blur(plan.stand_in_test, BLUR_SIGMA)),
    }
    for name in args.models:
        record = resolve(name)
        model = load_checkpoint(record.path, torch.device("cpu"), torch.float32, size=record.resolution)
        t0 = time.time()
        needs = plan_needs(plan)
        if args.paint_only and args.paint_style:
            needs = {s: n for s, n in needs.items() if s == args.paint_style}
        pool = painted_pool(model, record.id, needs, args.seed, args.cache or None, log)
        if args.paint_only:
            continue
        log(f"{sum(len(v) for v in pool.values())} paintings of {record.id} ready in {time.time() - t0:.0f} s")
        sets[record.id] = generated_for_plan(plan, pool)
    if args.paint_only:
        return 0

    figures = {}
    done: dict = {}
    if args.json and Path(args.json).is_file():  # a run in parts: keep the figures of the same recipe and plan
        kept = json.loads(Path(args.json).read_text())
        if kept.get("options") == json.loads(json.dumps(vars(options), default=list)) and kept.get("seed") == args.seed:
            done = kept.get("figures", {})
    for name in args.keep:
        if name not in done:
            raise SystemExit(f"--keep {name}: no figures of the same recipe in {args.json}")
        figures[name] = done[name]
        log(f"{name}: kept from {args.json}: {figures[name]['mean']:.3f} ± {figures[name]['spread']:.3f}")
    for name, (fake_learn, fake_score) in sets.items():
        if name in figures:
            continue
        t0, c0 = time.time(), time.process_time()
        result = c2st(plan.real_train, fake_learn, plan.real_test, fake_score, size=64, options=options)
        figures[name] = {"mean": round(result.mean, 4), "spread": round(result.spread, 4), "accuracies": result.accuracies,
                         "seconds": round(time.time() - t0), "cpu_seconds": round(time.process_time() - c0)}
        log(f"{name}: {result.text()} ({' '.join(f'{a:.3f}' for a in result.accuracies)})")

    if "real-vs-real" not in figures:
        raise SystemExit("no real-vs-real figure: run it (or --keep it)")
    floor_ok = figures["real-vs-real"]["mean"] <= FLOOR_BAR
    tell_ok = all(v["mean"] >= TELL_BAR for k, v in figures.items() if k != "real-vs-real")
    print(f"C2ST at 64 px, {len(options.seeds)} classifier seeds, {options.epochs} epochs, width {options.width}, "
          f"depth {options.depth}; learnt on {len(plan.real_train)} vs {len(plan.real_train)}, scored on "
          f"{len(plan.real_test)} vs {len(plan.real_test)}")
    for name, f in figures.items():
        print(f"  {name:<28} {f['mean']:.3f} ± {f['spread']:.3f}   ({f['seconds']} s)")
    verdict = "passes" if floor_ok and tell_ok else "FAILS"
    print(f"instrument {verdict}: real-vs-real ≤ {FLOOR_BAR} {'yes' if floor_ok else 'no'}, every other ≥ {TELL_BAR} "
          f"{'yes' if tell_ok else 'no'}; {(time.time() - start) / 60:.1f} min")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"options": vars(options), "figures": figures, "passes": floor_ok and tell_ok, "seed": args.seed,
                                               "minutes": round((time.time() - start) / 60, 1),
                                               "command": " ".join(sys.argv)}, indent=2, default=list))
    return 0 if floor_ok and tell_ok else 1


if __name__ == "__main__":
    sys.exit(main())
