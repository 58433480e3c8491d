"""``inkstudio``: our single .safetensors file, weights + JSON metadata in the header (see studio.models.inkfile).

A two-stage model's metadata names its upscaler beside it: ``"cascade": {"upscaler": FILE, "size": px}``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.api import MAX_UPSCALE_PASSES
from studio.errors import CheckpointError
from studio.models import inkfile
from studio.models.formats.base import LoadedModel, ModelSpec, find_class_embedding, first_line
from studio.models.formats.diffusers_unet import unet2d_forward, unet2d_multiple, unet_size_problem

FORMAT = "inkstudio"
MAX_CASCADE_PASSES = MAX_UPSCALE_PASSES


def inspect(path: Path, size: int | None = None) -> ModelSpec | None:
    """The spec in the file's header (``inkfile.describe``, no torch); None when ``path`` is not a .safetensors file."""
    if not path.is_file() or path.suffix.lower() != ".safetensors":
        return None
    return ModelSpec(**inkfile.describe(path))


def load(spec: ModelSpec) -> LoadedModel:
    meta = spec.extra["meta"]
    try:
        module = build_architecture(meta["architecture"])
    except (TypeError, ValueError) as exc:
        raise CheckpointError(spec.path, f"bad architecture config ({first_line(exc)})") from None
    inkfile.load_into(module, spec.path)
    upscaler = None
    if "cascade" in spec.extra:
        from studio.models.inkupscaler import load_upscaler

        upscaler = load_upscaler(spec.extra["cascade"]["upscaler"])
    embedding = find_class_embedding(module)
    if spec.kind == "diffusion":
        noise_shape: tuple[int, ...] = (spec.channels, spec.resolution, spec.resolution)
        sched = meta["scheduler"]
        return LoadedModel(
            spec, module, torch.device("cpu"), torch.float32, noise_shape, sched["class"], dict(sched["config"]),
            unet2d_forward(module), size_multiple=unet2d_multiple(module), upscaler=upscaler, class_embedding=embedding,
        )
    nz = int(meta["architecture"]["config"].get("nz", 128))

    def gan_forward(z: torch.Tensor, _t: Any, labels: torch.Tensor | None) -> torch.Tensor:
        return module(z, labels)

    return LoadedModel(
        spec, module, torch.device("cpu"), torch.float32, (nz,), None, None, gan_forward, upscaler=upscaler, class_embedding=embedding
    )


def build_architecture(arch: dict[str, Any]) -> nn.Module:
    """Instantiate the network named in a checkpoint's metadata (UNet2DModel, InkGenerator or InkDCGenerator)."""
    cls, config = arch["class"], arch["config"]
    if cls == "UNet2DModel":
        from diffusers import UNet2DModel

        problem = unet_size_problem(config) if isinstance(config, dict) else None
        if problem:
            raise ValueError(problem)

        return UNet2DModel(**config)
    if cls in ("InkGenerator", "InkDCGenerator"):
        from studio.models.inkgan import GENERATORS, generator_size_problem

        problem = generator_size_problem(config) if isinstance(config, dict) else None
        if problem:
            raise ValueError(problem)
        return GENERATORS[cls](**config)
    raise ValueError(f"unknown architecture class {cls!r}")

