"""``stylegan2-ada``: NVIDIA stylegan2-ada-pytorch network pickles (``network-snapshot-NNNNNN.pkl``).

These pickle whole modules together with their Python source, and NVIDIA's loader ``exec``s that
source. Here the pickle is read by a restricted unpickler that knows a short allow-list — the tensor
and parameter rebuilders, storages (read back with ``torch.load(weights_only=True)``), OrderedDict,
``dnnlib.EasyDict`` as a plain dict, numpy scalars — and reads the persistence hook's record
(class name, attributes, parameters, buffers, children) as data; the embedded source is never run,
and a pickle that reaches for anything else is refused.

``G_ema`` then paints in our own implementation of the StyleGAN2-ADA generator: the mapping network
(2nd-moment normalised z, and a normalised label embedding for conditional models; equalised layers
with learning-rate multiplier, leaky ReLU ×√2), the learned 4×4 constant, modulated/demodulated
convolutions (transposed and [1,3,3,1]-filtered to upsample), the stored constant noise × its
strength, bias, leaky ReLU ×√2 clamped to ``conv_clamp``, and ToRGB outputs summed through upsampled
skips (the 'skip' architecture every StyleGAN2-ADA generator uses). Truncation ψ uses the stored
``w_avg``: 1 (none) by default, or ``{"truncation_psi": 0.7}`` in a sidecar ``NAME.json``.
Conditional models (``c_dim > 0``) offer their classes as styles (two classes: light, dark).
StyleGAN3 pickles are recognised and refused.
"""

from __future__ import annotations

import collections
import io
import math
import pickle
import zipfile
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from studio.errors import CheckpointError
from studio.models.formats.base import LoadedModel, ModelSpec, card_beside, first_line, read_json, style_map_for_labels
from studio.models.formats.stylegan2_rosinality import _fir

FORMAT = "stylegan2-ada"
SUFFIXES = (".pkl", ".pickle")
_HOOK = b"_reconstruct_persistent_obj"
MAX_RESOLUTION = 1024


class PersistentRecord:
    """What NVIDIA's persistence hook pickled for one module: its class name, init kwargs and state, as data."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.class_name = str(meta.get("class_name"))
        self.version = meta.get("version")
        self.source = meta.get("module_src") if isinstance(meta.get("module_src"), str) else ""
        state = meta.get("state")
        self.state: dict[str, Any] = dict(state) if isinstance(state, dict) else {}

    @property
    def children(self) -> dict[str, Any]:
        mods = self.state.get("_modules")
        return dict(mods) if isinstance(mods, dict) else {}

    def tensors(self, prefix: str = "") -> dict[str, torch.Tensor]:
        """Every parameter and buffer under this module, named like a state_dict."""
        out: dict[str, torch.Tensor] = {}
        for group in ("_parameters", "_buffers"):
            for name, value in dict(self.state.get(group) or {}).items():
                if isinstance(value, torch.Tensor):
                    out[prefix + name] = value
        for name, child in self.children.items():
            if isinstance(child, PersistentRecord):
                out.update(child.tensors(f"{prefix}{name}."))
        return out


class _EasyDict(dict):
    """dnnlib.EasyDict, read as the plain dict it is."""


class Refused(Exception):
    """The pickle asked for something off the allow-list."""


def _rebuild_tensor(*args: Any) -> torch.Tensor:
    return torch._utils._rebuild_tensor_v2(*args)


def _rebuild_parameter(data: torch.Tensor, *_rest: Any) -> torch.Tensor:
    return data


def _load_storage(data: bytes) -> Any:
    return torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)


def _numpy_allowed(module: str, name: str) -> Any:
    import numpy as np

    if name == "dtype":
        return np.dtype
    import importlib
    import importlib.util

    core = "numpy._core.multiarray" if importlib.util.find_spec("numpy._core") else "numpy.core.multiarray"
    scalar = importlib.import_module(core).scalar  # numpy 2 moved it; the old name warns

    def plain_scalar(dtype: Any, *args: Any) -> Any:
        if not isinstance(dtype, np.dtype) or dtype.hasobject:  # an object scalar from raw bytes would be a pointer
            raise Refused(f"{module}.{name} of {dtype!r}")
        return scalar(dtype, *args)

    return plain_scalar


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that builds only allow-listed data types; nothing in the file can name code to run."""

    ALLOWED: dict[tuple[str, str], Any] = {
        ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor,
        ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
        ("torch._utils", "_rebuild_parameter_with_state"): _rebuild_parameter,
        ("torch.storage", "_load_from_bytes"): _load_storage,
        ("collections", "OrderedDict"): collections.OrderedDict,
        ("torch_utils.persistence", "_reconstruct_persistent_obj"): PersistentRecord,
        ("dnnlib.util", "EasyDict"): _EasyDict,
    }

    def find_class(self, module: str, name: str) -> Any:
        found = self.ALLOWED.get((module, name))
        if found is not None:
            return found
        if module in ("numpy", "numpy.core.multiarray", "numpy._core.multiarray") and name in ("dtype", "scalar"):
            return _numpy_allowed(module, name)
        raise Refused(f"{module}.{name}")

    def persistent_load(self, pid: Any) -> Any:
        raise Refused("a persistent id")


