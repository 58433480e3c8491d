"""Latent-walk throughput: frames/s batched vs one frame at a time, in the same run; and smoothness.

    python bench/walk_bench.py                      # a seeded 32px UNet (random weights), CPU, 1 thread
    python bench/walk_bench.py --model PATH --steps 20 --batch 8 --threads 2

Without --model it builds a seeded UNet2DModel with class embeddings (light/dark) and an
InkGenerator, so it runs anywhere; give --model to measure a trained checkpoint. The smoothness
ratio (largest frame-to-frame change / mean change; target <= 3) is printed for every walk.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import torch


def bench_models(folder: Path, size: int) -> list[Path]:
    from diffusers import DDPMScheduler, UNet2DModel

    from studio.models.inkfile import save_ink_checkpoint
    from studio.models.inkgan import InkGenerator

    torch.manual_seed(0)
    unet = UNet2DModel(
        sample_size=size,
        in_channels=3,
        out_channels=3,
        block_out_channels=(32, 64, 64),
        layers_per_block=1,
        down_block_types=("DownBlock2D", "AttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "AttnUpBlock2D", "UpBlock2D"),
        norm_num_groups=8,
        num_class_embeds=2,
    )
    with torch.no_grad():  # the zero-initialised output conv would paint flat grey
        unet.conv_out.weight.normal_(0, 0.05)
    sched = DDPMScheduler(num_train_timesteps=1000, beta_schedule="squaredcos_cap_v2", prediction_type="epsilon")
    common = {"styles": {"light": 0, "dark": 1}, "resolution": size, "channels": 3}
    diffusion = save_ink_checkpoint(
        folder / "bench-unet.safetensors",
        unet.state_dict(),
        {
            "kind": "diffusion",
            "name": "bench unet",
            "architecture": {"class": "UNet2DModel", "config": dict(unet.config)},
            "scheduler": {"class": "DDPMScheduler", "config": dict(sched.config)},
            **common,
        },
    )
    config = {"nz": 128, "ngf": 32, "resolution": 64, "channels": 3, "num_classes": 2}
    gen = InkGenerator(**config)
    with torch.no_grad():
        gen.train()  # settle any normalisation statistics before eval mode
        for _ in range(4):
            gen(torch.randn(32, 128), torch.randint(0, 2, (32,)))
        gen.eval()
        # spread the untrained output over the tonal range, as a trained generator's is
        spread = float(gen(torch.randn(16, 128), torch.zeros(16, dtype=torch.long)).std())
        if spread < 0.3:
            gen.to_rgb.weight.mul_(min(40.0, 0.5 / max(spread, 1e-3)))
    gan = save_ink_checkpoint(
        folder / "bench-gan.safetensors",
        gen.state_dict(),
        {
            "kind": "gan",
            "name": "bench gan",
            "architecture": {"class": "InkGenerator", "config": config},
            **common,
            "resolution": 64,
        },
    )
    return [diffusion, gan]


def run(model, req) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    from studio.engine.walk import render_walk

    start = time.perf_counter()
    result = render_walk(model, req)
    return len(result.frames) / (time.perf_counter() - start), result


def main() -> None:
    from studio.engine.walk import WalkRequest
    from studio.models.loaders import load_checkpoint

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", help="checkpoint path (repeatable); default: seeded bench models")
    parser.add_argument("--size", type=int, default=32, help="bench UNet resolution (default 32)")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--frames", type=int, default=8, help="frames per segment (default 8; 2 seeds -> 9 frames)")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--sampler", default="ddim")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=2, help="runs of each (best is reported)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(p) for p in args.model] if args.model else bench_models(Path(tmp), args.size)
        print(
            f"torch {torch.__version__}, {args.threads} thread(s), sampler {args.sampler}, {args.steps} steps, best of {args.repeats}"
        )
        for path in paths:
            model = load_checkpoint(path)
            label = f"{model.kind} {path.name} {model.spec.resolution}px"
            base = dict(frames=args.frames, sampler=args.sampler, steps=args.steps)
            seed_walk = WalkRequest(keyframes=(1, 2, 3), loop=True, easing="ease", **base)
            batched_fps = single_fps = 0.0
            for _ in range(args.repeats):  # interleaved, best of each: the machine is shared
                fps, result = run(model, WalkRequest(**{**seed_walk.__dict__, "batch_size": args.batch}))
                batched_fps = max(batched_fps, fps)
                single_fps = max(single_fps, run(model, WalkRequest(**{**seed_walk.__dict__, "batch_size": 1}))[0])
            n = len(result.frames)
            print(
                f"{label}: seed walk, {n} frames: batched({args.batch}) {batched_fps:.2f} frames/s, one at a time {single_fps:.2f} frames/s"
                f" (x{batched_fps / single_fps:.2f})"
            )
            print(f"  seed walk (loop, ease)   {result.smoothness.summary()}")
            linear = WalkRequest(keyframes=(1, 2, 3), batch_size=args.batch, **base)
            print(f"  seed walk (linear)       {run(model, linear)[1].smoothness.summary()}")
            if model.styles and len(model.styles) >= 2:
                a, b = list(model.styles)[:2]
                style = WalkRequest(keyframes=(1,), style_walk=(a, b), batch_size=args.batch, **base)
                print(f"  style walk {a}->{b}  {run(model, style)[1].smoothness.summary()}")


if __name__ == "__main__":
    main()
