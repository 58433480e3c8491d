"""``openai-unet``: an OpenAI improved-diffusion / guided-diffusion UNet state_dict (``model*.pt``, ``ema_*.pt``).

Those trainers save the bare UNet's ``state_dict()``: no config. What the shapes reveal is inferred:
model channels, channel multipliers, residual blocks per level, attention resolutions, input and
output channels (6 out for 3 in: ``learn_sigma``), ``label_emb`` (class-conditional),
``use_scale_shift_norm``, the resampling kind (strided conv, average pool, or guided-diffusion's
``resblock_updown``) and the skip-connection kernel. Every candidate setting is built on the meta
device and must give exactly the file's keys and shapes; none does: one line.

The rest comes from a sidecar ``NAME.json`` or ``model.json`` beside the file, defaulting to the
trainers' script defaults: ``image_size`` (required, or ``--size``), ``diffusion_steps`` 1000,
``noise_schedule`` ``linear`` (or ``cosine``), ``num_heads`` 4 (``num_head_channels`` 64 for
``resblock_updown`` models), ``num_heads_upsample``, ``use_new_attention_order`` false,
``rescale_timesteps`` true (improved-diffusion's default; no change at 1000 steps), ``predict_xstart``
false, ``styles``. Sampling goes through diffusers schedulers with the file's own betas; a learned
variance's second half is dropped (the epsilon part drives every sampler).

The network below is our own statement of that UNet's layout.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from studio.errors import CheckpointError
from studio.models.formats.base import LoadedModel, ModelSpec, card_beside, read_json, style_map_for_labels
from studio.models.formats.torchfile import is_torch_file, read_torch_file, torch_state

FORMAT = "openai-unet"
LABEL = "OpenAI improved/guided-diffusion UNet"
_MARKERS = ("input_blocks.0.0.weight", "time_embed.0.weight", "out.2.weight")
SIDECAR_KEYS = {
    "image_size", "diffusion_steps", "noise_schedule", "num_heads", "num_head_channels", "num_heads_upsample",
    "use_new_attention_order", "rescale_timesteps", "predict_xstart", "styles",
}


@dataclass(frozen=True)
class UNetSettings:
    """Everything the network needs, from the weights' shapes and the sidecar."""

    in_channels: int
    model_channels: int
    out_channels: int
    num_res_blocks: int
    channel_mult: tuple[int, ...]
    attention_ds: tuple[int, ...]
    num_classes: int | None
    use_scale_shift_norm: bool
    resample: str  # "conv" | "pool" | "resblock"
    skip_kernel: int
    num_heads: int = 4
    num_head_channels: int = -1
    num_heads_upsample: int = -1
    new_attention_order: bool = False

    def heads(self, ch: int, upsample: bool = False) -> int:
        if self.num_head_channels > 0:
            return ch // self.num_head_channels
        return self.num_heads_upsample if upsample and self.num_heads_upsample > 0 else self.num_heads


# ---------------------------------------------------------------------------- the network


class _Norm(nn.GroupNorm):
    """GroupNorm over 32 groups, computed in float32."""

    def __init__(self, channels: int) -> None:
        super().__init__(32, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x.float()).type(x.dtype)


def _resample(x: torch.Tensor, updown: str) -> torch.Tensor:
    return F.interpolate(x, scale_factor=2, mode="nearest") if updown == "up" else F.avg_pool2d(x, 2)


