"""``inkstudio upscale``: enlarge paintings ×2/×4/×8 with the learned ink upscaler (or Lanczos).

inkstudio upscale painting.png --scale 4 --out big/
inkstudio upscale series/ --scale 2 --method lanczos --out big/
inkstudio upscale scan.jpg --scale 2 --upscaler my-upscaler.safetensors --seed 3 --out big/

Any painting works — from any model, or a scan. A painting made by Ink Studio keeps its embedded
settings, with the upscale appended to its ``upscaled`` list; its seed also seeds the upscaler's
texture noise, so upscaling the same painting twice gives the same pixels.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import studio.cli as cli
from studio.api import DEVICE_CHOICES, UPSCALE_METHODS
from studio.errors import StudioError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp")
MAX_OUTPUT_SIDE = 4096  # the ink upscaler holds ~50 feature maps of the output size in memory


def _add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("upscale", help="enlarge paintings x2/x4/x8 with the learned ink upscaler (or Lanczos)",
                       description="Each input (a painting, or a folder of them) is written to --out as NAME-xSCALE.png; "
                       "settings embedded by Ink Studio are kept and the upscale is recorded.")
    p.add_argument("inputs", nargs="+", metavar="IMAGE|DIR", help="paintings or folders of paintings")
    p.add_argument("--scale", type=int, choices=(2, 4, 8), default=2, help="enlargement (default 2)")
    p.add_argument("--method", choices=UPSCALE_METHODS, default="ink", help="ink (learned, default) or lanczos")
    p.add_argument("--upscaler", help="an ink upscaler .safetensors (default: the bundled one)")
    p.add_argument("--seed", type=cli._seed, help="texture seed for paintings that carry none (default 0)")
    p.add_argument("--device", choices=DEVICE_CHOICES, default="auto")
    p.add_argument("--out", required=True, help="output folder (created if missing)")


cli._EXTRA_PARSERS.append(_add_parser)


def bundled_upscaler() -> Path:
    from studio.config import paths

    return paths.bundled_models_dir() / "ink-upscaler.safetensors"


def _inputs(items: list[str]) -> list[Path]:
    files: list[Path] = []
    for item in items:
        path = Path(item).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith("."))
            if not found:
                raise StudioError(f"{path}: no images in this folder")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise StudioError(f"{path}: no such file or folder")
    return files


@cli.command("upscale")
def cmd_upscale(args: argparse.Namespace) -> int:
    from studio.engine.device import choose_device
    from studio.engine.images import load_image_rgb
    from studio.engine.pngmeta import read_png_meta, save_png
    from studio.engine.sampling import to_pil
    from studio.engine.upscale import ink_upscale, lanczos_upscale_pil, passes_for, pil_to_model
    from studio.models.inkupscaler import load_upscaler

    files = _inputs(args.inputs)
    if args.method == "lanczos" and args.upscaler:
        raise StudioError("--upscaler is for --method ink")
    upscaler = None
    if args.method == "ink":
        upscaler = load_upscaler(Path(args.upscaler).expanduser() if args.upscaler else bundled_upscaler())
    passes = passes_for(args.scale)
    out = cli.prepare_out_dir(args.out)
    device = choose_device(args.device)
    bar = cli._progress_bar(len(files) * (passes if upscaler else 1), f"upscale x{args.scale} {device.label}")
    written = 0
    try:
        for path in files:
            loaded = load_image_rgb(path)
            for notice in loaded.notices:
                print(f"note: {notice}", file=sys.stderr)
            image = loaded.image
            w, h = image.size
            if max(w, h) * args.scale > MAX_OUTPUT_SIDE and upscaler is not None:
                raise StudioError(f"{path.name}: {w}×{h} px ×{args.scale} would be over {MAX_OUTPUT_SIDE} px; "
                                  "use a smaller --scale or --method lanczos")
            try:
                meta = read_png_meta(path)
            except StudioError:
                meta = {}
            seed = args.seed if args.seed is not None else int(meta.get("seed", 0) or 0)
            if upscaler is not None:
                x = pil_to_model(image)
                big = to_pil(ink_upscale(upscaler, x, [seed], passes, device=device.device,
                                         on_pass=lambda done, total: bar.update(1)))[0]
                record = {"method": "ink", "scale": args.scale, "upscaler": upscaler.name, "seed": seed}
            else:
                big = lanczos_upscale_pil(image, args.scale)
                bar.update(1)
                record = {"method": "lanczos", "scale": args.scale}
            meta = dict(meta)
            meta["upscaled"] = [*meta.get("upscaled", []), {**record, "from_size": [w, h]}]
            save_png(big, meta, out / f"{path.stem}-x{args.scale}.png")
            written += 1
    finally:
        bar.close()
    print(f"wrote {written} painting(s) to {out} (x{args.scale}, {args.method})")
    return 0
