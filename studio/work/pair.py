"""Bind checkpoints as the studio's styles: ``inkstudio pair`` and File → Pair checkpoints….

``run`` checks every member (readable, unconditional, one kind) and writes ``NAME.pair.json`` into
the user models folder, where the catalog lists it as one entry offering those styles
(``studio.models.pairs``). It reads the checkpoints, so the window runs it off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studio.errors import StudioError


@dataclass(frozen=True)
class PairRequest:
    """``members``: style -> checkpoint path, e.g. {"light": "a.pt", "dark": "b.safetensors"}."""

    name: str
    members: tuple[tuple[str, str], ...]
    folder: str | None = None  # None: the user models folder


def request_for(name: str, checkpoints: list[str], style_of: str | None = None) -> PairRequest:
    """Two checkpoints are (light, dark); one needs ``style_of``. StudioError (one line) otherwise."""
    from studio.api import STYLES

    if style_of is not None:
        if len(checkpoints) != 1:
            raise StudioError("--style-of gives one checkpoint a style: give exactly one checkpoint")
        if style_of not in STYLES:
            raise StudioError(f"unknown style '{style_of}' (choose from {', '.join(STYLES)})")
        return PairRequest(name, ((style_of, checkpoints[0]),))
    if len(checkpoints) != 2:
        raise StudioError("give two checkpoints (LIGHT DARK), or one with --style-of light|dark")
    if Path(checkpoints[0]).expanduser().resolve() == Path(checkpoints[1]).expanduser().resolve():
        raise StudioError("the light and dark checkpoints are the same file")
    return PairRequest(name, (("light", checkpoints[0]), ("dark", checkpoints[1])))


def run(request: PairRequest) -> Path:
    """Write the pair; its path. StudioError / CheckpointError (one line) when a member does not fit."""
    from studio.config import paths
    from studio.models.pairs import write_pair

    folder = Path(request.folder) if request.folder else paths.user_models_dir()
    return write_pair(folder, request.name, dict(request.members))
