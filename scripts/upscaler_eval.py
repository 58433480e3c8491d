"""The ink upscaler's measure (issue: the learned upscaler): validation paintings reduced to 64 px with
Lanczos, enlarged ×4, SWD per Laplacian level at 256 px against the 256 px originals — ink vs Lanczos
vs bicubic, side by side — plus a comparison sheet.

    python scripts/upscaler_eval.py models/ink-upscaler.safetensors --data ../shared/datasets/shanshui/images \
        --count 100 --sheet docs/models/ink-upscaler-compare.jpg

Prints one row per method and the ratio Lanczos / ink per level (the target: ≥ 5 at 256 and 128 px).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("upscaler")
    ap.add_argument("--data", default="../shared/datasets/shanshui/images")
    ap.add_argument("--count", type=int, default=100, help="validation paintings (default 100; fewer if the split has fewer)")
    ap.add_argument("--sheet", help="write a comparison sheet (JPEG/PNG): 64 px input, Lanczos, ink, original")
    ap.add_argument("--threads", type=int)
    ap.add_argument("--cache", default=None)
    args = ap.parse_args()

    import torch
    import torch.nn.functional as F

    from studio.engine.inkstyle import STYLES, build_manifest
    from studio.engine.swd import swd
    from studio.engine.train.data import load_images, select_rows, to_model_range
    from studio.engine.upscale import ink_upscale, lanczos_upscale
    from studio.models.inkupscaler import load_upscaler

    if args.threads:
        torch.set_num_threads(args.threads)
    data = Path(args.data)
    rows = select_rows(build_manifest(data), "validation", dict(STYLES))[: args.count]
    cache = Path(args.cache) if args.cache else None
    real = to_model_range(load_images(data, rows, 256, dict(STYLES), cache).pixels)
    small = to_model_range(load_images(data, rows, 64, dict(STYLES), cache).pixels)
    up = load_upscaler(args.upscaler)
    results = {
        "ink": ink_upscale(up, small, list(range(len(small))), passes=2),
        "lanczos": lanczos_upscale(small, 4),
        "bicubic": F.interpolate(small, scale_factor=4, mode="bicubic", align_corners=False).clamp(-1, 1),
    }
    print(f"{len(rows)} validation paintings, 64 -> 256 px; SWD x1e3 per level vs the 256 px originals")
    figures = {}
    for name, images in results.items():
        r = swd(real, images)
        figures[name] = r
        print(f"{name:<8} " + "  ".join(f"{s}px {v:7.1f}" for s, v in zip(r.sizes, r.levels)) + f"   mean {r.mean:7.1f}")
    ratios = [lz / max(ink, 1e-9) for lz, ink in zip(figures["lanczos"].levels, figures["ink"].levels)]
    print("lanczos/ink " + "  ".join(f"{s}px {q:5.2f}x" for s, q in zip(figures["ink"].sizes, ratios)))
    if args.sheet:
        from studio.engine.evaluate import image_grid

        k = min(6, len(real))
        grid = image_grid([F.interpolate(small[:k], scale_factor=4, mode="nearest"), results["lanczos"][:k], results["ink"][:k], real[:k]])
        Path(args.sheet).parent.mkdir(parents=True, exist_ok=True)
        grid.save(args.sheet, quality=88)
        print(f"sheet: {args.sheet} (rows: 64 px input, Lanczos x4, ink x4, original)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
