"""``inkstudio train diffusion|gan|pixelcnn|upscaler``: train a style-conditional model on a folder of paintings.

Runs under Hugging Face Accelerate, so ``accelerate launch -m studio train ...`` works unchanged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import studio.cli as cli
from studio.errors import StudioError


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, not {value}")
    return value


def _add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a light/dark ink model (diffusion, GAN, VAE or PixelCNN) on a folder of paintings")
    p.add_argument("kind", choices=["diffusion", "gan", "pixelcnn", "upscaler", "vae"])
    p.add_argument("--data", required=True, help="folder of paintings (e.g. ../shared/datasets/shanshui/images)")
    p.add_argument("--out", required=True, help="the model to write (.safetensors); the best EMA model by SWD")
    p.add_argument("--style", choices=["light", "dark", "all"], default="all", help="train one style or both (default all)")
    p.add_argument("--resolution", type=cli._positive_int, default=64, help="image size in pixels (default 64)")
    budget = p.add_mutually_exclusive_group(required=True)
    budget.add_argument("--minutes", type=_positive_float, help="train this many minutes (this run)")
    budget.add_argument("--steps", type=cli._positive_int, help="train until this many steps in total (counting resumed ones)")
    p.add_argument("--resume", action="store_true", help="continue the run saved in the work folder's state/")
    p.add_argument("--batch", type=cli._positive_int, default=16, help="images per step (default 16)")
    p.add_argument("--lr", type=_positive_float, help="learning rate (default: diffusion 3e-4, GAN 2e-4, VAE and PixelCNN 1e-3)")
    p.add_argument("--preset", default=None, help="model size: diffusion tiny|plain|small|base32 (default plain), upscaler ink|tiny (default ink), gan dcgan-resize|dcgan-tiny|tiny|compact|small (default dcgan-resize), vae small|tiny (default small), pixelcnn ink|tiny (default ink)")
    # the choices repeat studio.engine.train.diffusion.WEIGHTINGS: importing it here would load torch for --help
    p.add_argument("--weighting", choices=["v", "min-snr"], default=None,
                   help="diffusion loss: v (plain MSE on the velocity, default) or min-snr (Min-SNR-5)")
    p.add_argument("--seed", type=cli._seed, default=0, help="training seed (default 0)")
    p.add_argument("--threads", type=cli._positive_int, help="CPU threads for torch (default: torch's choice)")
    p.add_argument("--work", help="work folder for state, samples and log (default: <out>-train/ beside --out)")
    p.add_argument("--state", help="resume-state folder (default: <work>/state)")
    p.add_argument("--checkpoint-minutes", type=_positive_float, default=10.0, help="checkpoint interval (default 10)")
    p.add_argument("--eval-count", type=int, default=32, help="samples per style for the SWD during training (0: none)")
    p.add_argument("--eval-every", type=cli._positive_int, default=3, help="SWD at every n-th checkpoint and the last (default 3)")
    p.add_argument("--cache", default="runs/cache", help="where preloaded images are cached (default runs/cache)")


cli._EXTRA_PARSERS.append(_add_parser)

# the recipes of the bundled models
DEFAULT_PRESETS = {"diffusion": "plain", "gan": "dcgan-resize", "pixelcnn": "ink", "upscaler": "ink", "vae": "small"}


@cli.command("train")
def cmd_train(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from studio.engine.train import TrainOptions, make_trainer, run_training

    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".safetensors":
        raise StudioError("--out must name a .safetensors file")
    if args.eval_count < 0:
        raise StudioError("--eval-count must be 0 or more")
    preset = args.preset or DEFAULT_PRESETS[args.kind]
    if args.weighting is not None and args.kind != "diffusion":
        raise StudioError("--weighting is for diffusion training only")
    opts = TrainOptions(
        kind=args.kind, data=Path(args.data).expanduser(), out=out, style=args.style, resolution=args.resolution,
        minutes=args.minutes, steps=args.steps, resume=args.resume, batch=args.batch, lr=args.lr, preset=preset,
        seed=args.seed, threads=args.threads, work=Path(args.work) if args.work else None,
        state=Path(args.state) if args.state else None, checkpoint_minutes=args.checkpoint_minutes,
        eval_count=args.eval_count, eval_every=args.eval_every, cache_dir=Path(args.cache) if args.cache else None,
        extra={"weighting": args.weighting} if args.weighting else {},
    )
    bar = tqdm(desc=f"train {args.kind}", unit="step", file=sys.stderr, dynamic_ncols=True,
               mininterval=1.0 if sys.stderr.isatty() else 30.0)
    first = [True]

    def on_progress(p) -> None:  # type: ignore[no-untyped-def]
        if first[0]:
            bar.n = bar.last_print_n = p.step - 1
            first[0] = False
        if p.total is not None:
            bar.total = p.total
        bar.set_postfix(loss=f"{p.loss:.4f}", refresh=False)
        bar.update(1)

    def log(text: str) -> None:
        bar.write(text, file=sys.stderr)

    try:
        result = run_training(make_trainer(args.kind), opts, on_progress=on_progress, log=log)
    finally:
        bar.close()
    swd = f", best SWD {result.best_swd:.2f}" if result.best_swd is not None else ""
    print(f"trained {args.kind} to step {result.step} ({result.wall_seconds / 60:.1f} min in total){swd}; model: {result.out}")
    return 0
