"""``lightweight-gan``: a lucidrains/lightweight-gan (FastGAN) training checkpoint, ``models/NAME/model_N.pt``.

The trainer saves ``{"GAN": state_dict, "version", "G_scaler", "D_scaler"}`` (the whole GAN module:
generator ``G.*``, its EMA copy ``GE.*``, discriminator ``D.*`` and ``D_aug.D.*``) and writes
``models/NAME/.config.json`` (``image_size``, ``greyscale``, ``transparent``, ``attn_res_layers``,
``freq_chan_attn`` …) beside it. The EMA generator ``GE`` paints (``G`` when there is none).

Supported: the generator keys of lightweight-gan 1.0.0 and later (checked against the current
release, 1.2.1): each upsampling layer is a pixel-shuffle upsample (1×1 conv, SiLU, PixelShuffle),
a [1,2,1] blur, a 4×4 "same" convolution, a noise input, BatchNorm and GLU; 1.0.0's wider
pixel-shuffle convolution (removed in 1.1.0) is read as well. Older files (0.x: nearest-neighbour
upsampling, no pixel shuffle) are refused by name.

Everything is read from the shapes: latent size (``initial_conv``), the number of layers (hence the
size, 2^(layers+2) px), widths, linear-attention layers, skip-layer excitation (global context or,
with ``freq_chan_attn``, DCT channel attention) and 1, 3 or 4 output channels (a transparent model's
alpha is not painted). ``.config.json``, when present, must agree with them.

The generator is our own implementation. The trainer's output is in [0, 1] (its images are
``ToTensor()`` without normalisation); it is mapped to the studio's [-1, 1]. Its noise inputs draw
fresh noise at every call; here each layer's noise map is drawn once, from ``NOISE_SEED`` in layer
order, and kept (as StyleGAN's constant noise mode), so a seed always paints the same image.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from studio.errors import CheckpointError
from studio.models.formats.base import LoadedModel, ModelSpec, card_beside, read_json
from studio.models.formats.torchfile import is_torch_file, read_torch_file, torch_state

FORMAT = "lightweight-gan"
NOISE_SEED = 0
DIM_HEAD = 64  # the trainer's LinearAttention head width (heads = inner width / 64); not configurable there
MAX_SIZE = 1024
SLE_SPAN = 4  # skip-layer excitation: the layer at res r multiplies the output of the layer at res r+3 (8 → 128 px …)
_STEP = re.compile(r"^model_(\d+)$")


@dataclass(frozen=True)
class Layer:
    """One upsampling layer: width in, pixel-shuffle width, width out, and its optional parts."""

    cin: int
    mid: int
    cout: int
    attn_inner: int = 0  # linear attention's inner width (heads × 64) before this layer; 0 = none
    sle: str | None = None  # "gc" (global context) | "fca" (frequency channel attention) | None
    sle_mid: int = 0
    sle_out: int = 0


@dataclass(frozen=True)
class Details:
    """What a lightweight-gan checkpoint's generator is, read from its shapes."""

    source: str  # "GE" (the EMA generator) or "G"
    latent_dim: int
    layers: tuple[Layer, ...]
    version: str | None
    step: int | None

    @property
    def size(self) -> int:
        return 2 ** (len(self.layers) + 2)


def inspect(path: Path, size: int | None = None) -> ModelSpec | None:
    if not is_torch_file(path):
        return None
    state = torch_state(path)
    if not (isinstance(state, dict) and isinstance(state.get("GAN"), dict)):
        return None
    version = state.get("version")
    version = str(version) if version is not None else None
    sd, source = _generator_state(path, state["GAN"])
    details = Details(source, *_read_shapes(path, sd, version), version=version, step=_step_of(path))
    channels = _tensor(path, sd, "out_conv.weight", 4).shape[0]
    if channels not in (1, 3, 4):
        raise _refused(path, f"the generator paints {channels} channels, not 1, 3 or 4")
    _check_keys(path, sd, details, channels)
    _check_config(path, details, channels)
    if size is not None and size != details.size:
        raise CheckpointError(path, f"lightweight-gan checkpoint paints {details.size} px, not the {size} px asked for")
    run = path.parent.name
    return ModelSpec(
        path=path,
        format=FORMAT,
        kind="gan",
        name=f"{run} {path.stem}" if run and _STEP.match(path.stem) else path.stem,
        styles={},
        resolution=details.size,
        channels=min(channels, 3),
        weights_files=[path],
        card=card_beside(path),
        details=details,
    )


