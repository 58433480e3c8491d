"""Exporting image series: files with embedded settings, a manifest, a contact sheet, and
reproducing a painting from the settings a PNG carries.

A GUI drives ``export_series`` from a worker thread with a ``CancelToken`` and progress callbacks;
the CLI's ``generate`` does the same with a progress bar. Nothing here knows about threads or Qt.

Example::

    result = export_series(model, record, PaintRequest(seed=7, count=8), "out/", ExportOptions(sheet=True))
    result.files, result.manifest, result.sheet
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from studio.api import ExportOptions, ModelRecord, PaintRequest
from studio.engine import framing
from studio.engine.paint import Painting, SeriesProgress, file_name, paint_series
from studio.engine.pngmeta import atomic_target, read_png_meta, save_png, sweep_stale_parts
from studio.engine.sampling import DEFAULT_SAMPLER, DEFAULT_STEPS, CancelToken
from studio.errors import StudioError
from studio.models.catalog import discover, resolve
from studio.models.loaders import LoadedModel

MANIFEST_NAME = "manifest.json"
SHEET_NAME = "contact-sheet.png"
MANIFEST_FORMAT = "inkstudio-manifest"
MANIFEST_VERSION = 1
STYLE_LABELS = {"light": "淡墨 light", "dark": "浓墨 dark"}

CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)


def resolve_upscale_method(model: LoadedModel, options: ExportOptions) -> ExportOptions:
    """``options`` with the upscale method that will really be used: "ink" needs an ink upscaler (the
    model's own second stage, or the bundled one); without one it is "lanczos", and the metadata says so."""
    if options.upscale <= 1 or options.upscale_method != "ink":
        return options
    if model.upscaler is not None or _bundled_upscaler() is not None:
        return options
    return replace(options, upscale_method="lanczos")


def _bundled_upscaler() -> Any:
    from studio.engine.upscale import bundled_upscaler

    return bundled_upscaler()


def finish_painting(model: LoadedModel, painting: Painting, options: ExportOptions) -> Image.Image:
    """Upscale (ink or Lanczos), seal and frame one painting as ``options`` say, in that order."""
    image = painting.image
    upscale_by = options.upscale
    if options.upscale > 1 and options.upscale_method == "ink":
        from studio.engine.sampling import to_pil
        from studio.engine.upscale import ink_upscale, passes_for, pil_to_model

        upscaler = model.upscaler or _bundled_upscaler()
        if upscaler is None:
            raise StudioError("the ink upscaler is not installed (models/ink-upscaler.safetensors); use the Lanczos method")
        big = ink_upscale(upscaler, pil_to_model(image), [painting.seed], passes_for(options.upscale), device=model.device)
        image, upscale_by = to_pil(big)[0], 1
    return framing.finish(image, upscale_by=upscale_by, frame=options.frame, seal=options.seal)


@dataclass(frozen=True)
class ExportedPainting:
    path: Path
    image: Image.Image  # as written (upscaled/framed)
    painting: Painting  # as painted
    meta: dict[str, Any]


@dataclass(frozen=True)
class ExportResult:
    files: list[Path]
    manifest: Path
    sheet: Path | None = None
    paintings: list[ExportedPainting] = field(default_factory=list)


# ---------------------------------------------------------------------------- fonts and sheets


@lru_cache(maxsize=16)
def first_cjk_font(candidates: tuple[str, ...], size: int) -> ImageFont.FreeTypeFont | None:
    """The first of ``candidates`` that exists and really draws Chinese (墨), or None."""
    for path in candidates:
        try:
            font = ImageFont.truetype(path, size)
        except OSError:
            continue
        if font.getbbox("墨")[2] > 0:
            return font
    return None


def caption_font(size: int = 14) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A font that can draw Chinese captions when one is installed, else PIL's default font."""
    return first_cjk_font(CJK_FONT_CANDIDATES, size) or ImageFont.load_default(size=size)


def font_has_cjk(font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> bool:
    return isinstance(font, ImageFont.FreeTypeFont) and font.path in CJK_FONT_CANDIDATES


def fit_thumbnail(image: Image.Image, box: int) -> Image.Image:
    """``image`` scaled (Lanczos) to fit a ``box`` x ``box`` square, keeping its aspect ratio."""
    scale = box / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.convert("RGB").resize(size, Image.LANCZOS) if size != image.size else image.convert("RGB")


@dataclass(frozen=True)
class ContactSheet:
    image: Image.Image
    boxes: list[tuple[int, int, int, int]]  # where each thumbnail sits: (left, top, right, bottom)
    captions: list[str]


def contact_sheet(
    images: Sequence[Image.Image],
    captions: Sequence[str],
    *,
    title: str | None = None,
    columns: int | None = None,
    thumb: int = 192,
) -> ContactSheet:
    """A grid of thumbnails with a caption under each (e.g. the seed) and an optional title line."""
    if not images:
        raise StudioError("a contact sheet needs at least one painting")
    if len(captions) != len(images):
        raise ValueError("one caption per image")
    n = len(images)
    cols = columns or math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    font = caption_font(max(11, thumb // 12))
    line = font.getbbox("墨Seed 0123456789")[3] + 6
    pad = max(8, thumb // 16)
    title_h = line + pad if title else 0
    cell_w, cell_h = thumb + pad, thumb + line + pad
    sheet = Image.new("RGB", (pad + cols * cell_w, pad + title_h + rows * cell_h), framing.PAPER_TINT)
    draw = ImageDraw.Draw(sheet)
    if title:
        draw.text((pad, pad), title, font=font, fill=(30, 30, 30))
    boxes = []
    for i, (im, caption) in enumerate(zip(images, captions)):
        r, c = divmod(i, cols)
        x0, y0 = pad + c * cell_w, pad + title_h + r * cell_h
        t = fit_thumbnail(im, thumb)
        x, y = x0 + (thumb - t.width) // 2, y0 + (thumb - t.height) // 2
        sheet.paste(t, (x, y))
        boxes.append((x, y, x + t.width, y + t.height))
        draw.text((x0 + thumb // 2, y0 + thumb + 3), caption, font=font, fill=(40, 40, 40), anchor="ma")
    return ContactSheet(sheet, boxes, list(captions))


def series_title(meta: dict[str, Any]) -> str:
    style = meta.get("style")
    parts = [str(meta.get("model", "")), STYLE_LABELS.get(style, style) if style else None]
    if meta.get("kind") == "diffusion":
        parts.append(f"{meta.get('sampler')} · {meta.get('steps')} steps")
    return "  ·  ".join(p for p in parts if p)


# ---------------------------------------------------------------------------- the manifest


def _write_json_atomic(path: Path, data: Any) -> None:
    tmp = atomic_target(path)
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise StudioError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)


class Manifest:
    """DIR/manifest.json: one entry per painting in the folder, rewritten (atomically) after each one.

    Entries from an earlier run into the same folder are kept unless a file of the same name replaces them.
    """

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / MANIFEST_NAME
        self.entries: list[dict[str, Any]] = []
        self.sheet: str | None = None
        self.complete = False
        try:
            old = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = None
        if isinstance(old, dict) and old.get("format") == MANIFEST_FORMAT and isinstance(old.get("paintings"), list):
            folder = Path(folder)
            self.entries = [e for e in old["paintings"] if isinstance(e, dict) and isinstance(e.get("file"), str)
                            and (folder / e["file"]).is_file()]  # entries whose file was deleted are dropped

    def add(self, file: str, meta: dict[str, Any]) -> None:
        self.entries = [e for e in self.entries if e["file"] != file]
        self.entries.append({"file": file, "seed": meta.get("seed"), "meta": meta})
        self.write()

    def finish(self, sheet: str | None) -> None:
        self.sheet, self.complete = sheet, True
        self.write()

    def write(self) -> None:
        _write_json_atomic(
            self.path,
            {
                "format": MANIFEST_FORMAT,
                "version": MANIFEST_VERSION,
                "updated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "complete": self.complete,  # false while painting or after an interruption
                "sheet": self.sheet,
                "paintings": self.entries,
            },
        )


def read_manifest(folder: str | Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StudioError(f"{path}: no such file") from None
    except (OSError, ValueError) as exc:
        raise StudioError(f"{path}: not a readable manifest ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise StudioError(f"{path}: not an Ink Studio manifest")
    return data


# ---------------------------------------------------------------------------- series export


def export_series(
    model: LoadedModel,
    record: ModelRecord,
    req: PaintRequest,
    out_dir: str | Path,
    options: ExportOptions = ExportOptions(),
    *,
    cancel: CancelToken | None = None,
    on_progress: Callable[[SeriesProgress], None] | None = None,
    on_file: Callable[[ExportedPainting], None] | None = None,
) -> ExportResult:
    """Paint ``req`` into ``out_dir``: one PNG per painting (settings embedded, written under a
    temporary name and renamed), manifest.json updated after each, and a contact sheet at the end
    when ``options.sheet``. On cancel the files and manifest written so far stay valid."""
    out = Path(out_dir)
    if options.upscale not in framing.UPSCALES:
        raise StudioError(f"upscale must be one of {', '.join(map(str, framing.UPSCALES))}, not {options.upscale}")
    if options.frame is not None and options.frame not in framing.FRAMES:
        raise StudioError(f"unknown frame '{options.frame}' (choose from {', '.join(framing.FRAMES)})")
    first = file_name(options.name, {"seed": req.seed})  # a bad template fails before any painting
    if options.sheet and first == SHEET_NAME:
        raise StudioError(f"name template '{options.name}' would write over the contact sheet ({first}): choose another name")
    if req.count > 1 and "{seed}" not in options.name:
        raise StudioError(f"name template '{options.name}' has no {{seed}}: the {req.count} paintings would overwrite each other")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StudioError(f"cannot create output folder {out}: {exc.strerror or exc}") from None
    sweep_stale_parts(out)  # what a killed export into this folder left behind (the window's exports too)
    options = resolve_upscale_method(model, options)
    manifest = Manifest(out)
    exported: list[ExportedPainting] = []

    def on_painting(p: Painting) -> None:
        meta = {
            **p.meta,
            "model_path": record.path,
            "device": model.device.type,
            "export": options.finishing(),
        }
        image = finish_painting(model, p, options)
        name = file_name(options.name, meta)
        path = save_png(image, meta, out / name)
        manifest.add(name, meta)
        item = ExportedPainting(path, image, p, meta)
        exported.append(item)
        if on_file is not None:
            on_file(item)

    paint_series(model, record, req, cancel=cancel, on_progress=on_progress, on_painting=on_painting)
    sheet_path = None
    if options.sheet and exported:
        sheet = contact_sheet(
            [e.image for e in exported], [f"seed {e.painting.seed}" for e in exported], title=series_title(exported[0].meta)
        )
        sheet_meta = {
            "sheet": True,
            "files": [e.path.name for e in exported],
            "seeds": [e.painting.seed for e in exported],
            "boxes": [list(b) for b in sheet.boxes],  # where each file's thumbnail sits (a viewer can map clicks)
        }
        sheet_path = save_png(sheet.image, sheet_meta, out / SHEET_NAME)
    manifest.finish(sheet_path.name if sheet_path else None)
    return ExportResult([e.path for e in exported], manifest.path, sheet_path, exported)


# ---------------------------------------------------------------------------- reproduce from a PNG


def read_settings(path: str | Path) -> dict[str, Any]:
    """The settings embedded in a painting, checked for what reproduction needs (one-line errors)."""
    meta = read_png_meta(path)
    if meta.get("sheet"):
        raise StudioError(f"{path}: this is a contact sheet; reproduce from one of the paintings it shows")
    for key in ("model", "kind", "seed"):
        if key not in meta:
            raise StudioError(f"{path}: the embedded settings lack '{key}' (not a painting's settings)")
    if not isinstance(meta["seed"], int) or meta["seed"] < 0:
        raise StudioError(f"{path}: the embedded seed {meta['seed']!r} is not a seed")
    return meta


def _short_sha(sha: str | None) -> str:
    return f"{sha[:12]}…" if sha else "unknown"


def locate_model(meta: dict[str, Any], model: str | None = None, *, source: str = "the painting") -> ModelRecord:
    """Find the model that painted ``meta``: ``model`` (id or path) if given, else the path it was
    exported from, else its catalog id, else any installed model with the same weights (sha256).
    StudioError when the weights differ or nothing is found."""
    want = meta.get("model_sha256")
    size = meta.get("size") if isinstance(meta.get("size"), int) else None
    if model is not None:
        record = resolve(model, size=size)
        if want and record.sha256 != want:
            raise StudioError(
                f"--model {model} is not the model that painted {source}: its weights' sha256 is "
                f"{_short_sha(record.sha256)}, the painting was made by '{meta['model']}' with {_short_sha(want)}"
            )
        return record
    found: list[ModelRecord] = []
    saved_path = meta.get("model_path")
    if isinstance(saved_path, str) and Path(saved_path).exists():
        try:
            found.append(resolve(saved_path, size=size))
        except StudioError:
            pass
    catalog = discover()
    by_id = catalog.get(str(meta["model"]))
    if by_id is not None:
        found.append(by_id)
    for record in found:
        if not want or record.sha256 == want:
            return record
    same_weights = [r for r in catalog.records if want and r.sha256 == want]
    if same_weights:
        return same_weights[0]
    if found:
        raise StudioError(
            f"the model '{meta['model']}' at {found[0].path} differs from the one that painted {source} "
            f"(sha256 {_short_sha(found[0].sha256)}, expected {_short_sha(want)}); give the original with --model PATH"
        )
    raise StudioError(
        f"the model that painted {source} ('{meta['model']}', sha256 {_short_sha(want)}) is not installed; "
        "give its checkpoint with --model PATH"
    )


def reproduction_request(meta: dict[str, Any], options: ExportOptions = ExportOptions()) -> tuple[PaintRequest, ExportOptions]:
    """The request and finishing options that repaint ``meta``'s painting (name and sheet from ``options``)."""
    finishing = meta.get("export") if isinstance(meta.get("export"), dict) else {}
    diffusion = meta.get("kind") == "diffusion"
    req = PaintRequest(
        seed=int(meta["seed"]),
        count=1,
        style=meta.get("style"),
        sampler=(meta.get("sampler") or DEFAULT_SAMPLER) if diffusion else DEFAULT_SAMPLER,
        steps=int(meta.get("steps") or DEFAULT_STEPS) if diffusion else DEFAULT_STEPS,
        eta=float(meta.get("eta") or 0.0) if diffusion else 0.0,
        size=meta.get("size") if isinstance(meta.get("size"), int) else None,
        batch_size=1,
    )
    frame = finishing.get("frame")
    options = replace(
        options,
        upscale=int(finishing.get("upscale") or 1),
        frame=frame if frame in framing.FRAMES else None,
        seal=bool(finishing.get("seal")),
        # paintings exported before the ink upscaler existed were enlarged with Lanczos
        upscale_method="ink" if finishing.get("upscale_method") == "ink" else "lanczos",
    )
    return req, options


def repaint(model: LoadedModel, record: ModelRecord, meta: dict[str, Any], *, cancel: CancelToken | None = None) -> Image.Image:
    """The painting ``meta`` describes, finished (upscale/seal/frame) as it was exported; no files written.

    For a window that reproduces a dropped PNG: ``meta = read_settings(path)``,
    ``record = locate_model(meta)``, load ``record`` and call this.
    """
    req, options = reproduction_request(meta)
    (painting,) = paint_series(model, record, req, cancel=cancel)
    return finish_painting(model, painting, options)
