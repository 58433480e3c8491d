"""Style pairs: one catalog entry that binds one unconditional checkpoint per style.

The thesis the studio grew out of trained separate DDPMs on a light-ink and a dark-ink data set;
``inkstudio pair LIGHT DARK --name NAME`` (or File → Pair checkpoints…) binds two such checkpoints
as the studio's two styles, and ``inkstudio pair CKPT --style-of light --name NAME`` gives a single
unconditional checkpoint a style. A pair is a small JSON file in the user models folder::

    {"format": "inkstudio-pair", "version": 1, "name": "thesis",
     "styles": {"light": "/abs/light.pt", "dark": "/abs/dark.safetensors"}}

Member paths are stored absolute; a relative one is read against the JSON's folder. Members may
differ in format and size: a painting of the smaller one is resized (Lanczos-like, antialiased
bicubic) to the larger, and the card says so. Both must be of one kind (diffusion or GAN) and
unconditional (a style-conditional checkpoint already has its styles).

Loading is lazy: ``PairedModel.member(style)`` loads a member the first time a style is painted.
Which member a style uses is decided in ``studio.work.styled`` only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.api import STYLES, ModelRecord
from studio.errors import CheckpointError, StudioError

PAIR_SUFFIX = ".pair.json"
PAIR_FORMAT = "inkstudio-pair"
FORMAT = "pair"  # ModelRecord.format of a pair


def is_pair_file(path: str | Path) -> bool:
    return Path(path).name.lower().endswith(PAIR_SUFFIX)


def pair_id(path: str | Path) -> str:
    """The catalog id of a pair file: its name without ``.pair.json``."""
    name = Path(path).name
    return name[: -len(PAIR_SUFFIX)]


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or any(c in name for c in '/\\:*?"<>|') or name.startswith("."):
        raise StudioError(f"bad pair name '{name}': use letters, digits, - and _ (it names a file)")
    return name


def read_pair(path: str | Path) -> dict[str, Path]:
    """style -> member path of a pair file; CheckpointError (one line) when it is not a readable pair."""
    from studio.models.files import read_json

    path = Path(path)
    data = read_json(path)  # one line when it cannot be read or is not a JSON object
    if data.get("format") != PAIR_FORMAT:
        raise CheckpointError(path, f"not a style pair (expected \"format\": \"{PAIR_FORMAT}\")")
    styles = data.get("styles")
    if not isinstance(styles, dict) or not styles or not all(isinstance(k, str) and isinstance(v, str) for k, v in styles.items()):
        raise CheckpointError(path, "style pair: 'styles' must map style names to checkpoint paths")
    out: dict[str, Path] = {}
    for style, member in styles.items():
        p = Path(member).expanduser()
        out[style] = p if p.is_absolute() else path.parent / p
    return out


def write_pair(folder: str | Path, name: str, members: dict[str, str | Path]) -> Path:
    """Check ``members`` (style -> checkpoint) pair well, then write ``folder/NAME.pair.json``
    (temporary name, renamed when complete). Returns its path; StudioError (one line) otherwise."""
    name = check_name(name)
    if not members:
        raise StudioError("a pair needs at least one checkpoint")
    unknown = [s for s in members if s not in STYLES]
    if unknown:
        raise StudioError(f"unknown style '{unknown[0]}' (choose from {', '.join(STYLES)})")
    resolved = {s: Path(p).expanduser().resolve() for s, p in members.items()}
    _member_specs(resolved, Path(name))  # every member readable, unconditional, of one kind
    folder = Path(folder).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}{PAIR_SUFFIX}"
    part = folder / f".{target.name}.part"
    data = {"format": PAIR_FORMAT, "version": 1, "name": name, "styles": {s: str(p) for s, p in resolved.items()}}
    part.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(part, target)
    return target


def _member_specs(members: dict[str, Path], where: Path) -> dict[str, Any]:
    from studio.models.loaders import inspect_checkpoint

    specs: dict[str, Any] = {}
    for style, member in members.items():
        try:
            spec = inspect_checkpoint(member)
        except CheckpointError as exc:
            raise CheckpointError(where, f"{style} member {exc}") from None
        if spec.styles:
            raise CheckpointError(where, f"{style} member {member} already offers styles ({', '.join(spec.styles)});"
                                         " pair only unconditional checkpoints")
        specs[style] = spec
    kinds = {s.kind for s in specs.values()}
    if len(kinds) > 1:
        raise CheckpointError(where, "a pair's checkpoints must be of one kind (diffusion or GAN), not " + " and ".join(sorted(kinds)))
    return specs


def pair_card(name: str, specs: dict[str, Any], size: int) -> str:
    lines = [f"# {name}", "", "A style pair: one checkpoint per style (风格对：每种风格一个检查点).", ""]
    for style, spec in specs.items():
        lines.append(f"- {style}: {spec.path} ({spec.format}, {spec.kind}, {spec.resolution} px)")
    if len({s.resolution for s in specs.values()}) > 1:
        lines += ["", f"The checkpoints paint different sizes: every painting is resized to the larger, {size} px"
                      f" (尺寸不同：画作统一缩放到较大的 {size} 像素)."]
    return "\n".join(lines) + "\n"


def record_for_pair(path: Path, model_id: str, bundled: bool) -> ModelRecord:
    """The catalog entry of a pair file; CheckpointError (one line) when a member is missing or unusable."""
    from studio.models.catalog import weights_sha256

    members = read_pair(path)
    specs = _member_specs(members, path)
    size = max(s.resolution for s in specs.values())
    files = [f for s in specs.values() for f in s.weights_files]
    first = next(iter(specs.values()))
    return ModelRecord(
        id=model_id,
        name=model_id,
        kind=first.kind,
        styles=list(specs),
        resolution=size,
        channels=max(s.channels for s in specs.values()),
        path=str(path),
        sha256=weights_sha256(files),
        bundled=bundled,
        card=pair_card(model_id, specs, size),
        format=FORMAT,
        members={s: str(p) for s, p in members.items()},
        member_resolutions={s: int(spec.resolution) for s, spec in specs.items()},
    )


class _Spec:
    def __init__(self, name: str, path: str) -> None:
        self.name, self.path, self.styles, self.extra = name, Path(path), {}, {}


class PairedModel:
    """A pair's members, each loaded the first time its style is painted.

    ``load(path, size)`` builds (or fetches from a cache) one member's LoadedModel. A member smaller
    than the pair paints at its own size and is resized to ``record.resolution``
    (``LoadedModel.paint_size``). Painting goes through ``studio.work.styled``, never this object.
    """

    def __init__(self, record: ModelRecord, load: Callable[[str, int], Any]) -> None:
        self.record = record
        self._load = load
        self.spec = _Spec(record.name, record.path)

    @property
    def styles(self) -> list[str]:
        return list(self.record.members)

    @property
    def kind(self) -> str:
        return self.record.kind

    def member(self, style: str) -> Any:
        from dataclasses import replace

        if style not in self.record.members:
            raise StudioError(f"model '{self.record.id}' has no style '{style}' (it offers: {', '.join(self.styles)})")
        size = self.record.member_resolutions.get(style, self.record.resolution)
        model = self._load(self.record.members[style], size)
        if model.spec.resolution != self.record.resolution:
            model = replace(model, paint_size=self.record.resolution)
        return model


def load_record(record: ModelRecord, device: Any, dtype: Any) -> Any:
    """The loaded model of a catalog record: a LoadedModel, or for a pair a PairedModel whose
    members load on first use (and stay loaded for this object's life)."""
    from studio.models.loaders import load_checkpoint

    if record.format != FORMAT:
        return load_checkpoint(record.path, device, dtype, size=record.resolution)
    loaded: dict[str, Any] = {}

    def load(path: str, size: int) -> Any:
        if path not in loaded:
            loaded[path] = load_checkpoint(path, device, dtype, size=size)
        return loaded[path]

    return PairedModel(record, load)
