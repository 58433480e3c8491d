"""Series export and classroom figures: what finishing, the contact sheet and the filmstrip cost,
and GAN vs diffusion wall time.

    python bench/classroom_bench.py                          # seeded 32px models (random weights), CPU, 1 thread
    python bench/classroom_bench.py --model D --gan G --count 8 --steps 20

Without --model/--gan it builds a seeded UNet2DModel and an InkGenerator so it runs anywhere.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import torch


def seeded_models(folder: Path, size: int) -> tuple[Path, Path]:
    from diffusers import DDPMScheduler, UNet2DModel

    from studio.models.inkfile import save_ink_checkpoint
    from studio.models.inkgan import InkGenerator

    torch.manual_seed(0)
    unet = UNet2DModel(sample_size=size, block_out_channels=(32, 64), layers_per_block=1, norm_num_groups=8, num_class_embeds=2,
                       down_block_types=("DownBlock2D", "AttnDownBlock2D"), up_block_types=("AttnUpBlock2D", "UpBlock2D"))
    with torch.no_grad():
        unet.conv_out.weight.normal_(0, 0.05)
    sched = DDPMScheduler(num_train_timesteps=1000, beta_schedule="squaredcos_cap_v2")
    common = {"styles": {"light": 0, "dark": 1}, "resolution": size, "channels": 3}
    diffusion = save_ink_checkpoint(folder / "bench-unet.safetensors", unet.state_dict(), {
        "kind": "diffusion", "name": "bench unet", "architecture": {"class": "UNet2DModel", "config": dict(unet.config)},
        "scheduler": {"class": "DDPMScheduler", "config": dict(sched.config)}, **common})
    config = {"nz": 64, "ngf": 16, "resolution": size, "channels": 3, "num_classes": 2}
    gan = save_ink_checkpoint(folder / "bench-gan.safetensors", InkGenerator(**config).eval().state_dict(), {
        "kind": "gan", "name": "bench gan", "architecture": {"class": "InkGenerator", "config": config}, **common})
    return diffusion, gan


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="diffusion checkpoint (default: a seeded 32px UNet)")
    parser.add_argument("--gan", help="GAN checkpoint (default: a seeded 32px InkGenerator)")
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    from studio.engine.classroom import denoising_trajectory, side_by_side
    from studio.engine.export import ExportOptions, export_series
    from studio.engine.paint import PaintRequest, paint_series
    from studio.models.catalog import resolve
    from studio.models.loaders import load_checkpoint

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        d_path, g_path = (args.model, args.gan) if args.model and args.gan else seeded_models(tmp_path, 32)
        d_rec, g_rec = resolve(str(d_path)), resolve(str(g_path))
        diff, gan = load_checkpoint(d_rec.path), load_checkpoint(g_rec.path)
        req = PaintRequest(seed=0, count=args.count, steps=args.steps)
        paint_series(diff, d_rec, PaintRequest(seed=0, count=1, steps=2))  # warm-up
        _, t_paint = timed(lambda: paint_series(diff, d_rec, req))
        _, t_plain = timed(lambda: export_series(diff, d_rec, req, tmp_path / "plain", ExportOptions()))
        _, t_full = timed(lambda: export_series(diff, d_rec, req, tmp_path / "full",
                                                ExportOptions(upscale=4, frame="scroll", seal=True, sheet=True)))
        print(f"{d_rec.id}: {args.count} paintings x {args.steps} steps, {args.threads} thread(s)")
        print(f"  paint only                      {t_paint:7.2f} s")
        print(f"  export (PNG + manifest)         {t_plain:7.2f} s  (+{(t_plain - t_paint) / args.count * 1000:.0f} ms/painting)")
        print(f"  export x4 + scroll + seal+sheet {t_full:7.2f} s  (+{(t_full - t_paint) / args.count * 1000:.0f} ms/painting)")
        _, t_one = timed(lambda: paint_series(diff, d_rec, PaintRequest(seed=0, count=1, steps=args.steps)))
        _, t_traj = timed(lambda: denoising_trajectory(diff, 0, steps=args.steps, every=1))
        print(f"  one painting {t_one:.2f} s; filmstrip of every step {t_traj:.2f} s")
        result = side_by_side((gan, g_rec), (diff, d_rec), count=args.count, seed=0, steps=args.steps)
        print(f"  side by side, {args.count} each: GAN {result.gan.seconds:.3f} s, diffusion {result.diffusion.seconds:.2f} s "
              f"({result.diffusion.seconds / max(result.gan.seconds, 1e-9):.0f}x)")


if __name__ == "__main__":
    main()