class _ResBlock(nn.Module):
    def __init__(self, ch: int, emb: int, out: int, s: UNetSettings, updown: str | None = None) -> None:
        super().__init__()
        self.scale_shift, self.updown = s.use_scale_shift_norm, updown
        self.in_layers = nn.Sequential(_Norm(ch), nn.SiLU(), nn.Conv2d(ch, out, 3, padding=1))
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(emb, 2 * out if self.scale_shift else out))
        self.out_layers = nn.Sequential(_Norm(out), nn.SiLU(), nn.Dropout(0.0), nn.Conv2d(out, out, 3, padding=1))
        k = s.skip_kernel
        self.skip_connection = nn.Identity() if out == ch else nn.Conv2d(ch, out, k, padding=k // 2)

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        if self.updown:
            h = _resample(self.in_layers[:-1](x), self.updown)
            x = _resample(x, self.updown)
            h = self.in_layers[-1](h)
        else:
            h = self.in_layers(x)
        e = self.emb_layers(emb).type(h.dtype)[..., None, None]
        if self.scale_shift:
            scale, shift = e.chunk(2, dim=1)
            h = self.out_layers[1:](self.out_layers[0](h) * (1 + scale) + shift)
        else:
            h = self.out_layers(h + e)
        return self.skip_connection(x) + h


class _Attention(nn.Module):
    def __init__(self, ch: int, heads: int, new_order: bool) -> None:
        super().__init__()
        self.heads, self.new_order = heads, new_order
        self.norm = _Norm(ch)
        self.qkv = nn.Conv1d(ch, 3 * ch, 1)
        self.proj_out = nn.Conv1d(ch, ch, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c = x.shape[:2]
        flat = x.reshape(b, c, -1)
        n, length = self.heads, flat.shape[-1]
        qkv = self.qkv(self.norm(flat))
        if self.new_order:
            q, k, v = (part.reshape(b * n, c // n, length) for part in qkv.chunk(3, dim=1))
        else:
            q, k, v = qkv.reshape(b * n, 3 * c // n, length).split(c // n, dim=1)
        scale = (c // n) ** -0.25
        weight = torch.einsum("bct,bcs->bts", q * scale, k * scale).float().softmax(dim=-1).type(q.dtype)
        out = torch.einsum("bts,bcs->bct", weight, v).reshape(b, c, length)
        return (flat + self.proj_out(out)).reshape(x.shape)


class _Down(nn.Module):
    def __init__(self, ch: int, conv: bool) -> None:
        super().__init__()
        if conv:
            self.op = nn.Conv2d(ch, ch, 3, stride=2, padding=1)
        self.conv = conv

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.op(x) if self.conv else F.avg_pool2d(x, 2)


class _Up(nn.Module):
    def __init__(self, ch: int, conv: bool) -> None:
        super().__init__()
        if conv:
            self.conv = nn.Conv2d(ch, ch, 3, padding=1)
        self.use_conv = conv

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.interpolate(x, scale_factor=2, mode="nearest")
        return self.conv(x) if self.use_conv else x


class _Seq(nn.ModuleList):
    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        for layer in self:
            x = layer(x, emb) if isinstance(layer, _ResBlock) else layer(x)
        return x


def timestep_embedding(t: torch.Tensor, dim: int, max_period: float = 10000.0) -> torch.Tensor:
    """Sinusoidal embedding, cosines first."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t.float()[:, None] * freqs[None]
    emb = torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
    return F.pad(emb, (0, 1)) if dim % 2 else emb


class OpenAIUNet(nn.Module):
    def __init__(self, s: UNetSettings, first_width: int) -> None:
        super().__init__()
        mc, emb = s.model_channels, 4 * s.model_channels
        self.settings = s
        self.time_embed = nn.Sequential(nn.Linear(mc, emb), nn.SiLU(), nn.Linear(emb, emb))
        if s.num_classes:
            self.label_emb = nn.Embedding(s.num_classes, emb)
        ch = first_width
        self.input_blocks = nn.ModuleList([_Seq([nn.Conv2d(s.in_channels, ch, 3, padding=1)])])
        widths, ds, last = [ch], 1, len(s.channel_mult) - 1
        for level, mult in enumerate(s.channel_mult):
            for _ in range(s.num_res_blocks):
                layers: list[nn.Module] = [_ResBlock(ch, emb, mult * mc, s)]
                ch = mult * mc
                if ds in s.attention_ds:
                    layers.append(_Attention(ch, s.heads(ch), s.new_attention_order))
                self.input_blocks.append(_Seq(layers))
                widths.append(ch)
            if level != last:
                down = _ResBlock(ch, emb, ch, s, "down") if s.resample == "resblock" else _Down(ch, s.resample == "conv")
                self.input_blocks.append(_Seq([down]))
                widths.append(ch)
                ds *= 2
        self.middle_block = _Seq([_ResBlock(ch, emb, ch, s), _Attention(ch, s.heads(ch), s.new_attention_order), _ResBlock(ch, emb, ch, s)])
        self.output_blocks = nn.ModuleList()
        for level, mult in reversed(list(enumerate(s.channel_mult))):
            for i in range(s.num_res_blocks + 1):
                layers = [_ResBlock(ch + widths.pop(), emb, mc * mult, s)]
                ch = mc * mult
                if ds in s.attention_ds:
                    layers.append(_Attention(ch, s.heads(ch, upsample=True), s.new_attention_order))
                if level and i == s.num_res_blocks:
                    layers.append(_ResBlock(ch, emb, ch, s, "up") if s.resample == "resblock" else _Up(ch, s.resample == "conv"))
                    ds //= 2
                self.output_blocks.append(_Seq(layers))
        self.out = nn.Sequential(_Norm(ch), nn.SiLU(), nn.Conv2d(ch, s.out_channels, 3, padding=1))

    def forward(self, x: torch.Tensor, t: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        emb = self.time_embed(timestep_embedding(t, self.settings.model_channels).to(x.dtype))
        if self.settings.num_classes:
            if labels is None:
                raise ValueError("a class-conditional UNet needs class labels")
            emb = emb + self.label_emb(labels)
        skips, h = [], x
        for block in self.input_blocks:
            h = block(h, emb)
            skips.append(h)
        h = self.middle_block(h, emb)
        for block in self.output_blocks:
            h = block(torch.cat([h, skips.pop()], dim=1), emb)
        return self.out(h)


# ---------------------------------------------------------------------------- reading the file


def _is_unet_state(state: Any) -> bool:
    return isinstance(state, dict) and all(k in state for k in _MARKERS)


def inspect(path: Path, size: int | None = None) -> ModelSpec | None:
    if not is_torch_file(path):
        return None
    state = torch_state(path)
    if not _is_unet_state(state):
        return None
    shapes = {k: tuple(v.shape) for k, v in state.items() if isinstance(v, torch.Tensor)}
    if len(shapes) != len(state):
        raise CheckpointError(path, f"{LABEL}: holds values that are not tensors")
    side, side_path = _sidecar(path)
    settings = infer_settings(path, shapes, side)
    resolution = size if size is not None else side.get("image_size")
    if resolution is None:
        raise CheckpointError(path, f"{LABEL}: image size unknown — pass --size or add {path.stem}.json or model.json {{\"image_size\": N}}")
    multiple = 2 ** (len(settings.channel_mult) - 1)
    if not isinstance(resolution, int) or resolution <= 0 or resolution % multiple:
        raise CheckpointError(side_path or path, f"{LABEL}: image size {resolution!r} must be a positive multiple of {multiple}")
    steps = side.get("diffusion_steps", 1000)
    if not isinstance(steps, int) or not 1 <= steps <= 100_000:
        raise CheckpointError(side_path or path, f"{LABEL}: bad diffusion_steps {steps!r}")
    schedule = side.get("noise_schedule", "linear")
    if schedule not in ("linear", "cosine"):
        raise CheckpointError(side_path or path, f"{LABEL}: noise_schedule {schedule!r} is not linear or cosine")
    predict_x0 = bool(side.get("predict_xstart", False))
    styles = style_map_for_labels(settings.num_classes, side.get("styles"), side_path or path)
    scheduler_config = {
        "num_train_timesteps": steps,
        "trained_betas": betas_for(schedule, steps),
        "prediction_type": "sample" if predict_x0 else "epsilon",
        "clip_sample": True,
    }
    return ModelSpec(
        path=path,
        format=FORMAT,
        kind="diffusion",
        name=path.stem,
        styles=styles,
        resolution=resolution,
        channels=settings.in_channels,
        weights_files=[path],
        card=card_beside(path),
        extra={
            "unet": asdict(settings),
            "first_width": shapes["input_blocks.0.0.weight"][0],
            "scheduler_config": scheduler_config,
            "rescale_timesteps": bool(side.get("rescale_timesteps", True)),
            "learn_sigma": settings.out_channels == 2 * settings.in_channels,
            "noise_schedule": schedule,
        },
    )


def _sidecar(path: Path) -> tuple[dict[str, Any], Path | None]:
    for candidate in (path.with_suffix(".json"), path.parent / "model.json"):
        if candidate.is_file():
            data = read_json(candidate)
            unknown = sorted(set(data) - SIDECAR_KEYS)
            if unknown:
                raise CheckpointError(candidate, f"{LABEL} sidecar: unknown key {unknown[0]!r} (known: {', '.join(sorted(SIDECAR_KEYS))})")
            return data, candidate
    return {}, None


def betas_for(schedule: str, steps: int) -> list[float]:
    """The trainers' schedules in float64: linear scaled to 1000 steps, or the cosine alpha-bar capped at 0.999."""
    if schedule == "linear":
        scale = 1000 / steps
        return torch.linspace(scale * 0.0001, scale * 0.02, steps, dtype=torch.float64).tolist()

    def alpha_bar(t: float) -> float:
        return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2

    return [min(1 - alpha_bar((i + 1) / steps) / alpha_bar(i / steps), 0.999) for i in range(steps)]


def _block_count(shapes: dict[str, tuple[int, ...]], name: str) -> int:
    indices = [int(k.split(".")[1]) for k in shapes if k.startswith(name + ".") and k.split(".")[1].isdigit()]
    return max(indices) + 1 if indices else 0


def infer_settings(path: Path, shapes: dict[str, tuple[int, ...]], side: dict[str, Any]) -> UNetSettings:
    """The one setting whose network has exactly these keys and shapes; one-line refusal otherwise."""
    try:
        emb, mc = shapes["time_embed.0.weight"]
        first_width, in_ch = shapes["input_blocks.0.0.weight"][:2]
        out_ch = shapes["out.2.weight"][0]
    except (KeyError, ValueError):
        raise CheckpointError(path, f"{LABEL}: time embedding, input or output convolution has the wrong shape") from None
    if emb != 4 * mc:
        raise CheckpointError(path, f"{LABEL}: time embedding {emb} is not 4 x model channels {mc}")
    num_classes = shapes["label_emb.weight"][0] if "label_emb.weight" in shapes else None
    n_in, n_out = _block_count(shapes, "input_blocks"), _block_count(shapes, "output_blocks")
    scale_shift = shapes.get("input_blocks.1.0.emb_layers.1.weight", (0,))[0] == 2 * shapes.get("input_blocks.1.0.out_layers.3.weight", (-1,))[0]
    skip_kernels = {v[-1] for k, v in shapes.items() if k.endswith("skip_connection.weight")}
    skip_kernel = skip_kernels.pop() if len(skip_kernels) == 1 else 1
    heads = _heads(path, side)
    first_miss = ""
    for nrb in range(1, n_out):
        if n_out % (nrb + 1):
            continue
        levels = n_out // (nrb + 1)
        if n_in != levels * (nrb + 1):
            continue
        mults, attention = [], set()
        for level in range(levels):
            first = 1 + level * (nrb + 1)
            width = shapes.get(f"input_blocks.{first}.0.out_layers.3.weight", (0,))[0]
            if not width or width % mc:
                break
            mults.append(width // mc)
            if f"input_blocks.{first}.1.qkv.weight" in shapes:
                attention.add(2**level)
        else:
            resample = "conv"
            if levels > 1:
                down = f"input_blocks.{1 + nrb}.0."
                if down + "in_layers.2.weight" in shapes:
                    resample = "resblock"
                elif down + "op.weight" not in shapes:
                    resample = "pool"
            chosen = {**heads}
            if resample == "resblock" and "num_heads" not in side and "num_head_channels" not in side:
                chosen["num_head_channels"] = 64
            settings = UNetSettings(
                in_channels=in_ch, model_channels=mc, out_channels=out_ch, num_res_blocks=nrb, channel_mult=tuple(mults),
                attention_ds=tuple(sorted(attention)), num_classes=num_classes, use_scale_shift_norm=scale_shift,
                resample=resample, skip_kernel=skip_kernel, **chosen,
            )
            miss = _mismatch(settings, first_width, shapes)
            if miss is None:
                _check_heads(path, settings)
                return settings
            first_miss = first_miss or miss
    detail = f" (closest: {first_miss})" if first_miss else ""
    raise CheckpointError(path, f"{LABEL}: the weights fit no UNet setting{detail}")


def _heads(path: Path, side: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("num_heads", "num_head_channels", "num_heads_upsample"):
        if key in side:
            if not isinstance(side[key], int) or side[key] == 0 or side[key] < -1:
                raise CheckpointError(path, f"{LABEL}: bad {key} {side[key]!r} in the sidecar")
            out[key] = side[key]
    if "use_new_attention_order" in side:
        out["new_attention_order"] = bool(side["use_new_attention_order"])
    return out


def _check_heads(path: Path, s: UNetSettings) -> None:
    widths = {s.model_channels * s.channel_mult[-1]} | {
        s.model_channels * m for level, m in enumerate(s.channel_mult) if 2**level in s.attention_ds}
    for ch in widths:
        for up in (False, True):
            n = s.heads(ch, up)
            if n <= 0 or ch % n:
                raise CheckpointError(path, f"{LABEL}: {n} attention heads do not divide {ch} channels — set num_heads or num_head_channels in the sidecar")


def _mismatch(s: UNetSettings, first_width: int, shapes: dict[str, tuple[int, ...]]) -> str | None:
    """None when the network of ``s`` has exactly ``shapes``; else the first difference."""
    try:
        with torch.device("meta"):
            net = OpenAIUNet(s, first_width)
    except (ValueError, RuntimeError) as exc:
        return str(exc).splitlines()[0][:80]
    built = {k: tuple(v.shape) for k, v in net.state_dict().items()}
    for k in sorted(set(built) | set(shapes)):
        if built.get(k) != shapes.get(k):
            return f"{k}: file {shapes.get(k, 'missing')}, network {built.get(k, 'missing')}"
    return None


def load(spec: ModelSpec) -> LoadedModel:
    state = read_torch_file(spec.path)
    settings = UNetSettings(**{**spec.extra["unet"], "channel_mult": tuple(spec.extra["unet"]["channel_mult"]),
                               "attention_ds": tuple(spec.extra["unet"]["attention_ds"])})
    net = OpenAIUNet(settings, spec.extra["first_width"])
    net.load_state_dict({k: v.float() for k, v in state.items()}, strict=True)
    channels = settings.in_channels
    steps = spec.extra["scheduler_config"]["num_train_timesteps"]
    rescale = spec.extra["rescale_timesteps"]

    def forward(x: torch.Tensor, t: Any, labels: torch.Tensor | None) -> torch.Tensor:
        tt = torch.as_tensor(t, device=x.device).float().reshape(-1).expand(x.shape[0])
        if rescale:
            tt = tt * (1000.0 / steps)
        # a learned variance's channels follow the epsilon (or x0) prediction: every sampler uses the mean part
        return net(x, tt, labels)[:, :channels]

    return LoadedModel(
        spec=spec,
        module=net,
        device=torch.device("cpu"),
        dtype=torch.float32,
        noise_shape=(channels, spec.resolution, spec.resolution),
        scheduler_class="DDPMScheduler",
        scheduler_config=spec.extra["scheduler_config"],
        _forward=forward,
        size_multiple=2 ** (len(settings.channel_mult) - 1),
        class_embedding=getattr(net, "label_emb", None),
    )
