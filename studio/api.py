"""The studio's one vocabulary: requests, names, defaults, seed rules and job events. No torch, no Qt.

The window, the CLI and the engine all import these types; nobody keeps a copy of them. A request
says *what* to paint in plain values; ``studio.work`` decides how (style policy, progress) and the
engine paints it.

    req = PaintRequest(seed=7, count=4, style="dark")      # seeds 7..10, DPM-Solver++ 20 steps
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from typing import Any

from studio.errors import StudioError

# ---------------------------------------------------------------------------- seeds

MAX_SEED = 2**63 - 1  # image k of a request with seed S uses S + k; a seed is any whole number 0..MAX_SEED
RANDOM_SEEDS = 2**32  # a random seed is drawn from 0..2**32-1: short enough to read out and type again
SEED_RANGE_TEXT = "whole numbers 0 to 2**63-1"


def random_seed() -> int:
    """A fresh seed for when the user gives none (it is recorded in every PNG)."""
    return random.SystemRandom().randrange(0, RANDOM_SEEDS)


def is_seed(value: object) -> bool:
    """A whole number (or its text) from 0 to ``MAX_SEED``."""
    if isinstance(value, bool):
        return False
    try:
        return 0 <= int(value) <= MAX_SEED  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def check_seed(seed: object) -> int:
    """``seed`` as an int; StudioError (one line) when it is not a seed."""
    if not is_seed(seed):
        raise StudioError(f"'{seed}' is not a seed ({SEED_RANGE_TEXT})")
    return int(seed)  # type: ignore[call-overload]


def clamp_seed(seed: int) -> int:
    """The nearest seed to ``seed`` (for a widget that must always hold one)."""
    return max(0, min(MAX_SEED, int(seed)))


def seed_tokens(text: str) -> list[str]:
    """The parts of a list of seeds: separated by commas (also the full-width ，) or spaces."""
    return text.replace(",", " ").replace("，", " ").split()


def parse_seeds(text: str) -> tuple[int, ...]:
    """``"7, 8 9"`` → (7, 8, 9); StudioError (one line) for anything that is not a seed."""
    return tuple(check_seed(part) for part in seed_tokens(text))


def seeds_text(seed: int, count: int) -> str:
    """``seed 7`` for one painting, ``seeds 7..10`` for four (image k uses seed + k)."""
    return f"seed {seed}" if count == 1 else f"seeds {seed}..{seed + count - 1}"


# ---------------------------------------------------------------------------- names and defaults

STYLES = ("light", "dark")  # 淡墨, 浓墨: the styles the studio names; a model may offer others
SAMPLERS = ("ddpm", "ddim", "dpm++", "unipc", "euler-a")
DEFAULT_SAMPLER = "dpm++"
DEFAULT_STEPS = 20
DEFAULT_BATCH = 4  # images advanced together (each still alone through the network)
DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")
DEFAULT_NAME = "{model}-{style}-{seed}"  # file names of a series: {model} {style} {seed} {sampler} {steps}
UPSCALES = (1, 2, 4)
BUNDLED_UPSCALER = "ink-upscaler.safetensors"  # the ink upscaler shipped in models/
MAX_UPSCALE_PASSES = 4  # a painting is at most its model's size × 2**4
UPSCALE_METHODS = ("ink", "lanczos")
FRAMES = ("paper", "scroll")

WALK_SAMPLERS = ("ddim", "dpm++", "unipc")  # samplers that add no noise, so neighbouring frames do not flicker
EASINGS = ("linear", "ease")
DEFAULT_WALK_SAMPLER = DEFAULT_SAMPLER
DEFAULT_WALK_BATCH = 8
SMOOTHNESS_TARGET = 3.0  # largest frame-to-frame change over the mean change

INPAINT_METHODS = ("blend", "repaint", "invert")
DIFFUSION_METHODS = ("blend", "repaint")
GAN_METHODS = ("invert",)
LATENT_KINDS = ("gan", "vae")  # models that paint a latent in one pass (a VAE's decoder, like a GAN): invert inpaints
DEFAULT_INPAINT_STEPS = {"blend": 20, "repaint": 50, "invert": 200}
DEFAULT_JUMPS = {"blend": 3, "repaint": 3, "invert": None}  # invert has no resampling passes
REPAINT_JUMP_LENGTH = 10


def methods_for(kind: str) -> tuple[str, ...]:
    """The inpainting methods a model of ``kind`` offers, default first."""
    return GAN_METHODS if kind in LATENT_KINDS else DIFFUSION_METHODS


def default_method(kind: str) -> str:
    return methods_for(kind)[0]


def file_name(template: str, meta: dict[str, Any]) -> str:
    """``{model}-{style}-{seed}`` (``DEFAULT_NAME``) filled from a painting's metadata, the seed
    zero-padded so names sort by seed; StudioError for a template with unknown fields."""
    fields = {
        "model": meta.get("model", "model"),
        "style": meta.get("style") or "any",
        "seed": f"{int(meta['seed']):010d}",
        "sampler": meta.get("sampler") or "gan",
        "steps": meta.get("steps") or 0,
    }
    try:
        name = template.format(**fields)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise StudioError(f"bad name template '{template}': {exc} (fields: {', '.join(fields)})") from None
    name = "".join(c if c not in '/\\:*?"<>|' else "_" for c in name)
    return name if name.lower().endswith(".png") else name + ".png"


# ---------------------------------------------------------------------------- models

# How a family defines p(x) (issue 18): "explicit" = exact likelihood (PixelCNN), "approximate" = a bound
# (VAE ELBO, diffusion variational bound), "implicit" = none (GAN). LoadedModel.density answers it and
# LoadedModel.bits_per_dim(uint8 images, labels) -> float | None gives -log2 p(x) / (C·H·W) (see
# studio.models.formats.base.LoadedModel). UNIFORM_BITS_PER_DIM is the baseline of uniform 8-bit pixels.
DENSITIES = ("explicit", "approximate", "implicit")
DENSITY_OF_KIND = {"autoregressive": "explicit", "vae": "approximate", "diffusion": "approximate", "gan": "implicit"}
UNIFORM_BITS_PER_DIM = 8.0



@dataclass(frozen=True)
class ModelRecord:
    """One model of the catalog, as the window lists it and a PNG records it."""

    id: str
    name: str
    kind: str  # "diffusion" | "gan"
    styles: list[str]
    resolution: int
    channels: int
    path: str
    sha256: str
    bundled: bool
    card: str | None
    format: str
    base_resolution: int = 0  # a two-stage model: what its base paints (``resolution`` is its finished size)
    members: dict[str, str] = field(default_factory=dict)  # a style pair: style -> checkpoint (``resolution`` is the larger's)
    member_resolutions: dict[str, int] = field(default_factory=dict)  # a style pair: style -> its checkpoint's own size

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def sizes(self, upscaler_installed: bool) -> list[int]:
        """Every size it paints, smallest first: its own, then each ×2 pass of an upscaler (a two-stage
        model's own, or the bundled ink upscaler when ``upscaler_installed``). Any other size is refused."""
        base = self.base_resolution or self.resolution
        if not (self.base_resolution or upscaler_installed):
            return [self.resolution]
        if self.member_resolutions:  # a style pair: its own size, and the larger ones every member's passes reach
            reach = [{r * 2**k for k in range(MAX_UPSCALE_PASSES + 1)} for r in self.member_resolutions.values()]
            return sorted({self.resolution} | {s for s in set.intersection(*reach) if s > self.resolution})
        return [base * 2**k for k in range(MAX_UPSCALE_PASSES + 1)]


# ---------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class PaintRequest:
    """``count`` paintings with seeds ``seed .. seed+count-1``. ``style`` None: the model's first."""

    seed: int
    count: int = 1
    style: str | None = None
    sampler: str = DEFAULT_SAMPLER
    steps: int = DEFAULT_STEPS
    eta: float = 0.0
    size: int | None = None  # None: the model's own
    batch_size: int = DEFAULT_BATCH


@dataclass(frozen=True)
class ExportOptions:
    """How a series is written: file names, optional sheet, and display finishing (off by default)."""

    name: str = DEFAULT_NAME
    upscale: int = 1
    frame: str | None = None
    seal: bool = False
    sheet: bool = False
    upscale_method: str = "ink"  # the learned ink upscaler; "lanczos" as before it existed

    def finishing(self) -> dict[str, Any]:
        """What goes into each painting's metadata so a reproduction finishes it the same way."""
        out: dict[str, Any] = {"upscale": self.upscale, "frame": self.frame, "seal": self.seal}
        if self.upscale > 1:
            out["upscale_method"] = self.upscale_method
        return out


@dataclass(frozen=True)
class SeriesRequest:
    """A numbered series written to ``folder`` with ``manifest.json`` (File → Export series…, ``generate --out``)."""

    folder: str
    paint: PaintRequest
    options: ExportOptions = ExportOptions()


@dataclass(frozen=True)
class WalkRequest:
    """What to walk through. ``keyframes``: seeds, paths (a painted PNG gives its seed; ``.npy`` /
    ``.safetensors`` stored noise), or noise tensors of the model's noise shape.

    ``style``: the style of a plain walk (None = the model's first). ``style_walk``: two styles of
    a style-conditional model to blend from first to second, e.g. ("light", "dark").
    """

    keyframes: tuple[Any, ...]
    frames: int = 12
    loop: bool = False
    easing: str = "linear"
    style: str | None = None
    style_walk: tuple[str, str] | None = None
    sampler: str = DEFAULT_WALK_SAMPLER
    steps: int = DEFAULT_STEPS
    batch_size: int = DEFAULT_WALK_BATCH

    def keyframe_count(self) -> int:
        """Keyframes of the walk: one seed with a style walk morphs (seed, first style) → (seed, second)."""
        if self.style_walk is not None and len(self.keyframes) == 1:
            return 2
        return len(self.keyframes)

    def total_frames(self) -> int:
        """Frames the walk will have; 0 when it cannot be walked."""
        keys = self.keyframe_count()
        if keys < 2 or self.frames < 1:
            return 0
        return frame_count(keys, self.frames, self.loop)

    def check(self) -> None:
        """One-line errors before anything is queued or loaded."""
        if not self.keyframes:
            raise StudioError("give at least one seed (or pick paintings from the gallery)")
        if self.keyframe_count() < 2:
            raise StudioError("a walk needs at least two seeds (or one seed with the light → dark style walk)")
        if self.easing not in EASINGS:
            raise StudioError(f"unknown easing '{self.easing}' (choose from {', '.join(EASINGS)})")


def frame_count(keys: int, frames: int, loop: bool) -> int:
    """K keyframes, N frames per segment: (K-1)·N+1 frames ending on the last keyframe, or K·N looping."""
    segments = keys if loop else keys - 1
    return segments * frames + (0 if loop else 1)


@dataclass(frozen=True)
class InpaintRequest:
    seed: int
    count: int = 1
    method: str | None = None  # None: blend for diffusion, invert for GANs
    style: str | None = None
    steps: int | None = None  # None: the method's default (blend 20, repaint 50, invert 200)
    jumps: int | None = None  # resampling passes (blend) / jump_n_sample (repaint); None: 3
    jump_length: int | None = None  # repaint: its j (default 10); blend: how many final steps are resampled
    sampler: str = DEFAULT_SAMPLER  # blend only
    feather: int | None = None  # pixels of the original; None: about 1.5 model pixels
    batch_size: int = DEFAULT_BATCH

    def resolved(self, kind: str) -> InpaintRequest:
        """The request with every default filled in for a model of ``kind``; StudioError if it does not fit."""
        method = self.method or default_method(kind)
        if method not in INPAINT_METHODS:
            raise StudioError(f"unknown inpainting method '{method}' (choose from {', '.join(INPAINT_METHODS)})")
        if kind in LATENT_KINDS and method != "invert":
            raise StudioError(f"{method} is for diffusion models; a GAN inpaints with invert")
        if kind == "diffusion" and method == "invert":
            raise StudioError("invert is for GAN models; a diffusion model inpaints with blend or repaint")
        if self.count < 1:
            raise StudioError("count must be at least 1")
        if self.batch_size < 1:
            raise StudioError("batch size must be at least 1")
        steps = self.steps if self.steps is not None else DEFAULT_INPAINT_STEPS[method]
        if steps < 1:
            raise StudioError("steps must be at least 1")
        jumps = self.jumps if self.jumps is not None else DEFAULT_JUMPS[method]
        if method == "invert":
            jumps = None
        elif jumps < 1:
            raise StudioError("jumps must be at least 1")
        jump_length = self.jump_length
        if method == "repaint" and jump_length is None:
            jump_length = min(REPAINT_JUMP_LENGTH, max(1, steps // 2))
        if method == "blend" and jump_length is None:
            jump_length = max(1, steps // 4)
        if method == "invert":
            jump_length = None
        if self.feather is not None and self.feather < 0:
            raise StudioError("feather must be 0 or more pixels")
        return replace(self, method=method, steps=steps, jumps=jumps, jump_length=jump_length)


# ---------------------------------------------------------------------------- jobs and their events


class JobKind(Enum):
    """What a job of the window's runner does; every event carries its job's kind."""

    ENGINE = "engine"  # no job: the engine starting, a default model loading
    PAINT = "paint"
    SERIES = "series"
    REPAINT = "repaint"
    INPAINT = "inpaint"
    WALK = "walk"
    ANIMATION = "animation"  # writing a walk's frames as GIF / MP4 / WebP / PNG frames
    FILMSTRIP = "filmstrip"
    FORWARD = "forward"
    COMPARE = "compare"
    FAMILIES = "families"  # the Four families sheet (studio.work.families)
    LATENT = "latent"  # a VAE's latent map, a point of it, a reconstruction (studio.work.vae)
    UPSCALE = "upscale"


FINAL_EVENTS = ("finished", "cancelled", "error")


@dataclass(frozen=True)
class JobEvent:
    """The one thing that crosses from the worker thread to the window.

    kind: ready (device known, model loaded) · started · progress (``image`` = a preview, when
    present) · painting (one finished painting, saved at ``path``) · finished (``meta["result"]``)
    · cancelled · error (``message`` is one readable line). ``job_id`` and ``job_kind`` say whose it is
    (0 and ENGINE for events outside any job).
    """

    kind: str
    job_id: int = 0
    step: int = 0
    total: int = 0
    done: int = 0
    count: int = 0
    fraction: float = 0.0
    image: Any = None  # PIL.Image.Image: the UI receives images, never tensors
    meta: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    message: str = ""
    memory_bytes: int = 0
    job_kind: JobKind = JobKind.ENGINE

    @property
    def final(self) -> bool:
        return self.kind in FINAL_EVENTS
