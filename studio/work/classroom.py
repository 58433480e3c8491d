"""The classroom mode's work for the window's inference thread, as ``TaskJob`` run functions.

Each ``*_task`` returns ``run(report, cancel, device)`` (see ``studio.work.jobs.TaskJob``) whose
result holds PIL images and plain values only. Importing this module is cheap: torch and the
classroom engine are imported inside the run functions, on the worker thread.

``models`` is a callable giving the worker's ``ModelCache`` (so models load once, as for paintings).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from studio.work import styled

Run = Callable[[Any, Any, Any], Any]
Models = Callable[[], Any]


def _load(models: Models, record: Any, device: Any, cancel: Any) -> Any:
    cancel.raise_if_set()
    model = models().get(record, device)
    cancel.raise_if_set()
    return model


def filmstrip_task(
    models: Models, record: Any, *, seed: int, steps: int, every: int, style: str | None, sampler: str, eta: float = 0.0,
    on_frame: Callable[[Any], None] | None = None,
) -> Run:
    """A denoising trajectory of seed ``seed``; the result is a ``studio.engine.classroom.Trajectory``.

    ``on_frame`` sees each kept ``TrajectoryFrame`` (PIL images) on the worker thread as it is made,
    e.g. ``list.append``, so a window can grow its strip while the painting forms.
    """

    def run(report: Any, cancel: Any, device: Any) -> Any:
        from studio.engine.classroom import denoising_trajectory, frame_steps

        frame_steps(steps, every)  # a bad --every fails before the model loads
        model, chosen = styled(_load(models, record, device, cancel), style)
        return denoising_trajectory(
            model, seed, style=chosen, sampler=sampler, steps=steps, eta=eta,
            every=every, cancel=cancel, on_frame=on_frame, on_progress=lambda step, total: report(step, total),
        )

    return run


@dataclass(frozen=True)
class ForwardFrames:
    """A painting noised along one fixed noise draw, for a slider over t = 0..T.

    ``frames[i]`` is the painting at ``timesteps[i]``; t = 0 is the clean painting (at the model's size),
    t >= 1 is the scheduler's training timestep t - 1 (the papers' x_t for t = 1..T).
    ``log_snr[t - 1]`` is ln(SNR) at t (SNR at t = 0 is infinite).
    """

    timesteps: list[int]
    frames: list[Image.Image]
    log_snr: list[float]
    num_train_timesteps: int
    model: str


def forward_timesteps(num_train_timesteps: int, positions: int = 101) -> list[int]:
    """``positions`` evenly spaced t from 0 to T inclusive (all of them when T is small)."""
    if num_train_timesteps + 1 <= positions:
        return list(range(num_train_timesteps + 1))
    return sorted({round(i * num_train_timesteps / (positions - 1)) for i in range(positions)})


def forward_task(models: Models, record: Any, image: Image.Image, *, seed: int = 0, positions: int = 101) -> Run:
    """Precompute the forward (noising) process of ``image`` under ``record``'s schedule."""
    image = image.copy()

    def run(report: Any, cancel: Any, device: Any) -> ForwardFrames:
        import numpy as np

        from studio.engine.classroom import ForwardProcess

        model, _ = styled(_load(models, record, device, cancel), None)  # a style pair: its first style's schedule
        fp = ForwardProcess.for_model(model, image, seed=seed)
        size = (model.noise_shape[-1], model.noise_shape[-2])
        clean = image if image.size == size else image.resize(size, Image.LANCZOS)
        clean = clean.convert("L" if model.noise_shape[0] == 1 else "RGB")
        timesteps = forward_timesteps(fp.num_train_timesteps, positions)
        frames = []
        for i, t in enumerate(timesteps):
            cancel.raise_if_set()
            frames.append(clean if t == 0 else fp.at(t - 1))
            report(i + 1, len(timesteps))
        log_snr = np.log(np.maximum(fp.snr(), 1e-30)).tolist()
        return ForwardFrames(timesteps, frames, log_snr, fp.num_train_timesteps, record.id)

    return run


@dataclass(frozen=True)
class ComparisonRow:
    model: str
    kind: str
    images: list[Image.Image]
    seconds: float


@dataclass(frozen=True)
class Comparison:
    gan: ComparisonRow
    diffusion: ComparisonRow
    seeds: list[int]


def compare_task(
    models: Models, gan: Any, diffusion: Any, *, count: int, seed: int, style: str | None, sampler: str, steps: int
) -> Run:
    """The same seeds from a GAN and a diffusion model, each run timed (model loading not counted)."""

    def run(report: Any, cancel: Any, device: Any) -> Comparison:
        from studio.engine.classroom import side_by_side

        gan_model, _ = styled(_load(models, gan, device, cancel), style)
        diff_model, _ = styled(_load(models, diffusion, device, cancel), style)
        total = 1000

        def progress(kind: str, fraction: float) -> None:
            done = 0.5 * fraction if kind == "gan" else 0.5 + 0.5 * fraction
            report(int(done * total), total)

        result = side_by_side(
            (gan_model, gan), (diff_model, diffusion), count=count, seed=seed, style=style, sampler=sampler, steps=steps,
            cancel=cancel, on_progress=progress,
        )
        rows = [ComparisonRow(r.name, r.kind, r.images, r.seconds) for r in (result.gan, result.diffusion)]
        return Comparison(rows[0], rows[1], list(result.seeds))

    return run


def save_filmstrip_file(trajectory: Any, path: str | Path, lang: str = "en") -> Path:
    """Write a trajectory as a .png strip or an animated .gif (for the window's file thread), labelled in ``lang``."""
    from studio.engine.classroom import save_filmstrip

    return save_filmstrip(trajectory, path, lang=lang)
