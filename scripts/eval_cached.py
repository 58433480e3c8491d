"""``inkstudio eval`` with paintings served from the cache of ``scripts/c2st_proof.py``.

A diffusion model at 64 px takes seconds a painting on a shared core, and ``eval`` paints every set
afresh. The seed contract makes painting seed ``s`` of a style the same image in any batch and any
run, so the paintings ``c2st_proof.py`` cached (``runs/cache/painted-<model>-<style>-seed0-dpm++20.pt``,
seeds 0, 1, … per style, the default sampler and steps, the model's own size) are exactly the ones
``eval`` would paint. This runs the unchanged ``eval`` command and hands it those paintings; any
painting the cache does not hold is painted as usual.

    nice -n 10 python scripts/eval_cached.py --model ink-diffusion-64 --data ../shared/datasets/shanshui/images \\
        --c2st --memorisation --memorisation-count 344 --spectrum --floor

Every ``eval`` option works; ``--cache`` is the folder of the cached paintings too.
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch


def main(argv: list[str]) -> int:
    import studio.engine.evaluate as evaluate
    from studio.cli import main as cli_main

    cache = Path("runs/cache")
    if "--cache" in argv:
        cache = Path(argv[argv.index("--cache") + 1])
    model_id = argv[argv.index("--model") + 1] if "--model" in argv else None
    original = evaluate.paint_set
    served = {"cached": 0, "painted": 0}

    def paint_set(model, style, count, seed, *, batch=16, sampler=evaluate.EVAL_SAMPLER,  # type: ignore[no-untyped-def]
                  steps=evaluate.EVAL_STEPS, size=None):
        tag = f"{sampler}{steps}" if model.kind == "diffusion" else "gan"
        f = cache / f"painted-{model_id}-{style or 'all'}-seed0-{tag}.pt"
        own_size = size is None or size == int(model.spec.resolution)
        if model_id and own_size and seed >= 0 and f.is_file():
            pool = torch.load(f)
            if len(pool) >= seed + count:
                served["cached"] += count
                return pool[seed : seed + count].clone()
        served["painted"] += count
        return original(model, style, count, seed, batch=batch, sampler=sampler, steps=steps, size=size)

    evaluate.paint_set = paint_set
    code = cli_main(["eval", *argv])
    print(f"paintings: {served['cached']} from {cache}, {served['painted']} painted", file=sys.stderr)
    return code


if __name__ == "__main__":
    torch.set_num_threads(1)
    sys.exit(main(sys.argv[1:]))
