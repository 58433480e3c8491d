"""Load time and paintings per second of each checkpoint format at its native size.

    python bench/formats_bench.py                 # the test fixtures of each format, one thread
    python bench/formats_bench.py --threads 2 --count 16

The checkpoints are the fixtures of tests/format_fixtures.py, written into a temporary folder in
each format's real layout (random weights, small widths: the real networks are wider, so these
figures measure the loaders' and generators' overhead, not a full-size model's speed). Load time is
the median of ``--loads`` calls of load_checkpoint (reading, building, the probe forward);
paintings/s is ``--count`` paintings of seed S.. one at a time (the seed contract), after one warm-up;
diffusion formats paint with ``--steps`` DDIM steps.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=16)
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=20)
    args = ap.parse_args()

    import torch
    from format_fixtures import (
        write_ada_pickle,
        write_dcgan_96,
        write_dcgan_data_parallel,
        write_lightweight_gan,
        write_openai_unet,
        write_rosinality,
    )

    from studio.engine.sampling import sample_diffusion, sample_gan
    from studio.models.loaders import load_checkpoint

    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = [
            ("dcgan (96 px variant)", write_dcgan_96(folder)[0]),
            ("dcgan (DataParallel, 128 px)", write_dcgan_data_parallel(folder)[0]),
            ("stylegan2-rosinality (64 px)", write_rosinality(folder / "r64", size=64)[0]),
            ("stylegan2-ada (64 px)", write_ada_pickle(folder, resolution=64)[0]),
            ("lightweight-gan (128 px)", write_lightweight_gan(folder / "lw", image_size=128)[0]),
            ("openai-unet (32 px, 2 levels)", write_openai_unet(folder / "oa", sidecar={"image_size": 32}, num_classes=2)[0]),
        ]
        print(f"# torch {torch.__version__}, {args.threads} thread(s), {args.count} paintings one at a time, diffusion: {args.steps} DDIM steps")
        print(f"{'format':<32} {'file':>8} {'load (median)':>14} {'paintings/s':>12}")
        for label, path in cases:
            loads = []
            for _ in range(args.loads):
                t0 = time.perf_counter()
                model = load_checkpoint(path)
                loads.append(time.perf_counter() - t0)

            def paint(model: Any, seeds: list[int]) -> Any:
                if model.kind == "diffusion":
                    return sample_diffusion(model, seeds, sampler="ddim", steps=args.steps)
                return sample_gan(model, seeds)

            paint(model, [0])
            t0 = time.perf_counter()
            paint(model, list(range(args.count)))
            rate = args.count / (time.perf_counter() - t0)
            size_kb = path.stat().st_size / 1024
            print(f"{label:<32} {size_kb:>6.0f}KB {statistics.median(loads) * 1000:>11.1f} ms {rate:>12.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
