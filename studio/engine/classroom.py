"""Classroom views of how generative models paint: the denoising filmstrip, the forward (noising)
process with its signal-to-noise curve, and a GAN and a diffusion model side by side.

All functions return PIL images / numpy arrays for the window, take a ``CancelToken`` where the
work is long, and follow the seed contract, so the filmstrip's last frame is the very painting
``generate`` makes from the same settings.

Example::

    traj = denoising_trajectory(model, seed=7, steps=20, every=5)
    filmstrip(traj).save("strip.png")
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image, ImageDraw

from studio.engine.export import caption_font
from studio.engine.noise import image_generators, initial_noise
from studio.engine.paint import Painting, PaintRequest, paint_series
from studio.engine.sampling import (
    DEFAULT_SAMPLER,
    DEFAULT_STEPS,
    CancelToken,
    StepUpdate,
    make_scheduler,
    sample_diffusion,
    to_pil,
)
from studio.errors import StudioError
from studio.models.catalog import ModelRecord
from studio.models.loaders import LoadedModel

# ---------------------------------------------------------------------------- the words on the pictures


@dataclass(frozen=True)
class SheetText:
    """Every word drawn on a filmstrip or a GAN-vs-diffusion picture, in one language.

    One table per language, so a picture never mixes a Chinese row label with an English header.
    The CLI picks it with ``--lang``; the window passes its own language.
    """

    noisy: str = "x_t (noisy)"
    predicted: str = "x0 (predicted)"
    title: str = "seed {seed} · {sampler} · {steps} steps"
    styles: tuple[tuple[str, str], ...] = (("light", "light ink"), ("dark", "dark ink"))
    upscaled: str = "×2 → {size} px"
    gan_row: str = "GAN: {model} — {count} in {seconds:.2f} s"
    diffusion_row: str = "Diffusion: {model} — {count} in {seconds:.2f} s"
    seeds: str = "seeds {seeds}"

    def style(self, name: str) -> str:
        return dict(self.styles).get(name, name)


SHEET_TEXT = {
    "en": SheetText(),
    "zh_CN": SheetText(
        noisy="x_t（含噪）",
        predicted="x0（预测）",
        title="种子 {seed} · {sampler} · {steps} 步",
        styles=(("light", "淡墨"), ("dark", "浓墨")),
        upscaled="×2 → {size} 像素",
        gan_row="GAN 对抗生成：{model} — {count} 幅用时 {seconds:.2f} 秒",
        diffusion_row="扩散模型：{model} — {count} 幅用时 {seconds:.2f} 秒",
        seeds="种子 {seeds}",
    ),
}


def sheet_text(lang: str) -> SheetText:
    """The words for ``lang`` (``en`` or ``zh_CN``); StudioError for a language without a table."""
    if lang not in SHEET_TEXT:
        raise StudioError(f"no labels in '{lang}' (choose from {', '.join(SHEET_TEXT)})")
    return SHEET_TEXT[lang]


def _text_for(lang: str, font: Any) -> SheetText:
    """Chinese words need a font that has them; without one the picture is labelled in English throughout."""
    return sheet_text(drawn_language(lang, font))


def drawn_language(lang: str, font: Any = None) -> str:
    """The language a picture asked for in ``lang`` is labelled in: English when no installed font has Chinese."""
    from studio.engine.export import font_has_cjk

    sheet_text(lang)  # an unknown language is refused
    return lang if lang == "en" or font_has_cjk(font if font is not None else caption_font()) else "en"


# ---------------------------------------------------------------------------- denoising filmstrip


@dataclass(frozen=True)
class TrajectoryFrame:
    step: int  # 1..total: the state after this many denoising steps
    total: int
    x_t: Image.Image  # the noisy image the sampler holds
    x0: Image.Image  # the model's guess at the finished painting


@dataclass(frozen=True)
class Trajectory:
    frames: list[TrajectoryFrame]
    painting: Image.Image  # the finished painting (equals the last frame's x_t)
    seed: int
    sampler: str
    steps: int
    style: str | None
    # a two-stage model: the painting after each upscaler pass (the last one is ``painting``)
    stages: tuple[Image.Image, ...] = ()


def frame_steps(steps: int, every: int) -> list[int]:
    """The steps a filmstrip shows: every ``every``-th, and always the last."""
    if every < 1:
        raise StudioError("--every must be at least 1")
    shown = list(range(every, steps + 1, every))
    if not shown or shown[-1] != steps:
        shown.append(steps)
    return shown


def denoising_trajectory(
    model: LoadedModel,
    seed: int,
    *,
    style: str | None = None,
    sampler: str = DEFAULT_SAMPLER,
    steps: int = DEFAULT_STEPS,
    eta: float = 0.0,
    size: int | None = None,
    every: int = 1,
    cancel: CancelToken | None = None,
    on_frame: Callable[[TrajectoryFrame], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Trajectory:
    """Paint one image (seed ``seed``) and keep x_t and the predicted x0 every ``every`` steps.

    ``on_frame`` sees each kept frame as it is made (a window can grow its strip live);
    ``on_progress(step, total)`` sees every step.
    """
    if model.kind != "diffusion":
        raise StudioError(f"'{model.spec.name}' is a GAN: it paints in one pass, there is no denoising to show")
    shown = set(frame_steps(steps, every))
    frames: list[TrajectoryFrame] = []

    def on_step(update: StepUpdate) -> None:
        if on_progress is not None:
            on_progress(update.step, update.total)
        if update.step in shown and update.x_t is not None:
            frame = TrajectoryFrame(update.step, update.total, to_pil(update.x_t[:1])[0], to_pil(update.x0[:1])[0])
            frames.append(frame)
            if on_frame is not None:
                on_frame(frame)

    two_stage = model.upscaler is not None
    final = sample_diffusion(
        model, [seed], style=style, sampler=sampler, steps=steps, eta=eta, size=None if two_stage else size, cancel=cancel,
        on_step=on_step,
    )
    stages: list[Image.Image] = []
    if two_stage:
        from studio.engine.upscale import finish_cascade

        final = finish_cascade(model, final, [seed], size, on_stage=lambda k, x: stages.append(to_pil(x)[0]))
    return Trajectory(frames, to_pil(final)[0], seed, sampler, steps, style, tuple(stages))


def _cell_scale(size: tuple[int, int], minimum: int = 96) -> int:
    """Whole-number enlargement so tiny paintings stay visible (nearest neighbour keeps pixels exact)."""
    return max(1, math.ceil(minimum / max(size)))


@dataclass(frozen=True)
class StripLayout:
    scale: int
    x_t_boxes: list[tuple[int, int, int, int]]
    x0_boxes: list[tuple[int, int, int, int]]
    texts: tuple[str, ...] = ()  # every word drawn, in the order drawn


def filmstrip_layout(traj: Trajectory, lang: str = "en") -> tuple[Image.Image, StripLayout]:
    """The strip as a picture: top row x_t, bottom row predicted x0, step numbers under each column.

    Labels are in ``lang`` (``en``, ``zh_CN``), all of them.
    """
    if not traj.frames:
        raise StudioError("the trajectory has no frames")
    w, h = traj.frames[0].x_t.size
    scale = _cell_scale((w, h))
    cw, ch = w * scale, h * scale
    font = caption_font(max(11, min(18, cw // 7)))
    words = _text_for(lang, font)
    drawn: list[str] = []
    line = font.getbbox("墨 step 0/0")[3] + 6
    pad = 8
    labels = (words.noisy, words.predicted)
    label_w = max(font.getbbox(text)[2] for text in labels) + 2 * pad
    n = len(traj.frames)
    stages_w = sum(im.width + pad for im in traj.stages)
    width = label_w + n * (cw + pad) + pad + stages_w
    height = pad + line + max(2 * (ch + pad), max((im.height + pad for im in traj.stages), default=0)) + line
    strip = Image.new("RGB", (width, height), (246, 242, 232))
    draw = ImageDraw.Draw(strip)
    title = words.title.format(seed=traj.seed, sampler=traj.sampler, steps=traj.steps)
    title += f" · {words.style(traj.style)}" if traj.style else ""
    draw.text((pad, pad), title, font=font, fill=(30, 30, 30))
    drawn.append(title)
    row_y = (pad + line, pad + line + ch + pad)
    for y, text in zip(row_y, labels):
        draw.text((pad, y + ch // 2), text, font=font, fill=(60, 60, 60), anchor="lm")
        drawn.append(text)
    x_t_boxes, x0_boxes = [], []
    for i, frame in enumerate(traj.frames):
        x = label_w + i * (cw + pad)
        for row, im, boxes in ((0, frame.x_t, x_t_boxes), (1, frame.x0, x0_boxes)):
            big = im.convert("RGB").resize((cw, ch), Image.NEAREST)
            strip.paste(big, (x, row_y[row]))
            boxes.append((x, row_y[row], x + cw, row_y[row] + ch))
        draw.text((x + cw // 2, row_y[1] + ch + 3), f"{frame.step}/{frame.total}", font=font, fill=(40, 40, 40), anchor="ma")
        drawn.append(f"{frame.step}/{frame.total}")
    # a two-stage model's upscaler passes, each at its own pixel size
    x = label_w + n * (cw + pad) + pad
    for im in traj.stages:
        strip.paste(im.convert("RGB"), (x, row_y[0]))
        stage = words.upscaled.format(size=im.width)
        draw.text((x + im.width // 2, row_y[0] + im.height + 3), stage, font=font, fill=(40, 40, 40), anchor="ma")
        drawn.append(stage)
        x += im.width + pad
    return strip, StripLayout(scale, x_t_boxes, x0_boxes, tuple(drawn))


def filmstrip(traj: Trajectory, lang: str = "en") -> Image.Image:
    return filmstrip_layout(traj, lang)[0]


def filmstrip_gif_frames(traj: Trajectory, lang: str = "en") -> list[Image.Image]:
    """One animation frame per shown step: x_t beside x0, with the step number."""
    frames = []
    for frame in traj.frames:
        single = Trajectory([frame], frame.x_t, traj.seed, traj.sampler, traj.steps, traj.style)
        frames.append(filmstrip(single, lang))
    return frames


def save_filmstrip(traj: Trajectory, path: str | Path, *, frame_ms: int = 400, lang: str = "en") -> Path:
    """Write the strip as .png (both rows, all steps) or .gif (animated, the last frame held); labels in ``lang``."""
    from studio.engine.pngmeta import atomic_target, save_png

    path = Path(path)
    suffix = path.suffix.lower()
    meta = {"trajectory": True, "seed": traj.seed, "sampler": traj.sampler, "steps": traj.steps, "style": traj.style,
            "frame_steps": [f.step for f in traj.frames], "lang": drawn_language(lang)}
    if suffix == ".png":
        strip, layout = filmstrip_layout(traj, lang)
        meta.update(scale=layout.scale, x_t_boxes=[list(b) for b in layout.x_t_boxes], x0_boxes=[list(b) for b in layout.x0_boxes])
        return save_png(strip, meta, path)
    if suffix == ".gif":
        frames = filmstrip_gif_frames(traj, lang)
        durations = [frame_ms] * (len(frames) - 1) + [frame_ms * 5]
        tmp = atomic_target(path)
        try:
            frames[0].save(tmp, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0)
            tmp.replace(path)
        except OSError as exc:
            raise StudioError(f"cannot write {path}: {exc.strerror or exc}") from None
        finally:
            tmp.unlink(missing_ok=True)
        return path
    raise StudioError(f"--out must end in .png or .gif, not '{path.name}'")


# ---------------------------------------------------------------------------- forward process


def image_to_tensor(image: Image.Image, channels: int = 3) -> torch.Tensor:
    """An 8-bit image to model space: (1, C, H, W) float32 in [-1, 1]."""
    im = image.convert("L" if channels == 1 else "RGB")
    arr = np.asarray(im, dtype=np.float32) / 127.5 - 1.0
    if arr.ndim == 2:
        arr = arr[..., None]
    return torch.from_numpy(arr).permute(2, 0, 1).unsqueeze(0).contiguous()


class ForwardProcess:
    """A painting noised at any training timestep t, as the model saw it in training.

    ``at(t)`` is x_t = sqrt(a_t) x0 + sqrt(1 - a_t) eps, computed by the scheduler's ``add_noise``
    with the contract noise of ``seed`` (so t moves along one fixed noise draw, as a slider should).
    ``snr()`` is the schedule's signal-to-noise ratio a_t / (1 - a_t) for t = 0..T-1.

        fp = ForwardProcess.for_model(model, painting, seed=0)
        fp.at(500); fp.snr()
    """

    def __init__(self, scheduler_config: dict[str, Any], image: Image.Image, *, seed: int = 0, channels: int = 3) -> None:
        from diffusers import DDPMScheduler

        keep = {"num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "trained_betas", "rescale_betas_zero_snr"}
        self.scheduler = DDPMScheduler.from_config({k: v for k, v in scheduler_config.items() if k in keep})
        self.x0 = image_to_tensor(image, channels)
        self.noise = initial_noise(self.x0.shape[1:], image_generators([seed]))
        self.seed = seed

    @classmethod
    def for_model(cls, model: LoadedModel, image: Image.Image, *, seed: int = 0) -> ForwardProcess:
        if model.kind != "diffusion":
            raise StudioError(f"'{model.spec.name}' is a GAN: it has no noise schedule")
        image = image.resize((model.noise_shape[-1], model.noise_shape[-2]), Image.LANCZOS) if image.size != (
            model.noise_shape[-1], model.noise_shape[-2]) else image
        return cls(make_scheduler(model, "ddpm").config, image, seed=seed, channels=model.noise_shape[0])

    @property
    def num_train_timesteps(self) -> int:
        return int(self.scheduler.config.num_train_timesteps)

    def tensor_at(self, t: int) -> torch.Tensor:
        if not 0 <= t < self.num_train_timesteps:
            raise StudioError(f"t must be between 0 and {self.num_train_timesteps - 1}, not {t}")
        return self.scheduler.add_noise(self.x0, self.noise, torch.tensor([t], dtype=torch.long))

    def at(self, t: int) -> Image.Image:
        return to_pil(self.tensor_at(t))[0]

    def frames(self, timesteps: Sequence[int]) -> list[Image.Image]:
        return [self.at(int(t)) for t in timesteps]

    def snr(self) -> np.ndarray:
        a = self.scheduler.alphas_cumprod.double().numpy()
        return a / np.maximum(1.0 - a, 1e-12)


# ---------------------------------------------------------------------------- GAN vs diffusion


@dataclass(frozen=True)
class ModelRun:
    name: str
    kind: str
    paintings: list[Painting]
    seconds: float  # wall time for the whole run, model already loaded

    @property
    def images(self) -> list[Image.Image]:
        return [p.image for p in self.paintings]


@dataclass(frozen=True)
class SideBySide:
    gan: ModelRun
    diffusion: ModelRun
    seeds: list[int]


def side_by_side(
    gan: tuple[LoadedModel, ModelRecord],
    diffusion: tuple[LoadedModel, ModelRecord],
    *,
    count: int,
    seed: int,
    style: str | None = None,
    sampler: str = DEFAULT_SAMPLER,
    steps: int = DEFAULT_STEPS,
    cancel: CancelToken | None = None,
    on_progress: Callable[[str, float], None] | None = None,
) -> SideBySide:
    """The same ``count`` seeds painted by a GAN and by a diffusion model, each run timed.

    ``on_progress(kind, fraction)`` reports each run's progress. Style applies to each model that offers it.
    """
    gan_model, gan_record = gan
    diff_model, diff_record = diffusion
    if gan_model.kind != "gan" or diff_model.kind != "diffusion":
        raise StudioError("side by side needs a GAN first and a diffusion model second")
    runs = []
    for kind, (model, record) in (("gan", gan), ("diffusion", diffusion)):
        run_style = style if style in model.styles else None
        req = PaintRequest(seed=seed, count=count, style=run_style, sampler=sampler, steps=steps, batch_size=count)

        def progress(p: Any, kind: str = kind) -> None:
            if on_progress is not None:
                on_progress(kind, p.fraction)

        start = time.perf_counter()
        paintings = paint_series(model, record, req, cancel=cancel, on_progress=progress)
        runs.append(ModelRun(record.id, kind, paintings, time.perf_counter() - start))
    return SideBySide(runs[0], runs[1], [seed + k for k in range(count)])


def side_by_side_labels(result: SideBySide, lang: str = "en", font: Any = None) -> list[str]:
    """The sheet's words: the GAN row's header, the diffusion row's, the seeds line (all in ``lang``)."""
    words = _text_for(lang, font) if font is not None else sheet_text(lang)
    rows = [
        template.format(model=run.name, count=len(run.paintings), seconds=run.seconds)
        for run, template in ((result.gan, words.gan_row), (result.diffusion, words.diffusion_row))
    ]
    return [*rows, words.seeds.format(seeds=", ".join(map(str, result.seeds)))]


def side_by_side_sheet(result: SideBySide, *, thumb: int = 128, lang: str = "en") -> Image.Image:
    """Two labelled rows (GAN, diffusion) with their wall times, for slides or a saved comparison."""
    font = caption_font(max(11, thumb // 10))
    headers = side_by_side_labels(result, lang, font)
    line = font.getbbox("墨 0123456789")[3] + 6
    pad = 10
    n = len(result.seeds)
    # as wide as the widest header too: with one or two paintings a row's header was cut off
    width = max(pad + n * (thumb + pad), *(int(font.getlength(h)) + 2 * pad for h in headers))
    height = pad + 2 * (line + thumb + pad) + line
    sheet = Image.new("RGB", (width, height), (246, 242, 232))
    draw = ImageDraw.Draw(sheet)
    y = pad
    for run, header in zip((result.gan, result.diffusion), headers):
        draw.text((pad, y), header, font=font, fill=(30, 30, 30))
        y += line
        for i, im in enumerate(run.images):
            sheet.paste(im.convert("RGB").resize((thumb, thumb), Image.LANCZOS), (pad + i * (thumb + pad), y))
        y += thumb + pad
    draw.text((pad, y), headers[2], font=font, fill=(60, 60, 60))
    return sheet
