"""Where things live: bundled resources and models (from source or frozen), user folders.

Environment overrides (used by tests and portable installs):
``INKSTUDIO_DATA_DIR``, ``INKSTUDIO_CONFIG_DIR``, ``INKSTUDIO_BUNDLED_MODELS``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "InkStudio"


def app_root() -> Path:
    """The folder holding resources/ and models/: sys._MEIPASS when frozen, else the repo root."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return app_root() / "resources"


def bundled_models_dir() -> Path:
    override = os.environ.get("INKSTUDIO_BUNDLED_MODELS")
    return Path(override) if override else app_root() / "models"


def user_data_dir() -> Path:
    override = os.environ.get("INKSTUDIO_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_config_dir() -> Path:
    override = os.environ.get("INKSTUDIO_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def user_models_dir() -> Path:
    return user_data_dir() / "models"


def gallery_dir() -> Path:
    """Where the window keeps every painting it makes (saved the moment it is made)."""
    return user_data_dir() / "gallery"


def thumbnails_dir() -> Path:
    """Model thumbnails: a model's first painting here, for the model panel."""
    return user_data_dir() / "thumbnails"
