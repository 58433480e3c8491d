"""The project's own single-file checkpoint format.

One ``.safetensors`` file: the module's weights as tensors, and in the safetensors header one
metadata entry ``"inkstudio"`` holding JSON::

    {
      "format": "inkstudio", "format_version": 1,
      "kind": "diffusion" | "gan" | "upscaler",
      "name": "Ink DDPM 64",
      "architecture": {"class": "UNet2DModel" | "InkGenerator", "config": {...}},
      "scheduler": {"class": "DDPMScheduler", "config": {...}},      # diffusion only
      "styles": {"light": 0, "dark": 1},                              # style -> class label ({} = none)
      "resolution": 64, "channels": 3,
      "provenance": {...},                                            # data, steps, wall time, SWD...
      "card": "markdown text (optional)"
    }

Reading it never unpickles anything: safetensors holds only tensors and strings.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save_file

from studio.errors import CheckpointError

META_KEY = "inkstudio"
FORMAT_VERSION = 1
KINDS = ("diffusion", "gan", "upscaler")


def save_ink_checkpoint(path: str | Path, state_dict: dict[str, torch.Tensor], meta: dict[str, Any]) -> Path:
    """Write weights + metadata to ``path`` atomically (temporary name, then rename)."""
    path = Path(path)
    full = {"format": META_KEY, "format_version": FORMAT_VERSION, **meta}
    validate_meta(full, path)
    tensors = {k: v.detach().to("cpu").contiguous() for k, v in state_dict.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    try:
        save_file(tensors, str(tmp), metadata={META_KEY: json.dumps(full, ensure_ascii=False)})
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def read_ink_metadata(path: str | Path) -> dict[str, Any]:
    """The JSON metadata of an Ink Studio checkpoint; CheckpointError when it is not one."""
    path = Path(path)
    try:
        with safe_open(str(path), framework="pt") as f:
            header = f.metadata() or {}
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(path, f"not a readable safetensors file ({_short(exc)})") from None
    raw = header.get(META_KEY)
    if raw is None:
        raise CheckpointError(path, "safetensors file without Ink Studio metadata (no 'inkstudio' header entry)")
    try:
        meta = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CheckpointError(path, f"the 'inkstudio' metadata is not valid JSON ({exc.msg} at {exc.pos})") from None
    validate_meta(meta, path)
    return meta


def is_upscaler(path: str | Path) -> bool:
    """True when ``path`` is an Ink Studio file holding an upscaler (not a painting model)."""
    try:
        return read_ink_metadata(path).get("kind") == "upscaler"
    except CheckpointError:
        return False


def load_ink_state(path: str | Path) -> dict[str, torch.Tensor]:
    """All tensors of the file, on the CPU."""
    path = Path(path)
    try:
        out: dict[str, torch.Tensor] = {}
        with safe_open(str(path), framework="pt") as f:
            for key in f.keys():
                out[key] = f.get_tensor(key)
        return out
    except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
        raise CheckpointError(path, f"weights cannot be read ({_short(exc)})") from None


def validate_meta(meta: Any, path: object) -> None:
    """Check the metadata's shape; CheckpointError naming the first thing wrong."""
    if not isinstance(meta, dict):
        raise CheckpointError(path, "the 'inkstudio' metadata is not a JSON object")
    kind = meta.get("kind")
    if kind not in KINDS:
        raise CheckpointError(path, f"metadata 'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    arch = meta.get("architecture")
    if not isinstance(arch, dict) or not isinstance(arch.get("class"), str) or not isinstance(arch.get("config"), dict):
        raise CheckpointError(path, "metadata 'architecture' must be {'class': str, 'config': {...}}")
    if kind == "diffusion":
        sched = meta.get("scheduler")
        if not isinstance(sched, dict) or not isinstance(sched.get("class"), str) or not isinstance(sched.get("config"), dict):
            raise CheckpointError(path, "metadata 'scheduler' must be {'class': str, 'config': {...}}")
    styles = meta.get("styles", {})
    if not isinstance(styles, dict) or not all(isinstance(k, str) and isinstance(v, int) for k, v in styles.items()):
        raise CheckpointError(path, "metadata 'styles' must map style names to integer class labels")
    for key in ("resolution", "channels"):
        value = meta.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise CheckpointError(path, f"metadata '{key}' must be a positive integer, not {value!r}")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
