"""Training the gated PixelCNN (:mod:`studio.models.inkpixelcnn`): maximum likelihood, style-conditional.

One step: the augmented batch of :class:`~studio.engine.train.data.TrainingData` quantised back to
8-bit values, the exact negative log-likelihood of every sub-pixel under the 256-way softmax,
averaged and reported in bits per dimension; Adam (lr 1e-3, as in the PixelCNN papers); the EMA of
the weights (decay up to 0.999) is what gets exported, in float32 so its likelihood is exact.

At every checkpoint the exported model's bits/dim on the validation paintings (whole paintings at
the training size, each given its own style) goes into the log and the model's provenance; at the
evaluation checkpoints (``--eval-every`` and the last) also a small sample grid, since sampling
3·H·W sub-pixels one after another is slow on a CPU. There is no SWD-based "best" export:
``--out`` is the latest EMA model.
"""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path
from typing import Any

import torch

from studio.engine.train.loop import SAMPLE_SEED, TrainOptions
from studio.engine.train.state import EMA, optimizer_from_flat, optimizer_to_flat
from studio.errors import StudioError
from studio.models.inkfile import save_ink_checkpoint
from studio.models.inkpixelcnn import InkPixelCNN, nats_per_image

DEFAULT_LR = 1e-3
GRID_MAX = 4  # sample-grid paintings per style at an evaluation checkpoint

PRESETS: dict[str, dict[str, Any]] = {
    # the bundled ink-pixelcnn-32: 6 gated layers of 48 features, 3x3 kernels, a 96-wide output head (small: it
    # was trained on one contended CPU thread in 45 minutes; each painted sub-pixel sees 7 rows up)
    "ink": {"width": 48, "layers": 6, "kernel": 3, "head": 96},
    # tests: a few thousand parameters
    "tiny": {"width": 6, "layers": 2, "kernel": 3, "head": 6},
}


def quantise(x: torch.Tensor) -> torch.Tensor:
    """[-1, 1] floats → uint8 values, as ``to_pil`` rounds them."""
    return ((x.float() / 2 + 0.5).clamp(0, 1) * 255).round().to(torch.uint8)


def validation_pixels(opts: TrainOptions, styles: dict[str, int]) -> tuple[torch.Tensor, torch.Tensor] | None:
    """The validation paintings at the training size as uint8 (N, 3, R, R) and their style labels; None when there are none."""
    from studio.engine.train.data import reference_images

    images, labels = [], []
    for style, label in styles.items():
        try:
            real = reference_images(opts.data, opts.resolution, style, "validation", opts.cache_dir)
        except StudioError:
            continue
        images.append(quantise(real))
        labels.append(torch.full((real.shape[0],), label, dtype=torch.long))
    if not images:
        return None
    return torch.cat(images), torch.cat(labels)


