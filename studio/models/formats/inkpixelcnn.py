"""``ink-pixelcnn``: our gated PixelCNN (:mod:`studio.models.inkpixelcnn`) in our single-file format.

The file is an Ink Studio ``.safetensors`` (:mod:`studio.models.inkfile`) whose metadata says
``"kind": "autoregressive"`` and ``"architecture": {"class": "InkPixelCNN", "config": {...}}``. The
loaded model has an explicit density: ``bits_per_dim`` is the exact -log2 p(x | style) / (3·H·W).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import torch

from studio.errors import CheckpointError
from studio.models import inkfile
from studio.models.formats.base import LoadedModel, ModelSpec, card_beside, first_line
from studio.models.inkpixelcnn import InkPixelCNN, nats_per_image, pixelcnn_size_problem

FORMAT = "ink-pixelcnn"
KIND = "autoregressive"
ARCHITECTURE = "InkPixelCNN"


def inspect(path: Path, size: int | None = None) -> ModelSpec | None:
    """The spec of an Ink Studio file holding a PixelCNN; None for any other file."""
    if not path.is_file() or path.suffix.lower() != ".safetensors":
        return None
    try:
        meta = inkfile.read_ink_metadata(path)
    except CheckpointError:
        return None  # not ours: the inkstudio format (or another) says why
    if meta.get("kind") != KIND:
        return None
    arch = meta["architecture"]
    if arch["class"] != ARCHITECTURE:
        raise CheckpointError(path, f"autoregressive model of unknown architecture {arch['class']!r} (expected {ARCHITECTURE})")
    if meta["channels"] != 3:
        raise CheckpointError(path, f"a PixelCNN paints 3 channels, not {meta['channels']}")
    if size is not None and size != meta["resolution"]:
        raise CheckpointError(path, f"a PixelCNN paints only its own size ({meta['resolution']} px), not {size}")
    return ModelSpec(
        path=path, format=FORMAT, kind=KIND, name=str(meta.get("name") or path.stem), styles=dict(meta.get("styles", {})),
        resolution=meta["resolution"], channels=3, weights_files=[path], card=card_beside(path) or meta.get("card"),
        extra={"meta": meta},
    )


def build(config: dict[str, Any]) -> InkPixelCNN:
    problem = pixelcnn_size_problem(config)
    if problem:
        raise ValueError(problem)
    return InkPixelCNN(**config)


def load(spec: ModelSpec) -> LoadedModel:
    meta = spec.extra["meta"]
    config = dict(meta["architecture"]["config"])
    if config.get("resolution", spec.resolution) != spec.resolution:
        raise CheckpointError(spec.path, "architecture resolution differs from the metadata's")
    try:
        module = build(config)
    except (TypeError, ValueError) as exc:
        raise CheckpointError(spec.path, f"bad architecture config ({first_line(exc)})") from None
    if module.num_classes and len(spec.styles) > module.num_classes:
        raise CheckpointError(spec.path, "more styles than the network has classes")
    state = inkfile.load_ink_state(spec.path)
    ref = module.state_dict()
    state = {k: v.to(ref[k].dtype) if k in ref and v.is_floating_point() else v for k, v in state.items()}
    module.load_state_dict(state, strict=True)
    return loaded_model(spec, module)


def loaded_model(spec: ModelSpec, module: InkPixelCNN) -> LoadedModel:
    """The adapter around a PixelCNN: logits as its forward, and its exact likelihood."""

    def forward(x: torch.Tensor, _t: Any, labels: torch.Tensor | None) -> torch.Tensor:
        # (B, 3·256, H, W): one 4-D tensor, as every format's forward returns
        return module(x, labels).flatten(1, 2)

    model = LoadedModel(spec, module, torch.device("cpu"), torch.float32, (3, spec.resolution, spec.resolution), None, None,
                        forward, density_kind="explicit")  # no single style embedding to blend: each layer has its own

    def bits(pixels: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        dims = pixels[0].numel() * math.log(2)
        pixels = pixels.to(model.device)
        if labels is not None or not module.num_classes:
            return nats_per_image(module, pixels, labels).double().cpu() / dims
        # the marginal over the styles, each with prior 1/K: -log p(x) = -logsumexp_y(log p(x|y)) + log K
        classes = sorted(set(spec.styles.values())) or list(range(module.num_classes))
        per = torch.stack([
            -nats_per_image(module, pixels, torch.full((pixels.shape[0],), y, dtype=torch.long, device=model.device)).double()
            for y in classes
        ])
        return (-(torch.logsumexp(per, dim=0) - math.log(len(classes)))).cpu() / dims

    model._bits_per_dim = bits
    return model
