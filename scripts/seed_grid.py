"""The fixed seed grid a model is judged by eye on: N paintings per style (seeds 0..N-1, dpm++ 20 steps),
one JPEG per style, cells shrunk to --cell px.

    python scripts/seed_grid.py ink-cascade --out docs/models/ink-cascade-{style}-grid.jpg
    python scripts/seed_grid.py path/to/base.safetensors --count 64 --cell 96 --out /tmp/grid-{style}.jpg
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="model id or path")
    ap.add_argument("--out", required=True, help="output path with {style}")
    ap.add_argument("--count", type=int, default=64)
    ap.add_argument("--cell", type=int, default=128)
    ap.add_argument("--size", type=int, default=None, help="painting size (default: the model's)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from PIL import Image

    from studio.engine.evaluate import paint_set
    from studio.engine.sampling import to_pil
    from studio.models.catalog import resolve
    from studio.models.loaders import load_checkpoint

    record = resolve(args.model)
    model = load_checkpoint(record.path)
    for style in model.styles or [None]:
        images = to_pil(paint_set(model, style, args.count, args.seed, size=args.size))
        cols = math.ceil(math.sqrt(args.count))
        rows = math.ceil(args.count / cols)
        pad = 4
        sheet = Image.new("RGB", (cols * (args.cell + pad) + pad, rows * (args.cell + pad) + pad), (250, 248, 240))
        for i, im in enumerate(images):
            cell = im.convert("RGB").resize((args.cell, args.cell), Image.LANCZOS if im.width > args.cell else Image.NEAREST)
            sheet.paste(cell, (pad + (i % cols) * (args.cell + pad), pad + (i // cols) * (args.cell + pad)))
        out = Path(args.out.format(style=style or "all"))
        out.parent.mkdir(parents=True, exist_ok=True)
        sheet.save(out, quality=85)
        print(f"{out}: {len(images)} paintings of {record.id} ({style}), seeds {args.seed}..{args.seed + args.count - 1}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