def load(spec: ModelSpec) -> LoadedModel:
    details = spec.details
    assert isinstance(details, Details)
    state = read_torch_file(spec.path)
    if not isinstance(state, dict) or not isinstance(state.get("GAN"), dict):
        raise CheckpointError(spec.path, "lightweight-gan generator weights are gone from the file")
    sd, _ = _generator_state(spec.path, state["GAN"])
    net = FastGANGenerator(details.latent_dim, details.layers, _tensor(spec.path, sd, "out_conv.weight", 4).shape[0])
    net.load_state_dict(sd, strict=True)

    def forward(z: torch.Tensor, _t: Any, _labels: torch.Tensor | None) -> torch.Tensor:
        return net(z.flatten(1)) * 2 - 1  # the trainer's [0, 1] to the studio's [-1, 1]

    return LoadedModel(spec, net, torch.device("cpu"), torch.float32, (details.latent_dim,), None, None, forward)


# ---------------------------------------------------------------------------- reading the layout


def _generator_state(path: Path, gan: dict[str, Any]) -> tuple[dict[str, Any], str]:
    for source in ("GE", "G"):
        prefix = source + "."
        sd = {k[len(prefix):]: v for k, v in gan.items() if isinstance(k, str) and k.startswith(prefix)}
        if sd:
            return sd, source
    keys = ", ".join(repr(k)[:30] for k in list(gan)[:4])
    raise _refused(path, f"no generator (no GE.* or G.* keys; it holds {keys or 'nothing'})")


def _refused(path: Path, what: str) -> CheckpointError:
    return CheckpointError(path, f"lightweight-gan checkpoint: {what}")


def _step_of(path: Path) -> int | None:
    match = _STEP.match(path.stem)
    return int(match.group(1)) if match else None


def _tensor(path: Path, sd: dict[str, Any], key: str, dims: int) -> torch.Tensor:
    value = sd.get(key)
    if not isinstance(value, torch.Tensor):
        raise _refused(path, f"missing generator weight {key!r}")
    if value.dim() != dims:
        raise _refused(path, f"{key!r} has {value.dim()} dimensions, not {dims}")
    return value


