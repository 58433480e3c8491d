"""Style-conditional VAE training (:class:`studio.models.inkvae.InkVAE`): the classroom's approximate-density family.

Recipe: the negative ELBO in bits per dimension (discretised logistic likelihood on the 256 pixel
values, training paintings moved to the nearest pixel value first), one z sample per painting, the
KL term's weight warmed up linearly from 0 to 1 over ``kl_warmup`` steps (Bowman et al. 2016) so
the decoder learns to use z before the prior pulls q towards it; Adam, gradient-norm clipping at 1.
What is logged as ``loss`` and exported is always measured with the full KL: the bound, not the
warm-up objective. No EMA: the exported weights are the trained ones (a VAE's bound is stable
enough that the last checkpoint is the one kept).

At each checkpoint (its own ``evaluate``): a grid of prior samples per style and the ELBO bits/dim
on the validation paintings (one z per painting).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.engine.train.data import reference_images
from studio.engine.train.loop import SAMPLE_SEED, TrainOptions, save_sample_grid
from studio.engine.train.state import optimizer_from_flat, optimizer_to_flat
from studio.errors import StudioError
from studio.models.inkfile import save_ink_checkpoint
from studio.models.inkvae import InkVAE, bits_per_dim, elbo, gaussian_kl, quantise

DEFAULT_LR = 1e-3
EVAL_SEED = 777

PRESETS: dict[str, dict[str, Any]] = {
    # the bundled ink-vae-32: ~2.3 M parameters, a 64-d latent vector
    "small": {"latent": 64, "nf": 32, "max_mult": 4, "kl_warmup": 500},
    # tests: a few thousand parameters
    "tiny": {"latent": 4, "nf": 4, "max_mult": 2, "kl_warmup": 4},
}


class VaeTrainer:
    kind = "vae"

    def setup(self, accelerator: Any, opts: TrainOptions, styles: dict[str, int]) -> None:
        if opts.preset not in PRESETS:
            raise StudioError(f"unknown VAE --preset {opts.preset!r} (choose from {', '.join(PRESETS)})")
        p = PRESETS[opts.preset]
        self.accelerator, self.opts, self.styles = accelerator, opts, styles
        self.config = {"latent": p["latent"], "nf": p["nf"], "max_mult": p["max_mult"], "resolution": opts.resolution,
                       "channels": 3, "num_classes": max(styles.values()) + 1}
        try:
            model = InkVAE(**self.config)
        except ValueError as exc:
            raise StudioError(f"VAE: {exc}") from None
        self.kl_warmup = int(p["kl_warmup"])
        self.lr = opts.lr or DEFAULT_LR
        opt = torch.optim.Adam(model.parameters(), lr=self.lr)
        self.model, self.opt = accelerator.prepare(model, opt)
        self.params = sum(q.numel() for q in model.parameters())
        self.dims = 3 * opts.resolution * opts.resolution
        # per latent dimension: a running mean of its KL (nats), to pick the latent map's two axes
        self.kl_per_dim = torch.zeros(self.config["latent"])

    def describe(self) -> str:
        return (f"InkVAE preset '{self.opts.preset}', {self.params / 1e6:.2f} M parameters, latent {self.config['latent']}; "
                f"discretised logistic likelihood, KL warm-up {self.kl_warmup} steps")

    def train_step(self, x: torch.Tensor, labels: torch.Tensor, step: int, generator: torch.Generator) -> dict[str, float]:
        acc = self.accelerator
        x, labels = quantise(x).to(acc.device), labels.to(acc.device)
        self.model.train()
        rec, kl = elbo(self.model_unwrapped(), x, labels, generator)
        beta = min(1.0, (step + 1) / max(1, self.kl_warmup))
        loss = bits_per_dim(-rec + beta * kl, self.dims).mean()
        self.opt.zero_grad(set_to_none=True)
        acc.backward(loss)
        nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.opt.step()
        with torch.no_grad():
            mu, logvar = self.model_unwrapped().encode(x, labels)
            per_dim = 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).mean(dim=0).cpu()
            self.kl_per_dim.mul_(0.99).add_(0.01 * per_dim)
        bound = bits_per_dim(-rec + kl, self.dims).mean()
        return {"loss": float(bound.detach()), "objective": float(loss.detach()),
                "kl_bpd": float(bits_per_dim(kl, self.dims).mean().detach()), "beta": beta}

    def model_unwrapped(self) -> InkVAE:
        return self.accelerator.unwrap_model(self.model)  # type: ignore[no-any-return]

    def state_groups(self) -> dict[str, dict[str, torch.Tensor]]:
        flat, _ = optimizer_to_flat(self.opt)
        return {"vae": dict(self.model_unwrapped().state_dict()), "optimizer": flat,
                "running": {"kl_per_dim": self.kl_per_dim.clone()}}

    def state_info(self) -> dict[str, Any]:
        return {"optimizer_groups": optimizer_to_flat(self.opt)[1], "vae_config": self.config}

    def load_groups(self, groups: dict[str, dict[str, torch.Tensor]], info: dict[str, Any]) -> None:
        if info.get("vae_config") != self.config:
            raise StudioError("--resume: the saved run used another model configuration (preset/resolution/style)")
        self.model_unwrapped().load_state_dict(groups["vae"])
        optimizer_from_flat(self.opt, groups["optimizer"], info["optimizer_groups"])
        for group in self.opt.param_groups:  # this run's --lr, not the saved one
            group["lr"] = self.lr
        self.kl_per_dim = groups["running"]["kl_per_dim"].clone()

    def latent_axes(self) -> list[int]:
        """The latent dimensions in order of how much the encoder uses them (mean KL, largest first)."""
        return [int(i) for i in torch.argsort(self.kl_per_dim, descending=True)]

    def export(self, path: Path, provenance: dict[str, Any]) -> Path:
        state = {k: v.detach().clone() for k, v in self.model_unwrapped().state_dict().items()}
        axes = self.latent_axes()
        active = int((self.kl_per_dim > 0.01).sum())
        meta = {
            "kind": "vae",
            "name": f"Ink VAE {self.opts.resolution}",
            "architecture": {"class": "InkVAE", "config": dict(self.config)},
            "styles": dict(self.styles),
            "resolution": self.opts.resolution,
            "channels": 3,
            "likelihood": "discretised logistic per sub-pixel (256 values), ELBO bound",
            "latent_axes": axes[:8],
            "provenance": {**provenance, "parameters": self.params, "weights": "trained weights, float32",
                           "active_latent_dims": active},
        }
        return save_ink_checkpoint(path, state, meta)

    @torch.no_grad()
    def evaluate(self, model_path: Path, opts: TrainOptions, work: Path, step: int, full: bool) -> dict[str, Any]:
        """Prior-sample grid (always) and the validation ELBO in bits/dim (when ``full``)."""
        from studio.models.formats import load_checkpoint

        model = load_checkpoint(model_path)
        out: dict[str, Any] = {}
        rows = []
        for style, label in self.styles.items():
            if opts.grid_count > 0:
                g = torch.Generator("cpu").manual_seed(SAMPLE_SEED)
                z = torch.randn((opts.grid_count, self.config["latent"]), generator=g)
                rows.append(model.generate(z, torch.full((opts.grid_count,), label, dtype=torch.long)))
            if not full:
                continue
            try:
                real = reference_images(opts.data, opts.resolution, style, "validation", opts.cache_dir)
            except StudioError:
                continue
            out[f"bpd_{style}"] = round(float(validation_bits_per_dim(model.module, real, label)), 4)
        bpds = [v for k, v in out.items() if k.startswith("bpd_")]
        if bpds:
            out["bpd_mean"] = round(sum(bpds) / len(bpds), 4)
        if rows:
            save_sample_grid(rows, work, step)
        return out


@torch.no_grad()
def validation_bits_per_dim(module: InkVAE, images: torch.Tensor, label: int, batch: int = 64, samples: int = 1,
                            seed: int = EVAL_SEED) -> float:
    """The mean -ELBO in bits/dim of ``images`` ([-1, 1], quantised here) under one style."""
    g = torch.Generator("cpu").manual_seed(seed)
    dims = images[0].numel()
    total, count = 0.0, 0
    for i in range(0, len(images), batch):
        x = quantise(images[i : i + batch])
        labels = torch.full((len(x),), label, dtype=torch.long)
        rec, kl = elbo(module, x, labels, g, samples)
        total += float(bits_per_dim(-rec + kl, dims).sum())
        count += len(x)
    return total / max(1, count)


__all__ = ["PRESETS", "VaeTrainer", "gaussian_kl", "validation_bits_per_dim"]
