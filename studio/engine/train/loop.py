"""The training loop shared by the diffusion and GAN trainers.

A trainer (``studio.engine.train.diffusion.DiffusionTrainer``, ``studio.engine.train.gan.GanTrainer``)
knows its networks and one optimisation step; this module owns everything around it: Accelerate,
threads, data, time/step budgets, periodic checkpoints (resume state + exported model + sample grid
+ SWD on the validation split + a JSON-lines log), the best-model export and the progress bar.

Work folder layout (``--out models/x.safetensors`` → ``models/x-train/`` unless ``--work`` is given)::

    state/            everything to resume exactly (see studio.engine.train.state)
    latest.safetensors  the EMA model at the last checkpoint, single-file format
    samples/step-0001234.png, samples/latest.png
    log.jsonl         one line per checkpoint: step, wall time, loss, SWD per style/level
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import torch

from studio.engine.inkstyle import STYLES
from studio.engine.train.data import TrainingData, reference_images
from studio.engine.train.state import generator_state, load_state, save_state, set_generator_state
from studio.errors import StudioError

SAMPLE_SEED = 20260000
EVAL_SEED = 1000


@dataclass
class TrainOptions:
    kind: str  # "diffusion" | "gan" | "upscaler"
    data: Path
    out: Path
    style: str = "all"
    resolution: int = 64
    minutes: float | None = None
    steps: int | None = None
    resume: bool = False
    batch: int = 16
    lr: float | None = None
    preset: str = "small"
    seed: int = 0
    threads: int | None = None
    work: Path | None = None
    state: Path | None = None
    checkpoint_minutes: float = 10.0
    eval_count: int = 32
    grid_count: int = 8  # sample-grid images per style at each checkpoint (0: no grid)
    eval_every: int = 3  # SWD at every n-th checkpoint (and the last); a sample grid at each
    cache_dir: Path | None = None
    limit_images: int | None = None  # tests: train on the first N usable images only
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def work_dir(self) -> Path:
        return self.work if self.work is not None else self.out.with_name(self.out.stem + "-train")

    @property
    def state_dir(self) -> Path:
        return self.state if self.state is not None else self.work_dir / "state"

    def styles(self) -> dict[str, int]:
        if self.style == "all":
            return dict(STYLES)
        if self.style not in STYLES:
            raise StudioError(f"--style must be light, dark or all, not {self.style!r}")
        return {self.style: 0}


class Trainer(Protocol):
    kind: str

    def setup(self, accelerator: Any, opts: TrainOptions, styles: dict[str, int]) -> None: ...

    def train_step(self, x: torch.Tensor, labels: torch.Tensor, step: int, generator: torch.Generator) -> dict[str, float]: ...

    def state_groups(self) -> dict[str, dict[str, torch.Tensor]]: ...

    def state_info(self) -> dict[str, Any]: ...

    def load_groups(self, groups: dict[str, dict[str, torch.Tensor]], info: dict[str, Any]) -> None: ...

    def export(self, path: Path, provenance: dict[str, Any]) -> Path: ...

    def describe(self) -> str: ...


@dataclass
class Progress:
    step: int
    total: int | None
    loss: float
    seconds_left: float | None


@dataclass
class RunResult:
    step: int
    wall_seconds: float
    out: Path
    log: Path
    best_swd: float | None
    history: list[dict[str, Any]]


def _set_threads(threads: int | None) -> None:
    if threads:
        torch.set_num_threads(threads)
        os.environ["OMP_NUM_THREADS"] = str(threads)


def run_training(
    trainer: Trainer,
    opts: TrainOptions,
    on_progress: Callable[[Progress], None] | None = None,
    log: Callable[[str], None] = lambda s: print(s, file=sys.stderr),
) -> RunResult:
    """Train until ``opts.steps`` (total, counting resumed steps) or ``opts.minutes`` (this run)."""
    from accelerate import Accelerator

    if opts.steps is None and opts.minutes is None:
        raise StudioError("give --minutes or --steps")
    _set_threads(opts.threads)
    accelerator = Accelerator()
    _set_threads(opts.threads)  # Accelerate may set its own default
    styles = opts.styles()
    make_data = getattr(trainer, "make_data", None)
    if make_data is not None:  # a trainer with data of its own (the upscaler's crops)
        data = make_data(opts, styles)
        log(f"data: {data.describe()}")
    else:
        data = TrainingData(opts.data, opts.resolution, styles, cache_dir=opts.cache_dir, limit=opts.limit_images)
        log(f"data: {data.describe()} at {opts.resolution}px (cache {opts.resolution * 2}px)")
    torch.manual_seed(opts.seed)
    trainer.setup(accelerator, opts, styles)
    recipe = trainer.describe()
    log(f"model: {recipe}")
    rank = accelerator.process_index
    gen = torch.Generator("cpu").manual_seed(opts.seed * 1_000_003 + 17 + rank)
    step, wall, history, best = 0, 0.0, [], None
    phases: list[dict[str, Any]] = [{"from_step": 0, "resolution": opts.resolution}]
    work = opts.work_dir
    state_dir = opts.state_dir
    if opts.resume:
        groups, info = load_state(state_dir)
        if info.get("kind") != trainer.kind:
            raise StudioError(f"--resume: {state_dir} holds a {info.get('kind')} run, not {trainer.kind}")
        trainer.load_groups(groups, info)
        set_generator_state(gen, groups["rng"]["data"])
        torch.set_rng_state(groups["rng"]["torch"])
        step, wall = int(info["step"]), float(info["wall_seconds"])
        history = list(info.get("history", []))
        phases = list(info.get("phases", [{"from_step": 0, "resolution": info.get("options", {}).get("resolution")}]))
        best = info.get("best_swd")
        if phases[-1]["resolution"] != opts.resolution:
            phases.append({"from_step": step, "resolution": opts.resolution})
            best = None  # SWD at another resolution is not comparable
            log(f"curriculum: continuing at {opts.resolution}px from step {step}")
        log(f"resumed from {state_dir} at step {step} ({wall / 60:.1f} min of earlier training)")
    elif state_dir.exists() and (state_dir / "state.json").exists():
        raise StudioError(f"{state_dir} already holds a training state: add --resume to continue it, or choose another --out/--state")
    work.mkdir(parents=True, exist_ok=True)
    log_path = work / "log.jsonl"

    target = opts.steps
    budget = opts.minutes * 60 if opts.minutes is not None else None
    if target is not None and step >= target:
        log(f"already at step {step} >= --steps {target}: nothing to train")
    t_start = time.monotonic()
    t_ckpt = t_start
    losses: list[float] = []
    recent: list[float] = []
    wall_at_start = wall
    step0 = step
    checkpoints = 0
    final_pass = False

    def elapsed() -> float:
        return time.monotonic() - t_start

    def checkpoint() -> None:
        if not accelerator.is_main_process:
            return
        # exporting builds modules and sampling draws noise: keep the global RNG out of it
        torch_rng = torch.get_rng_state()
        with torch.random.fork_rng(devices=[]):
            _checkpoint(torch_rng)

    def _checkpoint(torch_rng: torch.Tensor) -> None:
        nonlocal best, checkpoints
        now_wall = wall_at_start + elapsed()
        entry: dict[str, Any] = {"step": step, "wall_seconds": round(now_wall, 1), "resolution": opts.resolution,
                                 "loss": round(sum(losses) / len(losses), 5) if losses else None}
        losses.clear()
        # the resume state first: whatever happens during evaluation, the steps are kept
        groups = trainer.state_groups()
        groups["rng"] = {"data": generator_state(gen), "torch": torch_rng}
        info = {"kind": trainer.kind, "step": step, "wall_seconds": now_wall, "history": history + [entry], "best_swd": best,
                "options": _json_options(opts), "phases": phases, **trainer.state_info()}
        save_state(state_dir, groups, info)
        latest = trainer.export(work / "latest.safetensors", _provenance(opts, step, now_wall, data, None, phases, recipe))
        checkpoints += 1
        evaluate = opts.eval_count > 0 and (checkpoints % max(1, opts.eval_every) == 0 or final_pass)
        own_evaluate = getattr(trainer, "evaluate", None)
        if own_evaluate is not None:
            entry.update(own_evaluate(latest, opts, work, step, evaluate))
        else:
            entry.update(_evaluate(latest, opts, styles, work, step, swd=evaluate))
        swd_mean = entry.get("swd_mean")
        if swd_mean is not None and (best is None or swd_mean <= best):
            best = swd_mean
            trainer.export(opts.out, _provenance(opts, step, now_wall, data, entry, phases, recipe))
        elif best is None or not opts.out.exists():
            trainer.export(opts.out, _provenance(opts, step, now_wall, data, entry, phases, recipe))
        history.append(entry)
        # record the evaluation in the state too (same tensors; only state.json changes)
        _rewrite_info(state_dir, {"history": history, "best_swd": best})
        with open(log_path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry) + "\n")
        swd_text = f" swd {swd_mean:.2f}" if swd_mean is not None else ""
        log(f"checkpoint step {step} ({now_wall / 60:.1f} min){swd_text} -> {state_dir}")

    while True:
        if target is not None and step >= target:
            break
        if budget is not None and elapsed() >= budget:
            break
        x, labels = data.batch(opts.batch, gen)
        stats = trainer.train_step(x, labels, step, gen)
        step += 1
        losses.append(stats["loss"])
        recent.append(stats["loss"])
        del recent[:-50]
        if on_progress is not None:
            per_step = elapsed() / max(1, step - step0)
            left = None
            if budget is not None:
                left = max(0.0, budget - elapsed())
            if target is not None:
                by_steps = (target - step) * per_step
                left = by_steps if left is None else min(left, by_steps)
            if target is not None:
                total: int | None = target
            else:
                total = step + int(left / per_step) if left is not None and per_step > 0 else None
            on_progress(Progress(step, total, sum(recent) / len(recent), left))
        if time.monotonic() - t_ckpt >= opts.checkpoint_minutes * 60:
            checkpoint()
            t_ckpt = time.monotonic()
    final_pass = True
    last = history[-1] if history else None
    if not (last is not None and last["step"] == step and (opts.eval_count == 0 or "swd_mean" in last)):
        checkpoint()
    accelerator.wait_for_everyone()
    return RunResult(step, wall_at_start + elapsed(), opts.out, log_path, best, history)


def _json_options(opts: TrainOptions) -> dict[str, Any]:
    d = asdict(opts)
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in d.items()}


def _provenance(opts: TrainOptions, step: int, wall: float, data: TrainingData, entry: dict[str, Any] | None,
                phases: list[dict[str, Any]], recipe: str = "") -> dict[str, Any]:
    prov: dict[str, Any] = {
        "recipe": recipe,
        "data": f"{data.describe()}, train split by source painting, from {opts.data.name} "
                "(shanshui: ShanshuiDaDA crops, Met CC0, Harvard Art Museums; arXiv:2011.05552)",
        "style_rule": "studio.engine.inkstyle: dark if >=2% of pixels at least half as dark as the paper tone",
        "steps": step,
        "batch": opts.batch,
        "wall_seconds": round(wall, 1),
        "resolution": opts.resolution,
        "preset": opts.preset,
        "phases": phases,
        "reproduce": f"inkstudio train {opts.kind} --data DIR --out {opts.out.name} --style {opts.style} "
                     f"--resolution {opts.resolution} --batch {opts.batch} --preset {opts.preset} --seed {opts.seed} "
                     f"--steps {step}" + (f" --weighting {opts.extra['weighting']}" if opts.extra.get("weighting") else ""),
    }
    if entry is not None and entry.get("swd_mean") is not None:
        prov["swd_at_export"] = {k: v for k, v in entry.items() if k.startswith("swd")}
        prov["swd_note"] = f"{opts.eval_count} samples per style vs the validation split, dpm++ 20 steps"
    return prov


def _rewrite_info(state_dir: Path, changes: dict[str, Any]) -> None:
    path = state_dir / "state.json"
    info = json.loads(path.read_text(encoding="utf-8"))
    info.update(changes)
    tmp = path.with_name("state.json.part")
    tmp.write_text(json.dumps(info, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def _evaluate(model_path: Path, opts: TrainOptions, styles: dict[str, int], work: Path, step: int, swd: bool) -> dict[str, Any]:
    """Sample grid (always) + SWD per style (when ``swd``) of the exported EMA model against the validation paintings."""
    from studio.engine.evaluate import heavy_ink_fraction, paint_set
    from studio.engine.swd import swd as sliced_wd
    from studio.models.loaders import load_checkpoint

    model = load_checkpoint(model_path)
    out: dict[str, Any] = {}
    rows = []
    means = []
    for style in styles:
        if opts.grid_count > 0:
            rows.append(paint_set(model, style, opts.grid_count, SAMPLE_SEED))
        if not swd:
            continue
        fake = paint_set(model, style, opts.eval_count, EVAL_SEED)
        out[f"heavy_{style}"] = round(heavy_ink_fraction(fake), 4)
        try:
            real = reference_images(opts.data, opts.resolution, style, "validation", opts.cache_dir)
        except StudioError:
            continue
        r = sliced_wd(real, fake)
        out[f"swd_{style}"] = round(r.mean, 2)
        out[f"swd_{style}_levels"] = [round(v, 2) for v in r.levels]
        means.append(r.mean)
    if means:
        out["swd_mean"] = round(sum(means) / len(means), 2)
    if rows:
        save_sample_grid(rows, work, step)
    return out


def save_sample_grid(rows: list[Any], work: Path, step: int) -> None:
    """``samples/step-NNNNNNN.png`` and ``samples/latest.png``: one row of images per style."""
    from studio.engine.evaluate import image_grid

    samples = work / "samples"
    samples.mkdir(parents=True, exist_ok=True)
    tmp = samples / f".step-{step:07d}.png.part"
    image_grid(rows).save(tmp, format="PNG")
    os.replace(tmp, samples / f"step-{step:07d}.png")
    shutil.copyfile(samples / f"step-{step:07d}.png", samples / "latest.png")
