"""Inpainting: the model repaints the white part of a mask and the rest of the painting is kept.

Methods
  ``blend``    diffusion, any fast sampler: after each scheduler step the known region is replaced
               by the original noised to that step's level (``scheduler.add_noise``); the last few
               steps are resampled (re-noised one step and redone) so both sides agree. Default.
  ``repaint``  diffusion: Lugmayr et al., CVPR 2022, via diffusers' RePaintScheduler: the known
               region is re-noised from the original at every step, with resampling jumps.
  ``invert``   GAN: Adam on z to match the kept region (masked L2 plus a Gaussian prior), then the
               generation fills the hole. Default (and only method) for GANs.

Whatever the image size, the painting is fitted to the model's square canvas (aspect kept, padded),
painted there, scaled back and composited with a feathered mask: every pixel farther than the
feather width from the mask is exactly the original's, at the original's resolution.

Image k of a request uses seed ``seed + k`` (studio.engine.noise): its starting noise (diffusion)
or starting z (GAN) is the one ``generate`` would use, and every further draw comes from the same
per-image generator, so a result depends only on its seed.

The GUI calls ``prepare_source`` (PIL image + painted mask) or ``load_source`` (files) once, then
``inpaint`` with a CancelToken and callbacks from its worker thread; it gets PIL images and metadata.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from studio.api import (
    DEFAULT_BATCH,
    DEFAULT_JUMPS,
    DIFFUSION_METHODS,
    REPAINT_JUMP_LENGTH,
    InpaintRequest,
    ModelRecord,
    PaintRequest,
    default_method,
    methods_for,
)
from studio.api import DEFAULT_INPAINT_STEPS as DEFAULT_STEPS
from studio.api import INPAINT_METHODS as METHODS
from studio.engine.images import MAX_SIDE, binarise_mask, load_image_rgb, load_mask, pixels_sha256
from studio.engine.noise import image_generators, initial_noise
from studio.engine.paint import Painting, painting_meta
from studio.engine.sampling import (
    DEFAULT_SAMPLER,
    CancelToken,
    Lane,
    StepUpdate,
    _predicted_x0,
    _row,
    _step_kwargs,
    in_lockstep,
    make_scheduler,
    sample_diffusion,
    sample_gan,
    to_pil,
)
from studio.engine.upscale import finish_cascade
from studio.errors import StudioError
from studio.models.loaders import LoadedModel

__all__ = [
    "DEFAULT_BATCH", "DEFAULT_JUMPS", "DEFAULT_STEPS", "DIFFUSION_METHODS", "METHODS", "REPAINT_JUMP_LENGTH",
    "InpaintRequest", "default_method", "inpaint", "methods_for", "prepare_source",
]
INVERT_LR = 0.05
INVERT_PRIOR = 0.01  # weight of mean(z²): keeps z where the generator was trained


class NothingToDo(StudioError):
    """The mask selects nothing to repaint."""


# ---------------------------------------------------------------------------- the source


@dataclass(frozen=True)
class InpaintSource:
    """The painting and its mask at full resolution; mask is "L" with 255 = repaint, 0 = keep."""

    image: Image.Image
    mask: Image.Image
    image_sha256: str
    mask_sha256: str
    image_hashed: str = "file"  # "file": sha256 of the file's bytes; "pixels": of the in-memory pixels
    mask_hashed: str = "file"
    notices: tuple[str, ...] = ()
    name: str = "painting"

    @property
    def mask_array(self) -> np.ndarray:
        return np.asarray(self.mask) >= 128

    @property
    def coverage(self) -> float:
        return float(self.mask_array.mean())

    def with_mask(self, mask: Image.Image | np.ndarray) -> InpaintSource:
        """The same painting with a new mask (the window re-masks without re-reading or re-hashing the image)."""
        binary, notices = binarise_mask(_mask_image(mask), self.image.size, "mask")
        _check_mask(binary)
        return replace(self, mask=binary, mask_sha256=pixels_sha256(binary), mask_hashed="pixels", notices=tuple(notices))


def _check_mask(mask: Image.Image) -> None:
    arr = np.asarray(mask)
    if not arr.any():
        raise NothingToDo("the mask is empty (all black): nothing to repaint; paint the area to repaint in white")


def _mask_image(mask: Image.Image | np.ndarray) -> Image.Image:
    if isinstance(mask, Image.Image):
        return mask
    arr = mask.astype(np.uint8) * 255 if mask.dtype == bool else mask.astype(np.uint8)
    return Image.fromarray(arr if arr.ndim == 2 else arr[..., 0], mode="L")


def prepare_source(image: Image.Image, mask: Image.Image | np.ndarray, *, name: str = "painting") -> InpaintSource:
    """A source from in-memory pictures (the GUI's canvas and painted mask); hashes are of the pixels.

    ``mask`` may be any image or a boolean/uint8 array; white/True/nonzero >= 128 means repaint.
    """
    from studio.engine.images import limit_size, normalise_image

    rgb, notices = normalise_image(image, name)
    rgb = limit_size(rgb, name, MAX_SIDE, False, notices)
    binary, more = binarise_mask(_mask_image(mask), rgb.size, "mask")
    _check_mask(binary)
    return InpaintSource(
        rgb,
        binary,
        pixels_sha256(rgb),
        pixels_sha256(binary),
        image_hashed="pixels",
        mask_hashed="pixels",
        notices=tuple(notices + more),
        name=name,
    )


def load_source(image_path: str | Path, mask_path: str | Path, *, downscale: bool = False) -> InpaintSource:
    """Read a painting and its mask from files (any mode, any size up to MAX_SIDE); StudioError on bad input."""
    image = load_image_rgb(image_path, downscale=downscale)
    mask = load_mask(mask_path, image.image.size)
    _check_mask(mask.image)
    return InpaintSource(
        image.image, mask.image, image.sha256, mask.sha256, notices=image.notices + mask.notices, name=Path(image_path).stem
    )


# ---------------------------------------------------------------------------- fitting and compositing


@dataclass(frozen=True)
class ModelCanvas:
    """The painting fitted into the model's square: pixels in [-1, 1], 1 where kept, and where it sits."""

    image: torch.Tensor  # (1, C, R, R)
    known: torch.Tensor  # (1, 1, R, R): 1 = keep (original); padding and the hole are 0
    box: tuple[int, int, int, int]  # (left, top, right, bottom) of the painting inside the square


def fit_to_model(image: Image.Image, mask: Image.Image, resolution: int, channels: int = 3) -> ModelCanvas:
    """Scale the painting so its longer side is ``resolution``, centre it, pad the rest.

    A model pixel counts as masked when any part of it is masked. The padding is left free (not
    known), so nothing of the original leaks into the model's view except the kept region.
    """
    w, h = image.size
    s = resolution / max(w, h)
    fw, fh = min(resolution, max(1, round(w * s))), min(resolution, max(1, round(h * s)))
    left, top = (resolution - fw) // 2, (resolution - fh) // 2
    small = image.resize((fw, fh), Image.LANCZOS, reducing_gap=3.0)
    if channels == 1:
        small = small.convert("L")
    hit = _any_in_blocks(np.asarray(mask), fh, fw)
    arr = np.asarray(small, dtype=np.float32).reshape(fh, fw, -1)
    canvas = np.empty((resolution, resolution, arr.shape[-1]), dtype=np.float32)
    canvas[...] = arr.reshape(-1, arr.shape[-1]).mean(axis=0)
    canvas[top : top + fh, left : left + fw] = arr
    known = np.zeros((resolution, resolution), dtype=np.float32)
    known[top : top + fh, left : left + fw] = (~hit).astype(np.float32)
    x = torch.from_numpy(canvas).permute(2, 0, 1)[None] / 127.5 - 1.0
    return ModelCanvas(x, torch.from_numpy(known)[None, None], (left, top, left + fw, top + fh))


def _any_in_blocks(mask: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """(rows, cols) booleans: does any masked pixel fall in each block of the full-size mask?

    A block max rather than a resize, so one masked pixel of an 8,000 px painting still counts and
    nothing larger than the mask itself is ever allocated.
    """
    h, w = mask.shape
    r = np.floor(np.arange(rows) * h / rows).astype(np.intp)
    c = np.floor(np.arange(cols) * w / cols).astype(np.intp)
    return np.maximum.reduceat(np.maximum.reduceat(mask, r, axis=0), c, axis=1) >= 128


def auto_feather(size: tuple[int, int], resolution: int) -> int:
    """About one and a half model pixels, in the original's pixels (at least 2)."""
    return max(2, round(1.5 * max(size) / resolution))


def feather_alpha(mask: np.ndarray, width: int) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """Blend weights around a boolean mask: 1 inside, a smooth ramp to exactly 0 at ``width`` pixels outside.

    Returns the weights over the mask's bounding box grown by ``width`` and that box (top, bottom, left, right).
    """
    from scipy.ndimage import distance_transform_edt

    ys, xs = np.nonzero(mask)
    if ys.size == 0:
        return np.zeros((0, 0), np.float32), (0, 0, 0, 0)
    h, w = mask.shape
    y0, y1 = max(0, ys.min() - width), min(h, ys.max() + width + 1)
    x0, x1 = max(0, xs.min() - width), min(w, xs.max() + width + 1)
    sub = mask[y0:y1, x0:x1]
    if width <= 0:
        return sub.astype(np.float32), (y0, y1, x0, x1)
    distance = distance_transform_edt(~sub)  # 0 inside the mask
    t = np.clip(1.0 - distance / width, 0.0, 1.0)
    alpha = (t * t * (3.0 - 2.0 * t)).astype(np.float32)  # smoothstep: no kink where the ramp starts or ends
    return alpha, (y0, y1, x0, x1)


def composite(original: Image.Image, painted: Image.Image, mask: np.ndarray, feather: int) -> Image.Image:
    """Scale ``painted`` (the painting's box at model size) to the original and blend it in through the feathered mask."""
    alpha, (y0, y1, x0, x1) = feather_alpha(mask, feather)
    out = np.array(original.convert("RGB"), dtype=np.uint8)
    if alpha.size == 0:
        return Image.fromarray(out, mode="RGB")
    painted = painted.convert("RGB")
    sx, sy = painted.width / original.width, painted.height / original.height
    # only the box around the mask is scaled up: an 8,000 px painting never exists twice in memory
    up = painted.resize((x1 - x0, y1 - y0), Image.LANCZOS, box=(x0 * sx, y0 * sy, x1 * sx, y1 * sy))
    region = out[y0:y1, x0:x1].astype(np.float32)
    region += alpha[..., None] * (np.asarray(up, dtype=np.float32) - region)
    out[y0:y1, x0:x1] = np.clip(np.rint(region), 0, 255).astype(np.uint8)
    return Image.fromarray(out, mode="RGB")


# ---------------------------------------------------------------------------- diffusion


def _nth(images: torch.Tensor, i: int) -> torch.Tensor:
    """Image i of a batch (1, C, H, W); a batch of one stands for every image."""
    return images if images.shape[0] == 1 else images[i : i + 1]


def _noise_levels(scheduler: Any, t: torch.Tensor, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """(a, s) with x_t = a·x0 + s·eps, read from the scheduler's own ``add_noise``."""
    one = torch.ones((1, 1, 1, 1), device=device)
    zero = torch.zeros_like(one)
    tt = t.reshape(1).to(device)
    return scheduler.add_noise(one, zero, tt), scheduler.add_noise(zero, one, tt)


def blend_sample(
    model: LoadedModel,
    seeds: Sequence[int],
    original: torch.Tensor,
    known: torch.Tensor,
    *,
    style: str | None = None,
    sampler: str = DEFAULT_SAMPLER,
    steps: int = DEFAULT_STEPS["blend"],
    passes: int = 3,
    window: int | None = None,
    cancel: CancelToken | None = None,
    on_step: Callable[[StepUpdate], None] | None = None,
) -> torch.Tensor:
    """Sample with the known region pinned to the noised original after every step.

    The last ``window`` steps (default a quarter) are done ``passes`` times: after each, x is
    re-noised back to the step's level with fresh noise and the step is redone from the scheduler's
    saved state, which lets the hole and its surroundings settle on each other (RePaint's idea, cheaply).
    """
    if steps < 1:
        raise StudioError("steps must be at least 1")
    if passes < 1:
        raise StudioError("jumps (resampling passes) must be at least 1")
    make_scheduler(model, sampler)  # an unknown sampler: one clear line before any work
    generators = image_generators(seeds)
    labels = model.labels_for(style, len(seeds))
    lanes = [
        _blend_lane(model, _nth(original, i), _nth(known, i), _row(labels, i), generators[i], sampler, steps, passes,
                    window, on_step is not None)
        for i in range(len(seeds))
    ]
    return torch.cat(in_lockstep(lanes, cancel=cancel, on_step=on_step))


def _blend_lane(
    model: LoadedModel,
    original: torch.Tensor,
    known: torch.Tensor,
    label: torch.Tensor | None,
    generator: torch.Generator,
    sampler: str,
    steps: int,
    passes: int,
    window: int | None,
    preview: bool,
) -> Lane:
    """One image of ``blend_sample``, alone through the network (see ``in_lockstep``)."""
    scheduler = make_scheduler(model, sampler)
    dev = model.device
    noise = initial_noise(model.noise_shape, [generator]).to(dev)
    original, known = original.to(dev), known.to(dev)
    x = noise * scheduler.init_noise_sigma
    scheduler.set_timesteps(steps, device=dev)
    kwargs = _step_kwargs(scheduler, [generator], 0.0)
    timesteps = scheduler.timesteps
    n = len(timesteps)
    window = max(1, n // 4) if window is None else window
    first_resampled = n - 1 - window
    for i, t in enumerate(timesteps):
        last = i == n - 1
        repeats = passes if first_resampled <= i < n - 1 else 1
        for p in range(repeats):
            saved = copy.deepcopy(scheduler) if p < repeats - 1 else None
            model_in = scheduler.scale_model_input(x, t)
            model_out = model.denoise(model_in, t, label)
            out = scheduler.step(model_out, t, x, **kwargs)
            if last:
                pinned = original
            else:
                a, s = _noise_levels(scheduler, timesteps[i + 1], dev)
                pinned = a * original + s * noise
            x_next = known * pinned + (1 - known) * out.prev_sample
            if saved is not None:
                # back up to t's level: x_t = (a_t/a_n) x_n + sqrt(s_t² − (a_t/a_n)² s_n²) eps
                a_n, s_n = _noise_levels(scheduler, timesteps[i + 1], dev)
                a_t, s_t = _noise_levels(scheduler, t, dev)
                r = a_t / a_n
                std = (s_t**2 - (r * s_n) ** 2).clamp_min(0).sqrt()
                x = r * x_next + std * initial_noise(model.noise_shape, [generator]).to(dev)
                scheduler = saved
            else:
                x = x_next
        if preview:
            x0 = _predicted_x0(scheduler, out, model_out, model_in, t)
            x0 = known * original + (1 - known) * x0
            yield StepUpdate(step=i + 1, total=n, x_t=x.detach().cpu().clamp(-1, 1), x0=x0.detach().cpu())
        else:
            yield None
    return x.detach().float().cpu().clamp(-1, 1)


def _repaint_scheduler(model: LoadedModel, eta: float) -> Any:
    from diffusers import RePaintScheduler

    if model.kind != "diffusion":
        raise StudioError(f"'{model.spec.name}' is a GAN: repaint is for diffusion models (GANs use invert)")
    keep = ("num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "trained_betas", "clip_sample")
    config = {k: v for k, v in (model.scheduler_config or {}).items() if k in keep}
    if config.get("trained_betas") is not None:
        config["trained_betas"] = np.asarray(config["trained_betas"], dtype=np.float32)
    if config.get("beta_schedule") not in (None, "linear", "scaled_linear", "squaredcos_cap_v2", "sigmoid"):
        raise StudioError(f"repaint cannot follow this model's '{config['beta_schedule']}' noise schedule; use --method blend")
    return RePaintScheduler(**config, eta=eta)


def _as_epsilon(kind: str, model_out: torch.Tensor, x: torch.Tensor, alpha_bar: torch.Tensor) -> torch.Tensor:
    """RePaintScheduler expects the noise; convert v- or x0-predicting models' output (VP identities)."""
    if kind == "v_prediction":
        return alpha_bar.sqrt() * model_out + (1 - alpha_bar).sqrt() * x
    if kind == "sample":
        return (x - alpha_bar.sqrt() * model_out) / (1 - alpha_bar).sqrt().clamp_min(1e-8)
    return model_out


def repaint_sample(
    model: LoadedModel,
    seeds: Sequence[int],
    original: torch.Tensor,
    known: torch.Tensor,
    *,
    style: str | None = None,
    steps: int = DEFAULT_STEPS["repaint"],
    jumps: int = 3,
    jump_length: int = REPAINT_JUMP_LENGTH,
    eta: float = 1.0,
    cancel: CancelToken | None = None,
    on_step: Callable[[StepUpdate], None] | None = None,
) -> torch.Tensor:
    """RePaint (diffusers' RePaintScheduler): ``jumps`` is its jump_n_sample, ``jump_length`` its j."""
    if steps < 1:
        raise StudioError("steps must be at least 1")
    if jumps < 1:
        raise StudioError("jumps must be at least 1")
    if jump_length < 1:
        raise StudioError("jump length must be at least 1")
    scheduler = _repaint_scheduler(model, eta)
    if steps > scheduler.config.num_train_timesteps:
        raise StudioError(f"repaint takes at most {scheduler.config.num_train_timesteps} steps with this model")
    generators = image_generators(seeds)
    labels = model.labels_for(style, len(seeds))
    lanes = [
        _repaint_lane(model, _nth(original, i), _nth(known, i), _row(labels, i), generators[i], steps, jumps,
                      jump_length, eta, on_step is not None)
        for i in range(len(seeds))
    ]
    return torch.cat(in_lockstep(lanes, cancel=cancel, on_step=on_step))


def _repaint_lane(
    model: LoadedModel,
    original: torch.Tensor,
    known: torch.Tensor,
    label: torch.Tensor | None,
    generator: torch.Generator,
    steps: int,
    jumps: int,
    jump_length: int,
    eta: float,
    preview: bool,
) -> Lane:
    """One image of ``repaint_sample``, alone through the network (see ``in_lockstep``)."""
    scheduler = _repaint_scheduler(model, eta)
    prediction = (model.scheduler_config or {}).get("prediction_type", "epsilon")
    dev = model.device
    original, known = original.to(dev), known.to(dev)
    x = initial_noise(model.noise_shape, [generator]).to(dev) * scheduler.init_noise_sigma
    # timesteps stay on the CPU: RePaintScheduler indexes its CPU tables with them (the UNet moves them itself)
    scheduler.set_timesteps(steps, jump_length=jump_length, jump_n_sample=jumps)
    timesteps = scheduler.timesteps
    alphas = scheduler.alphas_cumprod.to(dev)
    x0 = torch.zeros_like(x)
    t_last = timesteps[0] + 1
    for i, t in enumerate(timesteps):
        if t < t_last:
            model_out = model.denoise(x, t, label)
            eps = _as_epsilon(prediction, model_out, x, alphas[int(t)])
            out = scheduler.step(eps, t, x, original, known, generator=[generator])
            x, x0 = out.prev_sample, out.pred_original_sample
        else:
            x = scheduler.undo_step(x, t_last, generator=[generator])
        t_last = t
        if preview:
            shown = known * original + (1 - known) * x0.clamp(-1, 1)
            yield StepUpdate(step=i + 1, total=len(timesteps), x_t=x.detach().cpu().clamp(-1, 1), x0=shown.detach().cpu())
        else:
            yield None
    return x.detach().float().cpu().clamp(-1, 1)


def repaint_evaluations(steps: int, jumps: int, jump_length: int = REPAINT_JUMP_LENGTH) -> int:
    """How many network evaluations RePaint makes (its schedule walks back and forth)."""
    from diffusers import RePaintScheduler

    s = RePaintScheduler(num_train_timesteps=max(1000, steps))
    s.set_timesteps(steps, jump_length=jump_length, jump_n_sample=jumps)
    ts = s.timesteps.tolist()
    return sum(1 for prev, t in zip([ts[0] + 1, *ts], ts) if t < prev)


# ---------------------------------------------------------------------------- GAN inversion


@dataclass(frozen=True)
class Inversion:
    z: torch.Tensor  # (B, *noise_shape), CPU
    images: torch.Tensor  # G(z) in [-1, 1], CPU
    masked_l2: tuple[tuple[float, float], ...]  # per image: (before, after)


def masked_l2(images: torch.Tensor, target: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Mean squared difference over the weighted (kept) pixels, one value per image."""
    w = weight.expand(-1, images.shape[1], -1, -1)
    return ((images - target) ** 2 * w).sum(dim=(1, 2, 3)) / w.sum(dim=(1, 2, 3)).clamp_min(1.0)


def invert_latent(
    model: LoadedModel,
    seeds: Sequence[int],
    target: torch.Tensor,
    weight: torch.Tensor,
    *,
    style: str | None = None,
    steps: int = DEFAULT_STEPS["invert"],
    lr: float = INVERT_LR,
    prior: float = INVERT_PRIOR,
    cancel: CancelToken | None = None,
    on_step: Callable[[StepUpdate], None] | None = None,
) -> Inversion:
    """Find z so that G(z) matches ``target`` where ``weight`` is 1: Adam on masked L2 + prior·mean(z²).

    z starts from the contract noise of each seed (what ``generate`` would paint).
    """
    if model.kind != "gan":
        raise StudioError(f"'{model.spec.name}' is a diffusion model: invert is for GANs (use blend or repaint)")
    if steps < 1:
        raise StudioError("steps must be at least 1")
    z0 = initial_noise(model.noise_shape, image_generators(seeds))
    labels = model.labels_for(style, z0.shape[0])
    lanes = [
        _invert_lane(model, z0[i : i + 1], _nth(target, i), _nth(weight, i), _row(labels, i), steps, lr, prior,
                     on_step is not None)
        for i in range(z0.shape[0])
    ]
    results = in_lockstep(lanes, cancel=cancel, on_step=on_step)
    return Inversion(
        torch.cat([r.z for r in results]), torch.cat([r.images for r in results]), tuple(p for r in results for p in r.masked_l2)
    )


def _invert_lane(
    model: LoadedModel,
    z0: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor,
    label: torch.Tensor | None,
    steps: int,
    lr: float,
    prior: float,
    preview: bool,
) -> Lane:
    """One image of ``invert_latent``: its own z and its own optimiser, alone through the network."""
    dev = model.device
    z = z0.clone().to(dev).requires_grad_(True)
    target, weight = target.to(dev), weight.to(dev)
    opt = torch.optim.Adam([z], lr=lr)
    with torch.no_grad():
        before = masked_l2(model.generate(z, label), target, weight)
    for i in range(steps):
        with torch.enable_grad():  # the loss too, whatever grad mode the caller runs in
            images = model.generate_with_grad(z, label)
            loss = masked_l2(images, target, weight) + prior * (z**2).flatten(1).mean(dim=1)
            opt.zero_grad(set_to_none=True)
            loss.sum().backward()
            opt.step()
        if preview:
            shown = (weight * target + (1 - weight) * images).detach().cpu()
            yield StepUpdate(step=i + 1, total=steps, x_t=None, x0=shown.clamp(-1, 1))
        else:
            yield None
    with torch.no_grad():
        images = model.generate(z, label).clamp(-1, 1)
        after = masked_l2(images, target, weight)
    return Inversion(z.detach().cpu(), images.detach().cpu(), ((float(before[0]), float(after[0])),))


# ---------------------------------------------------------------------------- the request


# one candidate: the same record as a generated painting (image is RGB at the original's size)
InpaintResult = Painting


@dataclass(frozen=True)
class InpaintProgress:
    """Where a request stands: candidates done, the current batch's step and its preview (model space)."""

    done: int
    count: int
    batch_len: int
    step: int
    total_steps: int
    update: StepUpdate | None = None
    box: tuple[int, int, int, int] | None = None  # the painting inside the model's square

    @property
    def fraction(self) -> float:
        per_image = self.step / self.total_steps if self.total_steps else 1.0
        return min(1.0, (self.done + per_image * self.batch_len) / max(1, self.count))

    def previews(self) -> list[Image.Image]:
        """The predicted result of each image in the batch, cropped to the painting (model size)."""
        if self.update is None:
            return []
        return [im.crop(self.box) if self.box else im for im in to_pil(self.update.x0)]


def inpaint_meta(
    record: ModelRecord, model: LoadedModel, source: InpaintSource, req: InpaintRequest, seed: int, feather: int, whole: bool
) -> dict[str, Any]:
    diffusion = model.kind == "diffusion"
    sampler = (req.sampler if req.method == "blend" else "repaint") if diffusion else None
    meta = painting_meta(
        record, model, PaintRequest(seed=seed, style=req.style, sampler=sampler or DEFAULT_SAMPLER), seed, record.resolution
    )
    meta.update(
        task="inpaint",
        method=req.method,
        sampler=sampler,
        steps=req.steps,
        eta={"blend": 0.0, "repaint": 1.0}.get(str(req.method)) if diffusion else None,
        jumps=req.jumps,
        jump_length=req.jump_length,
        feather=feather,
        image_size=[source.image.width, source.image.height],
        image_sha256=source.image_sha256,
        mask_sha256=source.mask_sha256,
        image_hashed=source.image_hashed,
        mask_hashed=source.mask_hashed,
        mask_coverage=round(source.coverage, 6),
        whole_image=whole,
        source=source.name,
    )
    return meta


def inpaint(
    model: LoadedModel,
    record: ModelRecord,
    source: InpaintSource,
    req: InpaintRequest,
    *,
    cancel: CancelToken | None = None,
    on_progress: Callable[[InpaintProgress], None] | None = None,
    on_result: Callable[[InpaintResult], None] | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> list[InpaintResult]:
    """Repaint the masked part of ``source`` ``req.count`` times (seeds ``req.seed + k``).

    Each result is the original's size; pixels farther than the feather from the mask are the
    original's own. ``on_result`` sees each candidate as soon as it is done.

    >>> src = load_source("painting.jpg", "mask.png")
    >>> results = inpaint(model, record, src, InpaintRequest(seed=7, count=4), cancel=token)
    """
    req = req.resolved(model.kind)
    _check_mask(source.mask)
    # the size the model paints itself (a two-stage model's base; its record names the finished size)
    resolution = int(model.noise_shape[-1]) if model.kind == "diffusion" else int(model.spec.resolution)
    canvas = fit_to_model(source.image, source.mask, resolution, model.spec.channels)
    mask = source.mask_array
    feather = req.feather if req.feather is not None else auto_feather(source.image.size, resolution)
    whole = bool(canvas.known.sum() == 0)
    if whole:
        note = "the mask covers the whole painting: painting a new one, as generate would"
        if on_notice is not None:
            on_notice(note)
    out: list[InpaintResult] = []
    for start in range(0, req.count, req.batch_size):
        seeds = [req.seed + k for k in range(start, min(req.count, start + req.batch_size))]
        n = len(seeds)
        total = progress_steps(req, whole)
        original = canvas.image.expand(n, -1, -1, -1)
        known = canvas.known.expand(n, -1, -1, -1)

        def step_cb(update: StepUpdate, start: int = start, n: int = n) -> None:
            if on_progress is not None:
                on_progress(InpaintProgress(start, req.count, n, update.step, update.total, update, canvas.box))

        cb = step_cb if on_progress is not None else None
        if whole and model.kind == "diffusion":
            sampler = req.sampler if req.method == "blend" else "ddpm"
            images = sample_diffusion(model, seeds, style=req.style, sampler=sampler, steps=req.steps, cancel=cancel, on_step=cb)
        elif whole:
            images = sample_gan(model, seeds, style=req.style, cancel=cancel)
        elif req.method == "blend":
            images = blend_sample(
                model,
                seeds,
                original,
                known,
                style=req.style,
                sampler=req.sampler,
                steps=req.steps,
                passes=req.jumps,
                window=req.jump_length,
                cancel=cancel,
                on_step=cb,
            )
        elif req.method == "repaint":
            images = repaint_sample(
                model,
                seeds,
                original,
                known,
                style=req.style,
                steps=req.steps,
                jumps=req.jumps,
                jump_length=req.jump_length,
                cancel=cancel,
                on_step=cb,
            )
        else:
            images = invert_latent(
                model, seeds, original, known, style=req.style, steps=req.steps, cancel=cancel, on_step=cb
            ).images
        box = canvas.box
        if model.upscaler is not None:
            # a two-stage model: the base repainted the reduced painting, its upscaler restores the
            # detail (texture from each candidate's seed), and the composite keeps every unmasked pixel
            images = finish_cascade(model, images, seeds, None)
            f = images.shape[-1] // resolution
            box = (box[0] * f, box[1] * f, box[2] * f, box[3] * f)
        for k, (seed, im) in enumerate(zip(seeds, to_pil(images))):
            if cancel is not None:
                cancel.raise_if_set()
            result_image = composite(source.image, im.crop(box), mask, feather)
            meta = inpaint_meta(record, model, source, req, seed, feather, whole)
            result = InpaintResult(result_image, seed, start + k, meta)
            out.append(result)
            if on_result is not None:
                on_result(result)
        if on_progress is not None:
            on_progress(InpaintProgress(start + n, req.count, 0, total, total, None, canvas.box))
    return out


def progress_steps(req: InpaintRequest, whole: bool = False) -> int:
    """Steps one batch reports through ``on_progress`` (RePaint counts its jumps back too)."""
    if req.method == "repaint" and not whole:
        from diffusers import RePaintScheduler

        s = RePaintScheduler()
        s.set_timesteps(req.steps, jump_length=req.jump_length, jump_n_sample=req.jumps)
        return len(s.timesteps)
    if req.method == "invert" and whole:
        return 1
    return int(req.steps)


def seam_score(result: Image.Image, original: Image.Image, mask: np.ndarray, band: int = 2) -> tuple[float, float]:
    """How visible the mask's edge is: (mean gradient magnitude on the edge band / the same band in
    the original, / the original's mean gradient magnitude overall). 1.0 means no more contrast
    across the edge than the painting itself has; a hard seam scores well above 1.
    """
    from scipy.ndimage import binary_dilation, binary_erosion

    def grad(im: Image.Image) -> np.ndarray:
        g = np.asarray(im.convert("L"), dtype=np.float32)
        gy, gx = np.gradient(g)
        return np.hypot(gx, gy)

    edge = binary_dilation(mask, iterations=band) & ~binary_erosion(mask, iterations=band)
    g_res, g_orig = grad(result), grad(original)
    if not edge.any():
        return 1.0, 1.0
    on_edge = float(g_res[edge].mean())
    return on_edge / max(1e-6, float(g_orig[edge].mean())), on_edge / max(1e-6, float(g_orig.mean()))
