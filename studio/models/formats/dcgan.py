"""``dcgan``: DCGAN-style generators saved as a ``state_dict`` — ConvTranspose2d (+ BatchNorm2d) layers in an nn.Sequential.

What is read (see README's format table):
  - the PyTorch tutorial's ``main.N.*`` keys, bare Sequential keys (``0.weight``), or any one shared
    prefix (``netG.main.``, ``Gene.``, ``module.main.`` from DataParallel …);
  - those weights alone, or wrapped in a training checkpoint under ``netG``, ``generator``, ``G``,
    ``net``, ``state_dict``, ``model`` (an optimizer, an epoch … beside it are ignored);
  - ConvTranspose2d with or without bias; BatchNorm2d after any of them; parameterless positions are
    ReLU, and a Tanh ends the network.

A state_dict does not store strides and paddings. The first layer turns z (1×1) into k×k; each
later layer takes the setting DCGAN code uses for its kernel (4: stride 2 padding 1, ×2; 5: stride 3
padding 1, ×3 — the common 96 px variant; 3: stride 1 padding 1, ×1; …). The size those settings
paint must be a square of 32–1024 px; otherwise, or when a sidecar ``NAME.json`` says
``{"image_size": N}`` (or ``"strides"``/``"paddings"`` per layer) that they do not meet, the layer
settings are chosen to paint exactly that size — or the file is refused. A size the file does not
promise is never painted: the loaded network's output size is checked against it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.errors import CheckpointError
from studio.models.formats.base import LoadedModel, ModelSpec, card_beside, read_json
from studio.models.formats.torchfile import is_torch_file, read_torch_file, torch_state

FORMAT = "dcgan"
WRAPPERS = ("netG", "generator", "G", "gen", "net", "state_dict", "model")
GENERATOR_NAMES = {"gene", "netg", "g", "gen", "generator", "g_ema", "netg_ema"}
MIN_SIZE, MAX_SIZE = 32, 1024
# the (stride, padding) DCGAN code uses for a ConvTranspose2d kernel after the first layer
USUAL = {4: (2, 1), 5: (3, 1), 3: (1, 1), 2: (2, 0), 6: (2, 2), 1: (1, 0)}
_KEY = re.compile(r"^(.*?)(\d+)\.(weight|bias|running_mean|running_var|num_batches_tracked)$")
_MAX_COMBINATIONS = 20_000


@dataclass(frozen=True)
class Layer:
    index: int  # position in the Sequential
    kind: str  # "convT" | "bn"
    shape: tuple[int, ...]
    bias: bool = False


def inspect(path: Path, size: int | None = None) -> ModelSpec | None:
    """A DCGAN generator's spec; None when the file holds no Sequential of ConvTranspose2d weights."""
    if not is_torch_file(path):
        return None
    found = _find_generator(torch_state(path))
    if found is None:
        return None
    state, where, prefix = found
    layers = _layers(path, state, prefix)
    convs = [layer for layer in layers if layer.kind == "convT"]
    nz, channels = convs[0].shape[0], convs[-1].shape[1]
    if channels not in (1, 3):
        raise CheckpointError(path, f"DCGAN generator ends in {channels} channels, not an image's 1 or 3 (layers missing?)")
    strides, paddings, resolution = _geometry(path, convs, size)
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
        extra={"nz": nz, "wrapper": where, "prefix": prefix, "strides": strides, "paddings": paddings},
    )


def load(spec: ModelSpec) -> LoadedModel:
    found = _find_generator(read_torch_file(spec.path))
    if found is None:
        raise CheckpointError(spec.path, "DCGAN generator weights are gone from the file")
    state, _, prefix = found
    layers = _layers(spec.path, state, prefix)
    geometry = dict(zip((layer.index for layer in layers if layer.kind == "convT"),
                        zip(spec.extra["strides"], spec.extra["paddings"], strict=True), strict=True))
    by_index = {layer.index: layer for layer in layers}
    total = max(by_index) + 2  # the final Tanh follows the last layer
    modules: list[nn.Module] = []
    for i in range(total):
        layer = by_index.get(i)
        if layer is not None and layer.kind == "convT":
            cin, cout, k, _ = layer.shape
            stride, padding = geometry[i]
            modules.append(nn.ConvTranspose2d(cin, cout, k, stride, padding, bias=layer.bias))
        elif layer is not None:
            modules.append(nn.BatchNorm2d(layer.shape[0]))
        elif i == total - 1:
            modules.append(nn.Tanh())
        else:
            modules.append(nn.ReLU(True))
    module = nn.Module()
    module.main = nn.Sequential(*modules)
    module.main.load_state_dict({k[len(prefix):]: v for k, v in state.items()}, strict=True)
    nz, size = spec.extra["nz"], spec.resolution
    module.eval()  # BatchNorm in training mode would update its statistics on this probe
    with torch.no_grad():
        painted = module.main(torch.zeros(1, nz, 1, 1)).shape
    if tuple(painted[2:]) != (size, size):  # never paint a size the file did not promise
        raise CheckpointError(spec.path, f"DCGAN generator paints {tuple(painted[2:])} px, not the {size} px it was read as")

    def forward(z: torch.Tensor, _t: Any, _labels: torch.Tensor | None) -> torch.Tensor:
        return module.main(z.view(z.shape[0], -1, 1, 1))

    return LoadedModel(spec, module, torch.device("cpu"), torch.float32, (nz, 1, 1), None, None, forward)


