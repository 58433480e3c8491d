"""What the catalog needs to know about model files without torch: suffixes and the card beside them.

Cheap to import (no torch, no numpy): the window lists models with these before the engine loads.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from studio.errors import CheckpointError

TORCH_SUFFIXES = (".pt", ".pth", ".ckpt", ".bin")


def card_beside(path: Path) -> str | None:
    """A model card beside a file (``NAME.md``) or in a folder (README.md, MODEL_CARD.md)."""
    candidates = [path / "README.md", path / "MODEL_CARD.md"] if path.is_dir() else [path.with_suffix(".md")]
    for c in candidates:
        if c.is_file():
            try:
                return c.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
    return None

def first_line(exc: BaseException) -> str:
    lines = [ln for ln in str(exc).strip().splitlines() if ln.strip()]
    return lines[0][:200] if lines else type(exc).__name__


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``; CheckpointError (one line) otherwise."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckpointError(path, f"cannot be read ({first_line(exc)})") from None
    except json.JSONDecodeError as exc:
        raise CheckpointError(path, f"bad JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise CheckpointError(path, "bad JSON (expected an object)")
    return data
