"""Style-conditional diffusion training: diffusers UNet2DModel + DDPMScheduler.

Recipe (chosen for quality per CPU-minute):
* v-prediction with the cosine schedule (``squaredcos_cap_v2``, 1000 steps): the network's target
  stays well scaled at every noise level, and the schedule spends fewer steps on near-clean images;
* loss weighting (``--weighting``): ``v`` (default), the plain MSE on the velocity, or ``min-snr``,
  Min-SNR-γ (Hang et al., ICCV 2023, γ = 5), for v-prediction the per-sample weight
  ``min(SNR, γ) / (SNR + 1)``. Measured here (docs/training.md): the plain loss on the ``plain``
  preset reached a lower SWD in 39 minutes than Min-SNR-5 on ``small`` in 89, so ``v`` is the default;
* sampling starts from the last training step (``timestep_spacing: trailing``, saved with the
  model): diffusers' default ``leading`` spacing starts at t = 950, where the cosine schedule still
  expects ~8 % signal that pure noise lacks, and every painting came out in one middling tone;
* the style (light 淡墨 / dark 浓墨) enters as a class label (``num_class_embeds``);
* resolution curriculum (optional, through --resume at a new --resolution): composition and tone
  are learnt at 32 px at a quarter of the cost per step, detail afterwards at 64 px;
* AdamW, linear warm-up then a constant rate (training continues across sessions with --resume);
  gradient-norm clipping at 1; EMA of the weights (decay up to 0.999) is what gets exported.

Model presets trade size against CPU time; see ``PRESETS``. Attention only at 16 and 8 px, one
ResNet layer per block: at 64 px the cost is in the high-resolution convolutions, so width goes
where it is cheap (the low resolutions, where composition is decided).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from studio.engine.train.loop import TrainOptions
from studio.engine.train.state import EMA, optimizer_from_flat, optimizer_to_flat
from studio.errors import StudioError
from studio.models.inkfile import save_ink_checkpoint

MIN_SNR_GAMMA = 5.0
WEIGHTINGS = ("v", "min-snr")
WARMUP_STEPS = 200
DEFAULT_LR = 3e-4

PRESETS: dict[str, dict[str, Any]] = {
    # tests: a few thousand parameters
    "tiny": dict(
        block_out_channels=(8, 16), layers_per_block=1, norm_num_groups=4, attention_head_dim=8,
        down_block_types=("DownBlock2D", "AttnDownBlock2D"), up_block_types=("AttnUpBlock2D", "UpBlock2D"),
    ),
    # ~4.3 M parameters, ~1.1 s per step of 16 at 64 px on 2 free cores
    "plain": dict(
        block_out_channels=(32, 64, 128, 128), layers_per_block=1, norm_num_groups=16, attention_head_dim=32,
        down_block_types=("DownBlock2D", "DownBlock2D", "AttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "AttnUpBlock2D", "UpBlock2D", "UpBlock2D"),
    ),
    # ~10.9 M parameters, ~1.3× the cost of "plain": the extra width sits at 16 and 8 px
    "small": dict(
        block_out_channels=(32, 64, 128, 256), layers_per_block=1, norm_num_groups=16, attention_head_dim=32,
        down_block_types=("DownBlock2D", "DownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D"),
        up_block_types=("AttnUpBlock2D", "AttnUpBlock2D", "UpBlock2D", "UpBlock2D"),
    ),
    # the composition model of the two-stage (cascade) default: "small"'s widths at 32 px, where a step
    # of 32 costs ~1.3 s on one core, with dropout 0.1 against copying ~800 training paintings
    "base32": dict(
        block_out_channels=(32, 64, 128, 256), layers_per_block=1, norm_num_groups=16, attention_head_dim=32,
        down_block_types=("DownBlock2D", "DownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D"),
        up_block_types=("AttnUpBlock2D", "AttnUpBlock2D", "UpBlock2D", "UpBlock2D"), dropout=0.1,
    ),
}


def scheduler_config() -> dict[str, Any]:
    return {
        "num_train_timesteps": 1000,
        "beta_schedule": "squaredcos_cap_v2",
        "prediction_type": "v_prediction",
        "clip_sample": True,
        "clip_sample_range": 1.0,
        "timestep_spacing": "trailing",
    }


def unet_config(preset: str, resolution: int, num_classes: int) -> dict[str, Any]:
    if preset not in PRESETS:
        raise StudioError(f"unknown --preset {preset!r} (choose from {', '.join(PRESETS)})")
    cfg = {k: list(v) if isinstance(v, tuple) else v for k, v in PRESETS[preset].items()}
    return {"sample_size": resolution, "in_channels": 3, "out_channels": 3, "num_class_embeds": num_classes, **cfg}


def _json_config(config: Any) -> dict[str, Any]:
    out = {}
    for k, v in dict(config).items():
        if k.startswith("_"):
            continue
        out[k] = list(v) if isinstance(v, tuple) else v
    return out


class DiffusionTrainer:
    kind = "diffusion"

    def setup(self, accelerator: Any, opts: TrainOptions, styles: dict[str, int]) -> None:
        from diffusers import DDPMScheduler, UNet2DModel

        self.accelerator, self.opts, self.styles = accelerator, opts, styles
        self.config = unet_config(opts.preset, opts.resolution, max(styles.values()) + 1)
        if opts.extra.get("unet_config"):
            self.config = {**self.config, **opts.extra["unet_config"]}
        unet = UNet2DModel(**self.config)
        self.scheduler = DDPMScheduler(**scheduler_config())
        self.lr = opts.lr or DEFAULT_LR
        opt = torch.optim.AdamW(unet.parameters(), lr=self.lr, betas=(0.9, 0.99), weight_decay=0.0, eps=1e-8)
        self.ema = EMA(unet, max_decay=0.999)
        self.model, self.optimizer = accelerator.prepare(unet, opt)
        self.params = sum(p.numel() for p in unet.parameters())
        ac = self.scheduler.alphas_cumprod
        self.snr = ac / (1 - ac)
        self.warm_from = 0  # the step the learning-rate warm-up starts from (later after a compact resume)
        self.weighting = str(opts.extra.get("weighting") or "v")
        if self.weighting not in WEIGHTINGS:
            raise StudioError(f"unknown --weighting {self.weighting!r} (choose from {', '.join(WEIGHTINGS)})")

    def describe(self) -> str:
        return (f"UNet2DModel preset '{self.opts.preset}', {self.params / 1e6:.2f} M parameters, v-prediction, cosine, "
                f"{'min-SNR-5' if self.weighting == 'min-snr' else 'plain v-MSE'} loss, trailing timesteps")

    def train_step(self, x: torch.Tensor, labels: torch.Tensor, step: int, generator: torch.Generator) -> dict[str, float]:
        acc = self.accelerator
        x = x.to(acc.device)
        labels = labels.to(acc.device)
        noise = torch.randn(x.shape, generator=generator).to(acc.device)
        t = torch.randint(0, self.scheduler.config.num_train_timesteps, (x.shape[0],), generator=generator)
        xt = self.scheduler.add_noise(x, noise, t)
        target = self.scheduler.get_velocity(x, noise, t)
        for group in self.optimizer.param_groups:
            group["lr"] = self.lr * min(1.0, (step + 1 - self.warm_from) / WARMUP_STEPS)
        self.model.train()
        pred = self.model(xt, t.to(acc.device), class_labels=labels).sample
        per_sample = F.mse_loss(pred.float(), target.float(), reduction="none").mean(dim=(1, 2, 3))
        if self.weighting == "min-snr":
            snr = self.snr[t].to(acc.device)
            loss = (snr.clamp(max=MIN_SNR_GAMMA) / (snr + 1) * per_sample).mean()
        else:
            loss = per_sample.mean()
        acc.backward(loss)
        acc.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.ema.update(acc.unwrap_model(self.model), step)
        return {"loss": float(per_sample.detach().mean())}

    def state_groups(self) -> dict[str, dict[str, torch.Tensor]]:
        flat, self._groups = optimizer_to_flat(self.optimizer)
        return {"model": dict(self.accelerator.unwrap_model(self.model).state_dict()), "ema": self.ema.state_dict(), "optimizer": flat}

    def state_info(self) -> dict[str, Any]:
        _, groups = optimizer_to_flat(self.optimizer)
        return {"optimizer_groups": groups, "unet_config": self.config, "weighting": self.weighting, "warm_from": self.warm_from}

    def load_groups(self, groups: dict[str, dict[str, torch.Tensor]], info: dict[str, Any]) -> None:
        saved = info.get("unet_config")
        # the resolution may change between runs (a curriculum: 32 px first, then 64 px); the
        # network is fully convolutional and sample_size is only its nominal size
        same = {k: v for k, v in (saved or {}).items() if k != "sample_size"} == {k: v for k, v in self.config.items() if k != "sample_size"}
        if saved is not None and not same:
            raise StudioError("--resume: the saved run used another model configuration (preset/style)")
        saved_weighting = info.get("weighting", "min-snr")  # runs before --weighting existed used Min-SNR-5
        if saved_weighting != self.weighting:
            raise StudioError(f"--resume: the saved run used --weighting {saved_weighting}, not {self.weighting}")
        # an EMA-only resume point (scripts/compact_state.py --ema-only) trains on from the EMA weights
        self.accelerator.unwrap_model(self.model).load_state_dict(groups.get("model", groups["ema"]))
        self.ema.load_state_dict(groups["ema"])
        if "optimizer" in groups:
            optimizer_from_flat(self.optimizer, groups["optimizer"], info["optimizer_groups"])
            self.warm_from = int(info.get("warm_from", 0))
        else:  # a compact resume point (scripts/compact_state.py): fresh moments, warmed up again
            self.warm_from = int(info["step"])

    def ema_module(self) -> torch.nn.Module:
        from diffusers import UNet2DModel

        module = UNet2DModel(**self.config)
        self.ema.copy_to(module)
        return module

    def export(self, path: Path, provenance: dict[str, Any]) -> Path:
        module = self.ema_module()
        state = {k: (v.half() if v.is_floating_point() else v) for k, v in module.state_dict().items()}
        meta = {
            "kind": "diffusion",
            "name": f"Ink diffusion {self.opts.resolution}",
            "architecture": {"class": "UNet2DModel", "config": _json_config(module.config)},
            "scheduler": {"class": "DDPMScheduler", "config": _json_config(self.scheduler.config)},
            "styles": dict(self.styles),
            "resolution": self.opts.resolution,
            "channels": 3,
            "provenance": {**provenance, "parameters": self.params, "weights": "EMA, float16"},
        }
        return save_ink_checkpoint(path, state, meta)
