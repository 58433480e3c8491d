"""``lucidrains-2021``: a denoising-diffusion-pytorch Trainer checkpoint of its 2020–2021 releases (``results/model-N.pt``).

Those releases save ``{"step", "model", "ema"}`` (``"scaler"`` beside them from 0.9, April 2022) with
the GaussianDiffusion's state under ``model`` and its EMA copy under ``ema``: the Unet under
``denoise_fn.*`` (today's layout, read by :mod:`lucidrains`, says ``model.*``), the schedule as the
``betas`` buffer. EMA weights are preferred.

The Unet of those releases is implemented here (the package's own Unet is today's, another
network): per level two residual blocks (3×3 conv, GroupNorm(8), Mish; the time embedding added
after the first), linear attention over the whole image (4 heads of 32, keys softmaxed, queries
not), a strided 3×3 conv down and a 4×4 transposed conv up, skips joined by concatenation. Its three
2020–21 variants are told apart by their keys: ReZero attention with ``mlp.*`` time layers (to June
2021), instance-norm pre-norm (June–August 2021), layer-norm pre-norm (August 2021 – January 2022).
Files of 2022 with ``denoise_fn.*`` keys (ConvNeXt blocks, then scale-shift residual blocks) are
refused by name. The network predicts noise; the image size is not stored: ``--size``, a sidecar
``model-N.json`` ``{"image_size": N}``, else 64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from studio.errors import CheckpointError
from studio.models.formats.base import LoadedModel, ModelSpec, card_beside
from studio.models.formats.lucidrains import image_size, scheduler_config
from studio.models.formats.torchfile import is_torch_file, read_torch_file, torch_state

FORMAT = "lucidrains-2021"
PREFIX = "denoise_fn."
GROUPS = 8  # GroupNorm groups of its blocks: not stored, the only value those releases used
DIM_HEAD = 32  # linear attention head width (heads = inner width / 32)
NORMS = ("rezero", "instance", "layer")


@dataclass(frozen=True)
class Details:
    """The 2020–21 Unet a checkpoint holds, read from its shapes."""

    channels: int
    dims: tuple[int, ...]  # width of each level
    time_dim: int  # 0: no time embedding (with_time_emb=False)
    time_keys: str  # "mlp" (to June 2021) | "time_mlp"
    norm: str  # attention pre-norm: one of NORMS
    attn_inner: int
    ema: bool
    step: int | None
    scheduler_config: dict[str, Any]


def inspect(path: Path, size: int | None = None) -> ModelSpec | None:
    if not is_torch_file(path):
        return None
    state = torch_state(path)
    if not (isinstance(state, dict) and isinstance(state.get("model"), dict)
            and any(isinstance(k, str) and k.startswith(PREFIX) for k in state["model"])):
        return None
    diffusion, from_ema = _diffusion_state(state)
    unet = {k[len(PREFIX):]: v for k, v in diffusion.items() if k.startswith(PREFIX)}
    _check_era(path, unet)
    betas = diffusion.get("betas")
    if not isinstance(betas, torch.Tensor) or betas.dim() != 1:
        raise _refused(path, "no 'betas' buffer: cannot recover the noise schedule")
    details = _read_shapes(path, unet, from_ema, state.get("step"), scheduler_config(betas, "epsilon"))
    _check_keys(path, unet, details)
    resolution = image_size(path, size)
    multiple = 2 ** (len(details.dims) - 1)
    if resolution % multiple:
        raise _refused(path, f"{resolution} px is not a multiple of {multiple}, which its {len(details.dims)} levels need")
    return ModelSpec(
        path=path,
        format=FORMAT,
        kind="diffusion",
        name=path.stem,
        styles={},
        resolution=resolution,
        channels=details.channels,
        weights_files=[path],
        card=card_beside(path),
        details=details,
    )


def load(spec: ModelSpec) -> LoadedModel:
    details = spec.details
    assert isinstance(details, Details)
    diffusion, _ = _diffusion_state(read_torch_file(spec.path))
    net = Unet2021(details)
    net.load_state_dict({k[len(PREFIX):]: v for k, v in diffusion.items() if k.startswith(PREFIX)}, strict=True)

    def forward(x: torch.Tensor, t: Any, _labels: torch.Tensor | None) -> torch.Tensor:
        return net(x, torch.as_tensor(t, device=x.device).long().reshape(-1).expand(x.shape[0]))

    return LoadedModel(
        spec, net, torch.device("cpu"), torch.float32, (details.channels, spec.resolution, spec.resolution),
        "DDPMScheduler", details.scheduler_config, forward, size_multiple=2 ** (len(details.dims) - 1),
    )


# ---------------------------------------------------------------------------- reading the layout


def _refused(path: Path, what: str) -> CheckpointError:
    return CheckpointError(path, f"denoising-diffusion-pytorch 2020-21 checkpoint: {what}")


def _diffusion_state(state: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The GaussianDiffusion state dict, preferring the EMA copy."""
    ema = state.get("ema")
    if isinstance(ema, dict) and any(isinstance(k, str) and k.startswith(PREFIX) for k in ema):
        return ema, True
    return state["model"], False