def looks_like_network_pickle(path: Path) -> bool:
    """A plain pickle (not torch's zip) whose first objects come through NVIDIA's persistence hook."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
    except OSError:
        return False
    return head[:1] == b"\x80" and _HOOK in head and not zipfile.is_zipfile(path)


def read_network_pickle(path: Path) -> Any:
    try:
        with open(path, "rb") as fh:
            return RestrictedUnpickler(fh).load()
    except Refused as exc:
        raise CheckpointError(
            path, f"refused: the pickle reaches for {exc.args[0]}, which is not plain data (its code never runs)"
        ) from None
    except CheckpointError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # truncated or corrupt pickles raise a zoo of types
        raise CheckpointError(path, f"not a readable network pickle, truncated or corrupt ({type(exc).__name__}: {first_line(exc)})") from None


def inspect(path: Path, size: int | None = None) -> ModelSpec | None:
    if not path.is_file():
        return None
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES and not looks_like_network_pickle(path):
        return None
    data = read_network_pickle(path)
    g = data.get("G_ema") if isinstance(data, dict) else None
    if not isinstance(g, PersistentRecord):
        g = data.get("G") if isinstance(data, dict) else None
    if not isinstance(g, PersistentRecord):
        keys = ", ".join(repr(k)[:30] for k in list(data)[:5]) if isinstance(data, dict) else type(data).__name__
        raise CheckpointError(path, f"a pickle without a StyleGAN generator (G_ema or G; it holds {keys})")
    if _is_stylegan3(g):
        raise CheckpointError(path, "a StyleGAN3 pickle: not supported (Ink Studio paints StyleGAN2-ADA generators)")
    arch = _architecture(path, g)
    sidecar = path.with_suffix(".json")
    side = read_json(sidecar) if sidecar.is_file() else {}
    psi = side.get("truncation_psi", 1.0)
    if not isinstance(psi, (int, float)) or isinstance(psi, bool) or not 0 <= psi <= 2:
        raise CheckpointError(sidecar, f"bad truncation_psi {psi!r} (0 to 2; 1 = none)")
    styles = style_map_for_labels(arch["c_dim"], side.get("styles"), path)
    return ModelSpec(
        path=path,
        format=FORMAT,
        kind="gan",
        name=path.stem,
        styles=styles,
        resolution=arch["resolution"],
        channels=arch["img_channels"],
        weights_files=[path],
        card=card_beside(path),
        extra={**arch, "truncation_psi": float(psi), "source": "G_ema" if data.get("G_ema") is g else "G"},
    )


def load(spec: ModelSpec) -> LoadedModel:
    data = read_network_pickle(spec.path)
    g = data.get(spec.extra["source"])
    tensors = g.tensors()
    net = ADAGenerator(tensors, spec.extra)
    c_dim = spec.extra["c_dim"]

    def forward(z: torch.Tensor, _t: Any, labels: torch.Tensor | None) -> torch.Tensor:
        c = F.one_hot(labels, c_dim).to(z.dtype) if c_dim and labels is not None else None
        return net(z, c)

    return LoadedModel(spec, net, torch.device("cpu"), torch.float32, (spec.extra["z_dim"],), None, None, forward)


# ---------------------------------------------------------------------------- reading the records


def _is_stylegan3(g: PersistentRecord) -> bool:
    synthesis = g.children.get("synthesis")
    names = list(synthesis.children) if isinstance(synthesis, PersistentRecord) else []
    return any(n == "input" or (n[:1] == "L" and n[1:2].isdigit()) for n in names) or "filtered_lrelu" in g.source


def _attr(path: Path, record: Any, name: str, kinds: tuple[type, ...]) -> Any:
    value = record.state.get(name) if isinstance(record, PersistentRecord) else None
    if not isinstance(value, kinds) or isinstance(value, bool) and bool not in kinds:
        raise CheckpointError(path, f"StyleGAN2-ADA pickle: {getattr(record, 'class_name', '?')} has no usable {name!r}")
    return value


def _architecture(path: Path, g: PersistentRecord) -> dict[str, Any]:
    """What the generator's records say: sizes, layers, clamps; refusals name what does not fit."""
    mapping, synthesis = g.children.get("mapping"), g.children.get("synthesis")
    if not isinstance(mapping, PersistentRecord) or not isinstance(synthesis, PersistentRecord):
        raise CheckpointError(path, "StyleGAN2-ADA pickle: the generator has no mapping or synthesis network")
    z_dim = _attr(path, g, "z_dim", (int,))
    c_dim = _attr(path, g, "c_dim", (int,))
    w_dim = _attr(path, g, "w_dim", (int,))
    resolution = _attr(path, g, "img_resolution", (int,))
    img_channels = _attr(path, g, "img_channels", (int,))
    if resolution not in [2**k for k in range(2, 11)]:
        raise CheckpointError(path, f"StyleGAN2-ADA pickle: img_resolution {resolution} is not a power of two up to {MAX_RESOLUTION}")
    if z_dim <= 0:
        raise CheckpointError(path, "StyleGAN2-ADA pickle: a generator without a latent (z_dim 0) is not supported")
    n_mapping = _attr(path, mapping, "num_layers", (int,))
    blocks = [f"b{2**k}" for k in range(2, int(math.log2(resolution)) + 1)]
    clamps: dict[str, float | None] = {}
    for name in blocks:
        block = synthesis.children.get(name)
        if not isinstance(block, PersistentRecord):
            raise CheckpointError(path, f"StyleGAN2-ADA pickle: synthesis block {name} is missing")
        architecture = block.state.get("architecture", "skip")
        if architecture != "skip":
            raise CheckpointError(path, f"StyleGAN2-ADA pickle: the {architecture!r} architecture is not supported (only 'skip')")
        for layer in ("conv0", "conv1", "torgb"):
            rec = block.children.get(layer)
            if isinstance(rec, PersistentRecord):
                clamp = rec.state.get("conv_clamp")
                clamps[f"synthesis.{name}.{layer}"] = float(clamp) if isinstance(clamp, (int, float)) else None
                if layer != "torgb" and rec.state.get("activation", "lrelu") != "lrelu":
                    raise CheckpointError(path, f"StyleGAN2-ADA pickle: activation {rec.state.get('activation')!r} is not supported")
    tensors = g.tensors()
    expected = ["mapping.w_avg", "synthesis.b4.const"] + [f"mapping.fc{i}.weight" for i in range(n_mapping)]
    for name in blocks:
        for layer in (["conv1", "torgb"] if name == "b4" else ["conv0", "conv1", "torgb"]):
            for p in ("weight", "bias", "affine.weight", "affine.bias"):
                expected.append(f"synthesis.{name}.{layer}.{p}")
            if layer != "torgb":
                expected += [f"synthesis.{name}.{layer}.noise_const", f"synthesis.{name}.{layer}.noise_strength"]
    if c_dim:
        expected.append("mapping.embed.weight")
    missing = [k for k in expected if k not in tensors]
    if missing:
        raise CheckpointError(path, f"StyleGAN2-ADA pickle: missing {missing[0]!r}")
    return {"z_dim": z_dim, "c_dim": c_dim, "w_dim": w_dim, "resolution": resolution, "img_channels": img_channels,
            "n_mapping": n_mapping, "blocks": blocks, "clamps": clamps}