# ---------------------------------------------------------------------------- reading the layout


def _find_generator(state: Any) -> tuple[dict[str, Any], str | None, str] | None:
    """(the generator's state_dict, the wrapper key it sat under or None, its key prefix), or None."""
    if not isinstance(state, dict):
        return None
    if any(isinstance(k, str) and k.startswith("main.") for k in state):
        return state, None, "main."  # the tutorial's layout: claimed, so that a broken one is named as such
    prefix = _generator_prefix(state)
    if prefix is not None:
        return {k: v for k, v in state.items() if k.startswith(prefix)}, None, prefix
    for key in WRAPPERS:
        inner = state.get(key)
        if isinstance(inner, dict):
            prefix = _generator_prefix(inner)
            if prefix is not None:
                return {k: v for k, v in inner.items() if k.startswith(prefix)}, key, prefix
    return None


def _generator_prefix(state: dict[Any, Any]) -> str | None:
    """The prefix before ``N.weight`` … of the generator's keys, when every key is a Sequential's tensor.

    One prefix (``""``, ``netG.``, ``module.main.`` …) is the generator; with several (a whole GAN
    module's state_dict: ``Gene.*`` beside ``Disc.*``), the one whose first name says generator.
    """
    groups: dict[str, list[torch.Tensor]] = {}
    for key, value in state.items():
        match = _KEY.match(key) if isinstance(key, str) else None
        if match is None or not isinstance(value, torch.Tensor) or (match.group(1) and not match.group(1).endswith(".")):
            return None
        groups.setdefault(match.group(1), []).append(value)
    if len(groups) > 1:
        groups = {p: v for p, v in groups.items() if p.split(".")[0].lower() in GENERATOR_NAMES}
    if len(groups) != 1:
        return None
    ((prefix, values),) = groups.items()
    return prefix if any(v.dim() == 4 for v in values) else None


def _layers(path: Path, state: dict[str, Any], prefix: str) -> list[Layer]:
    layers: dict[int, Layer] = {}
    biases: set[int] = set()
    for key, value in state.items():
        rest = str(key)[len(prefix):] if str(key).startswith(prefix) else None
        parts = rest.split(".") if rest is not None else []
        if len(parts) != 2 or not parts[0].isdigit() or not isinstance(value, torch.Tensor):
            raise CheckpointError(path, f"unexpected key {str(key)[:60]!r} in a DCGAN generator state_dict")
        idx = int(parts[0])
        if parts[1] == "weight" and value.dim() == 4:
            if value.shape[2] != value.shape[3]:
                raise CheckpointError(path, f"layer {idx}: a {value.shape[2]}×{value.shape[3]} kernel (DCGAN kernels are square)")
            layers[idx] = Layer(idx, "convT", tuple(value.shape))
        elif parts[1] == "weight" and value.dim() == 1:
            layers[idx] = Layer(idx, "bn", tuple(value.shape))
        elif parts[1] == "weight":
            raise CheckpointError(path, f"layer {idx} has a {value.dim()}-D weight: not a ConvTranspose2d/BatchNorm2d generator")
        elif parts[1] == "bias":
            biases.add(idx)
    ordered = [layers[i] for i in sorted(layers)]
    ordered = [Layer(x.index, x.kind, x.shape, x.index in biases) if x.kind == "convT" else x for x in ordered]
    convs = [x for x in ordered if x.kind == "convT"]
    if not convs:
        raise CheckpointError(path, "DCGAN state_dict has no ConvTranspose2d weights")
    if ordered[0].kind != "convT":
        raise CheckpointError(path, "DCGAN generator must start with a ConvTranspose2d")
    width = None
    for layer in ordered:  # a generator is a chain: each layer takes the channels the one before gives
        cin = layer.shape[0]
        if width is not None and cin != width and layer.kind == "bn":
            raise CheckpointError(path, f"weights do not fit the network: BatchNorm2d layer {layer.index} has {cin} channels after a layer giving {width}")
        if width is not None and cin != width:
            raise CheckpointError(
                path, f"layer {layer.index} takes {cin} channels after a layer giving {width}: not a DCGAN generator (a discriminator?)"
            )
        width = layer.shape[1] if layer.kind == "convT" else cin
    return ordered


