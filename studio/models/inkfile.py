"""The project's own single-file checkpoint format.

One ``.safetensors`` file: the module's weights as tensors, and in the safetensors header one
metadata entry ``"inkstudio"`` holding JSON::

    {
      "format": "inkstudio", "format_version": 1,
      "kind": "diffusion" | "gan" | "upscaler" | "vae" | "autoregressive",
      "name": "Ink DDPM 64",
      "architecture": {"class": "UNet2DModel" | "InkGenerator" | "InkPixelCNN", "config": {...}},
      "scheduler": {"class": "DDPMScheduler", "config": {...}},      # diffusion only
      "styles": {"light": 0, "dark": 1},                              # style -> class label ({} = none)
      "resolution": 64, "channels": 3,
      "provenance": {...},                                            # data, steps, wall time, SWD...
      "card": "markdown text (optional)"
    }

Reading it never unpickles anything: safetensors holds only tensors and strings. Reading the
metadata (``read_ink_metadata``, ``describe``) needs no torch, so the window lists these models
before the engine is loaded; torch is imported only to read or write the weights.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safetensors import SafetensorError, safe_open

from studio.api import MAX_UPSCALE_PASSES
from studio.errors import CheckpointError
from studio.models.files import card_beside

if TYPE_CHECKING:
    import torch

META_KEY = "inkstudio"
FORMAT_VERSION = 1
KINDS = ("diffusion", "gan", "upscaler", "vae", "autoregressive")


def save_ink_checkpoint(path: str | Path, state_dict: dict[str, torch.Tensor], meta: dict[str, Any]) -> Path:
    """Write weights + metadata to ``path`` atomically (temporary name, then rename)."""
    from safetensors.torch import save_file

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
        with safe_open(str(path), framework="numpy") as f:  # the header only: no torch needed
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


def describe(path: Path) -> dict[str, Any]:
    """What the file's header says about the model, as ``ModelSpec`` fields (no torch): kind, name,
    styles, size, the weight files (with a two-stage model's upscaler) and its card.

    CheckpointError when it is not an Ink Studio painting model (an upscaler is refused by name).
    """
    meta = read_ink_metadata(path)
    if meta["kind"] == "upscaler":
        raise CheckpointError(path, "is an ink upscaler, not a painting model (use it with 'inkstudio upscale --upscaler')")
    extra: dict[str, Any] = {"meta": meta}
    weights = [path]
    if "cascade" in meta:
        extra["cascade"] = _cascade_of(path, meta)
        weights.append(extra["cascade"]["upscaler"])
    return {
        "path": path,
        "format": "inkvae" if meta["kind"] == "vae" else META_KEY,  # a VAE is read by formats/inkvae
        "kind": meta["kind"],
        "name": str(meta.get("name") or path.stem),
        "styles": dict(meta.get("styles", {})),
        "resolution": meta["resolution"],
        "channels": meta["channels"],
        "weights_files": weights,
        "card": card_beside(path) or meta.get("card"),
        "extra": extra,
    }


def _cascade_of(path: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """A two-stage model's second stage: ``"cascade": {"upscaler": FILE beside it, "size": default px}``."""
    cascade = meta["cascade"]
    if not isinstance(cascade, dict):
        raise CheckpointError(path, "metadata 'cascade' must be {'upscaler': file name, 'size': pixels}")
    name = cascade.get("upscaler")
    if not isinstance(name, str) or not name or Path(name).name != name:
        raise CheckpointError(path, f"metadata 'cascade.upscaler' must name a file beside the model, not {name!r}")
    size = cascade.get("size")
    base = meta["resolution"]
    ok_sizes = [base * 2**k for k in range(MAX_UPSCALE_PASSES + 1)]
    if not isinstance(size, int) or isinstance(size, bool) or size not in ok_sizes:
        raise CheckpointError(path, f"metadata 'cascade.size' must be one of {', '.join(map(str, ok_sizes))}, not {size!r}")
    upscaler = path.with_name(name)
    if not upscaler.is_file():
        raise CheckpointError(path, f"its upscaler {name} is missing (it must lie beside the model)")
    if not is_upscaler(upscaler):
        raise CheckpointError(path, f"{name} beside it is not an ink upscaler")
    return {"upscaler": upscaler, "size": size}


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


def load_into(module: torch.nn.Module, path: str | Path) -> torch.nn.Module:
    """The file's weights into ``module`` (strict; float tensors cast to the module's dtypes, e.g. from float16)."""
    state = load_ink_state(path)
    ref = module.state_dict()
    state = {k: v.to(ref[k].dtype) if k in ref and v.is_floating_point() else v for k, v in state.items()}
    module.load_state_dict(state, strict=True)
    return module


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
