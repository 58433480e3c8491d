"""PNG files with the studio's settings embedded (a tEXt chunk named ``inkstudio`` holding JSON)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from PIL import Image, PngImagePlugin, UnidentifiedImageError

from studio.errors import StudioError

CHUNK = "inkstudio"


def atomic_target(path: Path) -> Path:
    """The temporary name a file is written under before it is renamed into place."""
    return path.with_name(f".{path.name}.part")


def save_png(image: Image.Image, meta: dict[str, Any], path: str | Path) -> Path:
    """Write ``image`` with ``meta`` to ``path``; the file appears only when complete."""
    path = Path(path)
    info = PngImagePlugin.PngInfo()
    info.add_text(CHUNK, json.dumps(meta, ensure_ascii=True, sort_keys=True))
    tmp = atomic_target(path)
    try:
        image.save(tmp, format="PNG", pnginfo=info)
        os.replace(tmp, path)
    except OSError as exc:
        raise StudioError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def read_png_meta(path: str | Path) -> dict[str, Any]:
    """The JSON the studio embedded in a PNG; StudioError when there is none or it is unreadable."""
    path = Path(path)
    try:
        with Image.open(path) as im:
            im.load()
            text = getattr(im, "text", {}) or {}
            raw = text.get(CHUNK)
    except FileNotFoundError:
        raise StudioError(f"{path}: no such file") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise StudioError(f"{path}: not a readable image ({exc})") from None
    if raw is None:
        raise StudioError(f"{path}: no Ink Studio settings embedded (not painted by Ink Studio?)")
    try:
        meta = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise StudioError(f"{path}: the embedded settings are not valid JSON ({exc.msg})") from None
    if not isinstance(meta, dict):
        raise StudioError(f"{path}: the embedded settings are not a JSON object")
    return meta
