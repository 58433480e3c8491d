"""Bundle a trained model: copy it into models/, evaluate it (SWD per style and level against the
validation paintings, the real-vs-real floor, heavy-ink fractions), draw its sample grid and its
SWD-over-wall-time curve under docs/models/, and write the model card models/<id>.md.

    python scripts/bundle_model.py --model runs/diffusion/ink-diffusion-64.safetensors --id ink-diffusion-64 \
        --state train_state/ink-diffusion-64 [--data ../shared/datasets/shanshui/images] [--count 100]

The figures in the card are exactly what ``inkstudio eval --model <id> --data DIR --count 100 --seed 0``
and ``inkstudio eval --real-vs-real --data DIR --count 100 --seed 0`` print.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

import torch
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.engine.evaluate import heavy_ink_fraction, image_grid, paint_set, tone_spread  # noqa: E402
from studio.engine.swd import swd  # noqa: E402
from studio.engine.train.data import reference_images  # noqa: E402
from studio.models.inkfile import read_ink_metadata  # noqa: E402
from studio.models.loaders import load_checkpoint  # noqa: E402

GRID_SEED = 20260000


def swd_curve(history: list[dict], out: Path, floor: float | None) -> None:
    """A small line chart of mean SWD against wall-clock training minutes (PIL only)."""
    pts = [(h["wall_seconds"] / 60, h["swd_mean"], h.get("resolution")) for h in history if h.get("swd_mean") is not None]
    w, h, m = 520, 300, 46
    im = Image.new("RGB", (w, h), (252, 250, 244))
    d = ImageDraw.Draw(im)
    if not pts:
        d.text((m, h // 2), "no SWD measured yet", fill=(0, 0, 0))
        im.save(out)
        return
    xmax = max(p[0] for p in pts) * 1.05 or 1
    values = [p[1] for p in pts] + ([floor] if floor else [])
    ymax = max(values) * 1.1
    ymin = 0.0

    def xy(x: float, y: float) -> tuple[float, float]:
        return m + (w - 2 * m) * x / xmax, h - m - (h - 2 * m) * (y - ymin) / (ymax - ymin)

    d.line([xy(0, ymin), xy(xmax, ymin)], fill=(0, 0, 0))
    d.line([xy(0, ymin), xy(0, ymax)], fill=(0, 0, 0))
    for i in range(5):
        yv = ymin + (ymax - ymin) * i / 4
        d.text((4, xy(0, yv)[1] - 6), f"{yv:.0f}", fill=(60, 60, 60))
        xv = xmax * i / 4
        d.text((xy(xv, 0)[0] - 8, h - m + 6), f"{xv:.0f}", fill=(60, 60, 60))
    d.text((w // 2 - 60, h - 18), "training minutes (wall clock)", fill=(0, 0, 0))
    d.text((m, 6), "mean SWD x1e3 (lower is better)", fill=(0, 0, 0))
    if floor:
        y = xy(0, floor)[1]
        d.line([(m, y), (w - m, y)], fill=(40, 140, 60))
        d.text((w - m - 120, y - 14), f"real-vs-real floor {floor:.0f}", fill=(40, 140, 60))
    colours = {32: (200, 120, 30), 64: (30, 30, 30)}
    line = [xy(x, y) for x, y, _ in pts]
    if len(line) > 1:
        d.line(line, fill=(90, 90, 90), width=1)
    for x, y, res in pts:
        cx, cy = xy(x, y)
        d.ellipse([cx - 3, cy - 3, cx + 3, cy + 3], fill=colours.get(res, (0, 0, 160)))
    d.text((m + 8, m - 20), "orange: at 32 px, black: at 64 px", fill=(90, 90, 90))
    tmp = out.with_name(out.name + ".part.png")
    im.save(tmp)
    os.replace(tmp, out)


def _verdict(results: dict, floors: dict, heavy: dict) -> list[str]:
    """One line per target: met or not, with the figures."""
    out = []
    for style, r in results.items():
        f = floors[style]
        ratio = r.mean / f.mean
        out.append(f"{style}: mean {ratio:.1f}× the floor — {'met' if ratio <= 2 else 'not met'} (≤ 2×)")
        worst = max(a / b for a, b in zip(r.levels, f.levels))
        levels = ", ".join(f"{size} px {a / b:.1f}×" for size, a, b in zip(r.sizes, r.levels, f.levels))
        out.append(f"{style}: levels {levels} — {'met' if worst <= 3 else 'not met'} (each ≤ 3×)")
    if "dark" in heavy and "light" in heavy:
        ratio = heavy["dark"] / heavy["light"] if heavy["light"] > 0 else float("inf")
        out.append(f"heavy ink dark / light {ratio:.1f}× — {'met' if ratio >= 1.5 else 'not met'} (≥ 1.5×)")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--id", required=True)
    ap.add_argument("--state", help="training state folder (for the SWD history)")
    ap.add_argument("--data", default=str(ROOT.parent / "shared/datasets/shanshui/images"))
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--root", default=str(ROOT), help="write models/ and docs/models/ under this folder (default: the project)")
    ap.add_argument("--resume-command", default="", help="the exact command to continue training (for the card)")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (the figures do not depend on it)")
    ap.add_argument("--notes", default="", help="what the samples look like, by eye (a paragraph for the card)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    src = Path(args.model)
    meta = read_ink_metadata(src)
    models = Path(args.root) / "models"
    docs = Path(args.root) / "docs" / "models"
    models.mkdir(parents=True, exist_ok=True)
    docs.mkdir(parents=True, exist_ok=True)
    dest = models / f"{args.id}.safetensors"
    if src.resolve() != dest.resolve():
        shutil.copyfile(src, dest.with_name(dest.name + ".part"))
        os.replace(dest.with_name(dest.name + ".part"), dest)
    model = load_checkpoint(dest)
    res = meta["resolution"]
    styles = list(meta["styles"])
    results, floors, heavy, heavy_real, tones = {}, {}, {}, {}, {}
    grid_rows = []
    for style in styles:
        val = reference_images(args.data, res, style, "validation", ROOT / "runs" / "cache")
        train = reference_images(args.data, res, style, "train", ROOT / "runs" / "cache")
        pick = torch.randperm(len(train), generator=torch.Generator().manual_seed(args.seed))[: args.count]
        floors[style] = swd(val, train[pick], seed=args.seed)
        heavy_real[style] = heavy_ink_fraction(val)
        fake = paint_set(model, style, args.count, args.seed)
        results[style] = swd(val, fake, seed=args.seed)
        heavy[style] = heavy_ink_fraction(fake)
        tones[style] = (tone_spread(fake), tone_spread(val))
        grid_rows.append(paint_set(model, style, 8, GRID_SEED))
        print(style, results[style].lines(), "floor", floors[style].lines(), f"heavy {heavy[style]:.4f}", flush=True)
    grid = image_grid(grid_rows)
    grid_path = docs / f"{args.id}-samples.png"
    grid.save(grid_path)
    history, threads = [], None
    if args.state and (Path(args.state) / "state.json").is_file():
        info = json.loads((Path(args.state) / "state.json").read_text(encoding="utf-8"))
        history, threads = info.get("history", []), info.get("options", {}).get("threads")
    floor_mean = sum(f.mean for f in floors.values()) / len(floors)
    curve_path = docs / f"{args.id}-swd.png"
    swd_curve(history, curve_path, floor_mean)

    prov = meta.get("provenance", {})
    phases = ", ".join(f"{p['resolution']} px from step {p['from_step']}" for p in prov.get("phases", []))
    mean = sum(r.mean for r in results.values()) / len(results)
    verdict = _verdict(results, floors, heavy)
    lines = [
        f"# {args.id} — {meta.get('name', args.id)}",
        "",
        f"A style-conditional {meta['kind']} model painting {res}×{res} traditional Chinese ink landscapes in two styles:"
        " `light` (淡墨, pale washes) and `dark` (浓墨, dense black strokes). Trained by Ink Studio's `inkstudio train`"
        " from scratch on CPU; weights are the EMA, stored in float16.",
        "",
        "## Training",
        "",
        f"- data: {prov.get('data', '?')}",
        f"- style rule: {prov.get('style_rule', '?')} (studio/engine/inkstyle.py; manifest and contact sheets in docs/styles/)",
        f"- steps: {prov.get('steps', '?')} × batch {prov.get('batch', '?')}, wall time {prov.get('wall_seconds', 0) / 60:.0f} min"
        + (f" on {threads} thread{'s' if threads > 1 else ''} of a shared 2-core CPU" if threads else " on a shared 2-core CPU"),
        f"- recipe: preset `{prov.get('preset', '?')}`" + (f"; {prov['recipe']}" if prov.get("recipe") else ""),
        f"- resolution phases: {phases}",
        f"- parameters: {prov.get('parameters', '?'):,}" if isinstance(prov.get("parameters"), int) else "- parameters: ?",
        f"- architecture: `{meta['architecture']['class']}` {json.dumps(meta['architecture']['config'])}",
    ]
    if meta["kind"] == "diffusion":
        lines.append(f"- schedule: `{meta['scheduler']['class']}` {json.dumps(meta['scheduler']['config'])}")
    lines += [
        "",
        "## Evaluation",
        "",
        f"Sliced Wasserstein distance (×10³, Laplacian-pyramid 7×7 patches, Karras et al. 2018) of {args.count} paintings"
        " per style (seeds 0…, dpm++ 20 steps for diffusion) against the validation paintings of that style (split by source"
        f" painting). Floor: {args.count} training paintings against the same validation paintings.",
        "",
        "| style | level | model | floor | model / floor |",
        "|---|---|---|---|---|",
    ]
    for style in styles:
        r, f = results[style], floors[style]
        for size, a, b in zip(r.sizes, r.levels, f.levels):
            lines.append(f"| {style} | {size} px | {a:.1f} | {b:.1f} | {a / b:.1f}× |")
        lines.append(f"| {style} | **mean** | **{r.mean:.1f}** | **{f.mean:.1f}** | **{r.mean / f.mean:.1f}×** |")
    lines += [
        "",
        f"Mean over styles: **swd {mean:.2f}** (floor {floor_mean:.2f}, {mean / floor_mean:.1f}×).",
        "",
        "Heavy-ink fraction (pixels with luminance < 80): "
        + ", ".join(f"{s} {heavy[s]:.4f} (validation paintings {heavy_real[s]:.4f})" for s in styles)
        + (f"; dark / light = {heavy['dark'] / heavy['light']:.2f}×" if "dark" in heavy and heavy.get("light") else "")
        + ".",
        "",
        "Tone spread (mean luminance per painting, mean ± standard deviation over paintings): "
        + ", ".join(f"{s} {t[0][0]:.1f} ± {t[0][1]:.1f} (validation {t[1][0]:.1f} ± {t[1][1]:.1f})" for s, t in tones.items())
        + ".",
        "",
        f"![samples](../docs/models/{grid_path.name}) — seeds {GRID_SEED}…+7, top row light, bottom row dark.",
        "",
        f"![SWD over training time](../docs/models/{curve_path.name}) — mean SWD during training (32 samples per style,"
        " so noisier than the table) against wall-clock minutes.",
        "",
        "## Reproduce",
        "",
        "```",
        f"inkstudio eval --model {args.id} --data ../shared/datasets/shanshui/images --count {args.count} --seed {args.seed}",
        f"inkstudio eval --real-vs-real --data ../shared/datasets/shanshui/images --count {args.count} --seed {args.seed}",
        f"{args.resume_command or prov.get('reproduce', '')}",
        "```",
        "",
        "## Against the targets",
        "",
        "Targets (issue 3): per style, mean SWD ≤ 2× the real-vs-real floor and every pyramid level ≤ 3× that level's floor;"
        " dark samples with ≥ 1.5× the heavy-ink fraction of light ones.",
        "",
        *[f"- {line}" for line in verdict],
        "",
        *(["## What the samples look like", "", args.notes, ""] if args.notes else []),
        "## Limitations",
        "",
        "Trained for a few CPU hours from scratch on ~800 paintings at 64 px. Training continues with `--resume`"
        " (the command above); this card is rewritten by scripts/bundle_model.py with each bundled update.",
        "",
    ]
    card = models / f"{args.id}.md"
    card.write_text("\n".join(lines), encoding="utf-8")
    print(f"swd {mean:.2f} (floor {floor_mean:.2f}); wrote {dest}, {card}, {grid_path}, {curve_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
