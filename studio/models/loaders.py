"""The loading API under its old name; the formats live in :mod:`studio.models.formats`, one module each.

Kept so ``from studio.models.loaders import load_checkpoint`` (and the other names below) keeps working.
"""

from __future__ import annotations

from studio.models.formats import REGISTRY, format_module, inspect_checkpoint, load_checkpoint, load_spec
from studio.models.formats.base import (
    DEFAULT_STYLE_NAMES,
    TORCH_SUFFIXES,
    Forward,
    LoadedModel,
    ModelSpec,
)
from studio.models.formats.diffusers_unet import UNET_LIMITS, unet_size_problem
from studio.models.formats.inkstudio import MAX_CASCADE_PASSES, build_architecture
from studio.models.formats.lucidrains import PEERS_HINT, import_lucidrains
from studio.models.formats.torchfile import read_torch_file

__all__ = [
    "DEFAULT_STYLE_NAMES", "MAX_CASCADE_PASSES", "PEERS_HINT", "REGISTRY", "TORCH_SUFFIXES", "UNET_LIMITS", "Forward",
    "LoadedModel", "ModelSpec", "build_architecture", "format_module", "import_lucidrains", "inspect_checkpoint",
    "load_checkpoint", "load_spec", "read_torch_file", "unet_size_problem",
]
