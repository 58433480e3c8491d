"""``dcgan``: the PyTorch DCGAN tutorial's generator ``state_dict`` (``main`` = ConvTranspose2d/BatchNorm2d/ReLU/Tanh)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.errors import CheckpointError
from studio.models.formats.base import LoadedModel, ModelSpec, card_beside
from studio.models.formats.torchfile import is_torch_file, read_torch_file, torch_state

FORMAT = "dcgan"


def inspect(path: Path, size: int | None = None) -> ModelSpec | None:
    if not is_torch_file(path):
        return None
    state = torch_state(path)
    if not isinstance(state, dict) or not any(isinstance(k, str) and k.startswith("main.") for k in state):
        return None
    ordered, n_convs = _layers(path, state)
    first = ordered[0]
    if first[1] != "convT":
        raise CheckpointError(path, "DCGAN generator must start with a ConvTranspose2d")
    last_conv = [layer for layer in ordered if layer[1] == "convT"][-1]
    nz, channels = first[2][0], last_conv[2][1]
    if channels not in (1, 3):
        raise CheckpointError(path, f"DCGAN generator ends in {channels} channels, not an image's 1 or 3 (layers missing?)")
    resolution = 4 * 2 ** (n_convs - 1)
    return ModelSpec(
        path=path,
        format=FORMAT,
        kind="gan",
        name=path.stem,
        styles={},
        resolution=resolution,
        channels=channels,
        weights_files=[path],
        card=card_beside(path),
        extra={"nz": nz},
    )


def load(spec: ModelSpec) -> LoadedModel:
    state = read_torch_file(spec.path)
    ordered, _ = _layers(spec.path, state)
    modules: list[nn.Module] = []
    conv_positions = [i for i, kind, _ in ordered if kind == "convT"]
    total = max(i for i, _, _ in ordered) + 2  # the final Tanh follows the last layer
    by_index = {i: (kind, shape) for i, kind, shape in ordered}
    for i in range(total):
        if i in by_index:
            kind, shape = by_index[i]
            if kind == "convT":
                first = i == conv_positions[0]
                modules.append(nn.ConvTranspose2d(shape[0], shape[1], shape[2], 1 if first else 2, 0 if first else 1, bias=False))
            else:
                modules.append(nn.BatchNorm2d(shape[0]))
        elif i == total - 1:
            modules.append(nn.Tanh())
        else:
            modules.append(nn.ReLU(True))
    module = nn.Module()
    module.main = nn.Sequential(*modules)
    module.load_state_dict(state, strict=True)

    def forward(z: torch.Tensor, _t: Any, _labels: torch.Tensor | None) -> torch.Tensor:
        return module.main(z.view(z.shape[0], -1, 1, 1))

    nz = spec.extra["nz"]
    return LoadedModel(spec, module, torch.device("cpu"), torch.float32, (nz, 1, 1), None, None, forward)


def _layers(path: Path, state: dict[str, Any]) -> tuple[list[tuple[int, str, tuple[int, ...]]], int]:
    layers: dict[int, tuple[str, tuple[int, ...]]] = {}
    for key, value in state.items():
        parts = str(key).split(".")
        if len(parts) != 3 or parts[0] != "main" or not parts[1].isdigit() or not isinstance(value, torch.Tensor):
            raise CheckpointError(path, f"unexpected key {str(key)[:60]!r} in a DCGAN generator state_dict")
        idx = int(parts[1])
        if parts[2] == "weight" and value.dim() == 4:
            layers[idx] = ("convT", tuple(value.shape))
        elif parts[2] == "weight" and value.dim() == 1:
            layers[idx] = ("bn", tuple(value.shape))
    ordered = [(i, *layers[i]) for i in sorted(layers)]
    convs = [layer for layer in ordered if layer[1] == "convT"]
    if not convs:
        raise CheckpointError(path, "DCGAN state_dict has no ConvTranspose2d weights")
    return ordered, len(convs)