class PixelCNNTrainer:
    kind = "pixelcnn"

    def setup(self, accelerator: Any, opts: TrainOptions, styles: dict[str, int]) -> None:
        if opts.preset not in PRESETS:
            raise StudioError(f"unknown PixelCNN --preset {opts.preset!r} (choose from {', '.join(PRESETS)})")
        self.accelerator, self.opts, self.styles = accelerator, opts, styles
        self.config = {**PRESETS[opts.preset], "resolution": opts.resolution, "num_classes": max(styles.values()) + 1}
        net = InkPixelCNN(**self.config)
        self.lr = opts.lr or DEFAULT_LR
        opt = torch.optim.Adam(net.parameters(), lr=self.lr)
        self.ema = EMA(net, max_decay=0.999)
        self.net, self.opt = accelerator.prepare(net, opt)
        self.params = sum(p.numel() for p in net.parameters())
        self._validation: tuple[torch.Tensor, torch.Tensor] | None | bool = False  # False: not read yet

    def describe(self) -> str:
        c = self.config
        return (f"gated PixelCNN preset '{self.opts.preset}', {c['layers']} layers x {c['width']} features, {c['kernel']}x{c['kernel']} "
                f"kernels, 256-way softmax, {self.params / 1e6:.2f} M parameters; Adam {self.lr:g}, EMA 0.999")

    def train_step(self, x: torch.Tensor, labels: torch.Tensor, step: int, generator: torch.Generator) -> dict[str, float]:
        acc = self.accelerator
        self.net.train()
        pixels = quantise(x).to(acc.device)
        nats = nats_per_image(self.net, pixels, labels.to(acc.device))
        loss = nats.mean() / pixels[0].numel()
        self.opt.zero_grad(set_to_none=True)
        acc.backward(loss)
        self.opt.step()
        self.ema.update(acc.unwrap_model(self.net), step)
        return {"loss": float(loss.detach()) / math.log(2)}  # bits per dimension of this batch

    def state_groups(self) -> dict[str, dict[str, torch.Tensor]]:
        flat, _ = optimizer_to_flat(self.opt)
        return {"model": dict(self.accelerator.unwrap_model(self.net).state_dict()), "ema": self.ema.state_dict(), "optimizer": flat}

    def state_info(self) -> dict[str, Any]:
        return {"optimizer_groups": optimizer_to_flat(self.opt)[1], "model_config": self.config}

    def load_groups(self, groups: dict[str, dict[str, torch.Tensor]], info: dict[str, Any]) -> None:
        if info.get("model_config") != self.config:
            raise StudioError("--resume: the saved run used another model configuration (preset/resolution/style)")
        self.accelerator.unwrap_model(self.net).load_state_dict(groups["model"])
        self.ema.load_state_dict(groups["ema"])
        optimizer_from_flat(self.opt, groups["optimizer"], info["optimizer_groups"])
        for group in self.opt.param_groups:
            group["lr"] = self.lr

    def export(self, path: Path, provenance: dict[str, Any]) -> Path:
        module = InkPixelCNN(**self.config)
        self.ema.copy_to(module)
        meta = {
            "kind": "autoregressive",
            "name": f"Ink PixelCNN {self.opts.resolution}",
            "architecture": {"class": "InkPixelCNN", "config": dict(self.config)},
            "styles": dict(self.styles),
            "resolution": self.opts.resolution,
            "channels": 3,
            "provenance": {**provenance, "parameters": self.params, "weights": "EMA, float32",
                           **({"bits_per_dim_validation": self.last_bpd} if getattr(self, "last_bpd", None) else {})},
        }
        return save_ink_checkpoint(path, module.state_dict(), meta)

    def evaluate(self, model_path: Path, opts: TrainOptions, work: Path, step: int, full: bool) -> dict[str, Any]:
        """Bits/dim of the exported model on the validation paintings; a sample grid when ``full``."""
        from studio.models.loaders import load_checkpoint

        model = load_checkpoint(model_path)
        if self._validation is False:
            self._validation = validation_pixels(opts, self.styles)
        out: dict[str, Any] = {}
        if isinstance(self._validation, tuple):
            pixels, labels = self._validation
            bpd = model.bits_per_dim(pixels, labels)
            assert bpd is not None
            self.last_bpd = round(bpd, 4)
            out.update({"bits_per_dim_validation": self.last_bpd, "validation_images": int(pixels.shape[0])})
        if full and opts.grid_count > 0:
            from studio.engine.autoregressive import sample_autoregressive
            from studio.engine.evaluate import image_grid

            count = min(opts.grid_count, GRID_MAX)
            rows = [sample_autoregressive(model, [SAMPLE_SEED + k for k in range(count)], style=s) for s in self.styles]
            samples = work / "samples"
            samples.mkdir(parents=True, exist_ok=True)
            tmp = samples / f".step-{step:07d}.png.part"
            image_grid(rows).save(tmp, format="PNG")
            os.replace(tmp, samples / f"step-{step:07d}.png")
            shutil.copyfile(samples / f"step-{step:07d}.png", samples / "latest.png")
        return out
