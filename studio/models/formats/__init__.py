"""One module per checkpoint format, and the list that tries them in order.

Each format module exposes ``FORMAT`` (its name in specs and ``inkstudio models --json``),
``inspect(path, size=None) -> ModelSpec | None`` (None at once when the file is not its format,
one-line CheckpointError when it is but cannot be painted with) and ``load(spec) -> LoadedModel``.

Nothing here unpickles code: .pt files are read with ``torch.load(weights_only=True)``.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path
from types import ModuleType

import torch

from studio.errors import CheckpointError, StudioError
from studio.models.formats import (
    dcgan,
    diffusers_pipeline,
    diffusers_unet,
    inkpixelcnn,
    inkstudio,
    inkvae,
    lightweight_gan,
    lucidrains,
    lucidrains_2021,
    openai_unet,
    stylegan2_ada,
    stylegan2_rosinality,
)
from studio.models.formats.base import TORCH_SUFFIXES, LoadedModel, ModelSpec, first_line
from studio.models.formats.torchfile import shared_reads, torch_state

# tried in order: the first module whose inspect() does not answer None reads the checkpoint
REGISTRY: list[ModuleType] = [inkpixelcnn, inkvae, inkstudio, diffusers_pipeline, diffusers_unet, stylegan2_ada, openai_unet, lucidrains,
                            lucidrains_2021, lightweight_gan, stylegan2_rosinality, dcgan]

_MALFORMED = (IndexError, AttributeError, TypeError, KeyError, ValueError, ZeroDivisionError, RuntimeError)


def format_module(name: str) -> ModuleType:
    """The module that reads format ``name``."""
    for module in REGISTRY:
        if module.FORMAT == name:
            return module
    raise KeyError(name)


def inspect_checkpoint(path: str | Path, size: int | None = None) -> ModelSpec:
    """Read a checkpoint's description; CheckpointError (one line) when it is not loadable."""
    path = Path(path).expanduser()
    if not path.exists():
        raise CheckpointError(path, "a symbolic link that loops or leads nowhere" if path.is_symlink() else "no such file or folder")
    if path.is_dir():
        if not any(path.iterdir()):
            raise CheckpointError(path, "empty folder")
    elif path.stat().st_size == 0:
        raise CheckpointError(path, "empty file (0 bytes)")
    suffix = path.suffix.lower()
    torch_file = path.is_file() and suffix in TORCH_SUFFIXES
    with shared_reads():
        for module in REGISTRY:
            try:
                spec = module.inspect(path, size)
            except CheckpointError:
                raise
            except _MALFORMED as exc:
                if path.is_dir():
                    raise
                # a layout that looks like a known format but holds the wrong kinds of values
                raise CheckpointError(path, f"malformed checkpoint ({type(exc).__name__}: {first_line(exc)})") from None
            if spec is not None:
                return spec
        if path.is_dir():
            raise CheckpointError(path, "folder is not a diffusers model (no model_index.json or config.json)")
        if torch_file:
            state = torch_state(path)
            if not isinstance(state, dict):
                raise CheckpointError(path, f"holds a {type(state).__name__}, not a checkpoint dictionary")
            keys = ", ".join(repr(k)[:40] for k in list(state)[:5])
            raise CheckpointError(path, f"unrecognised checkpoint layout (keys: {keys or 'none'})")
    raise CheckpointError(path, f"unsupported file type '{suffix}' (expected .safetensors, .pt, .pth, .ckpt, .pkl or a folder)")


def load_checkpoint(
    path: str | Path,
    device: torch.device | str = "cpu",
    dtype: torch.dtype = torch.float32,
    size: int | None = None,
) -> LoadedModel:
    """Build the network of any supported checkpoint and put it on ``device`` in eval mode."""
    spec = inspect_checkpoint(path, size)
    return load_spec(spec, device, dtype)


def load_spec(spec: ModelSpec, device: torch.device | str = "cpu", dtype: torch.dtype = torch.float32) -> LoadedModel:
    """Build the network ``spec`` describes (its format's ``load``), on ``device`` in eval mode, checked by one forward."""
    device = torch.device(device)
    try:
        model = format_module(spec.format).load(spec)
    except (StudioError, MemoryError):  # CheckpointError, or a missing optional package named with its fix
        raise
    except Exception as exc:  # diffusers and torch raise many kinds on configs and weights that do not agree
        if os.environ.get("INKSTUDIO_DEBUG"):
            traceback.print_exc()
        raise CheckpointError(spec.path, f"weights do not fit the network ({first_line(exc)})") from None
    model.module.eval().requires_grad_(False)
    model.module.to(device)
    if dtype != torch.float32:
        model.module.to(dtype)
    model.device, model.dtype = device, dtype
    _probe(model)
    return model


def _probe(model: LoadedModel) -> None:
    """One forward pass on a single zero input: a config that builds but cannot run fails here, not mid-painting."""
    try:
        x = torch.zeros((1, *model.noise_shape), device=model.device)
        labels = model.labels_for(None, 1)
        if model.kind == "diffusion":
            out = model.denoise(x, torch.zeros(1, dtype=torch.long, device=model.device), labels)
            ok = out.shape[0] == 1 and out.shape[2:] == x.shape[2:]
        else:
            out = model.generate(x, labels)
            ok = out.dim() == 4 and out.shape[0] == 1
    except MemoryError:
        raise
    except Exception as exc:
        if os.environ.get("INKSTUDIO_DEBUG"):
            traceback.print_exc()
        raise CheckpointError(model.spec.path, f"the network fails on a test input ({first_line(exc)})") from None
    if not ok:
        raise CheckpointError(model.spec.path, f"the network returns {tuple(out.shape)} for an input of {tuple(x.shape)}")
    if not bool(torch.isfinite(out).all()):
        raise CheckpointError(model.spec.path, "the network returns NaN or infinite values on a test input")


__all__ = ["REGISTRY", "LoadedModel", "ModelSpec", "format_module", "inspect_checkpoint", "load_checkpoint", "load_spec"]
