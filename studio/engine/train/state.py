"""Resume state on disk: plain tensors in safetensors shards plus one JSON file.

A state folder holds ``state.json`` (step, wall time, config, optimizer param groups, which
tensors live in which shard) and ``<group>-NNNNN.safetensors`` shards of at most ``max_shard_bytes``
(default 45 MB, so every file can be committed to git). Nothing is pickled: loading never runs code.

Groups are flat ``name -> tensor`` dicts: model weights, EMA weights, optimizer moments
(``state.<param index>.<key>``), RNG states (generator states are uint8 tensors).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

from studio.errors import StudioError

STATE_JSON = "state.json"
MAX_SHARD_BYTES = 45 * 1024 * 1024


def _shards(tensors: dict[str, torch.Tensor], max_bytes: int) -> list[dict[str, torch.Tensor]]:
    shards: list[dict[str, torch.Tensor]] = [{}]
    size = 0
    for name in sorted(tensors):
        t = tensors[name].detach().to("cpu").contiguous()
        nbytes = t.numel() * t.element_size()
        if shards[-1] and size + nbytes > max_bytes:
            shards.append({})
            size = 0
        shards[-1][name] = t
        size += nbytes
    return shards


def save_state(folder: str | Path, groups: dict[str, dict[str, torch.Tensor]], info: dict[str, Any],
               max_shard_bytes: int = MAX_SHARD_BYTES) -> Path:
    """Write a complete resume state atomically: a new folder is filled, then swapped in."""
    folder = Path(folder)
    tmp = folder.with_name(folder.name + ".part")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    index: dict[str, list[str]] = {}
    for group, tensors in groups.items():
        files = []
        for i, shard in enumerate(_shards(tensors, max_shard_bytes)):
            name = f"{group}-{i:05d}.safetensors"
            save_file(shard, str(tmp / name))
            files.append(name)
        index[group] = files
    (tmp / STATE_JSON).write_text(json.dumps({**info, "shards": index}, indent=1, sort_keys=True), encoding="utf-8")
    old = folder.with_name(folder.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if folder.exists():
        os.replace(folder, old)
    os.replace(tmp, folder)
    if old.exists():
        shutil.rmtree(old)
    return folder


def load_state(folder: str | Path) -> tuple[dict[str, dict[str, torch.Tensor]], dict[str, Any]]:
    """The tensor groups and the info of a state folder; StudioError when missing or broken."""
    folder = Path(folder)
    meta_path = folder / STATE_JSON
    if not meta_path.is_file():
        old = folder.with_name(folder.name + ".old")  # crash between the two renames of save_state
        if (old / STATE_JSON).is_file():
            folder, meta_path = old, old / STATE_JSON
        else:
            raise StudioError(f"--resume: no training state in {folder} (expected {STATE_JSON})")
    try:
        info = json.loads(meta_path.read_text(encoding="utf-8"))
        groups = {}
        for group, files in info.pop("shards").items():
            tensors: dict[str, torch.Tensor] = {}
            for name in files:
                tensors.update(load_file(str(folder / name)))
            groups[group] = tensors
    except (OSError, ValueError, KeyError) as exc:
        raise StudioError(f"--resume: the training state in {folder} is unreadable ({exc})") from None
    return groups, info


def optimizer_to_flat(opt: torch.optim.Optimizer) -> tuple[dict[str, torch.Tensor], list[dict[str, Any]]]:
    """An optimizer's state as flat tensors plus JSON-able param groups."""
    sd = opt.state_dict()
    flat: dict[str, torch.Tensor] = {}
    for idx, st in sd["state"].items():
        for key, value in st.items():
            flat[f"state.{idx}.{key}"] = value if isinstance(value, torch.Tensor) else torch.tensor(value)
    groups = [{k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items()} for g in sd["param_groups"]]
    return flat, groups


def optimizer_from_flat(opt: torch.optim.Optimizer, flat: dict[str, torch.Tensor], groups: list[dict[str, Any]]) -> None:
    state: dict[int, dict[str, Any]] = {}
    for name, value in flat.items():
        _, idx, key = name.split(".", 2)
        state.setdefault(int(idx), {})[key] = value
    restored = []
    for g in groups:
        restored.append({k: (tuple(v) if k == "betas" else v) for k, v in g.items()})
    opt.load_state_dict({"state": state, "param_groups": restored})


class EMA:
    """Exponential moving average of a module's parameters and buffers.

    Decay warms up as ``min(max_decay, (1 + step) / (10 + step))`` so early weights are forgotten fast.
    Buffers (e.g. BatchNorm statistics) are copied, not averaged.
    """

    def __init__(self, module: torch.nn.Module, max_decay: float = 0.999) -> None:
        self.max_decay = max_decay
        self.shadow = {k: v.detach().clone().float() for k, v in module.state_dict().items()}
        self._params = {name for name, _ in module.named_parameters()}

    def decay(self, step: int) -> float:
        return min(self.max_decay, (1 + step) / (10 + step))

    @torch.no_grad()
    def update(self, module: torch.nn.Module, step: int) -> None:
        d = self.decay(step)
        for k, v in module.state_dict().items():
            if k in self._params and v.is_floating_point():
                self.shadow[k].lerp_(v.detach().float(), 1 - d)
            else:
                self.shadow[k].copy_(v)

    def state_dict(self) -> dict[str, torch.Tensor]:
        return dict(self.shadow)

    def load_state_dict(self, sd: dict[str, torch.Tensor]) -> None:
        missing = set(self.shadow) - set(sd)
        if missing:
            raise StudioError(f"--resume: EMA weights lack {len(missing)} tensors (different model?)")
        for k in self.shadow:
            self.shadow[k].copy_(sd[k])

    def copy_to(self, module: torch.nn.Module) -> None:
        ref = module.state_dict()
        module.load_state_dict({k: v.to(dtype=ref[k].dtype) for k, v in self.shadow.items()})


def generator_state(g: torch.Generator) -> torch.Tensor:
    return g.get_state().clone()


def set_generator_state(g: torch.Generator, state: torch.Tensor) -> None:
    g.set_state(state.to(torch.uint8).clone())
