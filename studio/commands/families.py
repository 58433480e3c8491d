"""``inkstudio compare --families``: the Four families sheet (studio.work.families), as a PNG and optionally JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from studio.errors import StudioError


def compare_families(args: argparse.Namespace, out: Path) -> int:
    from studio.api import SAMPLERS, random_seed
    from studio.engine.classroom import drawn_language
    from studio.engine.device import choose_device
    from studio.engine.pngmeta import save_png
    from studio.models.pairs import load_record
    from studio.work.families import FamiliesRequest, families_sheet, row_labels, run

    if args.style is None:
        raise StudioError("--families needs --style light or --style dark")
    if args.sampler is not None and args.sampler not in SAMPLERS:
        raise StudioError(f"unknown sampler '{args.sampler}' (choose from {', '.join(SAMPLERS)})")
    if args.data is not None and not Path(args.data).expanduser().is_dir():
        raise StudioError(f"--data {args.data} is not a folder of paintings")
    named = {"autoregressive": args.pixelcnn, "vae": args.vae, "gan": args.gan, "diffusion": args.diffusion}
    request = FamiliesRequest(
        style=args.style, count=args.count, seed=args.seed if args.seed is not None else random_seed(), steps=args.steps,
        sampler=args.sampler, data=str(Path(args.data).expanduser()) if args.data else None, cache=args.cache,
        models={k: v for k, v in named.items() if v is not None},
    ).checked()
    device = choose_device(args.device)
    sheet = run(request, lambda record: load_record(record, device.device, device.dtype))
    figures = {**sheet.to_json(), "device": device.device}
    save_png(families_sheet(sheet, lang=args.lang), {**figures, "lang": drawn_language(args.lang)}, out)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        for row in sheet.rows:
            print(" · ".join(t for t in row_labels(row) if t), file=sys.stdout)
        print(f"wrote {out}")
    return 0