def _shape(path: Path, sd: dict[str, Any], key: str, dims: int) -> tuple[int, ...]:
    value = sd.get(key)
    if not isinstance(value, torch.Tensor):
        raise _refused(path, f"missing Unet weight {key!r}")
    if value.dim() != dims:
        raise _refused(path, f"{key!r} has {value.dim()} dimensions, not {dims}")
    return tuple(value.shape)


def _check_era(path: Path, sd: dict[str, Any]) -> None:
    """2022's releases kept ``denoise_fn.*`` but changed the Unet: refused by name."""
    if "downs.0.0.block1.block.0.weight" in sd:
        return
    blocks = "ConvNeXt" if "downs.0.0.ds_conv.weight" in sd else "scale-shift residual" if "downs.0.0.block1.proj.weight" in sd else "unknown"
    raise CheckpointError(
        path, f"a denoising-diffusion-pytorch checkpoint of 2022 ({blocks} blocks under denoise_fn.*): not supported "
              "(Ink Studio reads the 2020-21 layout and today's)")


def _read_shapes(path: Path, sd: dict[str, Any], ema: bool, step: Any, sched: dict[str, Any]) -> Details:
    levels = 0
    while f"downs.{levels}.0.block1.block.0.weight" in sd:
        levels += 1
    channels = _shape(path, sd, "downs.0.0.block1.block.0.weight", 4)[1]
    dims = tuple(_shape(path, sd, f"downs.{i}.0.block1.block.0.weight", 4)[0] for i in range(levels))
    out = _shape(path, sd, "final_conv.1.weight", 4)[0]
    if out != channels:
        raise _refused(path, f"the Unet returns {out} channels for an input of {channels}")
    if "time_mlp.1.weight" in sd:
        time_dim, time_keys = _shape(path, sd, "time_mlp.1.weight", 2)[1], "time_mlp"
    elif "mlp.0.weight" in sd:
        time_dim, time_keys = _shape(path, sd, "mlp.0.weight", 2)[1], "mlp"
    else:
        time_dim, time_keys = 0, "time_mlp"
    if time_dim % 2:
        raise _refused(path, f"odd time embedding width {time_dim}")
    if "downs.0.2.fn.g" in sd:
        norm = "rezero"
    elif "downs.0.2.fn.norm.g" in sd:
        norm = "layer"
    else:
        norm = "instance"
    inner = _shape(path, sd, "downs.0.2.fn.fn.to_qkv.weight", 4)[0] // 3
    if inner % DIM_HEAD:
        raise _refused(path, f"linear attention width {inner} is not heads × {DIM_HEAD}")
    return Details(int(channels), tuple(int(d) for d in dims), int(time_dim), time_keys, norm, int(inner), ema,
                   step if isinstance(step, int) else None, sched)


def _check_keys(path: Path, sd: dict[str, Any], details: Details) -> None:
    """Every key and shape of the file must be the network's (built on the meta device)."""
    with torch.device("meta"):
        expected = Unet2021(details).state_dict()
    for key, value in expected.items():
        got = sd.get(key)
        if not isinstance(got, torch.Tensor):
            raise _refused(path, f"missing Unet weight {key!r}")
        if tuple(got.shape) != tuple(value.shape):
            raise _refused(path, f"{key!r} is {tuple(got.shape)}, the network needs {tuple(value.shape)}")
    extra = [k for k in sd if k not in expected]
    if extra:
        raise _refused(path, f"unexpected Unet key {str(extra[0])[:60]!r}")


# ---------------------------------------------------------------------------- the network


def _numbered(*parts: nn.Module | None) -> nn.Module:
    """A container whose children are named 0, 1, 2 … (the trainer's Sequential/ModuleList key layout)."""
    box = nn.Module()
    for i, part in enumerate(parts):
        box.add_module(str(i), part)
    return box


def _child(module: nn.Module, i: int) -> Any:
    return getattr(module, str(i))


