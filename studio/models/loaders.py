"""One loader per checkpoint format; each turns a path into a ready module.

Formats:
  ``diffusers-pipeline``  folder with model_index.json + unet/ + scheduler/
  ``diffusers-unet``      folder with a UNet2DModel config.json + weights
  ``inkstudio``           our single .safetensors file (see studio.models.inkfile)
  ``lucidrains``          denoising-diffusion-pytorch Trainer checkpoint (model-N.pt)
  ``dcgan``               PyTorch DCGAN-tutorial generator state_dict (nn.Sequential ``main``)

Nothing here unpickles code: .pt files are read with ``torch.load(weights_only=True)``.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import sys
import traceback
import types
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.errors import CheckpointError, StudioError
from studio.models import inkfile

TORCH_SUFFIXES = (".pt", ".pth", ".ckpt", ".bin")
DEFAULT_STYLE_NAMES = ("light", "dark")


@dataclass
class ModelSpec:
    """What a checkpoint says about itself, read without building the network."""

    path: Path
    format: str
    kind: str  # "diffusion" | "gan"
    name: str
    styles: dict[str, int]  # style name -> class label; {} when unconditional
    resolution: int
    channels: int
    weights_files: list[Path]
    card: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class LoadedModel:
    """A network on a device, with what sampling needs to drive it."""

    spec: ModelSpec
    module: nn.Module
    device: torch.device
    dtype: torch.dtype
    noise_shape: tuple[int, ...]  # one image's starting noise, without the batch dimension
    scheduler_class: str | None = None  # diffusion only: the checkpoint's own scheduler
    scheduler_config: dict[str, Any] | None = None
    _forward: Callable[..., torch.Tensor] | None = None
    size_multiple: int = 1  # diffusion: sizes other than native must be multiples of this
    upscaler: Any = None  # a two-stage model's LoadedUpscaler (studio.models.inkupscaler); None otherwise

    @property
    def cascade_size(self) -> int | None:
        """The size a two-stage model paints by default (its base paints ``spec.resolution``); None otherwise."""
        cascade = self.spec.extra.get("cascade")
        return int(cascade["size"]) if cascade else None

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def styles(self) -> dict[str, int]:
        return self.spec.styles

    def labels_for(self, style: str | None, batch: int) -> torch.Tensor | None:
        """Class labels for a batch in ``style``; None for unconditional models."""
        if not self.spec.styles:
            return None
        if style is None:
            style = next(iter(self.spec.styles))
        if style not in self.spec.styles:
            offered = ", ".join(self.spec.styles)
            raise StudioError(f"model '{self.spec.name}' has no style '{style}' (it offers: {offered})")
        return torch.full((batch,), self.spec.styles[style], dtype=torch.long, device=self.device)

    @torch.no_grad()
    def denoise(self, x: torch.Tensor, t: torch.Tensor | int, labels: torch.Tensor | None) -> torch.Tensor:
        """The network's raw prediction (epsilon, v or x0, as trained) in float32."""
        assert self._forward is not None
        return self._forward(x.to(self.dtype), t, labels).float()

    @torch.no_grad()
    def generate(self, z: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        """GAN images in [-1, 1], float32."""
        assert self._forward is not None
        return self._forward(z.to(self.dtype), None, labels).float()


# ---------------------------------------------------------------------------- detection


def inspect_checkpoint(path: str | Path, size: int | None = None) -> ModelSpec:
    """Read a checkpoint's description; CheckpointError (one line) when it is not loadable."""
    path = Path(path).expanduser()
    if not path.exists():
        raise CheckpointError(path, "a symbolic link that loops or leads nowhere" if path.is_symlink() else "no such file or folder")
    if path.is_dir():
        return _inspect_folder(path)
    if path.stat().st_size == 0:
        raise CheckpointError(path, "empty file (0 bytes)")
    suffix = path.suffix.lower()
    if suffix == ".safetensors":
        return _inspect_inkfile(path)
    if suffix in TORCH_SUFFIXES:
        state = read_torch_file(path)
        try:
            return _inspect_torch_state(path, state, size)
        except CheckpointError:
            raise
        except (IndexError, AttributeError, TypeError, KeyError, ValueError, ZeroDivisionError, RuntimeError) as exc:
            # a layout that looks like a known format but holds the wrong kinds of values
            raise CheckpointError(path, f"malformed checkpoint ({type(exc).__name__}: {_first_line(exc)})") from None
    raise CheckpointError(path, f"unsupported file type '{suffix}' (expected .safetensors, .pt, .pth, .ckpt or a folder)")


def load_checkpoint(
    path: str | Path,
    device: torch.device | str = "cpu",
    dtype: torch.dtype = torch.float32,
    size: int | None = None,
) -> LoadedModel:
    """Build the network of any supported checkpoint and put it on ``device`` in eval mode."""
    spec = inspect_checkpoint(path, size)
    device = torch.device(device)
    loader = _LOADERS[spec.format]
    try:
        model = loader(spec)
    except (StudioError, MemoryError):  # CheckpointError, or a missing optional package named with its fix
        raise
    except Exception as exc:  # diffusers and torch raise many kinds on configs and weights that do not agree
        if os.environ.get("INKSTUDIO_DEBUG"):
            traceback.print_exc()
        raise CheckpointError(spec.path, f"weights do not fit the network ({_first_line(exc)})") from None
    model.module.eval().requires_grad_(False)
    model.module.to(device)
    if dtype != torch.float32:
        model.module.to(dtype)
    model.device, model.dtype = device, dtype
    _probe(model)
    return model


def _probe(model: LoadedModel) -> None:
    """One forward pass on a single zero input: a config that builds but cannot run fails here, not mid-painting."""
    try:
        x = torch.zeros((1, *model.noise_shape), device=model.device)
        labels = model.labels_for(None, 1)
        if model.kind == "diffusion":
            out = model.denoise(x, torch.zeros(1, dtype=torch.long, device=model.device), labels)
            ok = out.shape[0] == 1 and out.shape[2:] == x.shape[2:]
        else:
            out = model.generate(x, labels)
            ok = out.dim() == 4 and out.shape[0] == 1
    except MemoryError:
        raise
    except Exception as exc:
        if os.environ.get("INKSTUDIO_DEBUG"):
            traceback.print_exc()
        raise CheckpointError(model.spec.path, f"the network fails on a test input ({_first_line(exc)})") from None
    if not ok:
        raise CheckpointError(model.spec.path, f"the network returns {tuple(out.shape)} for an input of {tuple(x.shape)}")
    if not bool(torch.isfinite(out).all()):
        raise CheckpointError(model.spec.path, "the network returns NaN or infinite values on a test input")


def read_torch_file(path: Path) -> Any:
    """torch.load with weights_only=True; pickled code is refused and never runs."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch warns about pickle protocols; our one line says it all
            return torch.load(str(path), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        if "GLOBAL" in str(exc):
            raise CheckpointError(
                path, "refused: the file asks to run Python code on loading (Ink Studio loads plain weights only)"
            ) from None
        raise CheckpointError(
            path, "not a plain-weights PyTorch checkpoint (corrupt, or pickled objects Ink Studio will not load)"
        ) from None
    except (RuntimeError, EOFError, zipfile.BadZipFile, OSError, ValueError, AttributeError, ImportError) as exc:
        raise CheckpointError(path, f"not a readable PyTorch checkpoint, truncated or corrupt ({_first_line(exc)})") from None
    except Exception as exc:  # torch raises a zoo of types on garbage input
        raise CheckpointError(path, f"not a readable PyTorch checkpoint ({type(exc).__name__}: {_first_line(exc)})") from None


def _inspect_folder(path: Path) -> ModelSpec:
    entries = list(path.iterdir())
    if not entries:
        raise CheckpointError(path, "empty folder")
    if (path / "model_index.json").is_file():
        return _inspect_diffusers_pipeline(path)
    if (path / "config.json").is_file():
        return _inspect_diffusers_unet(path, path / "config.json", scheduler_dir=None)
    raise CheckpointError(path, "folder is not a diffusers model (no model_index.json or config.json)")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckpointError(path, f"cannot be read ({_first_line(exc)})") from None
    except json.JSONDecodeError as exc:
        raise CheckpointError(path, f"bad JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise CheckpointError(path, "bad JSON (expected an object)")
    return data


def _card_beside(path: Path) -> str | None:
    candidates = [path / "README.md", path / "MODEL_CARD.md"] if path.is_dir() else [path.with_suffix(".md")]
    for c in candidates:
        if c.is_file():
            try:
                return c.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
    return None


def _style_map_for_labels(num_classes: int | None, declared: Any, path: Path) -> dict[str, int]:
    if not num_classes:
        return {}
    if not isinstance(num_classes, int) or num_classes < 0:
        raise CheckpointError(path, f"bad num_class_embeds {num_classes!r}")
    if declared is not None:
        if not isinstance(declared, dict) or not all(isinstance(v, int) and 0 <= v < num_classes for v in declared.values()):
            raise CheckpointError(path, f"'styles' must map names to class labels 0..{num_classes - 1}")
        return dict(declared)
    if num_classes == len(DEFAULT_STYLE_NAMES):
        return {name: i for i, name in enumerate(DEFAULT_STYLE_NAMES)}
    return {f"class-{i}": i for i in range(num_classes)}


def _inspect_diffusers_pipeline(path: Path) -> ModelSpec:
    index = _read_json(path / "model_index.json")
    unet_dir = path / "unet"
    if not (unet_dir / "config.json").is_file():
        raise CheckpointError(path, "diffusers pipeline folder without unet/config.json")
    sched_dir = path / "scheduler"
    if "scheduler" in index and not (sched_dir / "scheduler_config.json").is_file():
        raise CheckpointError(path, "diffusers pipeline folder without scheduler/scheduler_config.json")
    spec = _inspect_diffusers_unet(path, unet_dir / "config.json", scheduler_dir=sched_dir)
    spec.format = "diffusers-pipeline"
    spec.extra["pipeline_class"] = index.get("_class_name")
    return spec


def _inspect_diffusers_unet(path: Path, config_path: Path, scheduler_dir: Path | None) -> ModelSpec:
    config = _read_json(config_path)
    cls = config.get("_class_name")
    if cls != "UNet2DModel":
        raise CheckpointError(config_path, f"unsupported model class {cls!r} (Ink Studio paints with UNet2DModel)")
    weights = [p for p in config_path.parent.iterdir() if p.name.startswith("diffusion_pytorch_model") and p.suffix in (".safetensors", ".bin")]
    if not weights:
        raise CheckpointError(config_path.parent, "no weights (diffusion_pytorch_model.safetensors or .bin)")
    sample_size = config.get("sample_size", 64)
    if isinstance(sample_size, (list, tuple)):
        sample_size = sample_size[0] if sample_size else None
    if not isinstance(sample_size, int) or sample_size <= 0:
        raise CheckpointError(config_path, f"bad sample_size {sample_size!r}")
    channels = config.get("in_channels", 3)
    if not isinstance(channels, int) or channels <= 0:
        raise CheckpointError(config_path, f"bad in_channels {channels!r}")
    layers = config.get("layers_per_block", 2)
    if not all(isinstance(n, int) and n > 0 for n in (layers if isinstance(layers, (list, tuple)) else [layers])):
        raise CheckpointError(config_path, f"bad layers_per_block {layers!r}")  # diffusers builds it, then fails mid-painting
    problem = unet_size_problem(config)
    if problem:
        raise CheckpointError(config_path, problem)
    sched_path = None
    for candidate in ([scheduler_dir / "scheduler_config.json"] if scheduler_dir else []) + [config_path.parent / "scheduler_config.json"]:
        if candidate.is_file():
            sched_path = candidate
            break
    if sched_path is not None:
        sched = _read_json(sched_path)
        sched_class = sched.get("_class_name", "DDPMScheduler")
        sched_config = {k: v for k, v in sched.items() if not k.startswith("_")}
    else:
        sched_class, sched_config = "DDPMScheduler", {}
    sidecar = path / "inkstudio.json"
    declared = _read_json(sidecar).get("styles") if sidecar.is_file() else None
    styles = _style_map_for_labels(config.get("num_class_embeds"), declared, path)
    return ModelSpec(
        path=path,
        format="diffusers-unet",
        kind="diffusion",
        name=path.name,
        styles=styles,
        resolution=sample_size,
        channels=channels,
        weights_files=sorted(weights),
        card=_card_beside(path),
        extra={"unet_dir": config_path.parent, "scheduler_class": sched_class, "scheduler_config": sched_config},
    )


def _inspect_inkfile(path: Path) -> ModelSpec:
    meta = inkfile.read_ink_metadata(path)
    if meta["kind"] == "upscaler":
        raise CheckpointError(path, "is an ink upscaler, not a painting model (use it with 'inkstudio upscale --upscaler')")
    extra: dict[str, Any] = {"meta": meta}
    weights = [path]
    if "cascade" in meta:
        extra["cascade"] = _cascade_of(path, meta)
        weights.append(extra["cascade"]["upscaler"])
    return ModelSpec(
        path=path,
        format="inkstudio",
        kind=meta["kind"],
        name=str(meta.get("name") or path.stem),
        styles=dict(meta.get("styles", {})),
        resolution=meta["resolution"],
        channels=meta["channels"],
        weights_files=weights,
        card=_card_beside(path) or meta.get("card"),
        extra=extra,
    )


MAX_CASCADE_PASSES = 4


def _cascade_of(path: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """A two-stage model's second stage: ``"cascade": {"upscaler": FILE beside it, "size": default px}``."""
    cascade = meta["cascade"]
    if not isinstance(cascade, dict):
        raise CheckpointError(path, "metadata 'cascade' must be {'upscaler': file name, 'size': pixels}")
    name = cascade.get("upscaler")
    if not isinstance(name, str) or not name or Path(name).name != name:
        raise CheckpointError(path, f"metadata 'cascade.upscaler' must name a file beside the model, not {name!r}")
    size = cascade.get("size")
    base = meta["resolution"]
    ok_sizes = [base * 2**k for k in range(MAX_CASCADE_PASSES + 1)]
    if not isinstance(size, int) or isinstance(size, bool) or size not in ok_sizes:
        raise CheckpointError(path, f"metadata 'cascade.size' must be one of {', '.join(map(str, ok_sizes))}, not {size!r}")
    upscaler = path.with_name(name)
    if not upscaler.is_file():
        raise CheckpointError(path, f"its upscaler {name} is missing (it must lie beside the model)")
    if not inkfile.is_upscaler(upscaler):
        raise CheckpointError(path, f"{name} beside it is not an ink upscaler")
    return {"upscaler": upscaler, "size": size}


def _inspect_torch_state(path: Path, state: Any, size: int | None) -> ModelSpec:
    if not isinstance(state, dict):
        raise CheckpointError(path, f"holds a {type(state).__name__}, not a checkpoint dictionary")
    if "model" in state and isinstance(state["model"], dict) and any(str(k).startswith("model.") for k in state["model"]):
        return _inspect_lucidrains(path, state, size)
    if any(isinstance(k, str) and k.startswith("main.") for k in state):
        return _inspect_dcgan(path, state)
    keys = ", ".join(repr(k)[:40] for k in list(state)[:5])
    raise CheckpointError(path, f"unrecognised checkpoint layout (keys: {keys or 'none'})")


# ---------------------------------------------------------------------------- diffusers


def _load_diffusers(spec: ModelSpec) -> LoadedModel:
    from diffusers import UNet2DModel

    unet = UNet2DModel.from_pretrained(str(spec.extra["unet_dir"]), local_files_only=True)
    return LoadedModel(
        spec=spec,
        module=unet,
        device=torch.device("cpu"),
        dtype=torch.float32,
        noise_shape=(spec.channels, spec.resolution, spec.resolution),
        scheduler_class=spec.extra["scheduler_class"],
        scheduler_config=spec.extra["scheduler_config"],
        _forward=_unet2d_forward(unet),
        size_multiple=_unet2d_multiple(unet),
    )


def _unet2d_multiple(unet: nn.Module) -> int:
    return 2 ** (len(unet.config.down_block_types) - 1)


def _unet2d_forward(unet: nn.Module) -> Callable[..., torch.Tensor]:
    def forward(x: torch.Tensor, t: Any, labels: torch.Tensor | None) -> torch.Tensor:
        return unet(x, t, class_labels=labels).sample

    return forward


# ---------------------------------------------------------------------------- our own file


# far beyond any UNet2DModel an ink studio paints with; a config asking for more would hang or exhaust memory while building
UNET_LIMITS = {
    "layers_per_block": 64, "block_out_channels": 8192, "sample_size": 8192, "num_class_embeds": 100_000, "time_embedding_dim": 65536,
}


def unet_size_problem(config: dict[str, Any]) -> str | None:
    """What makes a UNet2DModel config absurdly large to build, or None."""
    for key, limit in UNET_LIMITS.items():
        value = config.get(key)
        values = value if isinstance(value, (list, tuple)) else [value]
        if any(isinstance(v, int) and v > limit for v in values):
            return f"{key} {value!r} is larger than any ink model (limit {limit})"
    blocks = config.get("block_out_channels")
    if isinstance(blocks, (list, tuple)) and len(blocks) > 12:
        return f"{len(blocks)} UNet blocks is more than any ink model has"
    return None


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


def _load_inkfile(spec: ModelSpec) -> LoadedModel:
    meta = spec.extra["meta"]
    try:
        module = build_architecture(meta["architecture"])
    except (TypeError, ValueError) as exc:
        raise CheckpointError(spec.path, f"bad architecture config ({_first_line(exc)})") from None
    state = inkfile.load_ink_state(spec.path)
    ref = module.state_dict()
    state = {k: v.to(ref[k].dtype) if k in ref and v.is_floating_point() else v for k, v in state.items()}
    module.load_state_dict(state, strict=True)
    upscaler = None
    if "cascade" in spec.extra:
        from studio.models.inkupscaler import load_upscaler

        upscaler = load_upscaler(spec.extra["cascade"]["upscaler"])
    if spec.kind == "diffusion":
        noise_shape: tuple[int, ...] = (spec.channels, spec.resolution, spec.resolution)
        forward = _unet2d_forward(module)
        sched = meta["scheduler"]
        return LoadedModel(
            spec, module, torch.device("cpu"), torch.float32, noise_shape, sched["class"], dict(sched["config"]), forward,
            size_multiple=_unet2d_multiple(module), upscaler=upscaler,
        )
    nz = int(meta["architecture"]["config"].get("nz", 128))

    def gan_forward(z: torch.Tensor, _t: Any, labels: torch.Tensor | None) -> torch.Tensor:
        return module(z, labels)

    return LoadedModel(spec, module, torch.device("cpu"), torch.float32, (nz,), None, None, gan_forward, upscaler=upscaler)


# ---------------------------------------------------------------------------- DCGAN tutorial


def _dcgan_layers(path: Path, state: dict[str, Any]) -> tuple[list[tuple[int, str, tuple[int, ...]]], int]:
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


def _inspect_dcgan(path: Path, state: dict[str, Any]) -> ModelSpec:
    ordered, n_convs = _dcgan_layers(path, state)
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
        format="dcgan",
        kind="gan",
        name=path.stem,
        styles={},
        resolution=resolution,
        channels=channels,
        weights_files=[path],
        card=_card_beside(path),
        extra={"nz": nz},
    )