def _read_shapes(path: Path, sd: dict[str, Any], version: str | None) -> tuple[int, tuple[Layer, ...]]:
    latent_dim = _tensor(path, sd, "initial_conv.0.weight", 4).shape[0]
    count = 0
    while f"layers.{count}.0.2.1.weight" in sd:
        count += 1
    if count == 0:
        raise _refused(path, "the generator has no upsampling layers ('layers.0.0.2.1.weight')")
    if "layers.0.0.0.net.0.weight" not in sd:
        raise CheckpointError(
            path, f"a lightweight-gan checkpoint of version {version or 'before 1.0.0'}: not supported "
                  "(no pixel-shuffle upsampling; Ink Studio reads 1.0.0 and later)")
    if 2 ** (count + 2) > MAX_SIZE:
        raise _refused(path, f"{2 ** (count + 2)} px is larger than the {MAX_SIZE} px it supports")
    layers = []
    cin = latent_dim
    for i in range(count):
        up = _tensor(path, sd, f"layers.{i}.0.0.net.0.weight", 4)
        conv = _tensor(path, sd, f"layers.{i}.0.2.1.weight", 4)
        if up.shape[0] % 4 or conv.shape[0] % 2:
            shapes = f"{tuple(up.shape)}, {tuple(conv.shape)}"
            raise _refused(path, f"layer {i}'s widths {shapes} do not fit its pixel shuffle and GLU")
        attn_inner = 0
        if f"layers.{i}.2.fn.to_q.weight" in sd:
            attn_inner = _tensor(path, sd, f"layers.{i}.2.fn.to_q.weight", 4).shape[0]
            if attn_inner % DIM_HEAD:
                raise _refused(path, f"layer {i}'s attention width {attn_inner} is not heads × {DIM_HEAD}")
        sle, sle_mid, sle_out = None, 0, 0
        if f"layers.{i}.1.net.0.weight" in sd:
            sle = "fca" if f"layers.{i}.1.dct_weights" in sd else "gc"
            sle_mid = _tensor(path, sd, f"layers.{i}.1.net.0.weight", 4).shape[0]
            sle_out = _tensor(path, sd, f"layers.{i}.1.net.2.weight", 4).shape[0]
        mid, cout = int(up.shape[0] // 4), int(conv.shape[0] // 2)
        layers.append(Layer(int(cin), mid, cout, int(attn_inner), sle, int(sle_mid), int(sle_out)))
        cin = conv.shape[0] // 2
    for i, layer in enumerate(layers):
        target = i + SLE_SPAN - 1
        if layer.sle and (target >= len(layers) or layers[target].cout != layer.sle_out):
            raise _refused(path, f"layer {i}'s skip-layer excitation ({layer.sle_out} channels) gates no later layer")
    return int(latent_dim), tuple(layers)


def _check_keys(path: Path, sd: dict[str, Any], details: Details, channels: int) -> None:
    """Every key and shape of the file must be the network's (built on the meta device, no memory)."""
    with torch.device("meta"):
        expected = FastGANGenerator(details.latent_dim, details.layers, channels).state_dict()
    for key, value in expected.items():
        got = sd.get(key)
        if not isinstance(got, torch.Tensor):
            raise _refused(path, f"missing generator weight {key!r}")
        if tuple(got.shape) != tuple(value.shape):
            need = tuple(value.shape)
            raise _refused(path, f"{key!r} is {tuple(got.shape)}, the network needs {need}")
    extra = [k for k in sd if k not in expected]
    if extra:
        raise _refused(path, f"unexpected generator key {str(extra[0])[:60]!r}")


def _check_config(path: Path, details: Details, channels: int) -> None:
    """The trainer's ``.config.json`` beside the checkpoint, when there is one, must describe these weights."""
    config_path = path.parent / ".config.json"
    if not config_path.is_file():
        return
    config = read_json(config_path)
    image_size = config.get("image_size")
    if image_size is not None and image_size != details.size:
        said = f"image_size is {image_size!r}"
        raise CheckpointError(config_path, f"lightweight-gan config: {said} but the weights paint {details.size} px")
    wanted = 4 if config.get("transparent") else 1 if config.get("greyscale") else 3
    if "transparent" in config or "greyscale" in config:
        if wanted != channels:
            raise CheckpointError(config_path, f"lightweight-gan config says {wanted} channels but the weights paint {channels}")
    attn = config.get("attn_res_layers")
    if isinstance(attn, list):
        found = sorted(2 ** (i + 2) for i, layer in enumerate(details.layers) if layer.attn_inner)
        said = sorted(a for a in attn if isinstance(a, int) and a < details.size)
        if found != said:
            said = f"attn_res_layers {attn}"[:80]
            raise CheckpointError(config_path, f"lightweight-gan config: {said} but the weights have attention at {found}")


# ---------------------------------------------------------------------------- the network


def _numbered(*parts: nn.Module | None) -> nn.Module:
    """A container whose children are named 0, 1, 2 … (the trainer's Sequential/ModuleList key layout)."""
    box = nn.Module()
    for i, part in enumerate(parts):
        box.add_module(str(i), part)
    return box


def _glu(x: torch.Tensor) -> torch.Tensor:
    a, b = x.chunk(2, dim=1)
    return a * torch.sigmoid(b)


class _PixelShuffleUp(nn.Module):
    def __init__(self, cin: int, cout: int) -> None:
        super().__init__()
        self.net = _numbered(nn.Conv2d(cin, cout * 4, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.pixel_shuffle(F.silu(getattr(self.net, "0")(x)), 2)


class _Blur(nn.Module):
    """[1,2,1]⊗[1,2,1]/16 per channel, borders reflected (kornia's filter2d, as the trainer blurs)."""

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("f", torch.tensor([1.0, 2.0, 1.0]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        k = self.f[:, None] * self.f[None, :]
        k = (k / k.sum()).to(x.dtype)
        c = x.shape[1]
        return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="reflect"), k.expand(c, 1, 3, 3), groups=c)


class _Noise(nn.Module):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))
        self.register_buffer("fixed", torch.zeros(1, 1, size, size), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.weight * self.fixed.to(x.dtype)


class _ChanNorm(nn.Module):
    def __init__(self, dim: int) -> None:
        super().__init__()
        self.g = nn.Parameter(torch.ones(1, dim, 1, 1))
        self.b = nn.Parameter(torch.zeros(1, dim, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        var, mean = torch.var_mean(x, dim=1, unbiased=False, keepdim=True)
        return (x - mean) / (var + 1e-5).sqrt() * self.g + self.b


class _LinearAttention(nn.Module):
    """Two attentions side by side: a global linear one and a 3×3-window softmax one; their outputs concatenated."""

    def __init__(self, dim: int, inner: int) -> None:
        super().__init__()
        self.heads = inner // DIM_HEAD
        self.to_lin_q = nn.Conv2d(dim, inner, 1, bias=False)
        self.to_lin_kv = nn.Module()
        depthwise = nn.Conv2d(dim, dim, 3, padding=1, groups=dim, bias=False)
        self.to_lin_kv.net = _numbered(depthwise, nn.Conv2d(dim, inner * 2, 1, bias=False))
        self.to_q = nn.Conv2d(dim, inner, 1, bias=False)
        self.to_kv = nn.Conv2d(dim, inner * 2, 1, bias=False)
        self.to_out = nn.Conv2d(inner * 2, dim, 1)

    def _per_head(self, t: torch.Tensor) -> torch.Tensor:
        """(b, heads·d, h, w) → (b·heads, h·w, d)."""
        b, _, h, w = t.shape
        return t.reshape(b * self.heads, DIM_HEAD, h * w).transpose(1, 2)

    def _merge(self, t: torch.Tensor, b: int, h: int, w: int) -> torch.Tensor:
        """(b·heads, h·w, d) → (b, heads·d, h, w)."""
        return t.transpose(1, 2).reshape(b, self.heads * DIM_HEAD, h, w)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, _, h, w = x.shape
        scale = DIM_HEAD**-0.5
        kv_net = self.to_lin_kv.net
        lk, lv = getattr(kv_net, "1")(getattr(kv_net, "0")(x)).chunk(2, dim=1)
        q = self._per_head(self.to_lin_q(x)).softmax(dim=-1) * scale
        k, v = self._per_head(lk).softmax(dim=-2), self._per_head(lv)
        linear = self._merge(q @ (k.transpose(1, 2) @ v), b, h, w)

        fq = self.to_q(x).reshape(b * self.heads, DIM_HEAD, h * w).transpose(1, 2) * scale  # (bh, n, d)
        fk, fv = self.to_kv(x).chunk(2, dim=1)
        # each position's 3×3 window of keys and values (zeros outside the map): (bh, n, 9, d)
        windows = [F.unfold(t.reshape(b * self.heads, DIM_HEAD, h, w), 3, padding=1)
                   .reshape(b * self.heads, DIM_HEAD, 9, h * w).permute(0, 3, 2, 1) for t in (fk, fv)]
        sim = (windows[0] @ fq[..., None]).squeeze(-1)  # (bh, n, 9)
        attn = (sim - sim.amax(dim=-1, keepdim=True)).softmax(dim=-1)
        local = self._merge((attn[:, :, None, :] @ windows[1]).squeeze(2), b, h, w)
        return self.to_out(torch.cat((F.gelu(linear), local), dim=1))


class _PreNormAttention(nn.Module):
    def __init__(self, dim: int, inner: int) -> None:
        super().__init__()
        self.norm = _ChanNorm(dim)
        self.fn = _LinearAttention(dim, inner)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fn(self.norm(x))


class _Excitation(nn.Module):
    """Skip-layer excitation: a per-channel gate (B, C, 1, 1) from a pooled summary of an early layer."""

    def __init__(self, kind: str, cin: int, mid: int, cout: int, width: int) -> None:
        super().__init__()
        self.kind = kind
        if kind == "gc":
            self.to_k = nn.Conv2d(cin, 1, 1)
        else:
            self.register_buffer("dct_weights", torch.zeros(1, cin, width, width))
        self.net = _numbered(nn.Conv2d(cin, mid, 1), None, nn.Conv2d(mid, cout, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.kind == "gc":
            weights = self.to_k(x).flatten(2).softmax(dim=-1)  # (b, 1, n): attention pooling
            pooled = (x.flatten(2) * weights).sum(dim=-1)[..., None, None]
        else:
            pooled = (x * self.dct_weights).sum(dim=(2, 3), keepdim=True)  # DCT-weighted sums
        hidden = F.leaky_relu(getattr(self.net, "0")(pooled), 0.1)
        return torch.sigmoid(getattr(self.net, "2")(hidden))


class FastGANGenerator(nn.Module):
    """lightweight-gan's generator: z → 4×4 → one doubling per layer → image in [0, 1] (as trained)."""

    def __init__(self, latent_dim: int, layers: tuple[Layer, ...], channels: int) -> None:
        super().__init__()
        self.initial_conv = _numbered(nn.ConvTranspose2d(latent_dim, latent_dim * 2, 4), nn.BatchNorm2d(latent_dim * 2))
        self.layers = nn.ModuleList()
        self.sle_targets: dict[int, int] = {}
        noise = torch.Generator().manual_seed(NOISE_SEED)
        for i, layer in enumerate(layers):
            size = 2 ** (i + 3)
            conv = nn.Module()
            conv.add_module("1", nn.Conv2d(layer.mid, layer.cout * 2, 4))
            noise_layer = _Noise(size)
            up = _numbered(_PixelShuffleUp(layer.cin, layer.mid), _Blur(), conv, noise_layer, nn.BatchNorm2d(layer.cout * 2))
            if noise_layer.fixed.device.type != "meta":
                noise_layer.fixed.copy_(torch.randn(1, 1, size, size, generator=noise))
            sle = _Excitation(layer.sle, layer.cout, layer.sle_mid, layer.sle_out, size) if layer.sle else None
            attn = _PreNormAttention(layer.cin, layer.attn_inner) if layer.attn_inner else None
            if layer.sle:
                self.sle_targets[i + SLE_SPAN - 1] = i
            self.layers.append(_numbered(up, sle, attn))
        self.out_conv = nn.Conv2d(layers[-1].cout, channels, 3, padding=1)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = getattr(self.initial_conv, "0")(z[:, :, None, None])
        x = F.normalize(_glu(getattr(self.initial_conv, "1")(x)), dim=1)
        gates: dict[int, torch.Tensor] = {}
        for i, layer in enumerate(self.layers):
            up, sle, attn = (getattr(layer, str(j)) for j in range(3))
            if attn is not None:
                x = attn(x) + x
            x = getattr(up, "0")(x)
            x = getattr(up, "1")(x)
            x = F.pad(x, (2, 1, 2, 1))  # "same" for an even kernel: one more before than after
            x = getattr(getattr(up, "2"), "1")(x)
            x = _glu(getattr(up, "4")(getattr(up, "3")(x)))
            if sle is not None:
                gates[i] = sle(x)
            if i in self.sle_targets:
                x = x * gates[self.sle_targets[i]]
        return self.out_conv(x)

