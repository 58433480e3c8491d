"""PNG files with the studio's settings embedded (a tEXt chunk named ``inkstudio`` holding JSON)."""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PIL import Image, PngImagePlugin, UnidentifiedImageError

from studio.errors import StudioError

CHUNK = "inkstudio"
# temporary names our atomic writers use in an output folder (see atomic_target); nothing else is swept
PART_PATTERNS = (".*.png.part", ".*.json.part")
# a younger temporary file may belong to a writer still at work (another run, the window): it stays
STALE_PART_SECONDS = 60.0


def atomic_target(path: Path) -> Path:
    """The temporary name a file is written under before it is renamed into place."""
    return path.with_name(f".{path.name}.part")


def sweep_stale_parts(
    folder: str | Path, patterns: Iterable[str] = PART_PATTERNS, *, older_than: float = STALE_PART_SECONDS
) -> list[Path]:
    """Remove temporary files (or folders) matching ``patterns`` in ``folder`` untouched for ``older_than`` seconds.

    A killed process cannot clean up after itself: its hidden ``.NAME.part`` stays until the next run
    into the same folder calls this. Returns what was removed; errors are ignored (it is only tidying).
    """
    folder = Path(folder)
    patterns = tuple(patterns)
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not any(fnmatch.fnmatchcase(entry.name, p) for p in patterns):
            continue
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime < older_than:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


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
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # e.g. a name too long to exist: the error above says it all
            pass
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
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
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
