"""The model catalog: bundled models, the user's models folder, and any path given.

Importing it needs no torch: ``listing`` reads what Ink Studio checkpoints say about themselves in
their headers, which is what the window shows before the engine is loaded; ``discover`` and
``resolve`` inspect every other format with the loaders (torch), imported when first called.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from studio.api import ModelRecord
from studio.config import paths
from studio.errors import CheckpointError, StudioError
from studio.models import inkfile, pairs
from studio.models.files import TORCH_SUFFIXES

if TYPE_CHECKING:
    from studio.models.loaders import ModelSpec

DEFAULT_MODEL_ID = "ink-diffusion-64"

_sha_cache: dict[tuple[str, int, int], str] = {}


def weights_sha256(files: list[Path]) -> str:
    """sha256 over the weight files' bytes (one file: exactly that file's sha256)."""
    h = hashlib.sha256()
    for f in files:
        st = f.stat()
        key = (str(f.resolve()), st.st_size, st.st_mtime_ns)
        if len(files) == 1 and key in _sha_cache:
            return _sha_cache[key]
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    digest = h.hexdigest()
    if len(files) == 1:
        _sha_cache[key] = digest
    return digest


def record_for(spec: ModelSpec | Any, model_id: str, bundled: bool) -> ModelRecord:
    """The catalog's record of a checkpoint's spec (a ``ModelSpec``, or anything with its fields)."""
    return ModelRecord(
        id=model_id,
        name=spec.name,
        kind=spec.kind,
        styles=list(spec.styles),
        # what a painting is by default: a two-stage model's finished size, not its base's
        resolution=int(spec.extra["cascade"]["size"]) if "cascade" in spec.extra else spec.resolution,
        channels=spec.channels,
        path=str(spec.path),
        sha256=weights_sha256(spec.weights_files),
        bundled=bundled,
        card=spec.card,
        format=spec.format,
        base_resolution=spec.resolution if "cascade" in spec.extra else 0,
    )


def _candidates(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    out = []
    for p in sorted(folder.iterdir()):
        if p.name.startswith("."):
            continue
        if p.is_file() and pairs.is_pair_file(p):
            out.append(p)
        elif p.is_file() and p.suffix.lower() in (".safetensors", ".pkl", *TORCH_SUFFIXES):
            if p.suffix.lower() == ".safetensors" and inkfile.is_upscaler(p):
                continue  # the second stage of a cascade model, listed with it
            out.append(p)
        elif p.is_dir() and ((p / "model_index.json").is_file() or (p / "config.json").is_file()):
            out.append(p)
    return out


def _model_id(path: Path) -> str:
    if pairs.is_pair_file(path):
        return pairs.pair_id(path)
    return path.stem if path.is_file() else path.name


@dataclass
class Catalog:
    records: list[ModelRecord]
    problems: list[str]  # one line per file that looked like a model but could not be read
    later: list[Path] = field(default_factory=list)  # ``listing`` only: files only ``discover`` can read (torch)

    def get(self, model_id: str) -> ModelRecord | None:
        return next((r for r in self.records if r.id == model_id), None)

    def bundled_of_kind(self, kind: str) -> ModelRecord | None:
        """The bundled model of a kind ("diffusion" or "gan"): the default model when it is of that kind, else the first."""
        default = self.get(DEFAULT_MODEL_ID)
        if default is not None and default.bundled and default.kind == kind:
            return default
        return next((r for r in self.records if r.bundled and r.kind == kind), None)

    def default(self) -> ModelRecord | None:
        return self.get(DEFAULT_MODEL_ID) or next((r for r in self.records if r.bundled), None) or (
            self.records[0] if self.records else None
        )


def model_folders() -> list[tuple[Path, bool]]:
    """The folders ``discover`` reads, in order, each with whether its models count as bundled."""
    return [(paths.bundled_models_dir(), True), (paths.user_models_dir(), False)]


def _files(extra_paths: list[str | Path]) -> Iterator[tuple[Path, bool]]:
    """Every file ``discover`` reads, in order, with whether it counts as bundled."""
    for folder, bundled in model_folders():
        for p in _candidates(folder):
            yield p, bundled
    for p in extra_paths:
        yield Path(p), False


def _is_ink_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".safetensors"


def discover(extra_paths: list[str | Path] = ()) -> Catalog:
    """Scan the bundled and user model folders (and ``extra_paths``) for loadable models."""
    from studio.models.loaders import inspect_checkpoint

    return _scan(extra_paths, lambda path: inspect_checkpoint(path))


def listing(extra_paths: list[str | Path] = ()) -> Catalog:
    """``discover``'s list without torch: Ink Studio checkpoints described from their headers, with
    the same ids and records ``discover`` gives them; every other file (another format, a style
    pair) is left in ``later`` for ``discover``. The window shows this while the engine loads."""
    return _scan(extra_paths, None)


def _scan(extra_paths: list[str | Path], inspect: Any) -> Catalog:
    """Records of the catalog's files; ``inspect`` None: only what reads without torch (see ``listing``)."""
    records: list[ModelRecord] = []
    problems: list[str] = []
    later: list[Path] = []
    seen: set[str] = set()
    for path, bundled in _files(list(extra_paths)):
        base = _model_id(path)
        model_id, n = base, 2
        while model_id in seen:
            model_id, n = f"{base}-{n}", n + 1
        try:
            if inspect is not None and pairs.is_pair_file(path):
                record = pairs.record_for_pair(path, model_id, bundled)
            elif inspect is not None:
                record = record_for(inspect(path), model_id, bundled)
            elif _is_ink_file(path) and not pairs.is_pair_file(path):
                try:
                    fields = inkfile.describe(path)
                except CheckpointError:  # not ours (another safetensors format) or broken: discover says which
                    later.append(path)
                    continue
                record = record_for(SimpleNamespace(**fields), model_id, bundled)  # ModelSpec's fields, no torch
            else:
                later.append(path)
                continue
        except (CheckpointError, StudioError) as exc:
            problems.append(str(exc))
            continue
        seen.add(model_id)
        records.append(record)
    return Catalog(records, problems, later)


def resolve(model: str | None, size: int | None = None, catalog: Catalog | None = None) -> ModelRecord:
    """A model by catalog id or by path; None means the default model."""
    if model is not None:
        candidate = Path(model).expanduser()
        if candidate.exists() or any(sep in model for sep in ("/", "\\")) or candidate.suffix:
            if pairs.is_pair_file(candidate):
                return pairs.record_for_pair(candidate, pairs.pair_id(candidate), bundled=False)
            from studio.models.loaders import inspect_checkpoint

            spec = inspect_checkpoint(candidate, size)
            return record_for(spec, _model_id(candidate), bundled=False)
    catalog = catalog or discover()
    if model is None:
        found = catalog.default()
        if found is None:
            raise StudioError("no models found: the bundled models/ folder is empty and no --model was given")
        return found
    found = catalog.get(model)
    if found is None:
        pair_file = paths.user_models_dir() / f"{model}{pairs.PAIR_SUFFIX}"
        if pair_file.is_file():  # a pair the catalog skipped: its own one-line problem (a member missing...)
            return pairs.record_for_pair(pair_file, model, bundled=False)
        known = ", ".join(r.id for r in catalog.records) or "none"
        raise StudioError(f"no model with id '{model}' (known: {known}); give an id or a path")
    return found


def records_json(records: list[ModelRecord]) -> str:
    return json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=2)
