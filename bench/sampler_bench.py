"""Sampler speed and quality, side by side in one run, on one bundled checkpoint.

Rows: diffusers' DDPMPipeline (1,000 steps) and DDIMPipeline (50), and our loop with ddim 50,
dpm++ 20 (the default), unipc 10 and 20. For each: wall time per painting and SWD against the
validation paintings (same seeds for every row). Then loop overhead (our sampling time vs
steps × the bare UNet forward time) and paintings/s at batch 1, 4 and 16.

    python bench/sampler_bench.py [--model ink-diffusion-64] [--style dark] [--count 16]
        [--data ../shared/datasets/shanshui/images] [--quick]
        [--device auto|cpu|cuda|mps] [--autocast off|fp16|bf16] [--channels-last] [--compile]

The last four are for GPUs (see bench/README.md): where the network runs, mixed precision around
our UNet forward, channels_last memory format, and torch.compile of our forward. They apply to
our loop's rows; diffusers' pipelines get the device, the weights' dtype and channels_last only.

Figures only; nothing here asserts. Ratios are measured within this one run.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.engine.device import DEVICE_CHOICES, choose_device  # noqa: E402
from studio.engine.noise import noise_for_seeds  # noqa: E402
from studio.engine.sampling import sample_diffusion  # noqa: E402
from studio.models.catalog import resolve  # noqa: E402
from studio.models.loaders import load_checkpoint  # noqa: E402


def styled_unet(unet, label: int | None):  # type: ignore[no-untyped-def]
    """Let a diffusers pipeline (which passes no class labels) drive a style-conditional UNet."""
    if label is None:
        return unet
    original = type(unet).forward

    def forward(sample, timestep, *args, **kwargs):  # type: ignore[no-untyped-def]
        labels = torch.full((sample.shape[0],), label, dtype=torch.long, device=sample.device)
        return original(unet, sample, timestep, *args, class_labels=labels, **kwargs)

    unet.forward = forward
    return unet


def pipeline_images(kind: str, model, label: int | None, seeds: list[int], steps: int, batch: int) -> tuple[torch.Tensor, float]:  # type: ignore[no-untyped-def]
    import diffusers

    sched_cls = getattr(diffusers, model.scheduler_class)
    scheduler = sched_cls.from_config(model.scheduler_config)
    unet = styled_unet(model.module, label)
    pipe_cls = diffusers.DDPMPipeline if kind == "ddpm" else diffusers.DDIMPipeline
    pipe = pipe_cls(unet=unet, scheduler=scheduler)
    pipe.set_progress_bar_config(disable=True)
    out = []
    t0 = time.perf_counter()
    for i in range(0, len(seeds), batch):  # one CPU generator per image: the contract's noise
        gens = [torch.Generator("cpu").manual_seed(s) for s in seeds[i : i + batch]]
        kwargs = {"num_inference_steps": steps, "batch_size": len(gens)}
        if kind == "ddim":
            kwargs["eta"] = 0.0
        img = pipe(generator=gens, output_type="pt", **kwargs).images
        out.append(img.float().cpu() * 2 - 1)
    elapsed = time.perf_counter() - t0
    if label is not None:
        del unet.forward  # back to the class method
    return torch.cat(out), elapsed / len(seeds)


def ours(model, style: str | None, seeds: list[int], sampler: str, steps: int, batch: int) -> tuple[torch.Tensor, float]:  # type: ignore[no-untyped-def]
    out = []
    t0 = time.perf_counter()
    for i in range(0, len(seeds), batch):
        out.append(sample_diffusion(model, seeds[i : i + batch], style=style, sampler=sampler, steps=steps).clamp(-1, 1).float().cpu())
    return torch.cat(out), (time.perf_counter() - t0) / len(seeds)


def bare_forward_seconds(model, style: str | None, batch: int, repeats: int) -> float:  # type: ignore[no-untyped-def]
    x = noise_for_seeds(model.noise_shape, list(range(batch))).to(model.device)
    labels = model.labels_for(style, batch)
    model.denoise(x, 500, labels)  # warm-up
    t0 = time.perf_counter()
    for _ in range(repeats):
        model.denoise(x, 500, labels)
    return (time.perf_counter() - t0) / repeats


def print_loop_overhead(model, style: str | None, steps: int = 20, rounds: int = 5) -> None:  # type: ignore[no-untyped-def]
    """Our whole sampling loop vs ``steps`` bare UNet forwards, interleaved round by round (batch 1)."""
    import statistics

    ratios = []
    for r in range(rounds):
        bare = bare_forward_seconds(model, style, 1, repeats=steps) * steps
        t0 = time.perf_counter()
        sample_diffusion(model, [r], style=style, sampler="dpm++", steps=steps)
        loop = time.perf_counter() - t0
        ratios.append(loop / bare)
    print(f"\nloop overhead (dpm++ {steps}, batch 1, {rounds} interleaved rounds): sampling / ({steps} x bare forward) "
          f"median {statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f})")


AUTOCAST = {"fp16": torch.float16, "bf16": torch.bfloat16}


def apply_speed_flags(model, autocast: str, channels_last: bool, compile_forward: bool):  # type: ignore[no-untyped-def]
    """A view of the model with its forward wrapped for a GPU experiment, and a description for the header line."""
    done = []
    if channels_last:
        model.module.to(memory_format=torch.channels_last)
        done.append("channels_last")

    def wrap(forward):  # type: ignore[no-untyped-def]
        if compile_forward:
            forward = torch.compile(forward)
        if autocast != "off":
            inner, dtype, device_type = forward, AUTOCAST[autocast], model.device.type

            def forward(x, t, labels):  # type: ignore[no-untyped-def]
                with torch.autocast(device_type, dtype=dtype):
                    return inner(x, t, labels).float()

        return forward

    if compile_forward:
        done.append("torch.compile")
    if autocast != "off":
        done.append(f"autocast {autocast}")
    return model.wrap_forward(wrap), ", ".join(done) or "no speed flags"


def peak_rss_painting(model_id: str) -> float:
    """Peak resident memory (MB) of a whole `inkstudio generate` process painting 4 images."""
    import os
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen(
            [sys.executable, "-m", "studio", "generate", "--model", model_id, "--count", "4", "--seed", "1", "--out", tmp],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        if status != 0:
            return float("nan")
    return usage.ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None)
    ap.add_argument("--style", default="dark")
    ap.add_argument("--count", type=int, default=16)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets" / "shanshui" / "images"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8, help="images per forward pass, the same for every row")
    ap.add_argument("--quick", action="store_true", help="skip DDPM-1000 (it dominates the run time)")
    ap.add_argument("--overhead-only", action="store_true", help="only the loop-overhead measurement")
    ap.add_argument("--device", choices=DEVICE_CHOICES, default="auto", help="as generate's --device (CUDA: fp16 weights)")
    ap.add_argument("--autocast", choices=["off", *AUTOCAST], default="off", help="mixed precision around our forward")
    ap.add_argument("--channels-last", action="store_true", help="channels_last memory format for the network")
    ap.add_argument("--compile", action="store_true", help="torch.compile our forward (the first paintings include compiling)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    record = resolve(args.model)
    where = choose_device(args.device)
    model = load_checkpoint(record.path, device=where.device, dtype=where.dtype, size=record.resolution)
    model, flags = apply_speed_flags(model, args.autocast, args.channels_last, args.compile)
    style = args.style if model.styles else None
    label = model.styles.get(style) if style else None
    seeds = list(range(1000, 1000 + args.count))
    print(f"# {record.id} ({record.sha256[:12]}), style {style}, {args.count} paintings, "
          f"{platform.processor() or platform.machine()}, torch {torch.__version__}, {args.threads} threads, batch {args.batch}, "
          f"{where.label}, {flags}")

    if args.overhead_only:
        print_loop_overhead(model, style)
        return

    from studio.engine.swd import swd
    from studio.engine.train.data import reference_images

    real = reference_images(args.data, record.resolution, style, "validation")
    print(f"# reference: {len(real)} validation paintings ({style})")

    rows: list[tuple[str, int, float, torch.Tensor]] = []
    if not args.quick:
        imgs, t = pipeline_images("ddpm", model, label, seeds, 1000, args.batch)
        rows.append(("diffusers DDPMPipeline", 1000, t, imgs))
    imgs, t = pipeline_images("ddim", model, label, seeds, 50, args.batch)
    rows.append(("diffusers DDIMPipeline", 50, t, imgs))
    for sampler, steps in (("ddim", 50), ("dpm++", 20), ("unipc", 10), ("unipc", 20)):
        imgs, t = ours(model, style, seeds, sampler, steps, batch=args.batch)
        rows.append((f"ours {sampler}", steps, t, imgs))

    print(f"\n{'sampler':<24}{'steps':>6}{'s/painting':>12}{'swd':>9}")
    results = {}
    for name, steps, t, imgs in rows:
        d = swd(real, imgs).mean
        results[(name, steps)] = (t, d)
        print(f"{name:<24}{steps:>6}{t:>12.3f}{d:>9.2f}")
    default = results[("ours dpm++", 20)]
    if ("diffusers DDPMPipeline", 1000) in results:
        ddpm = results[("diffusers DDPMPipeline", 1000)]
        print(f"default vs DDPM-1000: {ddpm[0] / default[0]:.1f}x faster, SWD {100 * (default[1] / ddpm[1] - 1):+.1f}%")
    ddim = results[("diffusers DDIMPipeline", 50)]
    print(f"default vs DDIM-50:   {ddim[0] / default[0]:.1f}x faster, SWD {100 * (default[1] / ddim[1] - 1):+.1f}%")

    print_loop_overhead(model, style)

    print("\nbatch  paintings/s (dpm++ 20)")
    for batch in (1, 4, 16):
        n = max(16, batch)
        _, per = ours(model, style, list(range(n)), "dpm++", 20, batch=batch)
        print(f"{batch:>5}  {1 / per:.2f}")

    from studio.models.catalog import discover

    print("\npeak RSS while painting 4 images (whole process)")
    for rec in discover().records:
        if rec.bundled:
            print(f"{rec.id:<24} {peak_rss_painting(rec.id):8.0f} MB")


if __name__ == "__main__":
    main()
