"""Inpainting: wall time of repaint vs blend at equal steps, and how visible the seam is.

For a few real paintings (512×512 from the shanshui set) and two masks each (a square hole and a
brush-like blob), every method repaints the hole with the same seed:

  paste    baseline: an unconditioned painting of the same seed pasted in with a hard edge
  feather  the same unconditioned painting composited through our feathered mask (feather alone)
  blend    our default (fast sampler, known region pinned each step, resampling at the end)
  repaint  RePaint (diffusers' RePaintScheduler, resampling jumps)
  invert   (GAN models only) z optimised to the kept region

Seam score = mean gradient magnitude on the band around the mask edge (as wide as the feather)
divided by the same measure on the original: 1.0 means the edge is no busier than the painting was
there; a visible seam scores well above 1 (the hard paste shows how high).

    python bench/inpaint_bench.py [--model models/ink-diffusion-64.safetensors] [--images 3]
        [--steps 20] [--jumps 3] [--seed 0] [--save DIR] [--data ../shared/datasets/shanshui/images]

Figures only; nothing here asserts.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.engine.inpaint import (  # noqa: E402
    InpaintRequest,
    auto_feather,
    composite,
    inpaint,
    prepare_source,
    repaint_evaluations,
    seam_score,
)
from studio.engine.sampling import sample_diffusion, sample_gan, to_pil  # noqa: E402
from studio.models.catalog import resolve  # noqa: E402
from studio.models.loaders import load_checkpoint  # noqa: E402

BUNDLED = ROOT / "models" / "ink-diffusion-64.safetensors"
DATA = ROOT.parent / "shared" / "datasets" / "shanshui" / "images"


def masks(size: tuple[int, int], seed: int) -> dict[str, np.ndarray]:
    w, h = size
    square = np.zeros((h, w), bool)
    square[h * 3 // 10 : h * 6 // 10, w * 35 // 100 : w * 65 // 100] = True
    rng = np.random.default_rng(seed)
    blob = Image.new("L", size, 0)
    draw = ImageDraw.Draw(blob)
    x, y = w * 0.3, h * 0.5
    for _ in range(14):  # a wandering brush stroke
        r = rng.uniform(0.04, 0.08) * w
        draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
        x = float(np.clip(x + rng.uniform(0.0, 0.06) * w, 0.1 * w, 0.9 * w))
        y = float(np.clip(y + rng.uniform(-0.05, 0.05) * h, 0.1 * h, 0.9 * h))
    return {"square": square, "blob": np.asarray(blob) >= 128}


def unconditioned(model, seed: int, steps: int) -> Image.Image:  # type: ignore[no-untyped-def]
    gen = sample_diffusion(model, [seed], steps=steps) if model.kind == "diffusion" else sample_gan(model, [seed])
    return to_pil(gen)[0].convert("RGB")


def hard_paste(model, source, seed: int, steps: int) -> Image.Image:  # type: ignore[no-untyped-def]
    """The seam to beat: a painting of the same seed, scaled to the image and pasted without feathering."""
    painted = unconditioned(model, seed, steps).resize(source.image.size, Image.LANCZOS)
    out = np.asarray(source.image).copy()
    out[source.mask_array] = np.asarray(painted)[source.mask_array]
    return Image.fromarray(out)


def feathered_paste(model, source, seed: int, steps: int, feather: int) -> Image.Image:  # type: ignore[no-untyped-def]
    """The same unconditioned painting through the feathered composite: what feathering alone buys."""
    return composite(source.image, unconditioned(model, seed, steps), source.mask_array, feather)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(BUNDLED) if BUNDLED.exists() else None, help="checkpoint path or id")
    ap.add_argument("--images", type=int, default=3)
    ap.add_argument("--steps", type=int, default=20, help="denoising steps, the same for every method")
    ap.add_argument("--jumps", type=int, default=3)
    ap.add_argument("--invert-steps", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--save", help="folder to write every result into, for looking at")
    args = ap.parse_args()
    if args.model is None:
        ap.error(f"no bundled model at {BUNDLED}; pass --model PATH")
    torch.set_num_threads(args.threads)
    record = resolve(args.model)
    model = load_checkpoint(record.path)
    files = sorted(Path(args.data).glob("*.jpg"))
    # skip near-blank silk: a seam on an empty page says nothing
    chosen = []
    for f in files[:: max(1, len(files) // 200)]:
        with Image.open(f) as im:
            if np.asarray(im.convert("L"), dtype=np.float32).std() > 25:
                chosen.append(f)
        if len(chosen) == args.images:
            break
    if not chosen:
        ap.error(f"no paintings found in {args.data}")
    save = Path(args.save) if args.save else None
    if save:
        save.mkdir(parents=True, exist_ok=True)
    methods = ["paste", "feather", "blend", "repaint"] if model.kind == "diffusion" else ["paste", "feather", "invert"]
    print(
        f"model {record.id} ({record.kind}, {record.resolution}px), {platform.processor() or platform.machine()}, "
        f"torch threads {args.threads}, steps {args.steps}, jumps {args.jumps}, seed {args.seed}"
    )
    print(f"paintings: {', '.join(f.name for f in chosen)}")
    rows: dict[str, dict[str, list[float]]] = {m: {"seconds": [], "seam": [], "seam_global": []} for m in methods}
    for f in chosen:
        with Image.open(f) as im:
            img = im.convert("RGB")
        for mask_name, mask in masks(img.size, args.seed).items():
            source = prepare_source(img, mask, name=f.stem)
            feather = auto_feather(img.size, record.resolution)
            for method in methods:
                t0 = time.perf_counter()
                if method == "paste":
                    result = hard_paste(model, source, args.seed, args.steps)
                elif method == "feather":
                    result = feathered_paste(model, source, args.seed, args.steps, feather)
                else:
                    steps = args.invert_steps if method == "invert" else args.steps
                    req = InpaintRequest(seed=args.seed, method=method, steps=steps, jumps=args.jumps)
                    result = inpaint(model, record, source, req)[0].image
                seconds = time.perf_counter() - t0
                seam, seam_global = seam_score(result, source.image, mask, band=feather)
                rows[method]["seconds"].append(seconds)
                rows[method]["seam"].append(seam)
                rows[method]["seam_global"].append(seam_global)
                print(
                    f"  {f.stem:<24} {mask_name:<6} {method:<8} {seconds:7.2f} s  seam {seam:5.2f}  (vs whole painting {seam_global:5.2f})"
                )
                if save:
                    result.save(save / f"{f.stem}-{mask_name}-{method}.png")
            if save:
                Image.fromarray(mask.astype(np.uint8) * 255).save(save / f"{f.stem}-{mask_name}-mask.png")
    evals = {
        "paste": args.steps if model.kind == "diffusion" else 1,
        "feather": args.steps if model.kind == "diffusion" else 1,
        "blend": args.steps + (args.jumps - 1) * max(1, args.steps // 4),
        "repaint": repaint_evaluations(args.steps, args.jumps, min(10, max(1, args.steps // 2))),
        "invert": args.invert_steps,
    }
    print()
    print(f"{'method':<8} {'network evals':>13} {'s/image (median)':>17} {'seam (mean)':>12} {'seam range':>14}")
    for method, r in rows.items():
        print(
            f"{method:<8} {evals[method]:>13} {statistics.median(r['seconds']):>17.2f} {statistics.mean(r['seam']):>12.2f}"
            f" {min(r['seam']):>6.2f}–{max(r['seam']):<6.2f}"
        )
    if model.kind == "diffusion":
        ratio = statistics.median(rows["repaint"]["seconds"]) / statistics.median(rows["blend"]["seconds"])
        print(f"repaint / blend wall time at {args.steps} steps: {ratio:.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