def _load_dcgan(spec: ModelSpec) -> LoadedModel:
    state = read_torch_file(spec.path)
    ordered, _ = _dcgan_layers(spec.path, state)
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


# ---------------------------------------------------------------------------- lucidrains


PEERS_HINT = ("loading denoising-diffusion-pytorch checkpoints needs the 'peers' extra: "
              "pip install --no-deps -r requirements-peers.txt (or pip install 'inkstudio[peers]' where torchvision matches torch)")


def import_lucidrains() -> types.ModuleType:
    """Import denoising_diffusion_pytorch for its Unet class.

    The package imports torchvision at top level for its Trainer's data pipeline, which we never use.
    Where torchvision is missing or broken (a CPU torch beside a CUDA torchvision), a placeholder stands
    in during the import only, so a broken torchvision cannot take diffusers down with it.
    """
    if "denoising_diffusion_pytorch" in sys.modules:
        return sys.modules["denoising_diffusion_pytorch"]
    import importlib.util

    if importlib.util.find_spec("denoising_diffusion_pytorch") is None:
        raise StudioError(PEERS_HINT)
    placeholder_names = ("torchvision", "torchvision.transforms", "torchvision.utils")
    added: list[str] = []
    try:
        import torchvision  # noqa: F401
    except Exception:  # missing or broken; both are fine for the Unet we use
        for name in placeholder_names:
            sys.modules.pop(name, None)
        root = types.ModuleType("torchvision")
        for sub in ("transforms", "utils"):
            mod = types.ModuleType(f"torchvision.{sub}")
            setattr(root, sub, mod)
            sys.modules[f"torchvision.{sub}"] = mod
        sys.modules["torchvision"] = root
        added = list(placeholder_names)
    try:
        import denoising_diffusion_pytorch
    except ImportError as exc:
        raise StudioError(f"{PEERS_HINT} ({_first_line(exc)})") from None
    finally:
        for name in added:
            sys.modules.pop(name, None)
    return denoising_diffusion_pytorch


