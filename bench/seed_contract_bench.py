"""The seed contract, measured: what painting every image alone costs, and what holds across CPU paths.

1. Cost: one batched network call for B images against B calls of one image (what the studio now
   makes), for the bundled models, interleaved, best and median of --repeats.
2. Across configurations: tests/contract_probe.py paints in a fresh interpreter per CPU path
   (threads 1 and 2, oneDNN limited to SSE4.1, ATen's kernels without oneDNN, ATen's scalar
   kernels) and saves every lone painting; each is compared with the same painting made in the
   first configuration: how many 8-bit values differ and by how much at most.

    python bench/seed_contract_bench.py                  # both, bundled models, 20 steps
    python bench/seed_contract_bench.py --skip-cost --steps 5
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MODELS = [ROOT / "models" / "ink-gan-64.safetensors", ROOT / "models" / "ink-diffusion-64.safetensors"]
CONFIGS = {
    "1 thread": (["--threads", "1"], {}),
    "2 threads": (["--threads", "2"], {}),
    "oneDNN SSE4.1": (["--threads", "2"], {"ONEDNN_MAX_CPU_ISA": "SSE41"}),
    "ATen, no oneDNN": (["--threads", "2", "--no-mkldnn"], {}),
    "ATen scalar": (["--threads", "1", "--no-mkldnn"], {"ATEN_CPU_CAPABILITY": "default"}),
}


def cost(repeats: int, threads: int) -> None:
    import torch

    from studio.engine.noise import noise_for_seeds
    from studio.models.loaders import load_checkpoint

    torch.set_num_threads(threads)
    print(f"network calls, {threads} thread(s), best / median of {repeats} (torch {torch.__version__})")
    for path in MODELS:
        model = load_checkpoint(path)
        for batch in (4, 8):
            x = noise_for_seeds(model.noise_shape, range(batch))
            labels = model.labels_for(None, batch)
            t = torch.tensor(500)

            def call(a, lab, model=model, t=t):  # type: ignore[no-untyped-def]
                return model.denoise(a, t, lab) if model.kind == "diffusion" else model.generate(a, lab)

            call(x, labels)
            together, alone = [], []
            for _ in range(repeats):
                start = time.perf_counter()
                call(x, labels)
                together.append(time.perf_counter() - start)
                start = time.perf_counter()
                for i in range(batch):
                    call(x[i : i + 1], labels[i : i + 1])
                alone.append(time.perf_counter() - start)
            b, a = min(together), min(alone)
            print(
                f"  {path.stem:<17} B={batch}: one call {b * 1000:7.1f} ms, {batch} calls of one {a * 1000:7.1f} ms,"
                f" x{a / b:.2f} (median x{float(np.median(alone)) / float(np.median(together)):.2f})"
            )


def across(steps: int, work: Path) -> None:
    reports = {}
    for name, (flags, env) in CONFIGS.items():
        out = work / name.replace(" ", "-")
        argv = [sys.executable, str(ROOT / "tests" / "contract_probe.py"), *flags, "--steps", str(steps), "--save", str(out)]
        start = time.perf_counter()
        done = subprocess.run([*argv, *map(str, MODELS)], capture_output=True, text=True, env={**os.environ, **env}, check=True)
        reports[name] = json.loads(done.stdout.strip().splitlines()[-1])
        broken = {k: v for k, v in reports[name]["cases"].items() if v["differing"]}
        print(f"{name:<16} ({reports[name]['cpu_capability']}): batch vs alone {'exact' if not broken else broken}"
              f" [{time.perf_counter() - start:.0f} s]")
    from PIL import Image

    names = list(CONFIGS)
    reference = work / names[0].replace(" ", "-")
    files = sorted(p.name for p in reference.glob("*.png"))
    print(f"\nlone paintings ({len(files)}: paint dpm++ {steps} steps, walk frames, inpaint) against '{names[0]}':")
    for name in names[1:]:
        folder = work / name.replace(" ", "-")
        worst, differing, total, images = 0, 0, 0, 0
        for f in files:
            a = np.asarray(Image.open(reference / f), np.int16)
            b = np.asarray(Image.open(folder / f), np.int16)
            d = np.abs(a - b)
            worst = max(worst, int(d.max()))
            differing += int((d > 0).sum())
            total += d.size
            images += int(d.max() > 0)
        print(f"  {name:<16} {images}/{len(files)} paintings differ; max {worst} levels; {differing}/{total} values"
              f" ({100 * differing / total:.3f}%)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--threads", type=int, default=1, help="threads for the cost figures")
    ap.add_argument("--skip-cost", action="store_true")
    ap.add_argument("--skip-across", action="store_true")
    args = ap.parse_args()
    if not args.skip_cost:
        cost(args.repeats, args.threads)
    if not args.skip_across:
        with tempfile.TemporaryDirectory(prefix="inkstudio-contract-") as tmp:
            across(args.steps, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
