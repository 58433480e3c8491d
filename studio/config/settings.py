"""The studio's persistent settings: one typed object with a schema version, saved as JSON.

The file lives in the platformdirs config folder (``INKSTUDIO_CONFIG_DIR`` overrides it). A file
that cannot be read falls back to the defaults, and the unreadable file is kept beside it as
``settings.json.corrupt-<time>`` so nothing the user wrote is lost.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from studio.config import paths

SCHEMA_VERSION = 1
FILE_NAME = "settings.json"
LANGUAGES = ("", "en", "zh_CN")  # "" follows the system locale
THEMES = ("system", "light", "dark")


@dataclass
class Settings:
    schema_version: int = SCHEMA_VERSION
    model_id: str | None = None  # catalog id, or a checkpoint path opened by the user
    extra_models: list[str] = field(default_factory=list)  # checkpoints opened with File → Open, shown in the catalog
    style: str | None = None
    sampler: str = "dpm++"
    steps: int = 20
    count: int = 4
    eta: float = 0.0
    size: int = 0  # painting size in px the painter chose (0: each model's own)
    seed: int = 0
    seed_locked: bool = False
    output_dir: str = ""
    window_geometry: str = ""  # base64 of QWidget.saveGeometry()
    window_state: str = ""  # base64 of QMainWindow.saveState()
    language: str = ""
    theme: str = "system"

    def validated(self) -> Settings:
        """A copy with every out-of-range value replaced by its default."""
        d = Settings()
        s = Settings(**asdict(self))
        s.schema_version = SCHEMA_VERSION
        if s.language not in LANGUAGES:
            s.language = d.language
        if s.theme not in THEMES:
            s.theme = d.theme
        if not 1 <= s.steps <= 1000:
            s.steps = d.steps
        if not 1 <= s.count <= 64:
            s.count = d.count
        if not 0.0 <= s.eta <= 1.0:
            s.eta = d.eta
        if not 0 <= s.seed <= 2**63 - 1:
            s.seed = d.seed
        if not (s.size == 0 or 8 <= s.size <= 16384):
            s.size = d.size
        s.extra_models = [p for p in s.extra_models if isinstance(p, str)][:50]
        return s


def settings_path() -> Path:
    return paths.user_config_dir() / FILE_NAME


def _from_json(raw: Any) -> Settings:
    if not isinstance(raw, dict):
        raise ValueError("not a JSON object")
    version = raw.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ValueError(f"unknown schema version {version!r}")
    kwargs: dict[str, Any] = {}
    defaults = Settings()
    for f in fields(Settings):
        if f.name not in raw:
            continue
        value, default = raw[f.name], getattr(defaults, f.name)
        expected = type(default) if default is not None else (str, type(None))
        if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if isinstance(value, bool) and not isinstance(default, bool):
            raise ValueError(f"{f.name}: wrong type")
        if not isinstance(value, expected):
            raise ValueError(f"{f.name}: expected {expected}, got {type(value).__name__}")
        kwargs[f.name] = value
    return Settings(**kwargs).validated()


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults when there are none or the file is unreadable."""
    path = path or settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError:
        return Settings()
    try:
        return _from_json(json.loads(text))
    except (ValueError, TypeError):
        backup = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(path, backup)
        except OSError:
            pass
        return Settings()


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings atomically (temporary file, then rename)."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(json.dumps(asdict(settings.validated()), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
    return path