def _lucidrains_state(state: dict[str, Any]) -> tuple[dict[str, torch.Tensor], bool]:
    """The GaussianDiffusion state dict, preferring EMA weights."""
    ema = state.get("ema")
    if isinstance(ema, dict):
        inner = {k[len("ema_model."):]: v for k, v in ema.items() if isinstance(k, str) and k.startswith("ema_model.")}
        if any(k.startswith("model.") for k in inner):
            return inner, True
    return state["model"], False


def _infer_objective(path: Path, diffusion_state: dict[str, torch.Tensor]) -> str:
    try:
        alphas = diffusion_state["alphas_cumprod"].double()
        weight = diffusion_state["loss_weight"].double()
    except KeyError as exc:
        raise CheckpointError(path, f"missing {exc.args[0]!r} in the diffusion state") from None
    snr = alphas / (1 - alphas)
    # loss_weight = clipped_snr / snr (noise), clipped_snr (x0) or clipped_snr / (snr + 1) (v)
    best, best_err = "epsilon", math.inf
    for objective, clipped in (("epsilon", weight * snr), ("sample", weight), ("v_prediction", weight * (snr + 1))):
        gamma = clipped.max()
        err = float((clipped - torch.minimum(snr, gamma)).abs().max() / (gamma + 1e-12))
        if err < best_err:
            best, best_err = objective, err
    return best


