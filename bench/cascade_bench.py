"""Wall time of a two-stage (cascade) painting at its finished size, beside a one-stage model, in one run.

    python bench/cascade_bench.py                                    # bundled ink-cascade (256 px) vs ink-diffusion-64
    python bench/cascade_bench.py --cascade PATH --reference ID --runs 5 --threads 2 --device cpu

Per model: one painting at a time (the studio's contract: every painting goes through the network
alone), dpm++ 20 steps; the cascade's time is split into its base and its upscaler passes. The runs
of the two models are interleaved so a busy machine slows both alike; min and median are printed,
then the ratio of the medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cascade", default="ink-cascade", help="two-stage model id or path (default ink-cascade)")
    ap.add_argument("--reference", default="ink-diffusion-64", help="one-stage model id or path (default ink-diffusion-64)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()

    import torch

    from studio.engine.device import choose_device
    from studio.engine.sampling import sample_diffusion
    from studio.engine.upscale import cascade_passes, finish_cascade
    from studio.models.catalog import resolve
    from studio.models.loaders import load_checkpoint

    if args.threads:
        torch.set_num_threads(args.threads)
    device = choose_device(args.device)
    models = {}
    for key, ident in (("cascade", args.cascade), ("reference", args.reference)):
        record = resolve(ident)
        models[key] = load_checkpoint(record.path, device.device, device.dtype)
    cascade = models["cascade"]
    if cascade.upscaler is None:
        print(f"{args.cascade} is not a two-stage model", file=sys.stderr)
        return 2
    size = cascade.cascade_size
    times: dict[str, list[float]] = {"cascade": [], "base": [], "upscaler": [], "reference": []}
    for run in range(args.runs + 1):  # the first run warms up and is not counted
        seed = 100 + run
        t0 = time.perf_counter()
        base = sample_diffusion(cascade, [seed], style="dark", steps=args.steps)
        t1 = time.perf_counter()
        finish_cascade(cascade, base, [seed], size)
        t2 = time.perf_counter()
        sample_diffusion(models["reference"], [seed], style="dark", steps=args.steps)
        t3 = time.perf_counter()
        if run:
            times["base"].append(t1 - t0)
            times["upscaler"].append(t2 - t1)
            times["cascade"].append(t2 - t0)
            times["reference"].append(t3 - t2)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {device.label}, dpm++ {args.steps} steps, "
          f"{args.runs} runs; cascade {cascade.spec.resolution} px base + {cascade_passes(cascade, size)} upscaler passes -> {size} px")
    for key, values in times.items():
        print(f"{key:<10} min {min(values):6.3f} s   median {statistics.median(values):6.3f} s")
    ratio = statistics.median(times["cascade"]) / statistics.median(times["reference"])
    print(f"cascade {size} px / reference {models['reference'].spec.resolution} px (medians): {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
