"""``diffusers-unet``: a folder with a ``UNet2DModel`` config.json and its weights (``save_pretrained``).

Class labels (``num_class_embeds``) become styles: two classes are light and dark, or an
``inkstudio.json`` beside the config declares ``{"styles": {...}}``. A scheduler_config.json beside
it (or in a pipeline's scheduler/ folder) is honoured; without one, DDPM defaults.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.errors import CheckpointError
from studio.models.formats.base import (
    Forward,
    LoadedModel,
    ModelSpec,
    card_beside,
    find_class_embedding,
    read_json,
    style_map_for_labels,
)

FORMAT = "diffusers-unet"

# far beyond any UNet2DModel an ink studio paints with; a config asking for more would hang or exhaust memory while building
UNET_LIMITS = {
    "layers_per_block": 64, "block_out_channels": 8192, "sample_size": 8192, "num_class_embeds": 100_000, "time_embedding_dim": 65536,
}


def inspect(path: Path, size: int | None = None) -> ModelSpec | None:
    """A UNet folder's spec; None when ``path`` is not a folder with config.json (and no model_index.json)."""
    if not path.is_dir() or (path / "model_index.json").is_file() or not (path / "config.json").is_file():
        return None
    return inspect_unet(path, path / "config.json", scheduler_dir=None)


def load(spec: ModelSpec) -> LoadedModel:
    from diffusers import UNet2DModel

    unet = UNet2DModel.from_pretrained(str(spec.extra["unet_dir"]), local_files_only=True)
    return LoadedModel(
        spec=spec,
        module=unet,
        device=torch.device("cpu"),
        dtype=torch.float32,
        noise_shape=(spec.channels, spec.resolution, spec.resolution),
        scheduler_class=spec.extra["scheduler_class"],
        scheduler_config=spec.extra["scheduler_config"],
        _forward=unet2d_forward(unet),
        size_multiple=unet2d_multiple(unet),
        class_embedding=find_class_embedding(unet),
    )


def inspect_unet(path: Path, config_path: Path, scheduler_dir: Path | None) -> ModelSpec:
    """The spec of the UNet2DModel whose config is ``config_path`` (``path`` is the model's folder)."""
    config = read_json(config_path)
    cls = config.get("_class_name")
    if cls != "UNet2DModel":
        raise CheckpointError(config_path, f"unsupported model class {cls!r} (Ink Studio paints with UNet2DModel)")
    weights = [p for p in config_path.parent.iterdir() if p.name.startswith("diffusion_pytorch_model") and p.suffix in (".safetensors", ".bin")]
    if not weights:
        raise CheckpointError(config_path.parent, "no weights (diffusion_pytorch_model.safetensors or .bin)")
    sample_size = config.get("sample_size", 64)
    if isinstance(sample_size, (list, tuple)):
        sample_size = sample_size[0] if sample_size else None
    if not isinstance(sample_size, int) or sample_size <= 0:
        raise CheckpointError(config_path, f"bad sample_size {sample_size!r}")
    channels = config.get("in_channels", 3)
    if not isinstance(channels, int) or channels <= 0:
        raise CheckpointError(config_path, f"bad in_channels {channels!r}")
    layers = config.get("layers_per_block", 2)
    if not all(isinstance(n, int) and n > 0 for n in (layers if isinstance(layers, (list, tuple)) else [layers])):
        raise CheckpointError(config_path, f"bad layers_per_block {layers!r}")  # diffusers builds it, then fails mid-painting
    problem = unet_size_problem(config)
    if problem:
        raise CheckpointError(config_path, problem)
    sched_path = None
    for candidate in ([scheduler_dir / "scheduler_config.json"] if scheduler_dir else []) + [config_path.parent / "scheduler_config.json"]:
        if candidate.is_file():
            sched_path = candidate
            break
    if sched_path is not None:
        sched = read_json(sched_path)
        sched_class = sched.get("_class_name", "DDPMScheduler")
        sched_config = {k: v for k, v in sched.items() if not k.startswith("_")}
    else:
        sched_class, sched_config = "DDPMScheduler", {}
    sidecar = path / "inkstudio.json"
    declared = read_json(sidecar).get("styles") if sidecar.is_file() else None
    styles = style_map_for_labels(config.get("num_class_embeds"), declared, path)
    return ModelSpec(
        path=path,
        format=FORMAT,
        kind="diffusion",
        name=path.name,
        styles=styles,
        resolution=sample_size,
        channels=channels,
        weights_files=sorted(weights),
        card=card_beside(path),
        extra={"unet_dir": config_path.parent, "scheduler_class": sched_class, "scheduler_config": sched_config},
    )


def unet_size_problem(config: dict[str, Any]) -> str | None:
    """What makes a UNet2DModel config absurdly large to build, or None."""
    for key, limit in UNET_LIMITS.items():
        value = config.get(key)
        values = value if isinstance(value, (list, tuple)) else [value]
        if any(isinstance(v, int) and v > limit for v in values):
            return f"{key} {value!r} is larger than any ink model (limit {limit})"
    blocks = config.get("block_out_channels")
    if isinstance(blocks, (list, tuple)) and len(blocks) > 12:
        return f"{len(blocks)} UNet blocks is more than any ink model has"
    return None


def unet2d_multiple(unet: nn.Module) -> int:
    return 2 ** (len(unet.config.down_block_types) - 1)


def unet2d_forward(unet: nn.Module) -> Forward:
    def forward(x: torch.Tensor, t: Any, labels: torch.Tensor | None) -> torch.Tensor:
        return unet(x, t, class_labels=labels).sample

    return forward
