"""The model catalog: bundled models, the user's models folder, and any path given."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from studio.api import ModelRecord
from studio.config import paths
from studio.errors import CheckpointError, StudioError
from studio.models import inkfile, pairs
from studio.models.loaders import TORCH_SUFFIXES, ModelSpec, inspect_checkpoint

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


def record_for(spec: ModelSpec, model_id: str, bundled: bool) -> ModelRecord:
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


def discover(extra_paths: list[str | Path] = ()) -> Catalog:
    """Scan the bundled and user model folders (and ``extra_paths``) for loadable models."""
    records: list[ModelRecord] = []
    problems: list[str] = []
    seen: set[str] = set()
    items: list[tuple[Path, bool]] = [(p, b) for folder, b in model_folders() for p in _candidates(folder)]
    items += [(Path(p), False) for p in extra_paths]
    for path, bundled in items:
        base = _model_id(path)
        model_id, n = base, 2
        while model_id in seen:
            model_id, n = f"{base}-{n}", n + 1
        try:
            if pairs.is_pair_file(path):
                record = pairs.record_for_pair(path, model_id, bundled)
            else:
                record = record_for(inspect_checkpoint(path), model_id, bundled)
        except (CheckpointError, StudioError) as exc:
            problems.append(str(exc))
            continue
        seen.add(model_id)
        records.append(record)
    return Catalog(records, problems)


def resolve(model: str | None, size: int | None = None, catalog: Catalog | None = None) -> ModelRecord:
    """A model by catalog id or by path; None means the default model."""
    if model is not None:
        candidate = Path(model).expanduser()
        if candidate.exists() or any(sep in model for sep in ("/", "\\")) or candidate.suffix:
            if pairs.is_pair_file(candidate):
                return pairs.record_for_pair(candidate, pairs.pair_id(candidate), bundled=False)
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