def _lucidrains_unet_config(path: Path, sd: dict[str, torch.Tensor]) -> dict[str, Any]:
    def shape(key: str, dims: int = 1) -> tuple[int, ...]:
        if key not in sd:
            raise CheckpointError(path, f"missing weight {key!r}: not a denoising-diffusion-pytorch Unet")
        value = sd[key]
        if not isinstance(value, torch.Tensor) or value.dim() < dims:
            raise CheckpointError(path, f"weight {key!r} is not a tensor of {dims}+ dimensions")
        return tuple(value.shape)

    learned_sin = "time_mlp.0.weights" in sd
    init = shape("init_conv.weight", 2)
    init_dim, in_ch = init[0], init[1]
    dim = shape("time_mlp.1.weight", 2)[1] if not learned_sin else init_dim
    out_dim = shape("final_conv.weight", 2)[0]
    levels = 0
    while f"downs.{levels}.0.block1.proj.weight" in sd:
        levels += 1
    if levels == 0:
        raise CheckpointError(path, "no down blocks found: not a denoising-diffusion-pytorch Unet")
    dims = [shape(f"downs.{i}.0.block1.proj.weight", 2)[0] for i in range(levels)] + [shape("mid_block1.block1.proj.weight", 2)[0]]
    dim_mults = tuple(d // dim for d in dims[1:])
    full_attn = tuple(f"downs.{i}.2.to_out.weight" in sd for i in range(levels))
    heads = shape("downs.0.2.mem_kv", 2)[1]
    dim_head = shape("downs.0.2.to_qkv.weight", 2)[0] // 3 // heads
    channels, self_cond, learned_variance = out_dim, False, False
    if in_ch * 2 == out_dim:
        channels, learned_variance = in_ch, True
    elif in_ch == 2 * out_dim:
        channels, self_cond = out_dim, True
    cfg: dict[str, Any] = dict(
        dim=dim,
        init_dim=init_dim,
        dim_mults=dim_mults,
        channels=channels,
        self_condition=self_cond,
        learned_variance=learned_variance,
        full_attn=full_attn,
        attn_heads=heads,
        attn_dim_head=dim_head,
        flash_attn=False,
    )
    if learned_sin:
        cfg["learned_sinusoidal_cond"] = True
        cfg["learned_sinusoidal_dim"] = shape("time_mlp.0.weights")[0]
    return cfg


def _inspect_lucidrains(path: Path, state: dict[str, Any], size: int | None) -> ModelSpec:
    diffusion_state, from_ema = _lucidrains_state(state)
    unet_sd = {k[len("model."):]: v for k, v in diffusion_state.items() if k.startswith("model.")}
    cfg = _lucidrains_unet_config(path, unet_sd)
    if "betas" not in diffusion_state:
        raise CheckpointError(path, "missing 'betas': cannot recover the noise schedule")
    objective = _infer_objective(path, diffusion_state)
    resolution = size
    sidecar = path.with_suffix(".json")
    if resolution is None and sidecar.is_file():
        side = _read_json(sidecar)
        resolution = side.get("image_size") or side.get("resolution")
        if not isinstance(resolution, int) or resolution <= 0:
            raise CheckpointError(sidecar, f"bad image_size {resolution!r}")
    resolution = resolution or 64
    betas = diffusion_state["betas"].double()
    sched_config = {
        "num_train_timesteps": int(betas.numel()),
        "trained_betas": betas.tolist(),
        "prediction_type": objective,
        "clip_sample": True,
    }
    return ModelSpec(
        path=path,
        format="lucidrains",
        kind="diffusion",
        name=path.stem,
        styles={},
        resolution=int(resolution),
        channels=cfg["channels"],
        weights_files=[path],
        card=_card_beside(path),
        extra={"unet_config": cfg, "scheduler_config": sched_config, "ema": from_ema, "step": state.get("step")},
    )


def _load_lucidrains(spec: ModelSpec) -> LoadedModel:
    ddp = import_lucidrains()
    state = read_torch_file(spec.path)
    diffusion_state, _ = _lucidrains_state(state)
    unet_sd = {k[len("model."):]: v for k, v in diffusion_state.items() if k.startswith("model.")}
    unet = ddp.Unet(**spec.extra["unet_config"])
    unet.load_state_dict(unet_sd, strict=True)
    channels = spec.channels
    self_cond = spec.extra["unet_config"]["self_condition"]

    def forward(x: torch.Tensor, t: Any, _labels: torch.Tensor | None) -> torch.Tensor:
        tt = torch.as_tensor(t, device=x.device).long().reshape(-1).expand(x.shape[0])
        out = unet(x, tt, torch.zeros_like(x) if self_cond else None)
        return out[:, :channels]

    return LoadedModel(
        spec=spec,
        module=unet,
        device=torch.device("cpu"),
        dtype=torch.float32,
        noise_shape=(channels, spec.resolution, spec.resolution),
        scheduler_class="DDPMScheduler",
        scheduler_config=spec.extra["scheduler_config"],
        _forward=forward,
        size_multiple=2 ** (len(spec.extra["unet_config"]["dim_mults"]) - 1),
    )


_LOADERS: dict[str, Callable[[ModelSpec], LoadedModel]] = {
    "diffusers-pipeline": _load_diffusers,
    "diffusers-unet": _load_diffusers,
    "inkstudio": _load_inkfile,
    "dcgan": _load_dcgan,
    "lucidrains": _load_lucidrains,
}


def _first_line(exc: BaseException) -> str:
    lines = [ln for ln in str(exc).strip().splitlines() if ln.strip()]
    return lines[0][:200] if lines else type(exc).__name__
