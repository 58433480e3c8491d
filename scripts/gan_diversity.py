"""How much a GAN run's generator varies with z: the collapse check of docs/training.md.

    python scripts/gan_diversity.py runs/gan/state [--count 8]

Loads the raw and the EMA generator from a training-state folder, recomputes their BatchNorm
statistics as an export does, paints ``count`` fixed z per style and prints, per style, the
per-pixel standard deviation across z averaged over pixels (images in [-1, 1]). A generator that
paints one picture per style scores near 0; the validation paintings score 0.27 (light, 50
paintings) and 0.28 (dark, 60).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch
from safetensors.torch import load_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.engine.train.gan import standing_statistics  # noqa: E402
from studio.models.inkgan import GENERATORS  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("state", help="a GAN training-state folder (with state.json)")
    ap.add_argument("--count", type=int, default=8, help="z per style (default 8)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    folder = Path(args.state)
    info = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    cfg = info["generator_config"]
    cls = GENERATORS[info.get("generator_class", "InkGenerator")]
    classes = max(1, cfg.get("num_classes", 0))
    z = torch.randn(args.count * classes, cfg["nz"], generator=torch.Generator().manual_seed(0))
    labels = torch.arange(args.count * classes) % classes if cfg.get("num_classes") else None
    print(f"step {info['step']}")
    for group in ("generator", "ema"):
        weights: dict[str, torch.Tensor] = {}
        for name in info["shards"][group]:
            weights.update(load_file(str(folder / name)))
        gen = cls(**cfg)
        gen.load_state_dict(weights)
        standing_statistics(gen, cfg.get("num_classes", 0), cfg["nz"])
        with torch.no_grad():
            images = gen(z, labels)
        spreads = [float(images[c::classes].std(dim=0).mean()) for c in range(classes)]
        print(f"{group:<9} std across z per style: " + ", ".join(f"{s:.3f}" for s in spreads))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
