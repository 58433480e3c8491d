"""The Four families sheet (issue 18): N paintings of one style by each family of generative model —
autoregressive (PixelCNN), VAE, GAN, diffusion — one labelled row each.

Shared by the Classroom's "Four families" tab (``families_task`` on the window's inference thread)
and ``inkstudio compare --families`` (``run`` in the CLI's process). Each row says its family, the
model, how it defines p(x) (explicit / approximate / implicit), network evaluations per painting,
the wall time of the painting run (model already loaded), and bits per dimension where defined:
measured now on the validation paintings when ``data`` is given, else the figure the model file
recorded at training (``provenance.bits_per_dim_validation``), else "—"; a GAN has no likelihood.
A family without a model gets a row saying so. Results are PIL images and plain values.

Example::

    sheet = run(FamiliesRequest(style="dark", count=4, seed=7), load, report, cancel)
    families_sheet(sheet, lang="zh_CN").save("sheet.png")
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from studio.errors import StudioError
from studio.work import styled

FAMILIES = ("autoregressive", "vae", "gan", "diffusion")
DENSITY = {"autoregressive": "explicit", "vae": "approximate", "gan": "implicit", "diffusion": "approximate"}
MAX_COUNT = 16

Load = Callable[[Any], Any]  # a ModelRecord -> its LoadedModel (the window's cache, or a plain load in the CLI)


@dataclass(frozen=True)
class FamiliesRequest:
    style: str = "light"
    count: int = 4
    seed: int = 0
    steps: int | None = None  # diffusion steps; None: the studio's default
    sampler: str | None = None  # diffusion sampler; None: the studio's default
    data: str | None = None  # folder of paintings: measure bits/dim on its validation split now
    cache: str | None = None  # where preloaded validation images are cached
    models: dict[str, str] = field(default_factory=dict)  # family -> model id or path; absent: the bundled one

    def checked(self) -> FamiliesRequest:
        if self.style not in ("light", "dark"):
            raise StudioError(f"--style must be light or dark, not {self.style!r}")
        if not 1 <= self.count <= MAX_COUNT:
            raise StudioError(f"count must be between 1 and {MAX_COUNT}, not {self.count}")
        unknown = [f for f in self.models if f not in FAMILIES]
        if unknown:
            raise StudioError(f"unknown family {unknown[0]!r} (families: {', '.join(FAMILIES)})")
        return self


@dataclass(frozen=True)
class FamilyRow:
    family: str  # one of FAMILIES
    density: str  # explicit | approximate | implicit
    model: str | None  # the model id; None when the family has no model here
    images: list[Image.Image]
    size: int = 0  # the paintings' side in pixels
    evaluations: int | None = None  # network evaluations per painting
    seconds: float | None = None  # wall time for all paintings of the row, model already loaded
    bits_per_dim: float | None = None
    bits_source: str = "none"  # measured | recorded | none | no-likelihood
    missing: str | None = None  # why there is no row (one line), else None

    def to_json(self) -> dict[str, Any]:
        return {"family": self.family, "density": self.density, "model": self.model, "size": self.size,
                "evaluations_per_painting": self.evaluations, "seconds": None if self.seconds is None else round(self.seconds, 4),
                "seconds_per_painting": None if self.seconds is None or not self.images else round(self.seconds / len(self.images), 4),
                "bits_per_dim": None if self.bits_per_dim is None else round(self.bits_per_dim, 4),
                "bits_source": self.bits_source, "missing": self.missing}


@dataclass(frozen=True)
class FamilySheet:
    style: str
    count: int
    seeds: list[int]
    rows: list[FamilyRow]

    def to_json(self) -> dict[str, Any]:
        return {"families": True, "style": self.style, "count": self.count, "seeds": self.seeds,
                "rows": [r.to_json() for r in self.rows]}


def family_of(kind: str) -> str:
    """The family of a model kind (a diffusion cascade is diffusion; a VAE's kind is its family)."""
    return kind if kind in FAMILIES else "gan"


def pick_records(request: FamiliesRequest, catalog: Any = None) -> dict[str, Any]:
    """family -> ModelRecord or a one-line reason it has none: the named model, else the bundled one."""
    from studio.models.catalog import DEFAULT_MODEL_ID, discover, resolve

    catalog = catalog or discover()
    out: dict[str, Any] = {}
    for family in FAMILIES:
        ref = request.models.get(family)
        if ref is not None:
            record = resolve(ref, catalog=catalog)
            if family_of(record.kind) != family:
                raise StudioError(f"{ref} is a {record.kind} model, not a {family} model")
            out[family] = record
            continue
        default = catalog.get(DEFAULT_MODEL_ID) if family == "diffusion" else None
        record = default if default is not None and default.kind == "diffusion" else catalog.bundled_of_kind(family)
        out[family] = record if record is not None else f"no {family} model found"
    return out


def evaluations_per_painting(model: Any, family: str, steps: int) -> int:
    """Network evaluations one painting costs: one pass for a GAN or a VAE's decoder, one per step for
    diffusion (+1 per upscaling pass of a two-stage model), one per sub-pixel for an autoregressive model."""
    if family == "diffusion":
        return steps + (1 if getattr(model, "upscaler", None) is not None else 0)
    if family == "autoregressive":
        return int(model.spec.channels * model.spec.resolution * model.spec.resolution)
    return 1


def recorded_bits(model: Any) -> float | None:
    prov = model.spec.extra.get("meta", {}).get("provenance", {}) if isinstance(model.spec.extra.get("meta"), dict) else {}
    value = prov.get("bits_per_dim_validation") if isinstance(prov, dict) else None
    if isinstance(value, dict):  # per style: the mean over styles
        nums = [float(v) for v in value.values() if isinstance(v, (int, float))]
        return sum(nums) / len(nums) if nums else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def measured_bits(model: Any, style: str, data: str, cache: str | None) -> float | None:
    """-log2 p(x | style) / dims (or its bound) of the validation paintings of ``style`` at the model's size."""
    measure = getattr(model, "bits_per_dim", None)
    if measure is None or not getattr(model, "has_likelihood", False):
        return None
    from studio.work.likelihood import validation_sets

    images = validation_sets(data, model.spec.resolution, [style], cache)[style]
    return measure(images, model.labels_for(style, images.shape[0]))


def run(request: FamiliesRequest, load: Load, report: Callable[[int, int], None] | None = None, cancel: Any = None) -> FamilySheet:
    """Paint ``request.count`` paintings of ``request.style`` with each family (seeds seed..seed+count-1)."""
    from studio.api import DEFAULT_SAMPLER, DEFAULT_STEPS, PaintRequest
    from studio.engine.paint import paint_series

    request = request.checked()
    steps = request.steps or DEFAULT_STEPS
    sampler = request.sampler or DEFAULT_SAMPLER
    records = pick_records(request)
    rows: list[FamilyRow] = []
    total = len(FAMILIES) * 100
    for index, family in enumerate(FAMILIES):
        if cancel is not None:
            cancel.raise_if_set()
        record = records[family]
        if isinstance(record, str):
            rows.append(FamilyRow(family, DENSITY[family], None, [], missing=record))
            continue
        model, style = styled(load(record), request.style)
        if cancel is not None:
            cancel.raise_if_set()
        req = PaintRequest(seed=request.seed, count=request.count, style=style, sampler=sampler, steps=steps,
                           batch_size=request.count)

        def progress(p: Any, index: int = index) -> None:
            if report is not None:
                report(index * 100 + int(90 * p.fraction), total)

        start = time.perf_counter()
        paintings = paint_series(model, record, req, cancel=cancel, on_progress=progress)
        seconds = time.perf_counter() - start
        density = getattr(model, "density", None) or DENSITY[family]
        bits, source = None, "no-likelihood" if density == "implicit" else "none"
        if density != "implicit":
            if request.data is not None:
                bits = measured_bits(model, request.style, request.data, request.cache)
                source = "measured" if bits is not None else source
            if bits is None:
                bits = recorded_bits(model)
                source = "recorded" if bits is not None else source
        images = [p.image for p in paintings]
        rows.append(FamilyRow(family, density, record.id, images, images[0].width if images else 0,
                              evaluations_per_painting(model, family, steps), seconds, bits, source))
        if report is not None:
            report((index + 1) * 100, total)
    return FamilySheet(request.style, request.count, [request.seed + k for k in range(request.count)], rows)


def families_task(models: Callable[[], Any], request: FamiliesRequest) -> Callable[[Any, Any, Any], FamilySheet]:
    """``run`` for the window's inference thread (``runner.submit_task``), models from the worker's cache."""

    def task(report: Any, cancel: Any, device: Any) -> FamilySheet:
        return run(request, lambda record: models().get(record, device), report, cancel)

    return task


# ---------------------------------------------------------------------------- the words and the sheet


@dataclass(frozen=True)
class FamilyText:
    """Every word on the sheet, in one language (the CLI's --lang, the window's own language)."""

    families: tuple[tuple[str, str], ...]
    densities: tuple[tuple[str, str], ...]
    header: str
    evaluations: str
    timing: str
    bits: str
    bits_recorded: str
    no_likelihood: str
    no_bits: str
    missing: str
    title: str

    def family(self, name: str) -> str:
        return dict(self.families).get(name, name)

    def density(self, name: str) -> str:
        return dict(self.densities).get(name, name)


FAMILY_TEXT = {
    "en": FamilyText(
        families=(("autoregressive", "Autoregressive (PixelCNN)"), ("vae", "VAE"), ("gan", "GAN"), ("diffusion", "Diffusion")),
        densities=(("explicit", "explicit density"), ("approximate", "approximate density"), ("implicit", "implicit density")),
        header="{family} — {model}, {size} px · {density}",
        evaluations="network evaluations per painting: {evaluations}",
        timing="{seconds:.2f} s for {count} ({per:.2f} s each)",
        bits="{bits:.2f} bits/dim (validation)",
        bits_recorded="{bits:.2f} bits/dim (validation, at training)",
        no_likelihood="no likelihood",
        no_bits="bits/dim —",
        missing="{family}: no model — {reason}",
        title="Four families · {style} · seeds {seeds} · uniform pixels = 8.00 bits/dim",
    ),
    "zh_CN": FamilyText(
        families=(("autoregressive", "自回归（PixelCNN）"), ("vae", "变分自编码器 VAE"), ("gan", "对抗生成 GAN"), ("diffusion", "扩散模型")),
        densities=(("explicit", "显式密度"), ("approximate", "近似密度"), ("implicit", "隐式密度")),
        header="{family} — {model}，{size} 像素 · {density}",
        evaluations="每幅 {evaluations} 次网络计算",
        timing="{count} 幅用时 {seconds:.2f} 秒（每幅 {per:.2f} 秒）",
        bits="{bits:.2f} 比特/维（验证集）",
        bits_recorded="{bits:.2f} 比特/维（验证集，训练时测得）",
        no_likelihood="无似然",
        no_bits="比特/维 —",
        missing="{family}：没有模型 — {reason}",
        title="四大家族 · {style} · 种子 {seeds} · 均匀像素 = 8.00 比特/维",
    ),
}

STYLE_WORDS = {"en": {"light": "light ink", "dark": "dark ink"}, "zh_CN": {"light": "淡墨", "dark": "浓墨"}}


def row_labels(row: FamilyRow, lang: str = "en") -> list[str]:
    """A row's two lines: what it is (family, model, size, density) and its figures."""
    words = FAMILY_TEXT[lang]
    if row.missing is not None:
        return [words.missing.format(family=words.family(row.family), reason=row.missing), ""]
    head = words.header.format(family=words.family(row.family), model=row.model, size=row.size, density=words.density(row.density))
    n = max(1, len(row.images))
    parts = [words.evaluations.format(evaluations=row.evaluations),
             words.timing.format(seconds=row.seconds or 0.0, count=len(row.images), per=(row.seconds or 0.0) / n)]
    if row.bits_source == "no-likelihood":
        parts.append(words.no_likelihood)
    elif row.bits_per_dim is None:
        parts.append(words.no_bits)
    else:
        parts.append((words.bits if row.bits_source == "measured" else words.bits_recorded).format(bits=row.bits_per_dim))
    return [head, " · ".join(parts)]


def sheet_title(sheet: FamilySheet, lang: str = "en") -> str:
    words = FAMILY_TEXT[lang]
    return words.title.format(style=STYLE_WORDS[lang].get(sheet.style, sheet.style), seeds=", ".join(map(str, sheet.seeds)))


def families_sheet(sheet: FamilySheet, *, thumb: int = 128, lang: str = "en") -> Image.Image:
    """The sheet as one picture: a title, then per family two lines of labels and its paintings."""
    from PIL import ImageDraw

    from studio.engine.classroom import drawn_language
    from studio.engine.export import caption_font

    font = caption_font(max(11, thumb // 10))
    lang = drawn_language(lang, font)
    title = sheet_title(sheet, lang)
    labels = [row_labels(r, lang) for r in sheet.rows]
    line = font.getbbox("墨 0123456789")[3] + 6
    pad = 10
    texts = [title, *(t for pair in labels for t in pair)]
    width = max(pad + sheet.count * (thumb + pad), *(int(font.getlength(t)) + 2 * pad for t in texts))
    heights = [2 * line + (thumb + pad if r.images else 0) for r in sheet.rows]
    out = Image.new("RGB", (width, pad + line + pad + sum(heights) + pad), (246, 242, 232))
    draw = ImageDraw.Draw(out)
    draw.text((pad, pad), title, font=font, fill=(60, 60, 60))
    y = pad + line + pad
    for row, (head, figures) in zip(sheet.rows, labels):
        draw.text((pad, y), head, font=font, fill=(30, 30, 30) if row.missing is None else (150, 60, 40))
        draw.text((pad, y + line), figures, font=font, fill=(80, 80, 80))
        y += 2 * line
        for i, im in enumerate(row.images):
            out.paste(im.convert("RGB").resize((thumb, thumb), Image.Resampling.LANCZOS), (pad + i * (thumb + pad), y))
        if row.images:
            y += thumb + pad
    return out