# ---------------------------------------------------------------------------- the network

_LR_MAPPING = 0.01  # FullyConnectedLayer(lr_multiplier) of the mapping layers: a constructor argument, not stored


class ADAGenerator(nn.Module):
    """StyleGAN2-ADA synthesis ('skip' architecture) on the pickle's tensors, kept as buffers."""

    def __init__(self, tensors: dict[str, torch.Tensor], arch: dict[str, Any]) -> None:
        super().__init__()
        self._names = {}
        for name, value in tensors.items():
            safe = name.replace(".", "__")
            self._names[name] = safe
            self.register_buffer(safe, value.detach().float().clone())
        self.arch = arch
        self.lr_mapping = float(arch.get("lr_mapping", _LR_MAPPING))

    def t(self, name: str) -> torch.Tensor:
        return getattr(self, self._names[name])

    def has(self, name: str) -> bool:
        return name in self._names

    def _fc(self, x: torch.Tensor, prefix: str, lr: float, act: bool) -> torch.Tensor:
        weight = self.t(f"{prefix}.weight")
        x = x @ (weight * (lr / math.sqrt(weight.shape[1]))).t()
        if self.has(f"{prefix}.bias"):
            x = x + self.t(f"{prefix}.bias") * lr
        return F.leaky_relu(x, 0.2) * math.sqrt(2) if act else x

    def mapping(self, z: torch.Tensor, c: torch.Tensor | None) -> torch.Tensor:
        x = z * torch.rsqrt(z.pow(2).mean(dim=1, keepdim=True) + 1e-8)
        if self.arch["c_dim"]:
            if c is None:
                raise ValueError("a conditional StyleGAN2-ADA generator needs a class label")
            y = self._fc(c, "mapping.embed", 1.0, act=False)
            x = torch.cat([x, y * torch.rsqrt(y.pow(2).mean(dim=1, keepdim=True) + 1e-8)], dim=1)
        for i in range(self.arch["n_mapping"]):
            x = self._fc(x, f"mapping.fc{i}", self.lr_mapping, act=True)
        psi = self.arch.get("truncation_psi", 1.0)
        if psi != 1:
            w_avg = self.t("mapping.w_avg")
            x = w_avg + psi * (x - w_avg)
        return x

    def _layer(self, x: torch.Tensor, w: torch.Tensor, p: str, up: bool) -> torch.Tensor:
        weight = self.t(f"{p}.weight")  # (O, I, k, k)
        b, cin = x.shape[:2]
        cout, k = weight.shape[0], weight.shape[-1]
        styles = self._fc(w, f"{p}.affine", 1.0, act=False)  # (B, I)
        wm = weight[None] * styles[:, None, :, None, None]
        wm = wm * torch.rsqrt(wm.pow(2).sum(dim=(2, 3, 4)) + 1e-8)[:, :, None, None, None]
        x = x.reshape(1, b * cin, *x.shape[2:])
        if up:
            wt = wm.transpose(1, 2).reshape(b * cin, cout, k, k)
            x = F.conv_transpose2d(x, wt, stride=2, groups=b)
            x = x.reshape(b, cout, *x.shape[2:])
            x = _fir(x, self.t(f"{p}.resample_filter") * 4 if self.has(f"{p}.resample_filter") else _default_filter(x), 1, (1, 1))
        else:
            x = F.conv2d(x, wm.reshape(b * cout, cin, k, k), padding=k // 2, groups=b)
            x = x.reshape(b, cout, *x.shape[2:])
        x = x + self.t(f"{p}.noise_const") * self.t(f"{p}.noise_strength")
        x = F.leaky_relu(x + self.t(f"{p}.bias").view(1, -1, 1, 1), 0.2) * math.sqrt(2)
        clamp = self.arch["clamps"].get(p)
        return x.clamp(-clamp, clamp) if clamp is not None else x

    def _torgb(self, x: torch.Tensor, w: torch.Tensor, p: str) -> torch.Tensor:
        weight = self.t(f"{p}.weight")
        b, cin = x.shape[:2]
        cout, k = weight.shape[0], weight.shape[-1]
        styles = self._fc(w, f"{p}.affine", 1.0, act=False) / math.sqrt(cin * k * k)
        wm = (weight[None] * styles[:, None, :, None, None]).reshape(b * cout, cin, k, k)
        x = F.conv2d(x.reshape(1, b * cin, *x.shape[2:]), wm, padding=k // 2, groups=b).reshape(b, cout, *x.shape[2:])
        x = x + self.t(f"{p}.bias").view(1, -1, 1, 1)
        clamp = self.arch["clamps"].get(p)
        return x.clamp(-clamp, clamp) if clamp is not None else x

    def forward(self, z: torch.Tensor, c: torch.Tensor | None = None) -> torch.Tensor:
        w = self.mapping(z.flatten(1), c)
        img: torch.Tensor | None = None
        x = self.t("synthesis.b4.const")[None].expand(z.shape[0], -1, -1, -1)
        for name in self.arch["blocks"]:
            p = f"synthesis.{name}"
            if name != "b4":
                x = self._layer(x, w, f"{p}.conv0", up=True)
            x = self._layer(x, w, f"{p}.conv1", up=False)
            y = self._torgb(x, w, f"{p}.torgb")
            if img is not None:
                f = self.t(f"{p}.resample_filter") * 4 if self.has(f"{p}.resample_filter") else _default_filter(img)
                img = _fir(img, f, 2, (2, 1)) + y
            else:
                img = y
        assert img is not None
        return img


def _default_filter(like: torch.Tensor) -> torch.Tensor:
    k = torch.tensor([1.0, 3.0, 3.0, 1.0], dtype=like.dtype, device=like.device)
    k2 = k[None, :] * k[:, None]
    return k2 / k2.sum() * 4
