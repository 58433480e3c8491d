"""``lucidrains``: a denoising-diffusion-pytorch Trainer checkpoint (``results/model-N.pt``).

Today's layout is ``{step, model, opt, ema, scaler, version}`` with the GaussianDiffusion's state under
``model`` (the Unet under ``model.*``) and its EMA copy under ``ema`` (``ema_model.model.*``). The Unet's
shape, the schedule (``betas``) and the objective (from ``loss_weight``) are inferred; EMA weights are
preferred; the image size is not stored: ``--size``, a sidecar ``model-N.json`` ``{"image_size": N}``, else 64.
"""

from __future__ import annotations

import math
import sys
import types
from pathlib import Path
from typing import Any

import torch

from studio.errors import CheckpointError, StudioError
from studio.models.formats.base import LoadedModel, ModelSpec, card_beside, first_line, read_json
from studio.models.formats.torchfile import is_torch_file, read_torch_file, torch_state

FORMAT = "lucidrains"


def inspect(path: Path, size: int | None = None) -> ModelSpec | None:
    if not is_torch_file(path):
        return None
    state = torch_state(path)
    if not (isinstance(state, dict) and "model" in state and isinstance(state["model"], dict)
            and any(str(k).startswith("model.") for k in state["model"])):
        return None
    return _inspect(path, state, size)


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
        raise StudioError(f"{PEERS_HINT} ({first_line(exc)})") from None
    finally:
        for name in added:
            sys.modules.pop(name, None)
    return denoising_diffusion_pytorch


def _diffusion_state(state: dict[str, Any]) -> tuple[dict[str, torch.Tensor], bool]:
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


def _unet_config(path: Path, sd: dict[str, torch.Tensor]) -> dict[str, Any]:
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


def image_size(path: Path, size: int | None) -> int:
    """The size to paint: ``--size``, else a sidecar ``model-N.json`` ``{"image_size": N}``, else 64 (not stored in the file)."""
    sidecar = path.with_suffix(".json")
    if size is None and sidecar.is_file():
        side = read_json(sidecar)
        size = side.get("image_size") or side.get("resolution")
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            raise CheckpointError(sidecar, f"bad image_size {size!r}")
    return int(size or 64)


def scheduler_config(betas: torch.Tensor, objective: str) -> dict[str, Any]:
    """A diffusers scheduler config from the trainer's stored betas (float64, as the trainer computed them)."""
    betas = betas.double()
    return {"num_train_timesteps": int(betas.numel()), "trained_betas": betas.tolist(), "prediction_type": objective, "clip_sample": True}


def _inspect(path: Path, state: dict[str, Any], size: int | None) -> ModelSpec:
    diffusion_state, from_ema = _diffusion_state(state)
    unet_sd = {k[len("model."):]: v for k, v in diffusion_state.items() if k.startswith("model.")}
    cfg = _unet_config(path, unet_sd)
    if "betas" not in diffusion_state:
        raise CheckpointError(path, "missing 'betas': cannot recover the noise schedule")
    objective = _infer_objective(path, diffusion_state)
    resolution = image_size(path, size)
    sched_config = scheduler_config(diffusion_state["betas"], objective)
    return ModelSpec(
        path=path,
        format=FORMAT,
        kind="diffusion",
        name=path.stem,
        styles={},
        resolution=int(resolution),
        channels=cfg["channels"],
        weights_files=[path],
        card=card_beside(path),
        extra={"unet_config": cfg, "scheduler_config": sched_config, "ema": from_ema, "step": state.get("step")},
    )


def load(spec: ModelSpec) -> LoadedModel:
    ddp = import_lucidrains()
    state = read_torch_file(spec.path)
    diffusion_state, _ = _diffusion_state(state)
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
