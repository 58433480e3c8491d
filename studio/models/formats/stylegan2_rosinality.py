"""``stylegan2-rosinality``: a rosinality/stylegan2-pytorch training checkpoint (``checkpoint/NNNNNN.pt``).

The file is ``{"g", "d", "g_ema", "g_optim", "d_optim", "args", "ada_aug_p"}`` (``args`` an
argparse.Namespace, which the reader allows as plain data; weights converted from NVIDIA's are
``{"g_ema", "latent_avg"}``). The EMA generator ``g_ema`` paints (``g`` when there is none).
Everything the network needs is read from the weights' shapes — latent size and mapping depth from
``style.N``, width per resolution from the convolutions, the size from the number of ``to_rgbs``
(4 px · 2^n) — and checked against ``args`` when it is there.

The generator is our own implementation of the StyleGAN2 synthesis the checkpoint was trained with:
an 8-layer equalised mapping network (learning-rate multiplier 0.01, leaky ReLU ×√2), a learned
4×4 constant, modulated/demodulated 3×3 convolutions (transposed and [1,3,3,1]-blurred to upsample),
per-layer noise scaled by a learned weight, and 1×1 ToRGB layers whose outputs are summed through
upsampled skips. Noise inputs are the checkpoint's own stored noise maps (``noises.noise_N``), so a
seed always paints the same image; truncation is ψ = 1 (none), as in its generate.py by default.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from studio.errors import CheckpointError
from studio.models.formats.base import LoadedModel, ModelSpec, card_beside
from studio.models.formats.torchfile import is_torch_file, read_torch_file, torch_state

FORMAT = "stylegan2-rosinality"
SQRT2 = math.sqrt(2)
LR_MLP = 0.01  # the mapping network's learning-rate multiplier: not stored, the trainer's only value
MAX_LOG_SIZE = 10  # 1024 px


def inspect(path: Path, size: int | None = None) -> ModelSpec | None:
    if not is_torch_file(path):
        return None
    state = torch_state(path)
    found = _generator_state(state)
    if found is None:
        return None
    sd, source = found
    shape = _shape(path, sd)
    args = state.get("args")
    if isinstance(args, argparse.Namespace):
        for name, value in (("size", shape["size"]), ("latent", shape["style_dim"]), ("n_mlp", shape["n_mlp"])):
            stored = getattr(args, name, None)
            if stored is not None and stored != value:
                raise CheckpointError(path, f"rosinality StyleGAN2 checkpoint: args.{name} is {stored!r} but its weights say {value}")
    return ModelSpec(
        path=path,
        format=FORMAT,
        kind="gan",
        name=path.stem,
        styles={},
        resolution=shape["size"],
        channels=3,
        weights_files=[path],
        card=card_beside(path),
        extra={**shape, "source": source, "step": _step_of(path)},
    )


def load(spec: ModelSpec) -> LoadedModel:
    found = _generator_state(read_torch_file(spec.path))
    if found is None:
        raise CheckpointError(spec.path, "rosinality StyleGAN2 generator weights are gone from the file")
    sd, _ = found
    extra = spec.extra
    net = StyleGAN2Generator(extra["style_dim"], extra["n_mlp"], extra["widths"], extra["kernel"])
    net.load_state_dict(sd, strict=True)

    def forward(z: torch.Tensor, _t: Any, _labels: torch.Tensor | None) -> torch.Tensor:
        return net(z)

    return LoadedModel(spec, net, torch.device("cpu"), torch.float32, (extra["style_dim"],), None, None, forward)


# ---------------------------------------------------------------------------- reading the layout


def _generator_state(state: Any) -> tuple[dict[str, torch.Tensor], str] | None:
    if not isinstance(state, dict):
        return None
    for key in ("g_ema", "g"):
        sd = state.get(key)
        if isinstance(sd, dict) and "input.input" in sd and "style.1.weight" in sd:
            return sd, key
    return None


def _step_of(path: Path) -> int | None:
    return int(path.stem) if path.stem.isdigit() else None


def _tensor(path: Path, sd: dict[str, Any], key: str, dims: int) -> torch.Tensor:
    value = sd.get(key)
    if not isinstance(value, torch.Tensor):
        raise CheckpointError(path, f"rosinality StyleGAN2 checkpoint: missing weight {key!r}")
    if value.dim() != dims:
        raise CheckpointError(path, f"rosinality StyleGAN2 checkpoint: {key!r} has {value.dim()} dimensions, not {dims}")
    return value


def _shape(path: Path, sd: dict[str, Any]) -> dict[str, Any]:
    """Latent size, mapping depth, widths per resolution and size, read from the weights; every key checked."""
    n_mlp = 0
    while f"style.{n_mlp + 1}.weight" in sd:
        n_mlp += 1
    style_dim = _tensor(path, sd, "style.1.weight", 2).shape[1]
    n_up = 0
    while f"to_rgbs.{n_up}.conv.weight" in sd:
        n_up += 1
    if n_up + 2 > MAX_LOG_SIZE:
        raise CheckpointError(path, f"rosinality StyleGAN2 checkpoint: {4 * 2 ** n_up} px is larger than the 1024 px it supports")
    widths = [_tensor(path, sd, "input.input", 4).shape[1]]
    widths += [_tensor(path, sd, f"convs.{2 * i}.conv.weight", 5).shape[1] for i in range(n_up)]
    kernel = _tensor(path, sd, "conv1.conv.weight", 5).shape[-1]
    expected = StyleGAN2Generator(1, n_mlp, [1] * len(widths), 1, shapes_only=True).state_keys()
    missing = [k for k in expected if k not in sd]
    unexpected = [k for k in sd if k not in expected]
    if missing or unexpected:
        what = f"missing {missing[0]!r}" if missing else f"unexpected key {str(unexpected[0])[:60]!r}"
        raise CheckpointError(path, f"rosinality StyleGAN2 checkpoint: {what}")
    return {"style_dim": int(style_dim), "n_mlp": n_mlp, "widths": [int(w) for w in widths], "kernel": int(kernel),
            "size": 4 * 2**n_up}


# ---------------------------------------------------------------------------- the network


def _fir(x: torch.Tensor, kernel: torch.Tensor, up: int, pad: tuple[int, int]) -> torch.Tensor:
    """Upsample by ``up`` with zeros, pad, and convolve each channel with ``kernel`` (a separable FIR filter)."""
    b, c, h, w = x.shape
    if up > 1:
        spread = x.new_zeros(b, c, h * up, w * up)
        spread[:, :, ::up, ::up] = x
        x = spread
    x = F.pad(x, [pad[0], pad[1], pad[0], pad[1]])
    weight = kernel.flip(0, 1).to(x.dtype).expand(c, 1, *kernel.shape)
    return F.conv2d(x, weight, groups=c)


def _act(x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """Leaky ReLU (0.2) after a per-channel bias, scaled by √2 to keep the signal's magnitude."""
    return F.leaky_relu(x + bias.view(1, -1, *([1] * (x.dim() - 2))), 0.2) * SQRT2


