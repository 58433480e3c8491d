"""The seed contract in this process's CPU configuration: image k of a batch of four against the
same seed painted alone, byte for byte, for every way the studio paints.

Run in a fresh interpreter per configuration by tests/test_seed_contract.py and
bench/seed_contract_bench.py; the configuration is the thread count (``--threads``), ATen's own
kernels instead of oneDNN's (``--no-mkldnn``), and the environment the caller sets
(``ONEDNN_MAX_CPU_ISA``, ``ATEN_CPU_CAPABILITY``), which torch reads when it starts.

    python tests/contract_probe.py --threads 2 --no-mkldnn --full tiny.safetensors models/ink-gan-64.safetensors

Prints one JSON object: the configuration, and per case how many images differ from their lone
painting and by how many 8-bit levels at most. ``--save`` writes every lone painting as a PNG so
that runs in different configurations can be compared with each other.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.engine.inpaint import InpaintRequest, inpaint, prepare_source  # noqa: E402
from studio.engine.paint import PaintRequest, paint_series  # noqa: E402
from studio.engine.sampling import SAMPLERS  # noqa: E402
from studio.engine.walk import WalkRequest, render_walk  # noqa: E402
from studio.models.catalog import resolve  # noqa: E402
from studio.models.loaders import LoadedModel, load_checkpoint  # noqa: E402

BATCH = 4
SEED = 100


def source_painting(size: int = 40) -> tuple[Image.Image, np.ndarray]:
    """A small deterministic 'painting' and a box mask over part of it."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    ink = 200 - 120 * np.exp(-((xx - size * 0.6) ** 2 + (yy - size * 0.4) ** 2) / (size * 2.0))
    rgb = np.stack([ink, ink * 0.97, ink * 0.9], axis=-1).clip(0, 255).astype(np.uint8)
    mask = np.zeros((size, size), bool)
    mask[size // 4 : size // 2, size // 3 : size * 2 // 3] = True
    return Image.fromarray(rgb, mode="RGB"), mask


def compare(batched: list[Image.Image], alone: list[Image.Image]) -> dict[str, int]:
    diffs = [int(np.abs(np.asarray(a, np.int16) - np.asarray(b, np.int16)).max()) for a, b in zip(batched, alone, strict=True)]
    differing = sum(a.tobytes() != b.tobytes() or a.size != b.size or a.mode != b.mode for a, b in zip(batched, alone, strict=True))
    return {"images": len(batched), "differing": differing, "max_diff": max(diffs)}


def cases(model: LoadedModel, path: Path, steps: int, full: bool) -> dict[str, Callable[[int | None], list[Image.Image]]]:
    """Each case paints BATCH images: ``paint(None)`` in one batch, ``paint(k)`` image k alone."""
    record = resolve(str(path))
    out: dict[str, Callable[[int | None], list[Image.Image]]] = {}

    def series(req: PaintRequest) -> Callable[[int | None], list[Image.Image]]:
        def paint(k: int | None) -> list[Image.Image]:
            one = replace(req, seed=req.seed + (k or 0), count=BATCH if k is None else 1)
            return [p.image for p in paint_series(model, record, one)]

        return paint

    def walk(req: WalkRequest) -> Callable[[int | None], list[Image.Image]]:
        # the walk's frames in batches of four against the same frames painted one at a time
        def paint(k: int | None) -> list[Image.Image]:
            frames = render_walk(model, replace(req, batch_size=BATCH if k is None else 1)).frames
            return frames if k is None else [frames[k]]

        return paint

    image, mask = source_painting()
    source = prepare_source(image, mask)

    def fill(req: InpaintRequest) -> Callable[[int | None], list[Image.Image]]:
        def paint(k: int | None) -> list[Image.Image]:
            one = replace(req, seed=req.seed + (k or 0), count=BATCH if k is None else 1)
            return [r.image for r in inpaint(model, record, source, one)]

        return paint

    style_walk = ("light", "dark") if {"light", "dark"} <= set(model.styles) else None
    if model.kind == "gan":
        out["paint"] = series(PaintRequest(seed=SEED, style="dark", batch_size=BATCH))
        out["walk"] = walk(WalkRequest(keyframes=(7, 8), frames=BATCH - 1, style_walk=style_walk))
        out["inpaint invert"] = fill(InpaintRequest(seed=SEED, method="invert", steps=steps, batch_size=BATCH))
        return out
    for sampler in SAMPLERS if full else ("dpm++",):
        eta = 0.5 if sampler == "ddim" else 0.0  # DDIM with fresh noise too
        out[f"paint {sampler}"] = series(PaintRequest(seed=SEED, style="dark", sampler=sampler, steps=steps, eta=eta, batch_size=BATCH))
    out["walk"] = walk(WalkRequest(keyframes=(7, 8), frames=BATCH - 1, style_walk=style_walk, sampler="ddim", steps=steps))
    if full:
        out["inpaint blend"] = fill(InpaintRequest(seed=SEED, method="blend", steps=steps, jumps=2, batch_size=BATCH))
        out["inpaint repaint"] = fill(
            InpaintRequest(seed=SEED, method="repaint", steps=steps, jumps=2, jump_length=2, batch_size=BATCH)
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="*", type=Path, help="checkpoints painted with dpm++ and walked")
    ap.add_argument("--full", action="append", type=Path, default=[], help="a checkpoint put through every sampler and inpainting method")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--no-mkldnn", action="store_true", help="ATen's own CPU kernels instead of oneDNN's")
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--save", type=Path, help="write each lone painting here as <model>-<case>-<k>.png")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.backends.mkldnn.enabled = not args.no_mkldnn
    report: dict[str, object] = {
        "threads": torch.get_num_threads(),
        "mkldnn": torch.backends.mkldnn.enabled,
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "cases": {},
    }
    for path, full in [(p, True) for p in args.full] + [(p, False) for p in args.models]:
        model = load_checkpoint(path)
        for name, paint in cases(model, path, args.steps, full).items():
            batched = paint(None)
            alone = [paint(k)[0] for k in range(len(batched))]
            report["cases"][f"{path.stem} {name}"] = compare(batched, alone)  # type: ignore[index]
            if args.save is not None:
                args.save.mkdir(parents=True, exist_ok=True)
                for k, im in enumerate(alone):
                    im.save(args.save / f"{path.stem}-{name.replace(' ', '-')}-{k}.png")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