def _size(convs: list[Layer], strides: tuple[int, ...], paddings: tuple[int, ...]) -> int:
    size = 1
    for layer, s, p in zip(convs, strides, paddings, strict=True):
        size = (size - 1) * s - 2 * p + layer.shape[2]
    return size


def _geometry(path: Path, convs: list[Layer], size: int | None) -> tuple[list[int], list[int], int]:
    """(strides, paddings, the size they paint) of the ConvTranspose2d layers, or a one-line refusal."""
    sidecar = path.with_suffix(".json")
    side = read_json(sidecar) if sidecar.is_file() else {}
    if "strides" in side or "paddings" in side:
        strides, paddings = side.get("strides"), side.get("paddings")
        n = len(convs)
        if not (isinstance(strides, list) and isinstance(paddings, list) and len(strides) == len(paddings) == n
                and all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 16 for v in strides + paddings)
                and all(s > 0 for s in strides)):
            raise CheckpointError(sidecar, f"'strides' and 'paddings' must be lists of {n} small integers, one per ConvTranspose2d")
        painted = _size(convs, tuple(strides), tuple(paddings))
        if not MIN_SIZE // 4 <= painted <= MAX_SIZE:
            raise CheckpointError(sidecar, f"its strides and paddings paint {painted} px")
        return list(strides), list(paddings), painted
    promised = side.get("image_size", side.get("resolution"))
    if promised is not None and (not isinstance(promised, int) or isinstance(promised, bool) or not 1 <= promised <= MAX_SIZE):
        raise CheckpointError(sidecar, f"bad image_size {promised!r}")
    usual = [(1, 0)] + [USUAL.get(layer.shape[2]) for layer in convs[1:]]
    if all(u is not None for u in usual):
        strides, paddings = (tuple(u[0] for u in usual), tuple(u[1] for u in usual))  # type: ignore[index]
        painted = _size(convs, strides, paddings)
        sane = MIN_SIZE <= painted <= MAX_SIZE
        if (promised is None and sane) or painted == promised:
            return list(strides), list(paddings), painted
    wanted = promised or size
    kernels = ", ".join(str(layer.shape[2]) for layer in convs)
    if wanted is None:
        what = (f"its layers (kernels {kernels}) paint {painted} px with the usual strides, outside {MIN_SIZE}-{MAX_SIZE}"
                if all(u is not None for u in usual) else f"no usual stride for its kernels ({kernels})")
        raise CheckpointError(path, f"DCGAN generator: {what}; pass --size or add {sidecar.name} {{\"image_size\": N}}")
    found = _settings_for(convs, wanted)
    if found is None:
        raise CheckpointError(path, f"DCGAN generator: no strides and paddings of its layers (kernels {kernels}) paint {wanted} px")
    if isinstance(found, str):
        raise CheckpointError(
            path, f"DCGAN generator: several layer settings paint {wanted} px; add {sidecar.name} with \"strides\" and \"paddings\""
        )
    return list(found[0]), list(found[1]), wanted


def _settings_for(convs: list[Layer], wanted: int) -> tuple[tuple[int, ...], tuple[int, ...]] | str | None:
    """The one layer setting that paints ``wanted`` px, each layer an exact ×s (padding (k-s)/2), fewest unusual layers first."""
    options = []
    for layer in convs[1:]:
        k = layer.shape[2]
        exact = [(s, (k - s) // 2) for s in range(1, k + 1) if (k - s) % 2 == 0]
        usual = USUAL.get(k)
        options.append(sorted(exact, key=lambda sp, usual=usual: sp != usual))
    first_pads = [p for p in range(convs[0].shape[2]) if convs[0].shape[2] - 2 * p >= 1]
    combos = 1
    for o in options:
        combos *= len(o)
    if combos * len(first_pads) > _MAX_COMBINATIONS:
        return None
    best: list[tuple[int, tuple[int, ...], tuple[int, ...]]] = []
    for p0 in first_pads:
        for combo in itertools.product(*options):
            strides, paddings = (1, *(s for s, _ in combo)), (p0, *(p for _, p in combo))
            if _size(convs, strides, paddings) == wanted:
                unusual = (p0 != 0) + sum(sp != USUAL.get(layer.shape[2]) for sp, layer in zip(combo, convs[1:], strict=True))
                best.append((unusual, strides, paddings))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[0][0] == best[1][0]:
        return "ambiguous"  # two equally plausible settings: the file does not say which
    return best[0][1], best[0][2]
