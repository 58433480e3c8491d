"""Prompt-free sampling: diffusers schedulers driven by our own loop, and GAN generation.

The loop is the one diffusers' pipelines use (scale input, predict, ``scheduler.step``), plus a
per-step callback carrying x_t and the predicted clean image x0, and a cancel token checked
between steps. Every image is painted alone, as a batch of one (``in_lockstep``), so a painting
depends only on its seed, never on the batch around it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

import diffusers
import numpy as np
import torch
from PIL import Image

from studio.api import DEFAULT_SAMPLER, DEFAULT_STEPS
from studio.api import SAMPLERS as SAMPLER_NAMES
from studio.engine.cancel import CancelToken
from studio.engine.noise import image_generators, initial_noise
from studio.errors import CheckpointError, StudioError
from studio.models.loaders import LoadedModel

# the diffusers scheduler behind each of the studio's sampler names (studio.api.SAMPLERS)
SAMPLERS: dict[str, str] = dict(
    zip(
        SAMPLER_NAMES,
        ("DDPMScheduler", "DDIMScheduler", "DPMSolverMultistepScheduler", "UniPCMultistepScheduler", "EulerAncestralDiscreteScheduler"),
        strict=True,
    )
)


@dataclass(frozen=True)
class StepUpdate:
    """One denoising step of one batch: x_t and the predicted clean image x0 (CPU, float32, [-1, 1])."""

    step: int
    total: int
    x_t: torch.Tensor | None
    x0: torch.Tensor


StepCallback = Callable[[StepUpdate], None]


def make_scheduler(model: LoadedModel, sampler: str) -> Any:
    """A fresh diffusers scheduler for ``sampler``, built from the checkpoint's saved config.

    When the sampler is the checkpoint's own scheduler class, its config is used unchanged.
    """
    if sampler not in SAMPLERS:
        raise StudioError(f"unknown sampler '{sampler}' (choose from {', '.join(SAMPLERS)})")
    if model.kind != "diffusion":
        raise StudioError(f"'{model.spec.name}' is a GAN: it paints in one pass and takes no sampler")
    cls = getattr(diffusers, SAMPLERS[sampler])
    config = dict(model.scheduler_config or {})
    if model.scheduler_class != cls.__name__:
        # keep what describes the trained noise schedule; drop the saved class's own sampling options
        keep = {"num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "trained_betas", "prediction_type",
                "timestep_spacing", "steps_offset", "rescale_betas_zero_snr", "clip_sample", "clip_sample_range"}
        config = {k: v for k, v in config.items() if k in keep}
    try:
        return cls.from_config(config)
    except (TypeError, ValueError, KeyError, NotImplementedError, RuntimeError, ZeroDivisionError) as exc:
        # a checkpoint's saved scheduler config with wrong types (e.g. num_train_timesteps "many")
        detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise CheckpointError(model.spec.path, f"bad scheduler config ({detail})") from None


def _step_kwargs(scheduler: Any, generators: list[torch.Generator], eta: float) -> dict[str, Any]:
    params = inspect.signature(scheduler.step).parameters
    kwargs: dict[str, Any] = {}
    if "generator" in params:
        kwargs["generator"] = generators
    if "eta" in params:
        kwargs["eta"] = eta
    return kwargs


def _predicted_x0(scheduler: Any, out: Any, model_out: torch.Tensor, model_in: torch.Tensor, t: Any) -> torch.Tensor:
    x0 = getattr(out, "pred_original_sample", None)
    if x0 is None:
        # VP form: model_in = sqrt(a) x0 + sqrt(1 - a) eps, whatever the sampler's own parametrisation
        a = scheduler.alphas_cumprod[int(round(float(t)))].to(model_in.device, torch.float32)
        kind = scheduler.config.prediction_type
        if kind == "epsilon":
            x0 = (model_in - (1 - a).sqrt() * model_out) / a.sqrt()
        elif kind == "v_prediction":
            x0 = a.sqrt() * model_in - (1 - a).sqrt() * model_out
        else:
            x0 = model_out
    return x0.clamp(-1, 1)


Lane = Generator[StepUpdate | None, None, Any]
"""One image's painting, a step per ``next``: yields the step's update (None when no preview is
wanted) and returns its result when done. ``in_lockstep`` drives a batch of lanes."""


def in_lockstep(
    lanes: Sequence[Lane], *, cancel: CancelToken | None = None, on_step: StepCallback | None = None
) -> list[Any]:
    """Advance one lane per image together, a step at a time; the lanes' results in order.

    This is how the seed contract holds: every image goes through the network and the scheduler
    alone, as a batch of one. CPU kernels (oneDNN convolutions, GEMM blocking) choose different
    algorithms for different batch sizes, so an image painted inside a batch of four differed
    from the same seed painted alone in its last bits, and after rounding by one 8-bit level in a
    few pixels. The lanes share only the step count, so ``on_step`` still sees the whole batch at
    every step (the window's preview grid), and ``cancel`` is checked between steps.
    """
    results: list[Any] = [None] * len(lanes)
    live = list(range(len(lanes)))
    while live:
        if cancel is not None:
            cancel.raise_if_set()
        updates: list[StepUpdate | None] = []
        running = []
        for i in live:
            try:
                updates.append(next(lanes[i]))
                running.append(i)
            except StopIteration as done:
                results[i] = done.value
        live = running
        if on_step is not None and updates and all(u is not None for u in updates):
            on_step(_batch_update([u for u in updates if u is not None]))
    if cancel is not None:
        cancel.raise_if_set()
    return results


def _batch_update(updates: Sequence[StepUpdate]) -> StepUpdate:
    x_ts = [u.x_t for u in updates]
    x_t = None if any(x is None for x in x_ts) else torch.cat([x for x in x_ts if x is not None])
    return StepUpdate(step=updates[0].step, total=updates[0].total, x_t=x_t, x0=torch.cat([u.x0 for u in updates]))


def _painters(model: LoadedModel, painters: Sequence[LoadedModel] | None, n: int) -> Sequence[LoadedModel]:
    if painters is None:
        return [model] * n
    if len(painters) != n:
        raise ValueError(f"one painter per image: {len(painters)} for {n} images")
    return painters


def _row(labels: torch.Tensor | None, i: int) -> torch.Tensor | None:
    return None if labels is None else labels[i : i + 1]


def sample_diffusion(
    model: LoadedModel,
    seeds: Sequence[int],
    *,
    style: str | None = None,
    sampler: str = DEFAULT_SAMPLER,
    steps: int = DEFAULT_STEPS,
    eta: float = 0.0,
    size: int | None = None,
    noise: torch.Tensor | None = None,
    painters: Sequence[LoadedModel] | None = None,
    cancel: CancelToken | None = None,
    on_step: StepCallback | None = None,
) -> torch.Tensor:
    """Paint ``len(seeds)`` images, each alone (see ``in_lockstep``); float32 CPU tensors in [-1, 1].

    ``noise`` overrides the contract noise (latent walks pass slerped noise); the seeds still
    feed the per-image generators of stochastic samplers. ``painters``: one view of ``model`` per
    image (a style walk's blend weights differ per frame); default ``model`` for every image.
    """
    if steps < 1:
        raise StudioError("steps must be at least 1")
    if not 0.0 <= eta <= 1.0:
        raise StudioError("eta must be between 0 and 1")
    make_scheduler(model, sampler)  # an unknown sampler or a broken config: one clear line before any work
    generators = image_generators(seeds)
    shape = list(model.noise_shape)
    if size is not None and size != shape[-1]:
        if size % model.size_multiple:
            raise StudioError(f"size {size} does not suit this model: use a multiple of {model.size_multiple}")
        shape[-2:] = [size, size]
    x = noise if noise is not None else initial_noise(shape, generators)
    labels = model.labels_for(style, x.shape[0])
    views = _painters(model, painters, x.shape[0])
    lanes = [
        _diffusion_lane(views[i], x[i : i + 1], _row(labels, i), generators[i], sampler, steps, eta, on_step is not None)
        for i in range(x.shape[0])
    ]
    return torch.cat(in_lockstep(lanes, cancel=cancel, on_step=on_step))


def _diffusion_lane(
    model: LoadedModel,
    noise: torch.Tensor,
    label: torch.Tensor | None,
    generator: torch.Generator,
    sampler: str,
    steps: int,
    eta: float,
    preview: bool,
) -> Lane:
    """One image through the loop diffusers' pipelines use: scale input, predict, ``scheduler.step``."""
    scheduler = make_scheduler(model, sampler)
    x = noise.to(model.device, torch.float32) * scheduler.init_noise_sigma
    scheduler.set_timesteps(steps, device=model.device)
    kwargs = _step_kwargs(scheduler, [generator], eta)
    timesteps = scheduler.timesteps
    for i, t in enumerate(timesteps):
        model_in = scheduler.scale_model_input(x, t)
        model_out = model.denoise(model_in, t, label)
        out = scheduler.step(model_out, t, x, **kwargs)
        x = out.prev_sample
        if preview:
            x0 = _predicted_x0(scheduler, out, model_out, model_in, t)
            yield StepUpdate(step=i + 1, total=len(timesteps), x_t=x.detach().cpu().clamp(-1, 1), x0=x0.detach().cpu())
        else:
            yield None
    return x.detach().float().cpu()


def sample_gan(
    model: LoadedModel,
    seeds: Sequence[int],
    *,
    style: str | None = None,
    noise: torch.Tensor | None = None,
    painters: Sequence[LoadedModel] | None = None,
    cancel: CancelToken | None = None,
) -> torch.Tensor:
    """Generate ``len(seeds)`` images from z drawn per the contract, each alone; float32 CPU in [-1, 1].

    One at a time for the seed contract (see ``in_lockstep``); a GAN image takes milliseconds.
    """
    if cancel is not None:
        cancel.raise_if_set()
    z = noise if noise is not None else initial_noise(model.noise_shape, image_generators(seeds))
    labels = model.labels_for(style, z.shape[0])
    views = _painters(model, painters, z.shape[0])
    images = [views[i].generate(z[i : i + 1].to(model.device), _row(labels, i)).clamp(-1, 1) for i in range(z.shape[0])]
    return torch.cat(images).detach().float().cpu()


def to_pil(images: torch.Tensor) -> list[Image.Image]:
    """Model space [-1, 1] to 8-bit images, as diffusers does: (x+1)/2, clamp, x255, round."""
    arr = ((images.float() / 2 + 0.5).clamp(0, 1) * 255).round().to(torch.uint8)
    arr_np = arr.permute(0, 2, 3, 1).numpy()
    out = []
    for a in arr_np:
        if a.shape[-1] == 1:
            out.append(Image.fromarray(np.ascontiguousarray(a[..., 0]), mode="L"))
        else:
            out.append(Image.fromarray(np.ascontiguousarray(a[..., :3]), mode="RGB"))
    return out