class _Block(nn.Module):
    def __init__(self, cin: int, cout: int) -> None:
        super().__init__()
        self.block = _numbered(nn.Conv2d(cin, cout, 3, padding=1), nn.GroupNorm(GROUPS, cout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.mish(_child(self.block, 1)(_child(self.block, 0)(x)))


class _ResBlock(nn.Module):
    def __init__(self, cin: int, cout: int, time_dim: int) -> None:
        super().__init__()
        self.mlp = _numbered(None, nn.Linear(time_dim, cout)) if time_dim else None
        self.block1, self.block2 = _Block(cin, cout), _Block(cout, cout)
        self.res_conv = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x: torch.Tensor, t: torch.Tensor | None) -> torch.Tensor:
        h = self.block1(x)
        if self.mlp is not None and t is not None:
            h = h + _child(self.mlp, 1)(F.mish(t))[:, :, None, None]
        return self.block2(h) + (self.res_conv(x) if self.res_conv is not None else x)


class _LayerNorm(nn.Module):
    def __init__(self, dim: int) -> None:
        super().__init__()
        self.g = nn.Parameter(torch.ones(1, dim, 1, 1))
        self.b = nn.Parameter(torch.zeros(1, dim, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        var, mean = torch.var_mean(x, dim=1, unbiased=False, keepdim=True)
        return (x - mean) / (var.sqrt() + 1e-5) * self.g + self.b  # eps added to the deviation, as trained


class _LinearAttention(nn.Module):
    def __init__(self, dim: int, inner: int) -> None:
        super().__init__()
        self.heads = inner // DIM_HEAD
        self.to_qkv = nn.Conv2d(dim, inner * 3, 1, bias=False)
        self.to_out = nn.Conv2d(inner, dim, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, _, h, w = x.shape
        q, k, v = self.to_qkv(x).reshape(b, 3, self.heads, DIM_HEAD, h * w).unbind(1)
        context = k.softmax(dim=-1) @ v.transpose(-1, -2)  # (b, heads, d, e): keys pooled over the image
        out = context.transpose(-1, -2) @ q  # (b, heads, e, n)
        return self.to_out(out.reshape(b, -1, h, w))


class _Attention(nn.Module):
    """x + attention(norm(x)), or with ReZero x + attention(x)·g."""

    def __init__(self, dim: int, inner: int, norm: str) -> None:
        super().__init__()
        self.fn = nn.Module()
        self.fn.fn = _LinearAttention(dim, inner)
        self.kind = norm
        if norm == "rezero":
            self.fn.g = nn.Parameter(torch.zeros(1))
        elif norm == "layer":
            self.fn.norm = _LayerNorm(dim)
        else:
            self.fn.norm = nn.InstanceNorm2d(dim, affine=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.kind == "rezero":
            return x + self.fn.fn(x) * self.fn.g
        return x + self.fn.fn(self.fn.norm(x))


class _Resample(nn.Module):
    """Downsample / Upsample: their convolution held as ``.conv`` (keys ``downs.N.3.conv.weight``)."""

    def __init__(self, conv: nn.Module) -> None:
        super().__init__()
        self.conv = conv

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


class Unet2021(nn.Module):
    """denoising-diffusion-pytorch's Unet of 2020–21 (noise prediction), keys as its state_dict names them."""

    def __init__(self, d: Details) -> None:
        super().__init__()
        self.time_dim = d.time_dim
        if d.time_dim and d.time_keys == "mlp":
            self.mlp = _numbered(nn.Linear(d.time_dim, d.time_dim * 4), None, nn.Linear(d.time_dim * 4, d.time_dim))
        elif d.time_dim:
            self.time_mlp = _numbered(None, nn.Linear(d.time_dim, d.time_dim * 4), None, nn.Linear(d.time_dim * 4, d.time_dim))
        widths = [d.channels, *d.dims]
        self.downs, self.ups = nn.ModuleList(), nn.ModuleList()
        for i, (cin, cout) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
            last = i == len(d.dims) - 1
            down = None if last else _Resample(nn.Conv2d(cout, cout, 3, 2, 1))
            self.downs.append(_numbered(_ResBlock(cin, cout, d.time_dim), _ResBlock(cout, cout, d.time_dim),
                                        _Attention(cout, d.attn_inner, d.norm), down))
        mid = d.dims[-1]
        self.mid_block1 = _ResBlock(mid, mid, d.time_dim)
        self.mid_attn = _Attention(mid, d.attn_inner, d.norm)
        self.mid_block2 = _ResBlock(mid, mid, d.time_dim)
        for cin, cout in reversed(list(zip(d.dims[:-1], d.dims[1:], strict=True))):
            self.ups.append(_numbered(_ResBlock(cout * 2, cin, d.time_dim), _ResBlock(cin, cin, d.time_dim),
                                      _Attention(cin, d.attn_inner, d.norm), _Resample(nn.ConvTranspose2d(cin, cin, 4, 2, 1))))
        self.final_conv = _numbered(_Block(d.dims[0], d.dims[0]), nn.Conv2d(d.dims[0], d.channels, 1))

    def _time(self, t: torch.Tensor) -> torch.Tensor | None:
        if not self.time_dim:
            return None
        half = self.time_dim // 2
        freqs = torch.exp(torch.arange(half, device=t.device) * -(math.log(10000) / (half - 1)))
        angles = t.float()[:, None] * freqs[None]
        emb = torch.cat((angles.sin(), angles.cos()), dim=-1)
        layers = self.mlp if hasattr(self, "mlp") else self.time_mlp
        first, last = (0, 2) if hasattr(self, "mlp") else (1, 3)
        return _child(layers, last)(F.mish(_child(layers, first)(emb)))

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        emb = self._time(t)
        skips = []
        for level in self.downs:
            x = _child(level, 2)(_child(level, 1)(_child(level, 0)(x, emb), emb))
            skips.append(x)
            if _child(level, 3) is not None:
                x = _child(level, 3)(x)
        x = self.mid_block2(self.mid_attn(self.mid_block1(x, emb)), emb)
        for level in self.ups:
            x = torch.cat((x, skips.pop()), dim=1)
            x = _child(level, 2)(_child(level, 1)(_child(level, 0)(x, emb), emb))
            x = _child(level, 3)(x)
        return _child(self.final_conv, 1)(_child(self.final_conv, 0)(x))