class _PixelNorm(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + 1e-8)


class _EqualLinear(nn.Module):
    """A linear layer whose weights are scaled at run time (equalised learning rate)."""

    def __init__(self, dim_in: int, dim_out: int, lr_mul: float = 1.0, activate: bool = False) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(dim_out, dim_in))
        self.bias = nn.Parameter(torch.zeros(dim_out))
        self.scale, self.lr_mul, self.activate = lr_mul / math.sqrt(dim_in), lr_mul, activate

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.activate:
            return _act(F.linear(x, self.weight * self.scale), self.bias * self.lr_mul)
        return F.linear(x, self.weight * self.scale, self.bias * self.lr_mul)


class _ModConv(nn.Module):
    """A convolution whose input channels are scaled by a style, then (optionally) normalised per output channel."""

    def __init__(self, cin: int, cout: int, k: int, style_dim: int, demodulate: bool = True, up: bool = False) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1, cout, cin, k, k))
        self.modulation = _EqualLinear(style_dim, cin)
        self.scale, self.demodulate, self.up, self.k = 1 / math.sqrt(cin * k * k), demodulate, up, k
        if up:
            self.blur = nn.Module()
            self.blur.register_buffer("kernel", torch.zeros(4, 4))

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        b, cin, h, wd = x.shape
        style = self.modulation(w).view(b, 1, cin, 1, 1)
        weight = self.scale * self.weight * style  # (b, cout, cin, k, k): one kernel per image
        if self.demodulate:
            weight = weight * torch.rsqrt(weight.pow(2).sum(dim=(2, 3, 4)) + 1e-8)[:, :, None, None, None]
        cout = weight.shape[1]
        x = x.reshape(1, b * cin, h, wd)
        if self.up:
            weight = weight.transpose(1, 2).reshape(b * cin, cout, self.k, self.k)
            out = F.conv_transpose2d(x, weight, stride=2, groups=b)
            out = out.view(b, cout, *out.shape[2:])
            pad = (len(self.blur.kernel) - 2) - (self.k - 1)
            return _fir(out, self.blur.kernel, 1, ((pad + 1) // 2 + 1, pad // 2 + 1))
        out = F.conv2d(x, weight.reshape(b * cout, cin, self.k, self.k), padding=self.k // 2, groups=b)
        return out.view(b, cout, *out.shape[2:])


class _StyledConv(nn.Module):
    def __init__(self, cin: int, cout: int, k: int, style_dim: int, up: bool = False) -> None:
        super().__init__()
        self.conv = _ModConv(cin, cout, k, style_dim, up=up)
        self.noise = nn.Module()
        self.noise.weight = nn.Parameter(torch.zeros(1))
        self.activate = nn.Module()
        self.activate.bias = nn.Parameter(torch.zeros(cout))

    def forward(self, x: torch.Tensor, w: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        out = self.conv(x, w)
        return _act(out + self.noise.weight * noise, self.activate.bias)


class _ToRGB(nn.Module):
    def __init__(self, cin: int, style_dim: int, up: bool) -> None:
        super().__init__()
        self.conv = _ModConv(cin, 3, 1, style_dim, demodulate=False)
        self.bias = nn.Parameter(torch.zeros(1, 3, 1, 1))
        if up:
            self.upsample = nn.Module()
            self.upsample.register_buffer("kernel", torch.zeros(4, 4))

    def forward(self, x: torch.Tensor, w: torch.Tensor, skip: torch.Tensor | None) -> torch.Tensor:
        out = self.conv(x, w) + self.bias
        if skip is None:
            return out
        pad = len(self.upsample.kernel) - 2
        return out + _fir(skip, self.upsample.kernel, 2, ((pad + 1) // 2 + 1, pad // 2))


class StyleGAN2Generator(nn.Module):
    """The StyleGAN2 generator of a rosinality checkpoint; ``widths[i]`` is the width at 4·2^i px."""

    def __init__(self, style_dim: int, n_mlp: int, widths: list[int], kernel: int = 3, shapes_only: bool = False) -> None:
        super().__init__()
        self.style = nn.Sequential(_PixelNorm(), *[_EqualLinear(style_dim, style_dim, LR_MLP, activate=True) for _ in range(n_mlp)])
        self.input = nn.Module()
        self.input.input = nn.Parameter(torch.zeros(1, widths[0], 4, 4))
        self.conv1 = _StyledConv(widths[0], widths[0], kernel, style_dim)
        self.to_rgb1 = _ToRGB(widths[0], style_dim, up=False)
        self.convs, self.to_rgbs = nn.ModuleList(), nn.ModuleList()
        self.noises = nn.Module()
        self.noises.register_buffer("noise_0", torch.zeros(1, 1, 4, 4))
        for i, (cin, cout) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
            self.convs.append(_StyledConv(cin, cout, kernel, style_dim, up=True))
            self.convs.append(_StyledConv(cout, cout, kernel, style_dim))
            self.to_rgbs.append(_ToRGB(cout, style_dim, up=True))
            res = 4 * 2 ** (i + 1)
            self.noises.register_buffer(f"noise_{2 * i + 1}", torch.zeros(1, 1, res, res))
            self.noises.register_buffer(f"noise_{2 * i + 2}", torch.zeros(1, 1, res, res))

    def state_keys(self) -> list[str]:
        return list(self.state_dict().keys())

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        w = self.style(z.flatten(1))
        noise = [getattr(self.noises, f"noise_{i}") for i in range(1 + 2 * len(self.to_rgbs))]
        out = self.input.input.expand(z.shape[0], -1, -1, -1)
        out = self.conv1(out, w, noise[0])
        image = self.to_rgb1(out, w, None)
        for i, to_rgb in enumerate(self.to_rgbs):
            out = self.convs[2 * i](out, w, noise[2 * i + 1])
            out = self.convs[2 * i + 1](out, w, noise[2 * i + 2])
            image = to_rgb(out, w, image)
        return image
