"""What the catalog needs to know about model files without torch: suffixes and the card beside them.

Cheap to import (no torch, no numpy): the window lists models with these before the engine loads.
"""

from __future__ import annotations

from pathlib import Path

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
